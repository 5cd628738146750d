import { randomUUID } from "node:crypto";
import { getTemplate } from "../../emails/index.ts";
import type { Prisma } from "~/generated/prisma/client.ts";
import type { PrismaClient } from "~/generated/prisma/client.ts";
import { currentRequestId } from "~/log/context.server.ts";
import type { ComposedEmail } from "./sql.server.ts";
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
