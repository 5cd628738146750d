import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { SummaryList } from "~/components/summary-list.tsx";
import { Table } from "~/components/table.tsx";
import { templates } from "../../emails/index.ts";
import { notificationMatrix, serviceEmails, silentTransitions, type NotifiedKind } from "../../workflows/notification-matrix.ts";
import { titled } from "~/utils/title.ts";
import { plural } from "~/utils/format.ts";

export const meta = titled(() => ["Email templates"]);

const roleNames: Record<string, string> = {
  councilOfficer: "Lead council officers",
  partnerOfficer: "Partner council officers",
  certifier: "Lead council certifiers",
  assessor: "Assessors",
  fundTeam: "Fund team",
  gateApprover: "Gate approvers",
  invitedOfficer: "Officers of the invited council",
  author: "The case study's author",
};

const recordNames: Record<NotifiedKind, string> = {
  bid: "Bid",
  partnership: "Bid partnership",
  assessment: "Assessment",
  project: "Project",
  adoption: "Adoption",
  caseStudy: "Case study",
};

// The order the page groups emails in: as a bid becomes a project, then the service's own.
const groupOrder = [
  "Signing in and access",
  "Bids",
  "Bid partnerships",
  "Assessments",
  "Projects",
  "Adoptions",
  "Case studies",
  "Reminders",
  "Digests and feedback",
];
const groupOfRecord: Record<NotifiedKind, string> = {
  bid: "Bids",
  partnership: "Bid partnerships",
  assessment: "Assessments",
  project: "Projects",
  adoption: "Adoptions",
  caseStudy: "Case studies",
};

const transitionText = (row: { from?: string | null; to: string }) => `${row.from ? `${row.from} → ` : row.from === null ? "created → " : ""}${row.to}`;

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
    machine: recordNames[row.machine],
    transition: transitionText(row),
    role: roleNames[row.role] ?? row.role,
    template: row.template,
    essential: row.essential,
  }));
  // Every email the service can send, grouped: who gets it, when, and whether it is essential.
  const catalogue = previews.map((p) => {
    const rows = notificationMatrix.filter((row) => row.template === p.name);
    const service = serviceEmails.find((e) => e.template === p.name);
    if (rows.length) {
      const recipients = [
        ...new Map(rows.map((r) => [`${r.role}:${r.essential}`, `${roleNames[r.role] ?? r.role} (${r.essential ? "essential" : "not essential"})`])).values(),
      ];
      const when = [...new Set(rows.map((r) => `${recordNames[r.machine]}: ${transitionText(r)}`))];
      return { name: p.name, subject: p.subject, group: groupOfRecord[rows[0]!.machine], when, recipients };
    }
    return {
      name: p.name,
      subject: p.subject,
      group: service?.group ?? "Other",
      when: [service?.when ?? "Not described yet"],
      recipients: [`${service?.recipients ?? "Not described yet"} (${p.essential ? "essential" : "not essential"})`],
    };
  });
  const groups = [...groupOrder, "Other"].map((group) => ({ group, emails: catalogue.filter((c) => c.group === group) })).filter((g) => g.emails.length > 0);
  const silent = silentTransitions.map((entry) => ({
    record: recordNames[entry.machine],
    change: entry.from === null ? "created" : `${entry.from === "*" ? "any state" : entry.from} → ${entry.event}${entry.to ? ` → ${entry.to}` : ""}`,
    reason: entry.reason,
  }));
  return { previews, matrix, groups, silent };
}

export default function Templates() {
  const { previews, matrix, groups, silent } = useLoaderData<typeof loader>();
  return (
    <>
      <a href="/notifications" className="govuk-back-link">
        Back to emails
      </a>
      <h1 className="govuk-heading-l">Email templates</h1>
      <p className="govuk-body">
        Every email the service sends, shown with sample data, and the notification matrix: which change tells whom, with which email. Essential emails always
        go at once. The others go at once or in a daily digest, as each person chooses, and carry a link to change that.
      </p>
      <h2 className="govuk-heading-m" id="every-email">
        Every email the service sends
      </h2>
      {groups.map((g) => (
        <div className="app-table-scroll" key={g.group}>
          <Table
            className="govuk-!-font-size-16"
            caption={g.group}
            captionClass="govuk-table__caption--s"
            head={["Email", "Sent when", "Who receives it", "Preview"]}
            rows={g.emails.map((e) => [
              <>
                <a className="govuk-link" href={`#template-${e.name}`}>
                  {e.name}
                </a>
                <br />
                <span className="govuk-hint govuk-!-font-size-16">{e.subject}</span>
              </>,
              <ul className="govuk-list govuk-!-font-size-16">
                {e.when.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>,
              <ul className="govuk-list govuk-!-font-size-16">
                {e.recipients.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>,
              <a className="govuk-link" href={`/notifications/templates/${e.name}/preview`}>
                Preview<span className="govuk-visually-hidden"> {e.name}</span>
              </a>,
            ])}
          />
        </div>
      ))}
      <h2 className="govuk-heading-m" id="matrix">
        Notification matrix
      </h2>
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
            <a className="govuk-link" href={`#template-${row.template}`}>
              {row.template}
            </a>,
            row.essential ? "Yes" : "No",
          ])}
        />
      </div>
      <h2 className="govuk-heading-m" id="silent">
        Changes that send no email
      </h2>
      <p className="govuk-body">Each of these changes is left quiet on purpose, for the reason given. Every other change sends the emails above.</p>
      <div className="app-table-scroll">
        <Table
          className="govuk-!-font-size-16"
          caption="Changes that send no email, and why"
          captionClass="govuk-visually-hidden"
          head={["Record", "Change", "Why nobody is emailed"]}
          rows={silent.map((row) => [row.record, row.change, row.reason])}
        />
      </div>
      <h2 className="govuk-heading-m">Templates ({previews.length})</h2>
      {previews.map((p) => (
        <section key={p.name} id={`template-${p.name}`} className="govuk-!-margin-bottom-9">
          <h3 className="govuk-heading-s">
            {p.name} <strong className={`govuk-tag govuk-tag--${p.essential ? "red" : "grey"}`}>{p.essential ? "Essential" : "Not essential"}</strong>
          </h3>
          <p className="govuk-body">{p.description}</p>
          <SummaryList
            rows={[
              { key: "Subject", value: p.subject },
              {
                key: "Sent by",
                value: p.usedBy ? `${plural(p.usedBy, "row")} of the notification matrix` : "The service itself, not a workflow transition",
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
