import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { formatSize, plural } from "~/utils/format.ts";
import { MetricChart } from "~/components/metric-chart.tsx";
import { NotificationBanner, SuccessNotice } from "~/components/notification-banner.tsx";
import { ProjectHeading } from "~/components/project-parts.tsx";
import { SummaryList } from "~/components/summary-list.tsx";
import { Table } from "~/components/table.tsx";
import { Timeline } from "~/engine/timeline.tsx";
import { loadProjectFor, projectPageData } from "~/projects/projects.server.ts";
import { actorOf } from "~/engine/apply-event.server.ts";
import { allowedEvents, type PersistedSnapshot } from "../../workflows/index.ts";
import { formatDate, formatDateTime, formatMoney } from "~/utils/format.ts";
import { noticeFrom } from "~/utils/notices.ts";
import { titled } from "~/utils/title.ts";

export const meta = titled<typeof loader>(({ data }) => [data?.project.title ?? "Project"]);

const ROUTE = "routes/projects.$id" as const;

const notices: Record<string, string> = {
  milestone: "The milestone has been saved.",
  metric: "The metric has been saved.",
  actual: "The actual has been recorded.",
  spend: "The spend report has been saved.",
  evaluation: "The evaluation has been saved.",
  evidence: "Your document has been uploaded.",
  requested: "You have asked for a gate review. The fund team has been told.",
  lessons: "The lessons have been recorded and the project is closed.",
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, ROUTE);
  const loaded = await loadProjectFor(user, params.id);
  // The page is a view model: the state reaches the browser only as its label, and what the
  // page offers is what the machine would take from this person now.
  const {
    needsLessons: _stopped,
    project: { state: _state, ...project },
    ...page
  } = await projectPageData(loaded);
  const allowed = allowedEvents("project", loaded.project.snapshot as unknown as PersistedSnapshot, actorOf(user));
  return {
    ...page,
    project,
    can: { recordLessons: allowed.includes("RECORD_LESSONS") },
    notice: noticeFrom(request, notices),
  };
}

function ChangeLink({ show, href, text }: { show: boolean; href: string; text: string }) {
  return show ? (
    <p className="govuk-body">
      <a className="govuk-link" href={href}>
        {text}
      </a>
    </p>
  ) : null;
}

export default function ProjectPage() {
  const {
    project,
    team,
    funding,
    tier,
    evidence,
    ready,
    milestones,
    metrics,
    documents,
    stages,
    spend,
    canEdit,
    choosesPublicDocuments,
    can,
    timeline,
    notice,
    links,
  } = useLoaderData<typeof loader>();
  const currentDocuments = documents.filter((d) => d.current);
  const earlierDocuments = documents.filter((d) => !d.current);
  return (
    <>
      <a href="/projects" className="govuk-back-link">
        Back to projects
      </a>
      <SuccessNotice text={notice} />
      {can.recordLessons ? (
        <NotificationBanner
          heading={
            <>
              This project was stopped at its gate. Record what it taught, for the knowledge hub, to close it.{" "}
              <a className="govuk-notification-banner__link" href={`/projects/${project.id}/gate#lessons`}>
                Record the lessons learned
              </a>
            </>
          }
        />
      ) : null}
      <ProjectHeading project={project} />

      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <SummaryList
            rows={[
              { key: "Reference", value: project.reference },
              { key: "Stage", value: project.stageLabel },
              { key: "Lead council", value: project.lead },
              { key: "Partner councils", value: project.partners.length ? project.partners.join(", ") : "None" },
              { key: "Project team", value: team.length ? team.join(", ") : "No officers yet" },
              { key: "Funding round", value: project.round },
              { key: "Funding so far", value: formatMoney(funding.cumulativePence) },
              { key: "Next gate review due", value: project.nextGateDueOn ? formatDate(project.nextGateDueOn) : "Not set" },
            ]}
          />
          {project.summary ? <p className="govuk-body app-preserve-lines">{project.summary}</p> : null}

          <h2 className="govuk-heading-m" id="tier">
            Governance tier {tier.tier}
          </h2>
          <div className="govuk-inset-text">
            <p className="govuk-body">{tier.reason}</p>
            <p className="govuk-body govuk-!-margin-bottom-0">{tier.requirement}</p>
          </div>
          <p className="govuk-body">
            <a className="govuk-link" href={`/projects/${project.id}/gate`}>
              Gate review for the {project.stageLabel.toLowerCase()} stage
            </a>
          </p>

          <h2 className="govuk-heading-m">Evidence for the {project.stageLabel.toLowerCase()} gate</h2>
          <ul className="govuk-list">
            {evidence.map((e) => (
              <li key={e.key}>
                <strong className={`govuk-tag govuk-tag--${e.present ? "green" : "grey"}`}>{e.present ? "Attached" : "Missing"}</strong> {e.label}
              </li>
            ))}
          </ul>
          <p className="govuk-body">{ready ? "Every item this tier needs is attached." : "Some evidence this tier needs is missing."}</p>

          <h2 className="govuk-heading-m">Milestones</h2>
          {milestones.length ? (
            <Table
              caption="Milestones"
              captionClass="govuk-visually-hidden"
              head={["Milestone", "Stage", "Due", "Status"]}
              rows={milestones.map((m) => ({
                key: m.id,
                cells: [
                  m.title,
                  m.stage,
                  formatDate(m.dueOn),
                  <strong className={`govuk-tag govuk-tag--${m.status === "done" ? "green" : m.overdue ? "red" : m.status === "inProgress" ? "blue" : "grey"}`}>
                    {m.overdue ? `${m.statusLabel}: overdue` : m.statusLabel}
                  </strong>,
                ],
              }))}
            />
          ) : (
            <p className="govuk-body">No milestones yet.</p>
          )}
          <ChangeLink show={canEdit} href={`/projects/${project.id}/milestones`} text="Add or update milestones" />

          <h2 className="govuk-heading-m">Metrics</h2>
          {metrics.length ? (
            metrics.map((m) => (
              <section key={m.id} aria-labelledby={`metric-heading-${m.id}`}>
                <h3 className="govuk-heading-s" id={`metric-heading-${m.id}`}>
                  {m.name}
                  {m.unit ? ` (${m.unit})` : ""}
                </h3>
                <MetricChart metric={m} />
              </section>
            ))
          ) : (
            <p className="govuk-body">No metrics yet.</p>
          )}
          <ChangeLink show={canEdit} href={`/projects/${project.id}/metrics`} text="Add metrics or record actuals" />

          <h2 className="govuk-heading-m">Evidence documents</h2>
          <DocumentTable projectId={project.id} caption={`Documents for the ${project.stageLabel.toLowerCase()} stage`} documents={currentDocuments} />
          {earlierDocuments.length ? <DocumentTable projectId={project.id} caption="Documents from earlier stages" documents={earlierDocuments} /> : null}
          <ChangeLink show={canEdit} href={`/projects/${project.id}/evidence`} text="Upload evidence" />
          <ChangeLink show={choosesPublicDocuments} href={`/projects/${project.id}/evidence`} text="Choose the documents to publish with the case study" />

          <h2 className="govuk-heading-m">Spend</h2>
          <p className="govuk-body">
            {spend.reports.length
              ? `${formatMoney(spend.latestPence)} spent to date: ${spend.percentOfFunding}% of the ${formatMoney(funding.cumulativePence)} released.`
              : "No spend reported yet."}
          </p>
          {spend.reports.length ? (
            <Table
              caption="Spend reported (cumulative)"
              captionClass="govuk-table__caption--s"
              head={["To", "Stage", "Spent to date", "Note"]}
              numeric={[2]}
              rows={spend.reports.map((s) => ({ key: s.id, cells: [formatDate(s.periodEnd), s.stage, formatMoney(s.amountPence), s.note] }))}
            />
          ) : null}
          <Table
            caption="Money released"
            captionClass="govuk-table__caption--s"
            head={["Stage", "Why", "Amount"]}
            numeric={[2]}
            rows={funding.tranches.map((t) => ({ key: t.id, cells: [t.stage, t.reason, formatMoney(t.amountPence)] }))}
          />
          <ChangeLink show={canEdit} href={`/projects/${project.id}/spend`} text="Report spend" />

          <h2 className="govuk-heading-m" id="evidence-by-stage">
            Evaluation and measurements by stage
          </h2>
          <p className="govuk-body">Each gate weighs the evaluation and the actuals recorded in the stage it closes.</p>
          {stages.map((s) => (
            <section key={s.stage} aria-labelledby={`stage-${s.stage}`}>
              <h3 className="govuk-heading-s" id={`stage-${s.stage}`}>
                {s.stageLabel} stage{s.current ? " (current)" : ""}
              </h3>
              <h4 className="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1">Evaluation</h4>
              {s.evaluation.trim() ? (
                <p className="govuk-body app-preserve-lines">{s.evaluation}</p>
              ) : (
                <p className="govuk-body">No evaluation written for this stage.</p>
              )}
              {s.current ? (
                <ChangeLink show={canEdit} href={`/projects/${project.id}/evaluation`} text={`Write the ${s.stageLabel.toLowerCase()} evaluation`} />
              ) : null}
              {s.actuals.length ? (
                <Table
                  caption={`Actuals recorded in the ${s.stageLabel.toLowerCase()} stage`}
                  captionClass="govuk-table__caption--s"
                  head={["Metric", "Recorded on", "Actual", "Note"]}
                  numeric={[2]}
                  rows={s.actuals.map((a) => ({ key: a.id, cells: [a.metric, formatDate(a.recordedOn), a.value, a.note] }))}
                />
              ) : (
                <p className="govuk-body">No actuals recorded in this stage.</p>
              )}
              <p className="govuk-body">
                {plural(s.documents, "document")} and {plural(s.spendReports, "spend report")} in this stage.
              </p>
            </section>
          ))}

          {links.adoptions ? (
            <>
              <h2 className="govuk-heading-m">Adoption by other councils</h2>
              <p className="govuk-body">
                <a className="govuk-link" href={`/projects/${project.id}/adoptions`}>
                  Councils adopting this product
                </a>
              </p>
            </>
          ) : null}
          {links.caseStudy ? (
            <>
              <h2 className="govuk-heading-m">Case study</h2>
              <p className="govuk-body">
                <a className="govuk-link" href={`/projects/${project.id}/case-study`}>
                  Case study for the knowledge hub
                </a>
              </p>
            </>
          ) : null}

          <Timeline items={timeline} />
        </div>
      </div>
    </>
  );
}

function DocumentTable({
  projectId,
  caption,
  documents,
}: {
  projectId: string;
  caption: string;
  documents: { id: string; type: string; fileName: string; size: number; at: string; stageLabel: string }[];
}) {
  if (!documents.length) return <p className="govuk-body">No documents for this stage yet.</p>;
  return (
    <Table
      caption={caption}
      captionClass="govuk-table__caption--s"
      head={["Type", "File", "Uploaded"]}
      rows={documents.map((d) => ({
        key: d.id,
        cells: [
          d.type,
          <>
            <a className="govuk-link" href={`/projects/${projectId}/documents/${d.id}`}>
              {d.fileName}
            </a>{" "}
            ({formatSize(d.size)})
          </>,
          formatDateTime(d.at),
        ],
      }))}
    />
  );
}
