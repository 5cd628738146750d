import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { Table } from "~/components/table.tsx";
import { caseStudiesInReview } from "~/hub/hub.server.ts";
import { isStoppedState } from "~/hub/case-study.ts";
import { formatDateTime } from "~/utils/format.ts";
import { titled } from "~/utils/title.ts";

export const meta = titled(() => ["Case studies to review"]);

const ROUTE = "routes/hub.review" as const;

export async function loader({ request }: LoaderFunctionArgs) {
  await authoriseUser(request, ROUTE);
  const rows = await caseStudiesInReview();
  return {
    rows: rows.map((r) => ({
      id: r.id,
      projectId: r.projectId,
      title: r.title,
      reference: r.project.reference,
      lead: r.project.leadOrganisation.name,
      stopped: isStoppedState(r.project.state),
      sent: formatDateTime(r.updatedAt),
    })),
  };
}

export default function Review() {
  const { rows } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="govuk-heading-l">Case studies to review</h1>
      <p className="govuk-body">
        Publish a case study in the{" "}
        <a href="/hub" className="govuk-link">
          knowledge hub
        </a>
        , or return it to the project team with a note.
      </p>
      {rows.length ? (
        <Table
          caption="Waiting for review"
          captionClass="govuk-table__caption--m"
          head={["Case study", "Lead council", "Project", "Sent"]}
          rows={rows.map((r) => ({
            key: r.id,
            cells: [
              <a href={`/projects/${r.projectId}/case-study`} className="govuk-link">
                {r.title}
              </a>,
              r.lead,
              <>
                {r.reference}{" "}
                {r.stopped ? <strong className="govuk-tag govuk-tag--red">Stopped</strong> : <strong className="govuk-tag govuk-tag--green">Completed</strong>}
              </>,
              r.sent,
            ],
          }))}
        />
      ) : (
        <p className="govuk-body">There are no case studies waiting for review.</p>
      )}
    </>
  );
}
