import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { changedSinceScored, loadAssessmentFor, mayReadBid, othersScores, pauseOf } from "~/assessment/assessments.server.ts";
import { SUBMITTED_STATES } from "~/assessment/states.ts";
import { scoreAssessment } from "~/assessment/score-actions.server.ts";
import { readScores, weightedScore, type CriterionScores } from "~/assessment/scoring.ts";
import { answerSections, answersByCriterion } from "~/bids/bids.server.ts";
import { authoriseKeepingForm, keptForm } from "~/auth/kept-forms.server.ts";
import { authoriseUser } from "~/auth/access.server.ts";
import { BidAnswers } from "~/components/bid-answers.tsx";
import { CsrfInput, ErrorSummary } from "~/components/forms.tsx";
import { SuccessNotice } from "~/components/notification-banner.tsx";
import { Radios } from "~/components/radios.tsx";
import { SimilarWork } from "~/reuse/similar-work-panel.tsx";
import { SummaryList } from "~/components/summary-list.tsx";
import { similarWorkFor } from "~/reuse/similar.server.ts";
import { readForm } from "~/forms/body.server.ts";
import { refused } from "~/forms/parse.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { formatMoney } from "~/utils/format.ts";
import { stateLabel, stateTagColour, type FundRules } from "../../workflows/index.ts";
import { noticeFrom } from "~/utils/notices.ts";
import { titled } from "~/utils/title.ts";

const ROUTE = "routes/assessments.$id_.score" as const;

export const meta = titled<typeof loader>(({ data }) => ["Score", data?.bid.title]);

const EDITABLE = ["interestsDeclared", "scoring", "returned"];

const totalOf = (scores: CriterionScores, rules: FundRules) =>
  weightedScore(
    Object.fromEntries(rules.assessment.criteria.map((c) => [c.key, scores[c.key]?.score ?? null])),
    rules.assessment.criteria,
    rules.assessment.scale,
  );

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, ROUTE);
  const { assessment, rules } = await loadAssessmentFor(user, params.id, false);
  if (!mayReadBid(assessment)) throw redirect(`/assessments/${assessment.id}`);
  const own = readScores(assessment.scores);
  const submitted = (SUBMITTED_STATES as readonly string[]).includes(assessment.state);
  // Independence: the others' scores are shown only once this assessor's own are in.
  const others = submitted ? await othersScores(assessment) : [];
  const complete = rules.assessment.criteria.every((c) => own[c.key]?.score != null);
  const url = new URL(request.url);
  // Scores typed as the session ran out, handed back to this assessor in this browser only.
  const rescued = await keptForm(request, user, url.searchParams.get("restore"), url.pathname);
  return {
    notice: noticeFrom(request, notices),
    rescued,
    assessment: {
      id: assessment.id,
      state: assessment.state,
      version: assessment.version,
      stateLabel: stateLabel("assessment", assessment.state),
      tag: stateTagColour("assessment", assessment.state),
      editable: EDITABLE.includes(assessment.state),
      submitted,
      paused: pauseOf(assessment),
      // Reopened after the council's changes: the sections to look at again.
      changed: changedSinceScored(assessment),
    },
    bid: {
      reference: assessment.bid.reference,
      title: assessment.bid.title,
      lead: assessment.bid.leadOrganisation.name,
      partners: assessment.bid.partners.map((p) => p.organisation.name),
      amount: formatMoney(assessment.bid.amountRequestedPence),
      round: assessment.bid.round.name,
    },
    sections: answerSections(assessment.bid),
    linked: answersByCriterion(assessment.bid),
    criteria: rules.assessment.criteria,
    scale: rules.assessment.scale,
    own,
    total: complete ? totalOf(own, rules) : null,
    others: others.map((o) => ({ ...o, total: totalOf(o.scores, rules) })),
    // Funded work the bid resembles, so that an assessor weighs duplication on purpose.
    similar: await similarWorkFor(user, assessment.bid, { actions: false, limit: 3 }),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  // The criteria (so the field names) are the fund's, read once signed in: a pattern declares them.
  const user = await authoriseKeepingForm(request, ROUTE, form, ["intent", "version", /^(score|justification)-[a-z][A-Za-z0-9]{0,39}$/], context.clientIp);
  requireCsrf(request, form);
  const { assessment, rules } = await loadAssessmentFor(user, params.id, false);
  if (!mayReadBid(assessment)) throw redirect(`/assessments/${assessment.id}`);
  const outcome = await scoreAssessment(user, assessment.id, rules, form);
  if (!outcome.ok) return refused(outcome);
  throw redirect(`/assessments/${assessment.id}/score?notice=${outcome.notice}`);
}

const notices: Record<string, string> = {
  saved: "Your draft scores have been saved. Nobody else can see them.",
  submitted: "Your scores have been submitted. You can now see the other assessors' scores.",
};

export default function ScoreBid() {
  const { assessment, bid, sections, linked, criteria, scale, own, total, others, notice, rescued, similar } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors;
  const values: Record<string, string | undefined> | undefined = result?.values ?? rescued ?? undefined;
  const order = criteria.flatMap((c) => [`score-${c.key}`, `justification-${c.key}`]);
  const labelOf = (score: number | null) => (score == null ? "Not scored" : `${score} – ${scale.labels.find((l) => l.score === score)?.label ?? ""}`);
  return (
    <>
      <a href={`/assessments/${assessment.id}`} className="govuk-back-link">
        Back to the assessment
      </a>
      <ErrorSummary errors={errors} order={["form", ...order]} />
      <SuccessNotice text={notice} title="Done" />
      <span className="govuk-caption-l">
        {bid.reference}, {bid.round}
      </span>
      <h1 className="govuk-heading-l">Score: {bid.title}</h1>
      <p className="govuk-body">
        <strong className={`govuk-tag govuk-tag--${assessment.tag}`}>{assessment.stateLabel}</strong>
      </p>
      {assessment.paused ? (
        <div className="govuk-inset-text" data-testid="paused">
          <p className="govuk-body">
            You cannot change your scores while the bid is back with the council: the fund team asked it to change {assessment.paused.sections.join(", ")}, and
            scores given now could be about answers that are about to change. Your scores and comments so far are kept, and we will email you when the bid is
            back.
          </p>
        </div>
      ) : null}
      {assessment.changed ? (
        <div className="govuk-inset-text" data-testid="changed">
          <p className="govuk-body">
            The council changed this bid at the fund team's request and resubmitted it.{" "}
            {assessment.changed.length ? `Changed since you scored it: ${assessment.changed.join(", ")}.` : "None of its answers changed since you scored it."}{" "}
            Your earlier scores and comments are below: change any you need to, then submit them again.
          </p>
        </div>
      ) : null}
      {/* When the scores can no longer be changed, there is no button to land on: the message is the link's target. */}
      {errors?.form ? (
        <p className="govuk-error-message" id={assessment.editable ? "form-error" : "form"} tabIndex={assessment.editable ? undefined : -1}>
          <span className="govuk-visually-hidden">Error:</span> {errors.form}
        </p>
      ) : null}
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-one-half">
          <h2 className="govuk-heading-m">Your scores</h2>
          {total !== null ? (
            <p className="govuk-body" data-testid="weighted-total">
              Weighted score: <strong>{total} out of 100</strong>
            </p>
          ) : null}
          {assessment.editable ? (
            <Form method="post" noValidate>
              <CsrfInput />
              <input type="hidden" name="version" value={assessment.version} />
              {criteria.map((c) => {
                const scoreName = `score-${c.key}`;
                const justificationName = `justification-${c.key}`;
                const chosen = values ? values[scoreName] : own[c.key]?.score != null ? String(own[c.key]!.score) : "";
                return (
                  <div key={c.key} className="govuk-!-margin-bottom-6">
                    {linked[c.key]?.length ? (
                      <div className="govuk-inset-text" data-testid={`linked-${c.key}`}>
                        <h2 className="govuk-heading-s">What the bid says for {c.label.toLowerCase()}</h2>
                        <SummaryList
                          rows={linked[c.key]!.map((row) => ({
                            key: row.label,
                            value: <span className="app-preserve-lines">{row.value || "Not answered"}</span>,
                          }))}
                        />
                      </div>
                    ) : null}
                    <Radios
                      name={scoreName}
                      legend={`${c.label} (${c.weight}%)`}
                      legendClass="govuk-fieldset__legend--m"
                      hint={c.guidance || undefined}
                      error={errors?.[scoreName]}
                      items={scale.labels.map((l) => ({ value: String(l.score), text: `${l.score} – ${l.label}` }))}
                      value={chosen}
                      small
                    />
                    <div className={`govuk-form-group${errors?.[justificationName] ? " govuk-form-group--error" : ""}`}>
                      <label className="govuk-label govuk-label--s" htmlFor={justificationName}>
                        Justification for your {c.label.toLowerCase()} score
                      </label>
                      {errors?.[justificationName] ? (
                        <p id={`${justificationName}-error`} className="govuk-error-message">
                          <span className="govuk-visually-hidden">Error:</span> {errors[justificationName]}
                        </p>
                      ) : null}
                      <textarea
                        className={`govuk-textarea${errors?.[justificationName] ? " govuk-textarea--error" : ""}`}
                        id={justificationName}
                        name={justificationName}
                        rows={4}
                        defaultValue={values ? values[justificationName] : (own[c.key]?.justification ?? "")}
                        aria-describedby={errors?.[justificationName] ? `${justificationName}-error` : undefined}
                      />
                    </div>
                  </div>
                );
              })}
              <div className="govuk-button-group">
                {/* A refusal of the scores as a whole (not of one answer) is linked to from the error summary: it lands here, to send them again. */}
                <button
                  type="submit"
                  name="intent"
                  value="submit"
                  id="form"
                  aria-describedby={errors?.form ? "form-error" : undefined}
                  className="govuk-button"
                  data-module="govuk-button"
                  data-prevent-double-click="true"
                >
                  Submit scores
                </button>
                <button type="submit" name="intent" value="draft" className="govuk-button govuk-button--secondary" data-module="govuk-button">
                  Save draft
                </button>
              </div>
            </Form>
          ) : (
            <ScoreList criteria={criteria} scores={own} labelOf={labelOf} />
          )}

          {assessment.submitted ? (
            <>
              <h2 className="govuk-heading-m">Other assessors' scores</h2>
              {others.length === 0 ? (
                <p className="govuk-body">No other assessor has submitted scores yet.</p>
              ) : (
                others.map((o) => (
                  <div key={o.label} className="govuk-summary-card">
                    <div className="govuk-summary-card__title-wrapper">
                      <h3 className="govuk-summary-card__title">
                        {o.label}: {o.total} out of 100
                      </h3>
                    </div>
                    <div className="govuk-summary-card__content">
                      <ScoreList criteria={criteria} scores={o.scores} labelOf={labelOf} />
                    </div>
                  </div>
                ))
              )}
            </>
          ) : (
            <p className="govuk-body">You will see the other assessors' scores once you have submitted your own.</p>
          )}
        </div>
        <div className="govuk-grid-column-one-half">
          <h2 className="govuk-heading-m">The bid</h2>
          <SummaryList
            rows={[
              { key: "Lead council", value: bid.lead },
              { key: "Partners", value: bid.partners.join(", ") || "None" },
              { key: "Amount asked for", value: bid.amount },
            ]}
          />
          <BidAnswers sections={sections} marked={(title) => (assessment.changed?.includes(title) ? "Changed since you scored it" : null)} />
          <SimilarWork items={similar} audience="reviewer" />
        </div>
      </div>
    </>
  );
}

function ScoreList({
  criteria,
  scores,
  labelOf,
}: {
  criteria: { key: string; label: string; weight: number }[];
  scores: CriterionScores;
  labelOf: (score: number | null) => string;
}) {
  return (
    <SummaryList
      rows={criteria.map((c) => ({
        key: `${c.label} (${c.weight}%)`,
        value: (
          <>
            <strong>{labelOf(scores[c.key]?.score ?? null)}</strong>
            <br />
            <span className="app-preserve-lines">{scores[c.key]?.justification || "No justification"}</span>
          </>
        ),
      }))}
    />
  );
}
