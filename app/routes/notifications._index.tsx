import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { authoriseUser } from "~/auth/access.server.ts";
import { CsrfInput, Select, TextInput } from "~/components/forms.tsx";
import { NotificationBanner } from "~/components/notification-banner.tsx";
import { SummaryList } from "~/components/summary-list.tsx";
import { Table } from "~/components/table.tsx";
import { db } from "~/db/database.server.ts";
import type { NotificationStatus, Prisma } from "~/generated/prisma/client.ts";
import { retryFailed } from "~/mail/delivery.server.ts";
import { findTemplate } from "~/mail/templates.server.ts";
import { readForm } from "~/forms/body.server.ts";
import { parseForm } from "~/forms/parse.server.ts";
import { badRequest, conflict } from "~/http/errors.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { formatDateTime, formatNumber, plural } from "~/utils/format.ts";
import { templates } from "../../emails/index.ts";
import { titled } from "~/utils/title.ts";

export const meta = titled(() => ["Emails sent"]);

export const PAGE_SIZE = 50;

export const STATUSES = ["pending", "sending", "sent", "failed", "held", "digested", "suppressed"] as const satisfies readonly NotificationStatus[];

const statusTags: Record<NotificationStatus, { text: string; colour: string }> = {
  pending: { text: "Waiting", colour: "blue" },
  sending: { text: "Sending", colour: "light-blue" },
  sent: { text: "Sent", colour: "green" },
  failed: { text: "Failed", colour: "red" },
  held: { text: "Held for digest", colour: "yellow" },
  digested: { text: "In a digest", colour: "grey" },
  suppressed: { text: "Not sent (turned off)", colour: "grey" },
};

const filtersSchema = z.object({
  status: z.enum(STATUSES).optional().catch(undefined),
  template: z
    .string()
    .optional()
    .transform((v) => (findTemplate(v) ? v : undefined)),
  to: z
    .string()
    .optional()
    .transform((v) => v?.trim().toLowerCase().slice(0, 254) || undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});
type Filters = z.infer<typeof filtersSchema>;

const retryForm = z.object({ id: z.string().min(1).max(100) });

function readFilters(url: URL): Filters {
  return filtersSchema.parse({
    status: url.searchParams.get("status") || undefined,
    template: url.searchParams.get("template") || undefined,
    to: url.searchParams.get("to") || undefined,
    page: url.searchParams.get("page") ?? 1,
  });
}

function query(filters: Filters, page?: number): string {
  const params = new URLSearchParams();
  if (filters.status) params.set("status", filters.status);
  if (filters.template) params.set("template", filters.template);
  if (filters.to) params.set("to", filters.to);
  if (page && page > 1) params.set("page", String(page));
  const s = params.toString();
  return s ? `?${s}` : "";
}

export async function loader({ request }: LoaderFunctionArgs) {
  await authoriseUser(request, "routes/notifications._index");
  const url = new URL(request.url);
  const filters = readFilters(url);
  const where: Prisma.NotificationWhereInput = {
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.template ? { template: filters.template } : {}),
    ...(filters.to ? { toEmail: { contains: filters.to } } : {}),
  };
  const [counts, total, messages] = await Promise.all([
    db().notification.groupBy({ by: ["status"], _count: { _all: true } }),
    db().notification.count({ where }),
    db().notification.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (filters.page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
      select: {
        id: true,
        toEmail: true,
        template: true,
        subject: true,
        status: true,
        attempts: true,
        lastError: true,
        messageId: true,
        createdAt: true,
        sentAt: true,
        nextAttemptAt: true,
        essential: true,
      },
    }),
  ]);
  const byStatus = Object.fromEntries(counts.map((c) => [c.status, c._count._all])) as Partial<Record<NotificationStatus, number>>;
  return {
    filters,
    total,
    pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    counts: STATUSES.map((status) => ({ status, count: byStatus[status] ?? 0 })),
    messages,
    retried: url.searchParams.get("retried") === "1",
    templateNames: Object.keys(templates).sort(),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  await authoriseUser(request, "routes/notifications._index", "action");
  requireCsrf(request, form);
  const parsed = parseForm(form, retryForm);
  // The id is a hidden field of the row's Retry button: without one there is no field to
  // show an error beside, only this page.
  if (!parsed.ok) throw badRequest("Choose a message to retry.");
  const requeued = await retryFailed(db(), parsed.value.id);
  if (!requeued) throw conflict("That message is not failed, so there is nothing to retry.");
  const back = new URL(request.url);
  back.searchParams.set("retried", "1");
  return redirect(`/notifications${back.search}`);
}

export default function DeliveryLog() {
  const { filters, total, pageCount, counts, messages, retried, templateNames } = useLoaderData<typeof loader>();
  return (
    <>
      {retried ? <NotificationBanner type="success" heading="The message will be tried again within a minute." /> : null}
      <h1 className="govuk-heading-l">Emails</h1>
      <p className="govuk-body">
        Every email the service has written, whether it was delivered, and how often it was tried.{" "}
        <a className="govuk-link" href="/notifications/templates">
          See every email template and who gets it
        </a>
        .
      </p>
      <h2 className="govuk-visually-hidden">Emails by state</h2>
      <div className="govuk-!-width-one-half">
        <SummaryList
          rows={counts.map(({ status, count }) => ({
            key: (
              <a className="govuk-link" href={`/notifications?status=${status}`}>
                {statusTags[status].text}
              </a>
            ),
            value: formatNumber(count),
          }))}
        />
      </div>
      <form method="get" action="/notifications" className="govuk-!-margin-bottom-6">
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-third">
            <Select
              name="status"
              label="State"
              defaultValue={filters.status ?? ""}
              options={[{ value: "", text: "Any state" }, ...STATUSES.map((s) => ({ value: s, text: statusTags[s].text }))]}
            />
          </div>
          <div className="govuk-grid-column-one-third">
            <Select
              name="template"
              label="Template"
              defaultValue={filters.template ?? ""}
              options={[{ value: "", text: "Any template" }, ...templateNames.map((t) => ({ value: t, text: t }))]}
            />
          </div>
          <div className="govuk-grid-column-one-third">
            <TextInput name="to" label="Recipient" hint="All or part of an email address" defaultValue={filters.to ?? ""} spellCheck={false} />
          </div>
        </div>
        <div className="govuk-button-group">
          <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
            Filter
          </button>
          {filters.status || filters.template || filters.to ? (
            <a className="govuk-link" href="/notifications">
              Clear filters
            </a>
          ) : null}
        </div>
      </form>
      <p className="govuk-body" role="status">
        {total === 0 ? "No emails match." : `${plural(total, "email")}, newest first.`}
      </p>
      {messages.length ? (
        <div className="app-table-scroll">
          <Table
            className="govuk-!-font-size-16"
            caption="Emails"
            captionClass="govuk-visually-hidden"
            head={["To", "Template and subject", "State", "Attempts", "Last error", "Message-ID", "Written", "Sent"]}
            numeric={[3]}
            rows={messages.map((m) => ({
              key: m.id,
              cells: [
                m.toEmail,
                <>
                  <span className="govuk-caption-s">
                    {m.template}
                    {m.essential ? "" : " (not essential)"}
                  </span>
                  {m.subject}
                </>,
                <>
                  <strong className={`govuk-tag govuk-tag--${statusTags[m.status].colour}`}>{statusTags[m.status].text}</strong>
                  {m.status === "pending" && m.attempts > 0 ? <span className="govuk-body-s"> next try {formatDateTime(m.nextAttemptAt)}</span> : null}
                </>,
                m.attempts,
                m.lastError ?? "",
                <code className="app-break-all">{m.messageId}</code>,
                formatDateTime(m.createdAt),
                <>
                  {m.sentAt ? formatDateTime(m.sentAt) : ""}
                  {m.status === "failed" ? (
                    <Form method="post" action={`/notifications${query(filters, filters.page)}`}>
                      <CsrfInput />
                      <input type="hidden" name="id" value={m.id} />
                      <button type="submit" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" data-module="govuk-button">
                        Retry<span className="govuk-visually-hidden"> the email to {m.toEmail}</span>
                      </button>
                    </Form>
                  ) : null}
                </>,
              ],
            }))}
          />
        </div>
      ) : null}
      <p className="govuk-body-s">
        Retry puts a failed email back in the queue for one more attempt at once; its attempt count is kept, so if that attempt fails too it is marked failed
        again.
      </p>
      {pageCount > 1 ? (
        <nav className="govuk-pagination govuk-pagination--block" aria-label="Pagination">
          {filters.page > 1 ? (
            <div className="govuk-pagination__prev">
              <a className="govuk-link govuk-pagination__link" href={`/notifications${query(filters, filters.page - 1)}`} rel="prev">
                <span className="govuk-pagination__link-title">
                  Previous<span className="govuk-visually-hidden"> page</span>
                </span>
                <span className="govuk-visually-hidden">:</span>
                <span className="govuk-pagination__link-label">
                  Page {filters.page - 1} of {pageCount}
                </span>
              </a>
            </div>
          ) : null}
          {filters.page < pageCount ? (
            <div className="govuk-pagination__next">
              <a className="govuk-link govuk-pagination__link" href={`/notifications${query(filters, filters.page + 1)}`} rel="next">
                <span className="govuk-pagination__link-title">
                  Next<span className="govuk-visually-hidden"> page</span>
                </span>
                <span className="govuk-visually-hidden">:</span>
                <span className="govuk-pagination__link-label">
                  Page {filters.page + 1} of {pageCount}
                </span>
              </a>
            </div>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}
