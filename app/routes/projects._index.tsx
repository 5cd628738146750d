import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { cumulativeFunding, projectsFor } from "~/projects/projects.server.ts";
import { formatDate, formatMoney } from "~/utils/format.ts";
import { stateLabel, stateTagColour } from "../../workflows/index.ts";

export const meta: MetaFunction = () => [{ title: "Projects – Springboard" }];

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
      nextGateDueOn: p.nextGateDueOn ? p.nextGateDueOn.toISOString().slice(0, 10) : null,
    })),
  };
}

export default function Projects() {
  const { projects, scope } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="govuk-heading-l">Projects</h1>
      <p className="govuk-body">
        {scope === "all" ? "Every funded project." : "Funded projects your council leads or is a partner in."}
      </p>
      {projects.length ? (
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-visually-hidden">Funded projects</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Reference</th>
              <th scope="col" className="govuk-table__header">Project</th>
              <th scope="col" className="govuk-table__header">Lead council</th>
              <th scope="col" className="govuk-table__header">Status</th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">Funding so far</th>
              <th scope="col" className="govuk-table__header">Next gate due</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {projects.map((p) => (
              <tr className="govuk-table__row" key={p.id}>
                <td className="govuk-table__cell">{p.reference}</td>
                <td className="govuk-table__cell">
                  <a className="govuk-link" href={`/projects/${p.id}`}>
                    {p.title}
                  </a>
                </td>
                <td className="govuk-table__cell">{p.lead}</td>
                <td className="govuk-table__cell">
                  <strong className={`govuk-tag govuk-tag--${p.tag}`}>{p.stateLabel}</strong>
                </td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{formatMoney(p.fundingPence)}</td>
                <td className="govuk-table__cell">{p.nextGateDueOn ? formatDate(p.nextGateDueOn) : "Not set"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="govuk-body">There are no funded projects to show yet.</p>
      )}
    </>
  );
}
