import { formatDateTime } from "~/utils/format.ts";
import { stateLabel, stateTagColour } from "../../workflows/index.ts";

export interface AssignmentRow {
  id: string;
  state: string;
  dueAt: string | null;
  overdue: boolean;
  reference: string;
  title: string;
  lead: string;
  round: string;
  next: { text: string; href: "page" | "score" | null };
}

/** An assessor's assignments with what to do next: on their home page and their list. */
export function AssignmentTable({ assignments, caption = "Your assessments" }: { assignments: AssignmentRow[]; caption?: string }) {
  return (
    <table className="govuk-table">
      <caption className="govuk-table__caption govuk-visually-hidden">{caption}</caption>
      <thead className="govuk-table__head">
        <tr className="govuk-table__row">
          <th scope="col" className="govuk-table__header">Bid</th>
          <th scope="col" className="govuk-table__header">Status</th>
          <th scope="col" className="govuk-table__header">Due</th>
          <th scope="col" className="govuk-table__header">What to do next</th>
        </tr>
      </thead>
      <tbody className="govuk-table__body">
        {assignments.map((a) => (
          <tr className="govuk-table__row" key={a.id}>
            <td className="govuk-table__cell">
              <a className="govuk-link" href={`/assessments/${a.id}`}>
                {a.title}
              </a>
              <br />
              <span className="govuk-!-font-size-16">
                {a.reference}, led by {a.lead}, {a.round}
              </span>
            </td>
            <td className="govuk-table__cell">
              <strong className={`govuk-tag govuk-tag--${stateTagColour("assessment", a.state)}`}>{stateLabel("assessment", a.state)}</strong>
            </td>
            <td className="govuk-table__cell">
              {a.dueAt ? formatDateTime(a.dueAt) : "No date set"}
              {a.overdue ? (
                <>
                  {" "}
                  <strong className="govuk-tag govuk-tag--red">Overdue</strong>
                </>
              ) : null}
            </td>
            <td className="govuk-table__cell">
              {a.next.href ? (
                <a className="govuk-link" href={a.next.href === "score" ? `/assessments/${a.id}/score` : `/assessments/${a.id}`}>
                  {a.next.text}
                </a>
              ) : (
                a.next.text
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
