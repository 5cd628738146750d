import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { actOnAssessment, beginModeration, moderationFacts, notFound } from "~/assessment/assessments.server.ts";
import { bidModeration, recordConsensus } from "~/assessment/moderation.server.ts";
import { authoriseUser } from "~/auth/access.server.ts";
import { versionFrom } from "~/bids/bids.server.ts";
import { CsrfInput, ErrorSummary } from "~/components/forms.tsx";
import { Textarea } from "~/components/textarea.tsx";
import { db } from "~/db/database.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { actorOf } from "~/workflow/apply-event.server.ts";
import { stateLabel, stateTagColour } from "../../workflows/index.ts";
import { plural } from "../../workflows/format.ts";

const ROUTE = "routes/bids.$id_.moderation" as const;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Moderation – ${data?.bid.title ?? "Bid"} – Springboard` }];

async function loadBid(id: string | undefined) {
  const bid = id
    ? await db().bid.findUnique({
        where: { id },
        select: { id: true, reference: true, title: true, state: true, version: true, round: { select: { slug: true, name: true } } },
      })
    : null;
  if (!bid) throw notFound();
  return bid;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await authoriseUser(request, ROUTE);
  const bid = await loadBid(params.id);
  const moderation = (await bidModeration(bid.id))!;
  const { rules } = moderation;
  const names = new Map(
    (
      await db().assessment.findMany({
        where: { id: { in: moderation.assessments.map((a) => a.id) } },
        select: { id: true, assessor: { select: { name: true, organisation: { select: { name: true } } } } },
      })
    ).map((a) => [a.id, `${a.assessor.name}, ${a.assessor.organisation.name}`]),
  );
  const assessors = moderation.assessments.map((a, i) => ({
    id: a.id,
    label: `Assessor ${i + 1}`,
    name: names.get(a.id) ?? "",
    state: a.state,
    version: a.version,
    stateLabel: stateLabel("assessment", a.state),
    tag: stateTagColour("assessment", a.state),
    awaitingRework: a.awaitingRework,
    returnable: a.state === "submitted" || a.state === "resubmitted",
  }));
  const facts = bid.state === "inAssessment" ? await moderationFacts(db(), bid.id) : null;
  return {
    notice: new URL(request.url).searchParams.get("notice"),
    bid: {
      ...bid,
      stateLabel: stateLabel("bid", bid.state, { audience: "staff" }),
      tag: stateTagColour("bid", bid.state, { audience: "staff" }),
    },
    threshold: rules.assessment.disagreementThreshold,
    scale: rules.assessment.scale,
    moderatedScore: moderation.moderatedScore,
    unresolved: moderation.unresolvedCriteria.length,
    awaitingRework: moderation.awaitingRework,
    canModerate: bid.state === "moderation",
    readiness: facts ? { submitted: facts.assessmentsSubmitted, outstanding: facts.assessmentsOutstanding } : null,
    assessors,
    criteria: rules.assessment.criteria.map((c) => {
      const rows = moderation.assessments.map((a, i) => ({
        assessor: assessors[i]!,
        score: a.scores[c.key]?.score ?? null,
        justification: a.scores[c.key]?.justification ?? "",
      }));
      const numbers = rows.map((r) => r.score).filter((s): s is number => s !== null);
      const flag = moderation.flagged.find((d) => d.criterionKey === c.key);
      const consensus = moderation.consensus[c.key];
      return {
        key: c.key,
        label: c.label,
        weight: c.weight,
        rows,
        spread: numbers.length >= 2 ? Math.max(...numbers) - Math.min(...numbers) : null,
        flagged: Boolean(flag),
        consensus: consensus ? { score: consensus.score, rationale: consensus.rationale } : null,
      };
    }),
  };
}

type Values = Record<string, string>;
const fail = (errors: Record<string, string>, values: Values) => data({ errors, values }, { status: 400 });

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData();
  const user = await authoriseUser(request, ROUTE, "action");
  requireCsrf(request, form);
  const bid = await loadBid(params.id);
  const intent = String(form.get("intent") ?? "");
  const here = `/bids/${bid.id}/moderation`;
  if (intent === "consensus") {
    const key = String(form.get("criterionKey") ?? "");
    const values: Values = { criterionKey: key, [`${key}-score`]: String(form.get("score") ?? ""), [`${key}-rationale`]: String(form.get("rationale") ?? "") };
    const result = await recordConsensus(bid.id, key, String(form.get("score") ?? ""), String(form.get("rationale") ?? ""), user.id);
    if (!result.ok) return fail(Object.fromEntries(Object.entries(result.errors).map(([field, message]) => [`${key}-${field}`, message])), values);
    throw redirect(`${here}?notice=consensus`);
  }
  if (intent === "return") {
    const values: Values = { assessmentId: String(form.get("assessmentId") ?? ""), returnReason: String(form.get("returnReason") ?? "") };
    const errors: Record<string, string> = {};
    if (!values.assessmentId) errors.assessmentId = "Choose the assessment to return";
    if (!values.returnReason.trim()) errors.returnReason = "Enter why you are returning the assessment";
    else if (values.returnReason.length > 2000) errors.returnReason = "Your reason must be 2,000 characters or fewer";
    if (Object.keys(errors).length) return fail(errors, values);
    const assessment = await db().assessment.findUnique({ where: { id: values.assessmentId }, select: { bidId: true } });
    if (!assessment || assessment.bidId !== bid.id) return fail({ assessmentId: "Choose the assessment to return" }, values);
    const version = form.get(`version-${values.assessmentId}`);
    const outcome = await actOnAssessment(
      user,
      values.assessmentId,
      { type: "RETURN_FOR_REWORK", reason: values.returnReason.trim() },
      typeof version === "string" && /^\d{1,9}$/.test(version) ? Number(version) : undefined,
    );
    if (!outcome.ok) return fail({ assessmentId: outcome.reason }, values);
    throw redirect(`${here}?notice=returned`);
  }
  if (intent === "begin") {
    const outcome = await beginModeration({ ...actorOf(user), name: user.name }, bid.id, versionFrom(form));
    if (!outcome.ok) return fail({ begin: outcome.reason }, {});
    throw redirect(`${here}?notice=begun`);
  }
  return fail({ intent: "Choose what to do" }, {});
}

const notices: Record<string, string> = {
  consensus: "The consensus score was recorded.",
  returned: "The assessment was returned to its assessor, who has been emailed the reason.",
  begun: "Moderation has begun.",
};

export default function BidModeration() {
  const { bid, threshold, scale, moderatedScore, unresolved, awaitingRework, canModerate, readiness, assessors, criteria, notice } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors;
  const values = result?.values;
  const returnable = assessors.filter((a) => a.returnable);
  return (
    <>
      <a href={`/rounds/${bid.round.slug}/moderation`} className="govuk-back-link">
        Back to the round's moderation
      </a>
      <ErrorSummary errors={errors} />
      {notice && notices[notice] ? (
        <div className="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="notice-title" data-module="govuk-notification-banner">
          <div className="govuk-notification-banner__header">
            <h2 className="govuk-notification-banner__title" id="notice-title">
              Done
            </h2>
          </div>
          <div className="govuk-notification-banner__content">
            <p className="govuk-notification-banner__heading">{notices[notice]}</p>
          </div>
        </div>
      ) : null}
      <span className="govuk-caption-l">
        {bid.reference}, {bid.round.name}
      </span>
      <h1 className="govuk-heading-l">Moderate {bid.title}</h1>
      <dl className="govuk-summary-list">
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Status</dt>
          <dd className="govuk-summary-list__value">
            <strong className={`govuk-tag govuk-tag--${bid.tag}`}>{bid.stateLabel}</strong>
          </dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Moderated weighted score</dt>
          <dd className="govuk-summary-list__value" data-testid="moderated-score">
            {moderatedScore} out of 100
          </dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Still to resolve</dt>
          <dd className="govuk-summary-list__value">
            {unresolved === 0 && awaitingRework === 0
              ? "Nothing: every flagged criterion has a consensus score"
              : [unresolved ? `${plural(unresolved, "flagged criterion needs", "flagged criteria need")} a consensus score` : null, awaitingRework ? `${plural(awaitingRework, "assessment is", "assessments are")} back with the assessor for rework` : null]
                  .filter(Boolean)
                  .join("; ")}
          </dd>
        </div>
      </dl>
      <p className="govuk-body">
        A criterion is flagged when the assessors' scores differ by more than {plural(threshold, "point")}.{" "}
        <a className="govuk-link" href={`/bids/${bid.id}/assignments`}>
          Assessors for this bid
        </a>
      </p>

      {readiness ? (
        <>
          <h2 className="govuk-heading-m">Begin moderation</h2>
          <p className="govuk-body">
            {plural(readiness.submitted, "assessment has", "assessments have")} been submitted; {plural(readiness.outstanding, "is", "are")} still outstanding.
          </p>
          {errors?.begin ? (
            <p className="govuk-error-message" id="begin">
              <span className="govuk-visually-hidden">Error:</span> {errors.begin}
            </p>
          ) : null}
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="begin" />
            <input type="hidden" name="version" value={bid.version} />
            <button type="submit" className="govuk-button" data-module="govuk-button" data-prevent-double-click="true">
              Begin moderation
            </button>
          </Form>
        </>
      ) : null}

      {criteria.map((c) => {
        const scoreError = errors?.[`${c.key}-score`];
        const rationaleError = errors?.[`${c.key}-rationale`];
        const typed = values?.criterionKey === c.key ? values : null;
        const chosen = typed ? typed[`${c.key}-score`] : c.consensus ? String(c.consensus.score) : "";
        return (
          <section key={c.key} className="govuk-!-margin-bottom-8" aria-labelledby={`${c.key}-heading`}>
            <h2 className="govuk-heading-m" id={`${c.key}-heading`}>
              {c.label} ({c.weight}%){" "}
              {c.flagged ? <strong className="govuk-tag govuk-tag--red">Flagged: spread of {c.spread}</strong> : null}
              {c.consensus ? <strong className="govuk-tag govuk-tag--green">Consensus: {c.consensus.score}</strong> : null}
            </h2>
            <table className="govuk-table">
              <caption className="govuk-table__caption govuk-table__caption--s">
                Scores for {c.label.toLowerCase()}
                {c.spread !== null ? `: spread ${c.spread}` : ""}
              </caption>
              <thead className="govuk-table__head">
                <tr className="govuk-table__row">
                  <th scope="col" className="govuk-table__header">Assessor</th>
                  <th scope="col" className="govuk-table__header govuk-table__header--numeric">Score</th>
                  <th scope="col" className="govuk-table__header">Justification</th>
                </tr>
              </thead>
              <tbody className="govuk-table__body">
                {c.rows.map((r) => (
                  <tr className="govuk-table__row" key={r.assessor.id}>
                    <td className="govuk-table__cell">
                      {r.assessor.label}
                      <br />
                      <span className="govuk-!-font-size-16">{r.assessor.name}</span>
                      {r.assessor.awaitingRework ? (
                        <>
                          <br />
                          <strong className="govuk-tag govuk-tag--orange">Returned for rework</strong>
                        </>
                      ) : null}
                    </td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{r.score ?? "–"}</td>
                    <td className="govuk-table__cell app-preserve-lines">{r.justification || "None given"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {c.consensus ? (
              <p className="govuk-body">
                <strong>Consensus rationale:</strong> <span className="app-preserve-lines">{c.consensus.rationale}</span>
              </p>
            ) : null}
            {canModerate && c.flagged ? (
              <Form method="post" noValidate>
                <CsrfInput />
                <input type="hidden" name="intent" value="consensus" />
                <input type="hidden" name="criterionKey" value={c.key} />
                <div className={`govuk-form-group${scoreError ? " govuk-form-group--error" : ""}`}>
                  <fieldset className="govuk-fieldset" aria-describedby={scoreError ? `${c.key}-score-error` : undefined}>
                    <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Consensus score for {c.label.toLowerCase()}</legend>
                    {scoreError ? (
                      <p id={`${c.key}-score-error`} className="govuk-error-message">
                        <span className="govuk-visually-hidden">Error:</span> {scoreError}
                      </p>
                    ) : null}
                    <div className="govuk-radios govuk-radios--small govuk-radios--inline" data-module="govuk-radios">
                      {scale.labels.map((l, i) => {
                        const id = i === 0 ? `${c.key}-score` : `${c.key}-score-${l.score}`;
                        return (
                          <div className="govuk-radios__item" key={l.score}>
                            <input className="govuk-radios__input" id={id} name="score" type="radio" value={String(l.score)} defaultChecked={chosen === String(l.score)} />
                            <label className="govuk-label govuk-radios__label" htmlFor={id}>
                              {l.score} – {l.label}
                            </label>
                          </div>
                        );
                      })}
                    </div>
                  </fieldset>
                </div>
                <div className={`govuk-form-group${rationaleError ? " govuk-form-group--error" : ""}`}>
                  <label className="govuk-label govuk-label--s" htmlFor={`${c.key}-rationale`}>
                    Rationale for the consensus score
                  </label>
                  {rationaleError ? (
                    <p id={`${c.key}-rationale-error`} className="govuk-error-message">
                      <span className="govuk-visually-hidden">Error:</span> {rationaleError}
                    </p>
                  ) : null}
                  <textarea
                    className={`govuk-textarea${rationaleError ? " govuk-textarea--error" : ""}`}
                    id={`${c.key}-rationale`}
                    name="rationale"
                    rows={3}
                    defaultValue={typed ? typed[`${c.key}-rationale`] : (c.consensus?.rationale ?? "")}
                    aria-describedby={rationaleError ? `${c.key}-rationale-error` : undefined}
                  />
                </div>
                <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button" data-prevent-double-click="true">
                  Record consensus score<span className="govuk-visually-hidden"> for {c.label.toLowerCase()}</span>
                </button>
              </Form>
            ) : null}
          </section>
        );
      })}

      {returnable.length ? (
        <>
          <h2 className="govuk-heading-m">Return an assessment for rework</h2>
          <Form method="post" noValidate>
            <CsrfInput />
            <input type="hidden" name="intent" value="return" />
            {returnable.map((a) => (
              <input type="hidden" name={`version-${a.id}`} value={a.version} key={a.id} />
            ))}
            <div className={`govuk-form-group${errors?.assessmentId ? " govuk-form-group--error" : ""}`}>
              <fieldset className="govuk-fieldset" aria-describedby={errors?.assessmentId ? "assessmentId-error" : undefined}>
                <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Assessment to return</legend>
                {errors?.assessmentId ? (
                  <p id="assessmentId-error" className="govuk-error-message">
                    <span className="govuk-visually-hidden">Error:</span> {errors.assessmentId}
                  </p>
                ) : null}
                <div className="govuk-radios govuk-radios--small" data-module="govuk-radios">
                  {returnable.map((a, i) => (
                    <div className="govuk-radios__item" key={a.id}>
                      <input
                        className="govuk-radios__input"
                        id={i === 0 ? "assessmentId" : `assessmentId-${a.id}`}
                        name="assessmentId"
                        type="radio"
                        value={a.id}
                        defaultChecked={values?.assessmentId === a.id}
                      />
                      <label className="govuk-label govuk-radios__label" htmlFor={i === 0 ? "assessmentId" : `assessmentId-${a.id}`}>
                        {a.label} ({a.name})
                      </label>
                    </div>
                  ))}
                </div>
              </fieldset>
            </div>
            <Textarea name="returnReason" label="What should the assessor rework?" error={errors?.returnReason} defaultValue={values?.returnReason} rows={3} />
            <button type="submit" className="govuk-button govuk-button--warning" data-module="govuk-button" data-prevent-double-click="true">
              Return for rework
            </button>
          </Form>
        </>
      ) : null}
    </>
  );
}
