import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { DecisionWithReason } from "~/components/decision-with-reason.tsx";
import { DateInput } from "~/components/date-input.tsx";
import { SuccessNotice } from "~/components/notification-banner.tsx";
import { CsrfInput, ErrorSummary, TextInput } from "~/components/forms.tsx";
import { ProjectHeading } from "~/components/project-parts.tsx";
import { SummaryList } from "~/components/summary-list.tsx";
import { Table } from "~/components/table.tsx";
import { Textarea } from "~/components/textarea.tsx";
import { readForm } from "~/forms/body.server.ts";
import { evidenceByStage, presentEvidenceKeys } from "~/projects/evidence.server.ts";
import { CONDITION_ROWS, datePartsOf } from "~/projects/forms.ts";
import { isoDay } from "~/utils/dates.ts";
import { gateAction } from "~/projects/gate-actions.server.ts";
import { canEditProject, cumulativeFunding, gateView, loadProjectFor, nextStageOf, projectHeader, tierView } from "~/projects/projects.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { formatDate, formatDateTime, formatMoney } from "~/utils/format.ts";
import { actorOf } from "~/engine/apply-event.server.ts";
import { allowedEvents, gateReadiness, type GateOutcome, type PersistedSnapshot } from "../../workflows/index.ts";
import { gateOutcomeLabels, stageLabels } from "../../workflows/rules.ts";
import { noticeFrom } from "~/utils/notices.ts";
import { titled } from "~/utils/title.ts";

export const meta = titled<typeof loader>(({ data }) => [data ? `${data.stageLabel} gate review` : "Gate review", data?.project.title]);

const ROUTE = "routes/projects.$id_.gate" as const;

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
  const [present, [closing]] = await Promise.all([presentEvidenceKeys(project.id, stage), evidenceByStage(project.id, stage, stage)]);
  const tier = tierView(funding, stage, rules);
  const readiness = gateReadiness(tier.tier, stage, present, rules);
  const allowed = allowedEvents("project", project.snapshot as unknown as PersistedSnapshot, actorOf(user));
  const delivering = project.state.endsWith("_delivering");
  const next = nextStageOf(stage);
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
    // What the gate weighs: the evaluation and actuals of the stage it closes, and no other's.
    stageEvidence: {
      evaluation: closing!.evaluation,
      metrics: closing!.metrics.map((m) => ({
        id: m.id,
        name: m.unit ? `${m.name} (${m.unit})` : m.name,
        baseline: m.baseline,
        target: m.target,
        actuals: m.actuals,
      })),
    },
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
    notice: noticeFrom(request, notices),
  };
}

type Values = Record<string, string>;

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const user = await authoriseUser(request, ROUTE, "action");
  requireCsrf(request, form);
  return gateAction(user, await loadProjectFor(user, params.id), form);
}

export default function GateReview() {
  const {
    project,
    relation,
    stageLabel,
    nextStageLabel,
    nextCapPence,
    fundingPence,
    tier,
    checklist,
    stageEvidence,
    ready,
    gate,
    nextGateDueOn,
    can,
    votedAlready,
    ownCouncil,
    notice,
  } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors;
  const values = (result?.values ?? {}) as Values;
  const review = gate.review;
  const dueValues =
    result?.form === "due"
      ? { day: values["nextGateDueOn-day"] ?? "", month: values["nextGateDueOn-month"] ?? "", year: values["nextGateDueOn-year"] ?? "" }
      : datePartsOf(nextGateDueOn);
  const openConditions = gate.conditions.filter((c) => !c.met);
  const refusedConditionId = errors?.conditions ? values.conditionId : undefined;
  const conditionsLinkOnButton = can.conditionMet && openConditions.some((c) => c.id === refusedConditionId);
  return (
    <>
      <a href={`/projects/${project.id}`} className="govuk-back-link">
        Back to the project
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} />
          <SuccessNotice text={notice} />
          <ProjectHeading project={project} heading={`${stageLabel} gate review`} />

          <section aria-labelledby="stage-evidence-heading">
            <h2 className="govuk-heading-m" id="stage-evidence-heading">
              Evidence from the {stageLabel.toLowerCase()} stage
            </h2>
            <h3 className="govuk-heading-s">Evaluation</h3>
            {stageEvidence.evaluation.trim() ? (
              <p className="govuk-body app-preserve-lines">{stageEvidence.evaluation}</p>
            ) : (
              <p className="govuk-body">No evaluation written for the {stageLabel.toLowerCase()} stage.</p>
            )}
            <h3 className="govuk-heading-s">Measurements</h3>
            {stageEvidence.metrics.some((m) => m.actuals.length) ? (
              <Table
                caption={`Actuals recorded in the ${stageLabel.toLowerCase()} stage`}
                captionClass="govuk-visually-hidden"
                head={["Metric", "Baseline", "Target", "Actuals"]}
                numeric={[1, 2]}
                rows={stageEvidence.metrics.map((m) => ({
                  key: m.id,
                  cells: [
                    m.name,
                    m.baseline,
                    m.target,
                    m.actuals.length ? (
                      <ul className="govuk-list govuk-!-margin-bottom-0">
                        {m.actuals.map((a) => (
                          <li key={a.id}>
                            {a.value} on {formatDate(a.recordedOn)}
                            {a.note ? `: ${a.note}` : ""}
                          </li>
                        ))}
                      </ul>
                    ) : (
                      "None in this stage"
                    ),
                  ],
                }))}
              />
            ) : (
              <p className="govuk-body">No actuals recorded in the {stageLabel.toLowerCase()} stage.</p>
            )}
          </section>

          {review ? (
            <section aria-labelledby="review-heading">
              <h2 className="govuk-heading-m" id="review-heading">
                {review.opened ? "The review under way" : "The review requested"}
              </h2>
              <SummaryList
                rows={[
                  { key: "Requested", value: formatDateTime(review.requestedAt) },
                  { key: "Funding at stake", value: `${formatMoney(review.cumulativeFundingPence)} including the tranche this gate would release` },
                  {
                    key: "Governance tier",
                    value: (
                      <>
                        <p className="govuk-body">{review.tierReason}</p>
                        <p className="govuk-body govuk-!-margin-bottom-0">{review.requirement}</p>
                      </>
                    ),
                  },
                  {
                    key: "Finance sign-off",
                    value: !review.financeSignOff
                      ? "Not needed at this tier"
                      : review.financeSignedOff
                        ? `Signed off by ${review.financeSignedOff.who}, ${formatDateTime(review.financeSignedOff.at)}${review.financeSignedOff.note ? `: ${review.financeSignedOff.note}` : ""}`
                        : "Waiting for the fund team",
                  },
                  { key: "Decision", value: review.opened ? review.waitingFor : "Waiting for the fund team to open the review." },
                ]}
              />
              <VoteTable caption="Votes so far" votes={review.votes} />

              {can.open || can.return ? (
                <>
                  {can.open ? (
                    <Form method="post">
                      <CsrfInput />
                      <input type="hidden" name="version" value={project.version} />
                      <button
                        type="submit"
                        name="intent"
                        value="open"
                        className="govuk-button"
                        data-module="govuk-button"
                        data-prevent-double-click="true"
                        id="open"
                      >
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
                      <button
                        type="submit"
                        name="intent"
                        value="return"
                        className="govuk-button govuk-button--secondary"
                        data-module="govuk-button"
                        data-prevent-double-click="true"
                      >
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
              <Table
                caption="Evidence this tier needs"
                captionClass="govuk-table__caption--s"
                head={["Evidence", "Status"]}
                rows={checklist.map((c) => [
                  c.label,
                  <strong className={`govuk-tag govuk-tag--${c.present ? "green" : "grey"}`}>{c.present ? "Attached" : "Missing"}</strong>,
                ])}
              />
              {!ready ? <p className="govuk-body">Attach the missing evidence before asking for the review.</p> : null}

              {can.request ? (
                <Form method="post" noValidate>
                  <CsrfInput />
                  <input type="hidden" name="version" value={project.version} />
                  <h3 className="govuk-heading-s">Ask for a gate review</h3>
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
                  {/* At the last gate there is nothing to type: a refusal belongs to the button, which the error summary links to. */}
                  {errors?.request ? (
                    <p className="govuk-error-message" id="request-error">
                      <span className="govuk-visually-hidden">Error:</span> {errors.request}
                    </p>
                  ) : null}
                  <button
                    type="submit"
                    name="intent"
                    value="request"
                    id="request"
                    aria-describedby={errors?.request ? "request-error" : undefined}
                    className="govuk-button"
                    data-module="govuk-button"
                    data-prevent-double-click="true"
                  >
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
              {/* The error summary's link for a refused "Mark as met" lands on that condition's button, or, once the condition
                  is no longer open (someone else marked it), on the table. */}
              <div id={conditionsLinkOnButton ? undefined : "conditions"} tabIndex={conditionsLinkOnButton ? undefined : -1}>
                <Table
                  caption="Conditions set at gates"
                  captionClass="govuk-visually-hidden"
                  head={["Condition", "Due", "Status"]}
                  rows={gate.conditions.map((c) => [
                    c.text,
                    formatDate(c.dueDate),
                    c.met ? (
                      <strong className="govuk-tag govuk-tag--green">Met</strong>
                    ) : can.conditionMet ? (
                      <Form method="post">
                        <CsrfInput />
                        <input type="hidden" name="version" value={project.version} />
                        <input type="hidden" name="conditionId" value={c.id} />
                        {conditionsLinkOnButton && c.id === refusedConditionId ? (
                          <p className="govuk-error-message" id="conditions-error">
                            <span className="govuk-visually-hidden">Error:</span> {errors?.conditions}
                          </p>
                        ) : null}
                        <button
                          type="submit"
                          name="intent"
                          value="conditionMet"
                          id={conditionsLinkOnButton && c.id === refusedConditionId ? "conditions" : undefined}
                          aria-describedby={conditionsLinkOnButton && c.id === refusedConditionId ? "conditions-error" : undefined}
                          className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
                          data-module="govuk-button"
                        >
                          Mark as met<span className="govuk-visually-hidden">: {c.text}</span>
                        </button>
                      </Form>
                    ) : (
                      <strong className="govuk-tag govuk-tag--yellow">Open</strong>
                    ),
                  ])}
                />
              </div>
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
    <Table
      caption={caption}
      captionClass="govuk-table__caption--s"
      head={["Approver", "Vote", "Reason"]}
      rows={votes.map((v) => [
        `${v.who}${v.senior ? " (senior)" : ""}`,
        gateOutcomeLabels[v.outcome],
        <>
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
        </>,
      ])}
    />
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
    <DecisionWithReason
      hidden={<input type="hidden" name="version" value={version} />}
      before={<h3 className="govuk-heading-s">Your vote</h3>}
      choice={{
        name: "outcome",
        legend: "What do you decide?",
        items: order.map((o) => ({ value: o, text: gateOutcomeLabels[o], hint: outcomeHints[o] })),
        value: values.outcome,
        error: errors?.outcome,
      }}
      reason={{ name: "voteReason", label: "Reason for your decision", value: values.voteReason, error: errors?.voteReason }}
      submit={{ text: "Record your vote", intent: "vote" }}
    >
      <fieldset className="govuk-fieldset">
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Conditions (for a conditional go only)</legend>
        <div className="govuk-hint">Set up to {CONDITION_ROWS} conditions, each with a due date. Leave the rows blank for any other decision.</div>
        {Array.from({ length: CONDITION_ROWS }, (_, i) => i + 1).map((n) => (
          <div key={n}>
            <TextInput
              name={`condition-${n}-text`}
              label={`Condition ${n}`}
              defaultValue={values[`condition-${n}-text`]}
              error={errors?.[`condition-${n}-text`]}
            />
            <DateInput
              name={`condition-${n}-due`}
              legend={`Condition ${n} due date`}
              error={errors?.[`condition-${n}-due-day`]}
              values={{
                day: values[`condition-${n}-due-day`] ?? "",
                month: values[`condition-${n}-due-month`] ?? "",
                year: values[`condition-${n}-due-year`] ?? "",
              }}
            />
          </div>
        ))}
      </fieldset>
    </DecisionWithReason>
  );
}
