import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { Table } from "~/components/table.tsx";
import { cumulativeFunding, projectsFor } from "~/projects/projects.server.ts";
import { isoDay } from "~/utils/dates.ts";
import { formatDate, formatMoney } from "~/utils/format.ts";
import { stateLabel, stateTagColour } from "../../workflows/index.ts";
import { titled } from "~/utils/title.ts";

export const meta = titled(() => ["Projects"]);

const ROUTE = "routes/projects._index" as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, ROUTE);
  const projects = await projectsFor(user);
  return {
    scope: user.role === "fundTeam" || user.role === "gateApprover" ? "all" : "council",
    projects: projects.map((p) => ({
      id: p.id,
      reference: p.reference,
      title: p.title,
      lead: p.leadOrganisation.name,
      stateLabel: stateLabel("project", p.state),
      tag: stateTagColour("project", p.state),
      fundingPence: cumulativeFunding(p),
      nextGateDueOn: isoDay(p.nextGateDueOn),
    })),
  };
}

export default function Projects() {
  const { projects, scope } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="govuk-heading-l">Projects</h1>
      <p className="govuk-body">{scope === "all" ? "Every funded project." : "Funded projects your council leads or is a partner in."}</p>
      {projects.length ? (
        <Table
          caption="Funded projects"
          captionClass="govuk-visually-hidden"
          head={["Reference", "Project", "Lead council", "Status", "Funding so far", "Next gate due"]}
          numeric={[4]}
          rows={projects.map((p) => ({
            key: p.id,
            cells: [
              p.reference,
              <a className="govuk-link" href={`/projects/${p.id}`}>
                {p.title}
              </a>,
              p.lead,
              <strong className={`govuk-tag govuk-tag--${p.tag}`}>{p.stateLabel}</strong>,
              formatMoney(p.fundingPence),
              p.nextGateDueOn ? formatDate(p.nextGateDueOn) : "Not set",
            ],
          }))}
        />
      ) : (
        <p className="govuk-body">There are no funded projects to show yet.</p>
      )}
    </>
  );
}
