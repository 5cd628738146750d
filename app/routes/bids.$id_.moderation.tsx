import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { moderationFacts } from "~/assessment/assessments.server.ts";
import { moderate } from "~/assessment/moderation-actions.server.ts";
import { bidModeration } from "~/assessment/moderation.server.ts";
import { authoriseUser } from "~/auth/access.server.ts";
import { AssessmentWithReason } from "~/components/decision-with-reason.tsx";
import { CsrfInput, ErrorSummary } from "~/components/forms.tsx";
import { SuccessNotice } from "~/components/notification-banner.tsx";
import { SummaryList } from "~/components/summary-list.tsx";
import { Table } from "~/components/table.tsx";
import { db } from "~/db/database.server.ts";
import { readForm } from "~/forms/body.server.ts";
import { refused } from "~/forms/parse.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { stateLabel, stateTagColour } from "../../workflows/index.ts";
import { noticeFrom } from "~/utils/notices.ts";
import { titled } from "~/utils/title.ts";
import { notFound } from "~/http/errors.server.ts";
import { plural } from "~/utils/format.ts";

const ROUTE = "routes/bids.$id_.moderation" as const;

export const meta = titled<typeof loader>(({ data }) => ["Moderation", data?.bid.title]);

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
    notice: noticeFrom(request, notices),
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

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const user = await authoriseUser(request, ROUTE, "action");
  requireCsrf(request, form);
  const bid = await loadBid(params.id);
  const outcome = await moderate(user, bid.id, form);
  if (!outcome.ok) return refused(outcome);
  throw redirect(`/bids/${bid.id}/moderation?notice=${outcome.notice}`);
}

const notices: Record<string, string> = {
  consensus: "The consensus score was recorded.",
  returned: "The assessment was returned to its assessor, who has been emailed the reason.",
  begun: "Moderation has begun.",
};

export default function BidModeration() {
  const { bid, threshold, scale, moderatedScore, unresolved, awaitingRework, canModerate, readiness, assessors, criteria, notice } =
    useLoaderData<typeof loader>();
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
      <SuccessNotice text={notice} title="Done" />
      <span className="govuk-caption-l">
        {bid.reference}, {bid.round.name}
      </span>
      <h1 className="govuk-heading-l">Moderate {bid.title}</h1>
      <SummaryList
        rows={[
          { key: "Status", value: <strong className={`govuk-tag govuk-tag--${bid.tag}`}>{bid.stateLabel}</strong> },
          { key: "Moderated weighted score", value: <span data-testid="moderated-score">{moderatedScore} out of 100</span> },
          {
            key: "Still to resolve",
            value:
              unresolved === 0 && awaitingRework === 0
                ? "Nothing: every flagged criterion has a consensus score"
                : [
                    unresolved ? `${plural(unresolved, "flagged criterion needs", "flagged criteria need")} a consensus score` : null,
                    awaitingRework ? `${plural(awaitingRework, "assessment is", "assessments are")} back with the assessor for rework` : null,
                  ]
                    .filter(Boolean)
                    .join("; "),
          },
        ]}
      />
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
            <p className="govuk-error-message" id="begin-error">
              <span className="govuk-visually-hidden">Error:</span> {errors.begin}
            </p>
          ) : null}
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="begin" />
            <input type="hidden" name="version" value={bid.version} />
            <button
              type="submit"
              id="begin"
              aria-describedby={errors?.begin ? "begin-error" : undefined}
              className="govuk-button"
              data-module="govuk-button"
              data-prevent-double-click="true"
            >
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
              {c.label} ({c.weight}%) {c.flagged ? <strong className="govuk-tag govuk-tag--red">Flagged: spread of {c.spread}</strong> : null}
              {c.consensus ? <strong className="govuk-tag govuk-tag--green">Consensus: {c.consensus.score}</strong> : null}
            </h2>
            <Table
              caption={`Scores for ${c.label.toLowerCase()}${c.spread !== null ? `: spread ${c.spread}` : ""}`}
              captionClass="govuk-table__caption--s"
              head={["Assessor", "Score", "Justification"]}
              numeric={[1]}
              rows={c.rows.map((r) => [
                <>
                  {r.assessor.label}
                  <br />
                  <span className="govuk-!-font-size-16">{r.assessor.name}</span>
                  {r.assessor.awaitingRework ? (
                    <>
                      <br />
                      <strong className="govuk-tag govuk-tag--orange">Returned for rework</strong>
                    </>
                  ) : null}
                </>,
                r.score ?? "–",
                <span className="app-preserve-lines">{r.justification || "None given"}</span>,
              ])}
            />
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
                {/* Hand-written, not Radios: each criterion's form sends `score` yet its ids must be `<criterion>-score...` (one form per criterion on the page; tests/e2e/assessment.spec.ts selects input[name="score"][id^="strategicFit-score"]), and Radios makes the first id the name. */}
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
                            <input
                              className="govuk-radios__input"
                              id={id}
                              name="score"
                              type="radio"
                              value={String(l.score)}
                              defaultChecked={chosen === String(l.score)}
                            />
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
          <AssessmentWithReason
            intent="return"
            legend="Assessment to return"
            assessments={returnable.map((a) => ({ id: a.id, version: a.version, text: `${a.label} (${a.name})` }))}
            value={values?.assessmentId}
            error={errors?.assessmentId}
            reason={{ name: "returnReason", label: "What should the assessor rework?", value: values?.returnReason, error: errors?.returnReason }}
            submit="Return for rework"
          />
        </>
      ) : null}
    </>
  );
}
