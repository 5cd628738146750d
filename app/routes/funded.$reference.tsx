import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { authorise } from "~/auth/access.server.ts";
import { SummaryList } from "~/components/summary-list.tsx";
import { Table } from "~/components/table.tsx";
import { outcomeTags } from "~/hub/case-study.ts";
import { fundedProject } from "~/opendata/awards.server.ts";
import { formatDate, formatMoney } from "~/utils/format.ts";
import { titled } from "~/utils/title.ts";
import { notFound } from "~/http/errors.server.ts";

export const meta = titled<typeof loader>(({ data }) => [data?.project.title ?? "Funded project"]);

const ROUTE = "routes/funded.$reference" as const;

const adoptionStatusLabels: Record<string, string> = { registered: "Registered", planning: "Planning", live: "Live", stopped: "Stopped" };

export async function loader({ request, params }: LoaderFunctionArgs) {
  await authorise(request, ROUTE);
  const project = params.reference ? await fundedProject(params.reference) : null;
  if (!project) throw notFound();
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
          <SummaryList
            rows={[
              { key: "Stage", value: project.stageLabel },
              { key: "Lead council", value: project.leadName },
              { key: "Partner councils", value: project.partners.map((p) => p.name).join(", ") || "None" },
              ...(project.serviceArea ? [{ key: "Service area", value: project.serviceArea }] : []),
              {
                key: "Funded by",
                value: (
                  <>
                    {project.fundName}: {project.roundName}
                  </>
                ),
              },
              { key: "Total awarded", value: formatMoney(project.awardedPence) },
            ]}
          />
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
              Read the case study:{" "}
              <a href={`/hub/${project.caseStudy.slug}`} className="govuk-link">
                {project.caseStudy.title}
              </a>
            </p>
          ) : null}
          <Table
            caption="Awards"
            captionClass="govuk-table__caption--m"
            head={["Date", "Stage", "Reason", "Amount"]}
            numeric={[3]}
            rows={project.tranches.map((t) => ({
              key: t.id,
              cells: [formatDate(t.createdAt), t.stageLabel, t.reason, formatMoney(t.amountPence)],
            }))}
          />
          <Table
            caption="Gate decisions"
            captionClass="govuk-table__caption--m"
            head={["Gate", "Decision", "Date"]}
            rows={
              project.gates.length
                ? project.gates.map((g, i) => ({
                    key: `${g.stage}-${i}`,
                    cells: [
                      `${g.stage} gate`,
                      <strong className={`govuk-tag govuk-tag--${outcomeTags[g.outcome] ?? "grey"}`}>{g.outcomeLabel}</strong>,
                      formatDate(g.at),
                    ],
                  }))
                : [{ key: "none", full: "No gate review has decided yet." }]
            }
          />
          {project.adoptions.length ? (
            <Table
              caption="Councils adopting this product"
              captionClass="govuk-table__caption--m"
              head={["Council", "Status", "Go-live date"]}
              rows={project.adoptions.map((a) => ({
                key: a.name,
                cells: [a.name, adoptionStatusLabels[a.status] ?? a.status, a.goLiveOn ? formatDate(a.goLiveOn) : "Not set"],
              }))}
            />
          ) : null}
        </div>
      </div>
    </>
  );
}
