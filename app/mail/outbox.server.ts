import { randomUUID } from "node:crypto";
import { getTemplate } from "../../emails/index.ts";
import type { Prisma } from "~/generated/prisma/client.ts";
import type { PrismaClient } from "~/generated/prisma/client.ts";
import type { SqlQuery } from "~/db/database.server.ts";
import { currentRequestId } from "~/log/context.server.ts";
import { unsubscribeUrl } from "./unsubscribe.server.ts";

export type DbClient = PrismaClient | Prisma.TransactionClient;

export interface OutgoingEmail {
  template: string;
  to: string;
  data: Record<string, unknown>;
  userId?: string | null;
  transitionId?: string | null;
  /**
   * Overrides the template's own `essential` (the notification matrix decides per role: the
   * same template can be essential for one role and not for another).
   */
  essential?: boolean;
  /** Send at once whatever the person's preference (the digest itself). */
  neverHold?: boolean;
}

/**
 * Puts an email in the outbox. Call it with the transaction that makes the change the
 * email reports, so that both are written or neither is. The message is rendered now:
 * the record shows exactly what was said at the time.
 *
 * Essential messages always go at once. A non-essential one to a user follows their
 * choice: at once (`pending`), held for their daily digest (`held`), or recorded but not
 * sent (`suppressed`); it carries a signed unsubscribe link.
 */
export async function enqueueEmail(client: DbClient, email: OutgoingEmail) {
  const template = getTemplate(email.template);
  const essential = email.essential ?? template.essential;
  const preference =
    !essential && email.userId && !email.neverHold
      ? (await client.user.findUnique({ where: { id: email.userId }, select: { emailPreference: true } }))?.emailPreference
      : null;
  const { id: _id, ...row } = composeEmail(email, preference);
  return client.notification.create({
    data: { ...row, data: row.data as Prisma.InputJsonValue },
    select: { id: true, status: true, messageId: true },
  });
}

export interface ComposedEmail {
  id: string;
  template: string;
  toEmail: string;
  toUserId: string | null;
  transitionId: string | null;
  essential: boolean;
  status: "pending" | "held" | "suppressed";
  data: Record<string, unknown>;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  /** The request (or job run) that wrote it, for the delivery log line (app/observability). */
  requestId: string | null;
}

/**
 * The outbox row for an email, rendered, with its status decided by the recipient's
 * preference (`immediate`, `digest` or `off`; essential messages ignore it).
 */
export function composeEmail(email: OutgoingEmail, preference: string | null | undefined): ComposedEmail {
  const template = getTemplate(email.template);
  const essential = email.essential ?? template.essential;
  let status: ComposedEmail["status"] = "pending";
  let unsubscribeLink: string | undefined;
  if (!essential && email.userId) {
    unsubscribeLink = unsubscribeUrl(email.userId);
    if (!email.neverHold) {
      if (preference === "digest") status = "held";
      else if (preference === "off") status = "suppressed";
    }
  }
  const content = template.render(email.data, { unsubscribeLink });
  return {
    id: randomUUID(),
    template: template.name,
    toEmail: email.to,
    toUserId: email.userId ?? null,
    transitionId: email.transitionId ?? null,
    essential,
    status,
    data: email.data,
    subject: content.subject,
    text: content.text,
    html: content.html,
    // Fixed now, so a resend after a crash between sending and marking carries the
    // same Message-ID and mail clients can recognise the duplicate.
    messageId: `<${randomUUID()}@springboard>`,
    requestId: currentRequestId(),
  };
}

export const OUTBOX_COLUMNS = `id, "transitionId", template, "toEmail", "toUserId", essential, data, status, "messageId", subject, text, html, "requestId"`;

/** VALUES tuples for composed emails, with their parameters added through `param`. */
export function emailValues(rows: ComposedEmail[], param: (value: unknown) => string): string {
  return rows
    .map((row) => {
      const p = [
        row.id,
        row.transitionId,
        row.template,
        row.toEmail,
        row.toUserId,
        row.essential,
        JSON.stringify(row.data),
        row.status,
        row.messageId,
        row.subject,
        row.text,
        row.html,
        row.requestId,
      ].map(param);
      p[5] = `${p[5]}::boolean`;
      p[6] = `${p[6]}::jsonb`;
      p[7] = `${p[7]}::"NotificationStatus"`;
      return `(${p.join(", ")})`;
    })
    .join(", ");
}

export function parameters() {
  const values: unknown[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  return { values, param };
}

/** Writes composed emails to the outbox in one statement. */
export async function insertEmails(sql: SqlQuery, rows: ComposedEmail[]): Promise<void> {
  if (!rows.length) return;
  const { values, param } = parameters();
  await sql(`INSERT INTO "Notification" (${OUTBOX_COLUMNS}) VALUES ${emailValues(rows, param)}`, values);
}
