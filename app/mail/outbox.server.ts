import { randomUUID } from "node:crypto";
import { getTemplate } from "../../emails/index.ts";
import type { Prisma } from "~/generated/prisma/client.ts";
import type { PrismaClient } from "~/generated/prisma/client.ts";

export type DbClient = PrismaClient | Prisma.TransactionClient;

export interface OutgoingEmail {
  template: string;
  to: string;
  data: Record<string, unknown>;
  userId?: string | null;
  transitionId?: string | null;
}

/**
 * Puts an email in the outbox. Call it with the transaction that makes the change the
 * email reports, so that both are written or neither is. The message is rendered now:
 * the record shows exactly what was said at the time.
 */
export async function enqueueEmail(client: DbClient, email: OutgoingEmail) {
  const template = getTemplate(email.template);
  const content = template.render(email.data);
  return client.notification.create({
    data: {
      template: template.name,
      toEmail: email.to,
      toUserId: email.userId ?? null,
      transitionId: email.transitionId ?? null,
      essential: template.essential,
      data: email.data as Prisma.InputJsonValue,
      subject: content.subject,
      text: content.text,
      html: content.html,
      // Fixed now, so a resend after a crash between sending and marking carries the
      // same Message-ID and mail clients can recognise the duplicate.
      messageId: `<${randomUUID()}@springboard>`,
    },
    select: { id: true },
  });
}
