import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { SummaryList } from "~/components/summary-list.tsx";
import { Table } from "~/components/table.tsx";
import { templates } from "../../emails/index.ts";
import { notificationMatrix } from "../../workflows/notification-matrix.ts";
import { titled } from "~/utils/title.ts";

export const meta = titled(() => ["Email templates"]);

const roleNames: Record<string, string> = {
  councilOfficer: "Lead council officers",
  partnerOfficer: "Partner council officers",
  certifier: "Lead council certifiers",
  assessor: "Assessors",
  fundTeam: "Fund team",
  gateApprover: "Gate approvers",
};

const SAMPLE_UNSUBSCRIBE = "http://localhost:3000/unsubscribe?token=sample";

export async function loader({ request }: LoaderFunctionArgs) {
  await authoriseUser(request, "routes/notifications.templates");
  const previews = Object.values(templates)
    .map((t) => {
      const content = t.render(t.sample, t.essential ? {} : { unsubscribeLink: SAMPLE_UNSUBSCRIBE });
      return {
        name: t.name,
        description: t.description,
        essential: t.essential,
        subject: content.subject,
        text: content.text,
        html: content.html,
        usedBy: notificationMatrix.filter((row) => row.template === t.name).length,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  const matrix = notificationMatrix.map((row) => ({
    machine: row.machine,
    transition: `${row.from ? `${row.from} → ` : row.from === null ? "created → " : ""}${row.to}`,
    role: roleNames[row.role] ?? row.role,
    template: row.template,
    essential: row.essential,
  }));
  return { previews, matrix };
}

export default function Templates() {
  const { previews, matrix } = useLoaderData<typeof loader>();
  return (
    <>
      <a href="/notifications" className="govuk-back-link">Back to emails</a>
      <h1 className="govuk-heading-l">Email templates</h1>
      <p className="govuk-body">
        Every email the service sends, shown with sample data, and the notification matrix: which change tells whom, with which email.
        Essential emails always go at once. The others go at once or in a daily digest, as each person chooses, and carry a link to change that.
      </p>
      <h2 className="govuk-heading-m" id="matrix">Notification matrix</h2>
      <div className="app-table-scroll">
        <Table
          className="govuk-!-font-size-16"
          caption="Which transition tells which role with which template"
          captionClass="govuk-visually-hidden"
          head={["Record", "Transition (state entered or event)", "Who", "Template", "Essential"]}
          rows={matrix.map((row) => [
            row.machine,
            row.transition,
            row.role,
            <a className="govuk-link" href={`#template-${row.template}`}>{row.template}</a>,
            row.essential ? "Yes" : "No",
          ])}
        />
      </div>
      <h2 className="govuk-heading-m">Templates ({previews.length})</h2>
      {previews.map((p) => (
        <section key={p.name} id={`template-${p.name}`} className="govuk-!-margin-bottom-9">
          <h3 className="govuk-heading-s">
            {p.name}{" "}
            <strong className={`govuk-tag govuk-tag--${p.essential ? "red" : "grey"}`}>{p.essential ? "Essential" : "Not essential"}</strong>
          </h3>
          <p className="govuk-body">{p.description}</p>
          <SummaryList
            rows={[
              { key: "Subject", value: p.subject },
              {
                key: "Sent by",
                value: p.usedBy ? `${p.usedBy} row${p.usedBy === 1 ? "" : "s"} of the notification matrix` : "The service itself, not a workflow transition",
              },
            ]}
          />
          <details className="govuk-details">
            <summary className="govuk-details__summary">
              <span className="govuk-details__summary-text">Plain text version</span>
            </summary>
            <div className="govuk-details__text">
              <pre className="app-email-text">{p.text}</pre>
            </div>
          </details>
          <p className="govuk-body">
            <a className="govuk-link" href={`/notifications/templates/${p.name}/preview`}>
              See the HTML version<span className="govuk-visually-hidden"> of {p.name}</span>
            </a>
          </p>
        </section>
      ))}
    </>
  );
}
