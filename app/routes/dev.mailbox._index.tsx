import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { authorise } from "~/auth/access.server.ts";
import { Table } from "~/components/table.tsx";
import { db } from "~/db/database.server.ts";
import { devMailboxOpen } from "~/env.server.ts";
import { formatDateTime } from "~/utils/format.ts";
import { titled } from "~/utils/title.ts";
import { notFound } from "~/http/errors.server.ts";

export const meta = titled(() => ["Dev mailbox"]);

/**
 * With no SMTP server configured, the service's emails land here so that a newcomer can
 * sign in with nothing else running. With SMTP_URL set this page does not exist.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await authorise(request, "routes/dev.mailbox._index");
  if (!devMailboxOpen()) throw notFound();
  const to = new URL(request.url).searchParams.get("to")?.trim().toLowerCase() || undefined;
  const messages = await db().notification.findMany({
    where: to ? { toEmail: to } : undefined,
    orderBy: { createdAt: "desc" },
    take: 50,
    select: { id: true, toEmail: true, subject: true, status: true, createdAt: true },
  });
  return { messages, to: to ?? "" };
}

export default function DevMailbox() {
  const { messages, to } = useLoaderData<typeof loader>();
  return (
    <>
      <span className="govuk-caption-l">For local use only</span>
      <h1 className="govuk-heading-l">Dev mailbox</h1>
      <p className="govuk-body">This copy of Springboard has no email server (SMTP_URL is not set), so the emails it would send are shown here instead.</p>
      <form method="get" className="govuk-!-margin-bottom-6">
        <div className="govuk-form-group">
          <label className="govuk-label" htmlFor="to">
            Show emails to
          </label>
          <input className="govuk-input govuk-!-width-one-half" id="to" name="to" type="email" defaultValue={to} spellCheck={false} />
        </div>
        <button className="govuk-button govuk-button--secondary" type="submit">
          Filter
        </button>
      </form>
      {messages.length ? (
        <Table
          caption="Latest emails"
          captionClass="govuk-table__caption--m"
          head={["To", "Subject", "Created"]}
          rows={messages.map((m) => ({
            key: m.id,
            cells: [
              m.toEmail,
              <a className="govuk-link" href={`/dev/mailbox/${m.id}`}>
                {m.subject}
              </a>,
              formatDateTime(m.createdAt),
            ],
          }))}
        />
      ) : (
        <p className="govuk-body">No emails yet.</p>
      )}
    </>
  );
}
