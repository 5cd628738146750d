import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { authorise } from "~/auth/access.server.ts";
import { SummaryList } from "~/components/summary-list.tsx";
import { db } from "~/db/database.server.ts";
import { devMailboxOpen } from "~/env.server.ts";
import { formatDateTime } from "~/utils/format.ts";
import { titled } from "~/utils/title.ts";
import { notFound } from "~/http/errors.server.ts";

export const meta = titled<typeof loader>(({ data }) => ["Dev mailbox", data?.message.subject]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  await authorise(request, "routes/dev.mailbox.$id");
  if (!devMailboxOpen()) throw notFound();
  const message = await db().notification.findUnique({
    where: { id: params.id },
    select: { toEmail: true, subject: true, text: true, status: true, createdAt: true, messageId: true },
  });
  if (!message) throw notFound();
  return { message };
}

export default function DevMailboxMessage() {
  const { message } = useLoaderData<typeof loader>();
  // Links in the plain-text body are made clickable, as a mail client would.
  const parts = message.text.split(/(https?:\/\/\S+)/g);
  return (
    <>
      <a href="/dev/mailbox" className="govuk-back-link">
        Back to the dev mailbox
      </a>
      <h1 className="govuk-heading-l">{message.subject}</h1>
      <SummaryList
        rows={[
          { key: "To", value: message.toEmail },
          { key: "Created", value: formatDateTime(message.createdAt) },
          { key: "Delivery", value: message.status },
        ]}
      />
      <h2 className="govuk-heading-m">Message</h2>
      <div className="app-mail-body" data-testid="email-body">
        {parts.map((part, i) =>
          /^https?:\/\//.test(part) ? (
            <a key={i} className="govuk-link" href={part}>
              {part}
            </a>
          ) : (
            part
          ),
        )}
      </div>
    </>
  );
}
