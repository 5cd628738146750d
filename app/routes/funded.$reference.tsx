import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { authorise } from "~/auth/access.server.ts";
import { fundedProject } from "~/opendata/awards.server.ts";
import { formatDate, formatMoney } from "~/utils/format.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.project.title ?? "Funded project"} – Springboard` }];

const ROUTE = "routes/funded.$reference" as const;

const adoptionStatusLabels: Record<string, string> = { registered: "Registered", planning: "Planning", live: "Live", stopped: "Stopped" };

export async function loader({ request, params }: LoaderFunctionArgs) {
  await authorise(request, ROUTE);
  const project = params.reference ? await fundedProject(params.reference) : null;
  if (!project) throw new Response("Not found", { status: 404 });
  return { project };
}

export default function FundedProject() {
  const { project } = useLoaderData<typeof loader>();
  return (
    <>
      <a href="/funded" className="govuk-back-link">
        Back to funded projects
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <span className="govuk-caption-l">{project.reference}</span>
          <h1 className="govuk-heading-l">{project.title}</h1>
          {project.summary ? <p className="govuk-body-l">{project.summary}</p> : null}
          <dl className="govuk-summary-list">
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">Stage</dt>
              <dd className="govuk-summary-list__value">{project.stageLabel}</dd>
            </div>
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">Lead council</dt>
              <dd className="govuk-summary-list__value">{project.leadName}</dd>
            </div>
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">Partner councils</dt>
              <dd className="govuk-summary-list__value">{project.partners.map((p) => p.name).join(", ") || "None"}</dd>
            </div>
            {project.serviceArea ? (
              <div className="govuk-summary-list__row">
                <dt className="govuk-summary-list__key">Service area</dt>
                <dd className="govuk-summary-list__value">{project.serviceArea}</dd>
              </div>
            ) : null}
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">Funded by</dt>
              <dd className="govuk-summary-list__value">
                {project.fundName}: {project.roundName}
              </dd>
            </div>
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">Total awarded</dt>
              <dd className="govuk-summary-list__value">{formatMoney(project.awardedPence)}</dd>
            </div>
          </dl>
          {project.stage === "scale" ? (
            <div className="govuk-inset-text">
              This product is being scaled: other councils can adopt it and reuse what the project made.{" "}
              <a href={`/projects/${project.id}/adoptions`} className="govuk-link">
                See how to adopt this product
              </a>{" "}
              (council officers, once signed in).
            </div>
          ) : null}
          {project.caseStudy ? (
            <p className="govuk-body">
              Read the case study: <a href={`/hub/${project.caseStudy.slug}`} className="govuk-link">{project.caseStudy.title}</a>
            </p>
          ) : null}
          <table className="govuk-table">
            <caption className="govuk-table__caption govuk-table__caption--m">Awards</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                <th scope="col" className="govuk-table__header">Date</th>
                <th scope="col" className="govuk-table__header">Stage</th>
                <th scope="col" className="govuk-table__header">Reason</th>
                <th scope="col" className="govuk-table__header govuk-table__header--numeric">Amount</th>
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {project.tranches.map((t) => (
                <tr key={t.id} className="govuk-table__row">
                  <td className="govuk-table__cell">{formatDate(t.createdAt)}</td>
                  <td className="govuk-table__cell">{t.stageLabel}</td>
                  <td className="govuk-table__cell">{t.reason}</td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{formatMoney(t.amountPence)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {project.adoptions.length ? (
            <table className="govuk-table">
              <caption className="govuk-table__caption govuk-table__caption--m">Councils adopting this product</caption>
              <thead className="govuk-table__head">
                <tr className="govuk-table__row">
                  <th scope="col" className="govuk-table__header">Council</th>
                  <th scope="col" className="govuk-table__header">Status</th>
                  <th scope="col" className="govuk-table__header">Go-live date</th>
                </tr>
              </thead>
              <tbody className="govuk-table__body">
                {project.adoptions.map((a) => (
                  <tr key={a.name} className="govuk-table__row">
                    <td className="govuk-table__cell">{a.name}</td>
                    <td className="govuk-table__cell">{adoptionStatusLabels[a.status] ?? a.status}</td>
                    <td className="govuk-table__cell">{a.goLiveOn ? formatDate(a.goLiveOn) : "Not set"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </div>
      </div>
    </>
  );
}
