import { formatDateTime, formatMoney } from "~/utils/format.ts";

export interface DecisionData {
  at: string;
  funded: boolean;
  message: string;
  feedback: string[];
  project: { id: string; reference: string; awardPence: number } | null;
}

/** The published decision on a bid, as its bidders read it: outcome, award, message, feedback. */
export function DecisionPanel({ decision }: { decision: DecisionData }) {
  return (
    <section aria-labelledby="decision-heading">
      <div className={`govuk-panel ${decision.funded ? "govuk-panel--confirmation" : "govuk-panel--interruption"}`}>
        <h2 className="govuk-panel__title" id="decision-heading">
          {decision.funded ? "This bid will be funded" : "This bid has not been funded"}
        </h2>
        <div className="govuk-panel__body">
          {decision.funded && decision.project ? `Award: ${formatMoney(decision.project.awardPence)}` : `Decision published at ${formatDateTime(decision.at)}`}
        </div>
      </div>
      {decision.message ? (
        <>
          <h3 className="govuk-heading-s">Message from the fund team</h3>
          <p className="govuk-body app-preserve-lines">{decision.message}</p>
        </>
      ) : null}
      {decision.feedback.length ? (
        <>
          <h3 className="govuk-heading-s">The assessors' feedback</h3>
          <ul className="govuk-list govuk-list--bullet">
            {decision.feedback.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ul>
        </>
      ) : null}
      {decision.project ? (
        <p className="govuk-body">
          <a className="govuk-link" href={`/projects/${decision.project.id}`}>
            See the project {decision.project.reference}
          </a>
        </p>
      ) : null}
    </section>
  );
}
