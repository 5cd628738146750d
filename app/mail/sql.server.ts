import type { SqlQuery } from "~/db/database.server.ts";

/** An email ready for the outbox: one row of "Notification" as composeEmail (outbox.server.ts) makes it. */
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

// The outbox's SQL. Emails are written by the same statement as the workflow transition they
// report (app/engine/sql.server.ts builds it from the pieces here), on the hottest write path;
// and delivery claims due messages with FOR UPDATE SKIP LOCKED, which Prisma's API cannot
// take, so that any number of workers never hold the same message.
// docs/decisions/0015-data-access.md; docs/decisions/0006-outbox-delivery.md.

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

/** Numbered placeholders ($1, $2, …) for a statement built piece by piece, with their values in order. */
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

/** A message claimed for sending: what the SMTP message, the log line and the retry need. */
export interface ClaimedEmail {
  id: string;
  toEmail: string;
  toUserId: string | null;
  essential: boolean;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  attempts: number;
  template: string;
  requestId: string | null;
}

/**
 * Claims up to `limit` due messages, and messages whose lease ran out, for `leaseMs` under
 * `token`, in one statement on its own (no transaction around it): the rows are locked only
 * while it runs, and SKIP LOCKED lets another worker's claim at the same moment pass over them
 * and take others. The statement is a function the migrations define
 * (…_outbox_claim_in_order), which reads the waiting messages in index order and stops after
 * one batch, however long the backlog.
 */
export async function claimDueEmails(sql: SqlQuery, claim: { limit: number; leaseMs: number; token: string }): Promise<ClaimedEmail[]> {
  const { rows } = await sql<ClaimedEmail>(
    `SELECT id, "toEmail", "toUserId", essential, subject, text, html, "messageId", attempts, template, "requestId"
     FROM springboard_claim_emails($1::int, $2::int, $3::text)`,
    [claim.limit, claim.leaseMs, claim.token],
  );
  return rows;
}

/**
 * Marks messages sent, in one statement, if the claim `token` still holds them (so writing it
 * twice, after a lost answer, changes nothing).
 */
export async function markEmailsSent(sql: SqlQuery, sent: { token: string; ids: string[]; at: Date }): Promise<void> {
  await sql(
    `UPDATE "Notification" SET status = 'sent', "sentAt" = ($3::timestamptz AT TIME ZONE 'UTC'), "lockedUntil" = NULL, "claimToken" = NULL, "lastError" = NULL
     WHERE id = ANY($1::text[]) AND "claimToken" = $2 AND status = 'sending'`,
    [sent.ids, sent.token, sent.at.toISOString()],
  );
}
