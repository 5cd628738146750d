import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { versionFrom } from "~/bids/bids.server.ts";
import { parseMoney } from "~/bids/sections.ts";
import { DateInput } from "~/components/date-input.tsx";
import { CsrfInput, ErrorSummary, TextInput } from "~/components/forms.tsx";
import { ProjectHeading, SuccessBanner } from "~/components/project-parts.tsx";
import { Textarea } from "~/components/textarea.tsx";
import { londonToday } from "~/organisations/directory.server.ts";
import { presentEvidenceKeys } from "~/projects/evidence.server.ts";
import { datePartsFrom, datePartsOf, isoDay, parseDateParts } from "~/projects/forms.ts";
import {
  canEditProject,
  cumulativeFunding,
  gateAct,
  gateView,
  loadProjectFor,
  nextStageOf,
  projectHeader,
  setNextGateDue,
  tierView,
  type GateAction,
} from "~/projects/projects.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { formatDate, formatDateTime, formatMoney } from "~/utils/format.ts";
import { actorOf } from "~/workflow/apply-event.server.ts";
import { allowedEvents, gateReadiness, gateOutcomes, type GateOutcome, type PersistedSnapshot } from "../../workflows/index.ts";
import { gateOutcomeLabels, stageLabels } from "../../workflows/rules.ts";

export const meta: MetaFunction = () => [{ title: "Gate review – Springboard" }];

const ROUTE = "routes/projects.$id_.gate" as const;
/** Rows offered for a conditional go's conditions; blank rows are ignored. */
export const CONDITION_ROWS = 3;

const notices: Record<string, string> = {
  requested: "You have asked for a gate review. The fund team has been told.",
  opened: "The gate review is open. The gate approvers have been asked to vote.",
  returned: "The request has been returned to the project team with your reason.",
  voted: "Your vote has been recorded.",
  signedOff: "Finance sign-off has been recorded.",
  conditionMet: "The condition has been marked as met.",
  lessons: "The lessons have been recorded and the project is closed.",
  due: "The date the next gate review is due has been saved.",
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, ROUTE);
  const { project, relation, context, rules, stage } = await loadProjectFor(user, params.id);
  const funding = cumulativeFunding(project);
  const present = await presentEvidenceKeys(project.id, stage);
  const tier = tierView(funding, stage, rules);
  const readiness = gateReadiness(tier.tier, stage, present, rules);
  const allowed = allowedEvents("project", project.snapshot as unknown as PersistedSnapshot, actorOf(user));
  const delivering = project.state.endsWith("_delivering");
  const next = nextStageOf(stage);
  const notice = new URL(request.url).searchParams.get("notice");
  return {
    project: projectHeader(project),
    relation,
    stage,
    stageLabel: stageLabels[stage],
    nextStageLabel: next ? stageLabels[next] : null,
    nextCapPence: next ? rules.caps[next] : null,
    fundingPence: funding,
    tier,
    checklist: readiness.required.map((r) => ({ ...r, present: present.includes(r.key) })),
    ready: readiness.ready,
    gate: await gateView(context, rules),
    nextGateDueOn: isoDay(project.nextGateDueOn),
    can: {
      request: relation === "leadOfficer" && delivering,
      setDue: canEditProject(relation, project.state),
      open: allowed.includes("OPEN_REVIEW"),
      return: allowed.includes("RETURN_GATE_REQUEST"),
      vote: allowed.includes("VOTE"),
      signOff: allowed.includes("SIGN_OFF_FINANCE"),
      conditionMet: allowed.includes("RECORD_CONDITION_MET"),
      lessons: allowed.includes("RECORD_LESSONS"),
    },
    votedAlready: relation === "gateApprover" && (context.review?.votes.some((v) => v.userId === user.id) ?? false),
    ownCouncil: relation === "gateApprover" && user.organisation.id === project.leadOrganisationId,
    notice: notice && notices[notice] ? notices[notice] : null,
  };
}

type Values = Record<string, string>;
const fail = (form: string, errors: Record<string, string>, values: Values = {}) => data({ form, errors, values }, { status: 400 });

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData();
  const user = await authoriseUser(request, ROUTE, "action");
  requireCsrf(request, form);
  const loaded = await loadProjectFor(user, params.id);
  const { project, stage, rules } = loaded;
  const field = (name: string) => String(form.get(name) ?? "").trim();
  const intent = field("intent");
  const back = (notice: string) => redirect(`/projects/${project.id}/gate?notice=${notice}`);
  const send = async (action: GateAction, errorField: string, values: Values, notice: string) => {
    const result = await gateAct(user, loaded, action, versionFrom(form));
    if (!result.ok) return fail(intent, { [errorField]: result.reason }, values);
    return back(notice);
  };

  switch (intent) {
    case "due": {
      if (!canEditProject(loaded.relation, project.state)) throw new Response("Forbidden", { status: 403 });
      const parts = datePartsFrom(form, "nextGateDueOn");
      const values = { "nextGateDueOn-day": parts.day, "nextGateDueOn-month": parts.month, "nextGateDueOn-year": parts.year };
      if (!parts.day && !parts.month && !parts.year) {
        await setNextGateDue(project, null);
        return back("due");
      }
      const due = parseDateParts(parts, "The date");
      if (!due.ok) return fail(intent, { "nextGateDueOn-day": due.message }, values);
      await setNextGateDue(project, due.date);
      return back("due");
    }
    case "request": {
      const next = nextStageOf(stage);
      const text = field("nextTranche");
      let nextTranchePence = 0;
      if (next) {
        const amount = parseMoney(text);
        if (!text) return fail(intent, { nextTranche: `Enter how much you are asking for to fund the ${next} stage` }, { nextTranche: text });
        if (amount === null) return fail(intent, { nextTranche: "The amount must be an amount of money in pounds, like 250000 or 250000.50" }, { nextTranche: text });
        if (amount > rules.caps[next]) {
          return fail(intent, { nextTranche: `The amount must be no more than the ${next} stage's cap of ${formatMoney(rules.caps[next])}` }, { nextTranche: text });
        }
        nextTranchePence = amount;
      }
      return send({ type: "REQUEST_GATE_REVIEW", nextTranchePence }, next ? "nextTranche" : "request", { nextTranche: text }, "requested");
    }
    case "open":
      return send({ type: "OPEN_REVIEW" }, "open", {}, "opened");
    case "return": {
      const reason = field("reason");
      if (!reason) return fail(intent, { reason: "Enter why you are returning the request" }, { reason });
      return send({ type: "RETURN_GATE_REQUEST", reason }, "reason", { reason }, "returned");
    }
    case "vote": {
      const outcome = field("outcome");
      const reason = field("voteReason");
      const values: Values = { outcome, voteReason: reason };
      const errors: Record<string, string> = {};
      if (!(gateOutcomes as readonly string[]).includes(outcome)) errors.outcome = "Select your decision";
      if (!reason) errors.voteReason = "Enter the reason for your decision";
      const conditions: { text: string; dueDate: string }[] = [];
      for (let n = 1; n <= CONDITION_ROWS; n++) {
        const text = field(`condition-${n}-text`);
        const parts = datePartsFrom(form, `condition-${n}-due`);
        Object.assign(values, { [`condition-${n}-text`]: text, [`condition-${n}-due-day`]: parts.day, [`condition-${n}-due-month`]: parts.month, [`condition-${n}-due-year`]: parts.year });
        if (outcome !== "conditionalGo" || (!text && !parts.day && !parts.month && !parts.year)) continue;
        if (!text) errors[`condition-${n}-text`] = `Enter condition ${n}`;
        const due = parseDateParts(parts, `The due date of condition ${n}`);
        if (!due.ok) errors[`condition-${n}-due-day`] = due.message;
        else if (due.date < londonToday()) errors[`condition-${n}-due-day`] = `The due date of condition ${n} must be today or in the future`;
        else if (text) conditions.push({ text, dueDate: due.date });
      }
      if (outcome === "conditionalGo" && !Object.keys(errors).length && conditions.length === 0) {
        errors["condition-1-text"] = "Set at least one condition, with a due date, for a conditional go";
      }
      if (Object.keys(errors).length) return fail(intent, errors, values);
      return send({ type: "VOTE", outcome: outcome as GateOutcome, reason, conditions }, "outcome", values, "voted");
    }
    case "finance":
      return send({ type: "SIGN_OFF_FINANCE", note: field("financeNote") }, "financeNote", { financeNote: field("financeNote") }, "signedOff");
    case "conditionMet":
      return send({ type: "RECORD_CONDITION_MET", conditionId: field("conditionId"), note: field("conditionNote") }, "conditions", {}, "conditionMet");
    case "lessons": {
      const lessons = field("lessons");
      if (!lessons) return fail(intent, { lessons: "Write down what this project taught" }, { lessons });
      const result = await gateAct(user, loaded, { type: "RECORD_LESSONS", lessons }, versionFrom(form));
      if (!result.ok) return fail(intent, { lessons: result.reason }, { lessons });
      return redirect(`/projects/${project.id}?notice=lessons`);
    }
    default:
      return fail("none", { form: "Choose what to do" });
  }
}

export default function GateReview() {
  const { project, relation, stageLabel, nextStageLabel, nextCapPence, fundingPence, tier, checklist, ready, gate, nextGateDueOn, can, votedAlready, ownCouncil, notice } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors;
  const values = (result?.values ?? {}) as Values;
  const review = gate.review;
  const dueValues = result?.form === "due" ? { day: values["nextGateDueOn-day"] ?? "", month: values["nextGateDueOn-month"] ?? "", year: values["nextGateDueOn-year"] ?? "" } : datePartsOf(nextGateDueOn);
  const openConditions = gate.conditions.filter((c) => !c.met);
  return (
    <>
      <a href={`/projects/${project.id}`} className="govuk-back-link">
        Back to the project
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} />
          <SuccessBanner text={notice} />
          <ProjectHeading project={project} heading={`${stageLabel} gate review`} />

          {review ? (
            <section aria-labelledby="review-heading">
              <h2 className="govuk-heading-m" id="review-heading">
                {review.opened ? "The review under way" : "The review requested"}
              </h2>
              <dl className="govuk-summary-list">
                <div className="govuk-summary-list__row">
                  <dt className="govuk-summary-list__key">Requested</dt>
                  <dd className="govuk-summary-list__value">{formatDateTime(review.requestedAt)}</dd>
                </div>
                <div className="govuk-summary-list__row">
                  <dt className="govuk-summary-list__key">Funding at stake</dt>
                  <dd className="govuk-summary-list__value">{formatMoney(review.cumulativeFundingPence)} including the tranche this gate would release</dd>
                </div>
                <div className="govuk-summary-list__row">
                  <dt className="govuk-summary-list__key">Governance tier</dt>
                  <dd className="govuk-summary-list__value">
                    <p className="govuk-body">{review.tierReason}</p>
                    <p className="govuk-body govuk-!-margin-bottom-0">{review.requirement}</p>
                  </dd>
                </div>
                <div className="govuk-summary-list__row">
                  <dt className="govuk-summary-list__key">Finance sign-off</dt>
                  <dd className="govuk-summary-list__value">
                    {!review.financeSignOff
                      ? "Not needed at this tier"
                      : review.financeSignedOff
                        ? `Signed off by ${review.financeSignedOff.who}, ${formatDateTime(review.financeSignedOff.at)}${review.financeSignedOff.note ? `: ${review.financeSignedOff.note}` : ""}`
                        : "Waiting for the fund team"}
                  </dd>
                </div>
                <div className="govuk-summary-list__row">
                  <dt className="govuk-summary-list__key">Decision</dt>
                  <dd className="govuk-summary-list__value">{review.opened ? review.waitingFor : "Waiting for the fund team to open the review."}</dd>
                </div>
              </dl>
              <VoteTable caption="Votes so far" votes={review.votes} />

              {can.open || can.return ? (
                <>
                  {can.open ? (
                    <Form method="post">
                      <CsrfInput />
                      <input type="hidden" name="version" value={project.version} />
                      <button type="submit" name="intent" value="open" className="govuk-button" data-module="govuk-button" data-prevent-double-click="true" id="open">
                        Open the review
                      </button>
                    </Form>
                  ) : null}
                  {can.return ? (
                    <Form method="post" noValidate>
                      <CsrfInput />
                      <input type="hidden" name="version" value={project.version} />
                      <h3 className="govuk-heading-s">Or return the request to the project team</h3>
                      <Textarea name="reason" label="Why are you returning the request?" defaultValue={values.reason} error={errors?.reason} />
                      <button type="submit" name="intent" value="return" className="govuk-button govuk-button--secondary" data-module="govuk-button" data-prevent-double-click="true">
                        Return the request
                      </button>
                    </Form>
                  ) : null}
                </>
              ) : null}

              {can.vote ? (
                <VoteForm version={project.version} errors={errors} values={values} />
              ) : votedAlready ? (
                <p className="govuk-body">You have voted on this review.</p>
              ) : ownCouncil && review.opened ? (
                <p className="govuk-body">You cannot vote on a gate review for your own council's project.</p>
              ) : null}

              {can.signOff ? (
                <Form method="post" noValidate>
                  <CsrfInput />
                  <input type="hidden" name="version" value={project.version} />
                  <h3 className="govuk-heading-s">Finance sign-off</h3>
                  <TextInput name="financeNote" label="Note (optional)" defaultValue={values.financeNote} error={errors?.financeNote} />
                  <button type="submit" name="intent" value="finance" className="govuk-button" data-module="govuk-button" data-prevent-double-click="true">
                    Sign off for finance
                  </button>
                </Form>
              ) : null}
            </section>
          ) : null}

          {!review && project.state.endsWith("_delivering") ? (
            <section aria-labelledby="readiness-heading">
              <h2 className="govuk-heading-m" id="readiness-heading">
                Is the project ready for its gate?
              </h2>
              <div className="govuk-inset-text">
                <p className="govuk-body">{tier.reason}</p>
                <p className="govuk-body govuk-!-margin-bottom-0">{tier.requirement}</p>
              </div>
              <p className="govuk-body">
                The tier is fixed when the review is asked for, from the {formatMoney(fundingPence)} released so far plus the tranche asked for, so a larger
                request can move the project into a higher tier with more to attach.
              </p>
              <table className="govuk-table">
                <caption className="govuk-table__caption govuk-table__caption--s">Evidence this tier needs</caption>
                <thead className="govuk-table__head">
                  <tr className="govuk-table__row">
                    <th scope="col" className="govuk-table__header">Evidence</th>
                    <th scope="col" className="govuk-table__header">Status</th>
                  </tr>
                </thead>
                <tbody className="govuk-table__body">
                  {checklist.map((c) => (
                    <tr className="govuk-table__row" key={c.key}>
                      <td className="govuk-table__cell">{c.label}</td>
                      <td className="govuk-table__cell">
                        <strong className={`govuk-tag govuk-tag--${c.present ? "green" : "grey"}`}>{c.present ? "Attached" : "Missing"}</strong>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {!ready ? <p className="govuk-body">Attach the missing evidence before asking for the review.</p> : null}

              {can.request ? (
                <Form method="post" noValidate>
                  <CsrfInput />
                  <input type="hidden" name="version" value={project.version} />
                  <h3 className="govuk-heading-s" id="request">
                    Ask for a gate review
                  </h3>
                  {nextStageLabel && nextCapPence !== null ? (
                    <TextInput
                      name="nextTranche"
                      label={`How much are you asking for to fund the ${nextStageLabel.toLowerCase()} stage, in pounds?`}
                      hint={`Released only if the gate says go. The ${nextStageLabel.toLowerCase()} stage's cap is ${formatMoney(nextCapPence)}.`}
                      className="govuk-input--width-10"
                      inputMode="decimal"
                      defaultValue={values.nextTranche}
                      error={errors?.nextTranche}
                    />
                  ) : (
                    <p className="govuk-body">This is the last gate: a go completes the project.</p>
                  )}
                  {errors?.request ? (
                    <p className="govuk-error-message">
                      <span className="govuk-visually-hidden">Error:</span> {errors.request}
                    </p>
                  ) : null}
                  <button type="submit" name="intent" value="request" className="govuk-button" data-module="govuk-button" data-prevent-double-click="true">
                    Ask for a gate review
                  </button>
                </Form>
              ) : null}
            </section>
          ) : null}

          {gate.conditions.length ? (
            <section aria-labelledby="conditions-heading">
              <h2 className="govuk-heading-m" id="conditions-heading">
                Conditions
              </h2>
              <table className="govuk-table" id="conditions">
                <caption className="govuk-table__caption govuk-visually-hidden">Conditions set at gates</caption>
                <thead className="govuk-table__head">
                  <tr className="govuk-table__row">
                    <th scope="col" className="govuk-table__header">Condition</th>
                    <th scope="col" className="govuk-table__header">Due</th>
                    <th scope="col" className="govuk-table__header">Status</th>
                  </tr>
                </thead>
                <tbody className="govuk-table__body">
                  {gate.conditions.map((c) => (
                    <tr className="govuk-table__row" key={c.id}>
                      <td className="govuk-table__cell">{c.text}</td>
                      <td className="govuk-table__cell">{formatDate(c.dueDate)}</td>
                      <td className="govuk-table__cell">
                        {c.met ? (
                          <strong className="govuk-tag govuk-tag--green">Met</strong>
                        ) : can.conditionMet ? (
                          <Form method="post">
                            <CsrfInput />
                            <input type="hidden" name="version" value={project.version} />
                            <input type="hidden" name="conditionId" value={c.id} />
                            <button type="submit" name="intent" value="conditionMet" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" data-module="govuk-button">
                              Mark as met<span className="govuk-visually-hidden">: {c.text}</span>
                            </button>
                          </Form>
                        ) : (
                          <strong className="govuk-tag govuk-tag--yellow">Open</strong>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {openConditions.length && relation === "leadOfficer" ? (
                <p className="govuk-body">The fund team marks conditions as met. The next gate review can be asked for once every condition is met.</p>
              ) : null}
            </section>
          ) : null}

          {can.lessons ? (
            <section aria-labelledby="lessons-heading">
              <h2 className="govuk-heading-m" id="lessons-heading">
                Lessons learned
              </h2>
              <Form method="post" noValidate id="lessons-form">
                <CsrfInput />
                <input type="hidden" name="version" value={project.version} />
                <Textarea
                  name="lessons"
                  label="What did this project teach?"
                  hint="What worked, what did not and why, for other councils in the knowledge hub"
                  rows={8}
                  defaultValue={values.lessons}
                  error={errors?.lessons}
                />
                <button type="submit" name="intent" value="lessons" className="govuk-button" data-module="govuk-button" data-prevent-double-click="true">
                  Record lessons and close the project
                </button>
              </Form>
            </section>
          ) : null}
          {gate.lessons ? (
            <section aria-labelledby="lessons-recorded-heading">
              <h2 className="govuk-heading-m" id="lessons-recorded-heading">
                What the project taught
              </h2>
              <p className="govuk-body app-preserve-lines">{gate.lessons.text}</p>
            </section>
          ) : null}

          {can.setDue ? (
            <section aria-labelledby="due-heading">
              <h2 className="govuk-heading-m" id="due-heading">
                When the next gate review is due
              </h2>
              <Form method="post" noValidate>
                <CsrfInput />
                <DateInput
                  name="nextGateDueOn"
                  legend="Date you expect to ask for the next gate review"
                  hint="We will remind the project team 14 days before. Leave it blank if you do not know yet."
                  error={errors?.["nextGateDueOn-day"]}
                  values={dueValues}
                />
                <button type="submit" name="intent" value="due" className="govuk-button govuk-button--secondary" data-module="govuk-button">
                  Save the due date
                </button>
              </Form>
            </section>
          ) : null}

          {gate.decisions.length ? (
            <section aria-labelledby="decisions-heading">
              <h2 className="govuk-heading-m" id="decisions-heading">
                Earlier gate decisions
              </h2>
              {gate.decisions.map((d, i) => (
                <VoteTable
                  key={`${d.stage}-${i}`}
                  caption={`${stageLabels[d.stage]} gate, tier ${d.tier}: ${gateOutcomeLabels[d.outcome]} (${formatDate(d.at)})`}
                  votes={d.votes}
                />
              ))}
            </section>
          ) : null}
        </div>
      </div>
    </>
  );
}

function VoteTable({
  caption,
  votes,
}: {
  caption: string;
  votes: { who: string; senior: boolean; outcome: GateOutcome; reason: string; conditions: { text: string; dueDate: string }[]; at: string }[];
}) {
  if (!votes.length) return <p className="govuk-body">No votes yet.</p>;
  return (
    <table className="govuk-table">
      <caption className="govuk-table__caption govuk-table__caption--s">{caption}</caption>
      <thead className="govuk-table__head">
        <tr className="govuk-table__row">
          <th scope="col" className="govuk-table__header">Approver</th>
          <th scope="col" className="govuk-table__header">Vote</th>
          <th scope="col" className="govuk-table__header">Reason</th>
        </tr>
      </thead>
      <tbody className="govuk-table__body">
        {votes.map((v) => (
          <tr className="govuk-table__row" key={`${v.who}-${v.at}`}>
            <td className="govuk-table__cell">
              {v.who}
              {v.senior ? " (senior)" : ""}
            </td>
            <td className="govuk-table__cell">{gateOutcomeLabels[v.outcome]}</td>
            <td className="govuk-table__cell">
              {v.reason}
              {v.conditions.length ? (
                <ul className="govuk-list govuk-list--bullet govuk-body-s">
                  {v.conditions.map((c) => (
                    <li key={c.text}>
                      {c.text} (due {formatDate(c.dueDate)})
                    </li>
                  ))}
                </ul>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const outcomeHints: Record<GateOutcome, string> = {
  go: "Move to the next stage and release the tranche asked for",
  conditionalGo: "Move on, with conditions that must be met by their due dates",
  hold: "Stay in this stage for now",
  recycle: "Repeat this stage with changes",
  stop: "Close the project; its lessons will be recorded",
};

function VoteForm({ version, errors, values }: { version: number; errors?: Record<string, string>; values: Values }) {
  const order: GateOutcome[] = ["go", "conditionalGo", "hold", "recycle", "stop"];
  return (
    <Form method="post" noValidate>
      <CsrfInput />
      <input type="hidden" name="version" value={version} />
      <h3 className="govuk-heading-s">Your vote</h3>
      <div className={`govuk-form-group${errors?.outcome ? " govuk-form-group--error" : ""}`}>
        <fieldset className="govuk-fieldset" aria-describedby={errors?.outcome ? "outcome-error" : undefined}>
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">What do you decide?</legend>
          {errors?.outcome ? (
            <p id="outcome-error" className="govuk-error-message">
              <span className="govuk-visually-hidden">Error:</span> {errors.outcome}
            </p>
          ) : null}
          <div className="govuk-radios" data-module="govuk-radios" id="outcome">
            {order.map((o) => (
              <div className="govuk-radios__item" key={o}>
                <input className="govuk-radios__input" id={`outcome-${o}`} name="outcome" type="radio" value={o} defaultChecked={values.outcome === o} aria-describedby={`outcome-${o}-hint`} />
                <label className="govuk-label govuk-radios__label" htmlFor={`outcome-${o}`}>
                  {gateOutcomeLabels[o]}
                </label>
                <div id={`outcome-${o}-hint`} className="govuk-hint govuk-radios__hint">
                  {outcomeHints[o]}
                </div>
              </div>
            ))}
          </div>
        </fieldset>
      </div>
      <Textarea name="voteReason" label="Reason for your decision" defaultValue={values.voteReason} error={errors?.voteReason} />
      <fieldset className="govuk-fieldset">
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Conditions (for a conditional go only)</legend>
        <div className="govuk-hint">Set up to {CONDITION_ROWS} conditions, each with a due date. Leave the rows blank for any other decision.</div>
        {Array.from({ length: CONDITION_ROWS }, (_, i) => i + 1).map((n) => (
          <div key={n}>
            <TextInput name={`condition-${n}-text`} label={`Condition ${n}`} defaultValue={values[`condition-${n}-text`]} error={errors?.[`condition-${n}-text`]} />
            <DateInput
              name={`condition-${n}-due`}
              legend={`Condition ${n} due date`}
              error={errors?.[`condition-${n}-due-day`]}
              values={{ day: values[`condition-${n}-due-day`] ?? "", month: values[`condition-${n}-due-month`] ?? "", year: values[`condition-${n}-due-year`] ?? "" }}
            />
          </div>
        ))}
      </fieldset>
      <button type="submit" name="intent" value="vote" className="govuk-button" data-module="govuk-button" data-prevent-double-click="true">
        Record your vote
      </button>
    </Form>
  );
}
