import { Table } from "~/components/table.tsx";
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
    <Table
      caption={caption}
      captionClass="govuk-visually-hidden"
      head={["Bid", "Status", "Due", "What to do next"]}
      rows={assignments.map((a) => [
        <>
          <a className="govuk-link" href={`/assessments/${a.id}`}>
            {a.title}
          </a>
          <br />
          <span className="govuk-!-font-size-16">{`${a.reference}, led by ${a.lead}, ${a.round}`}</span>
        </>,
        <strong className={`govuk-tag govuk-tag--${stateTagColour("assessment", a.state)}`}>{stateLabel("assessment", a.state)}</strong>,
        <>
          {a.dueAt ? formatDateTime(a.dueAt) : "No date set"}
          {a.overdue ? (
            <>
              {" "}
              <strong className="govuk-tag govuk-tag--red">Overdue</strong>
            </>
          ) : null}
        </>,
        a.next.href ? (
          <a className="govuk-link" href={a.next.href === "score" ? `/assessments/${a.id}/score` : `/assessments/${a.id}`}>
            {a.next.text}
          </a>
        ) : (
          a.next.text
        ),
      ])}
    />
  );
}
