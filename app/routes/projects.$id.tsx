import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { authoriseUser } from "~/auth/access.server.ts";
import { formatSize } from "~/utils/format.ts";
import { MetricChart } from "~/components/metric-chart.tsx";
import { ProjectHeading, SuccessBanner } from "~/components/project-parts.tsx";
import { Timeline } from "~/components/timeline.tsx";
import { loadProjectFor, projectPageData } from "~/projects/projects.server.ts";
import { actorOf } from "~/workflow/apply-event.server.ts";
import { allowedEvents, type PersistedSnapshot } from "../../workflows/index.ts";
import { formatDate, formatDateTime, formatMoney } from "~/utils/format.ts";
import { noticeText } from "~/utils/notices.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.project.title ?? "Project"} – Springboard` }];

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
  const notice = new URL(request.url).searchParams.get("notice");
  // The page is a view model: the state reaches the browser only as its label, and what the
  // page offers is what the machine would take from this person now.
  const { needsLessons: _stopped, project: { state: _state, ...project }, ...page } = await projectPageData(loaded);
  const allowed = allowedEvents("project", loaded.project.snapshot as unknown as PersistedSnapshot, actorOf(user));
  return {
    ...page,
    project,
    can: { recordLessons: allowed.includes("RECORD_LESSONS") },
    notice: noticeText(notices, notice),
  };
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="govuk-summary-list__row">
      <dt className="govuk-summary-list__key">{label}</dt>
      <dd className="govuk-summary-list__value">{children}</dd>
    </div>
  );
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
  const { project, team, funding, tier, evidence, ready, milestones, metrics, documents, spend, canEdit, can, timeline, notice, links } =
    useLoaderData<typeof loader>();
  const currentDocuments = documents.filter((d) => d.current);
  const earlierDocuments = documents.filter((d) => !d.current);
  return (
    <>
      <a href="/projects" className="govuk-back-link">
        Back to projects
      </a>
      <SuccessBanner text={notice} />
      {can.recordLessons ? (
        <div className="govuk-notification-banner" role="region" aria-labelledby="lessons-title" data-module="govuk-notification-banner">
          <div className="govuk-notification-banner__header">
            <h2 className="govuk-notification-banner__title" id="lessons-title">
              Important
            </h2>
          </div>
          <div className="govuk-notification-banner__content">
            <p className="govuk-notification-banner__heading">
              This project was stopped at its gate. Record what it taught, for the knowledge hub, to close it.{" "}
              <a className="govuk-notification-banner__link" href={`/projects/${project.id}/gate#lessons`}>
                Record the lessons learned
              </a>
            </p>
          </div>
        </div>
      ) : null}
      <ProjectHeading project={project} />

      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <dl className="govuk-summary-list">
            <Row label="Reference">{project.reference}</Row>
            <Row label="Stage">{project.stageLabel}</Row>
            <Row label="Lead council">{project.lead}</Row>
            <Row label="Partner councils">{project.partners.length ? project.partners.join(", ") : "None"}</Row>
            <Row label="Project team">{team.length ? team.join(", ") : "No officers yet"}</Row>
            <Row label="Funding round">{project.round}</Row>
            <Row label="Funding so far">{formatMoney(funding.cumulativePence)}</Row>
            <Row label="Next gate review due">{project.nextGateDueOn ? formatDate(project.nextGateDueOn) : "Not set"}</Row>
          </dl>
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
            <table className="govuk-table">
              <caption className="govuk-table__caption govuk-visually-hidden">Milestones</caption>
              <thead className="govuk-table__head">
                <tr className="govuk-table__row">
                  <th scope="col" className="govuk-table__header">Milestone</th>
                  <th scope="col" className="govuk-table__header">Stage</th>
                  <th scope="col" className="govuk-table__header">Due</th>
                  <th scope="col" className="govuk-table__header">Status</th>
                </tr>
              </thead>
              <tbody className="govuk-table__body">
                {milestones.map((m) => (
                  <tr className="govuk-table__row" key={m.id}>
                    <td className="govuk-table__cell">{m.title}</td>
                    <td className="govuk-table__cell">{m.stage}</td>
                    <td className="govuk-table__cell">{formatDate(m.dueOn)}</td>
                    <td className="govuk-table__cell">
                      <strong className={`govuk-tag govuk-tag--${m.status === "done" ? "green" : m.overdue ? "red" : m.status === "inProgress" ? "blue" : "grey"}`}>
                        {m.overdue ? `${m.statusLabel}: overdue` : m.statusLabel}
                      </strong>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
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

          <h2 className="govuk-heading-m">Spend</h2>
          <p className="govuk-body">
            {spend.reports.length
              ? `${formatMoney(spend.latestPence)} spent to date: ${spend.percentOfFunding}% of the ${formatMoney(funding.cumulativePence)} released.`
              : "No spend reported yet."}
          </p>
          {spend.reports.length ? (
            <table className="govuk-table">
              <caption className="govuk-table__caption govuk-table__caption--s">Spend reported (cumulative)</caption>
              <thead className="govuk-table__head">
                <tr className="govuk-table__row">
                  <th scope="col" className="govuk-table__header">To</th>
                  <th scope="col" className="govuk-table__header">Stage</th>
                  <th scope="col" className="govuk-table__header govuk-table__header--numeric">Spent to date</th>
                  <th scope="col" className="govuk-table__header">Note</th>
                </tr>
              </thead>
              <tbody className="govuk-table__body">
                {spend.reports.map((s) => (
                  <tr className="govuk-table__row" key={s.id}>
                    <td className="govuk-table__cell">{formatDate(s.periodEnd)}</td>
                    <td className="govuk-table__cell">{s.stage}</td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{formatMoney(s.amountPence)}</td>
                    <td className="govuk-table__cell">{s.note}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          <table className="govuk-table">
            <caption className="govuk-table__caption govuk-table__caption--s">Money released</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                <th scope="col" className="govuk-table__header">Stage</th>
                <th scope="col" className="govuk-table__header">Why</th>
                <th scope="col" className="govuk-table__header govuk-table__header--numeric">Amount</th>
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {funding.tranches.map((t) => (
                <tr className="govuk-table__row" key={t.id}>
                  <td className="govuk-table__cell">{t.stage}</td>
                  <td className="govuk-table__cell">{t.reason}</td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{formatMoney(t.amountPence)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <ChangeLink show={canEdit} href={`/projects/${project.id}/spend`} text="Report spend" />

          <h2 className="govuk-heading-m">Evaluation</h2>
          {project.evaluation.trim() ? (
            <p className="govuk-body app-preserve-lines">{project.evaluation}</p>
          ) : (
            <p className="govuk-body">No evaluation written yet.</p>
          )}
          <ChangeLink show={canEdit} href={`/projects/${project.id}/evaluation`} text="Write the evaluation" />

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
    <table className="govuk-table">
      <caption className="govuk-table__caption govuk-table__caption--s">{caption}</caption>
      <thead className="govuk-table__head">
        <tr className="govuk-table__row">
          <th scope="col" className="govuk-table__header">Type</th>
          <th scope="col" className="govuk-table__header">File</th>
          <th scope="col" className="govuk-table__header">Uploaded</th>
        </tr>
      </thead>
      <tbody className="govuk-table__body">
        {documents.map((d) => (
          <tr className="govuk-table__row" key={d.id}>
            <td className="govuk-table__cell">{d.type}</td>
            <td className="govuk-table__cell">
              <a className="govuk-link" href={`/projects/${projectId}/documents/${d.id}`}>
                {d.fileName}
              </a>{" "}
              ({formatSize(d.size)})
            </td>
            <td className="govuk-table__cell">{formatDateTime(d.at)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
