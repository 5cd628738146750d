import nodemailer from "nodemailer";
import type { Transporter } from "nodemailer";
import type { PrismaClient } from "~/generated/prisma/client.ts";

export interface DeliveryOptions {
  from: string;
  /** Attempts before a message is marked failed. */
  maxAttempts: number;
  /** First retry delay; each later one doubles, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** How long a claim lasts before another worker may take the message over. */
  leaseMs: number;
  batchSize: number;
}

export const defaultDeliveryOptions: DeliveryOptions = {
  from: "Springboard <noreply@springboard.localhost>",
  maxAttempts: 8,
  baseDelayMs: 30_000,
  maxDelayMs: 60 * 60_000,
  leaseMs: 120_000,
  batchSize: 20,
};

/** SMTP when configured (pooled connection); otherwise the in-service dev mailbox. */
export function createTransport(smtpUrl: string | undefined): Transporter {
  if (!smtpUrl) return nodemailer.createTransport({ jsonTransport: true });
  const url = new URL(smtpUrl);
  url.searchParams.set("pool", "true");
  return nodemailer.createTransport(url.toString());
}

export function retryDelayMs(attempt: number, options: DeliveryOptions, random = Math.random): number {
  const exponential = Math.min(options.baseDelayMs * 2 ** Math.max(0, attempt - 1), options.maxDelayMs);
  // "Equal jitter": at least half the back-off, so retries spread out but never bunch at zero.
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}

interface Claimed {
  id: string;
  toEmail: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  attempts: number;
}

/**
 * Claims due messages so that no two workers hold the same one (SKIP LOCKED), and takes
 * over messages whose claim expired (a worker that died mid-send). A message can be sent
 * twice only if a worker dies after the SMTP server accepted it and before it was marked
 * sent; the Message-ID stays the same so the copy is recognisable.
 */
export async function claimDue(prisma: PrismaClient, options: DeliveryOptions): Promise<Claimed[]> {
  return prisma.$queryRawUnsafe<Claimed[]>(
    `UPDATE "Notification" SET status = 'sending', attempts = attempts + 1,
       "lockedUntil" = (now() AT TIME ZONE 'UTC') + ($2::int * interval '1 millisecond')
     WHERE id IN (
       SELECT id FROM "Notification"
       WHERE (status = 'pending' AND "nextAttemptAt" <= (now() AT TIME ZONE 'UTC'))
          OR (status = 'sending' AND "lockedUntil" < (now() AT TIME ZONE 'UTC'))
       ORDER BY "nextAttemptAt"
       LIMIT $1
       FOR UPDATE SKIP LOCKED)
     RETURNING id, "toEmail", subject, text, html, "messageId", attempts`,
    options.batchSize,
    options.leaseMs,
  );
}

export async function deliverDue(
  prisma: PrismaClient,
  transport: Transporter,
  options: DeliveryOptions = defaultDeliveryOptions,
): Promise<{ sent: number; failed: number; retrying: number }> {
  const claimed = await claimDue(prisma, options);
  const result = { sent: 0, failed: 0, retrying: 0 };
  await Promise.all(
    claimed.map(async (message) => {
      try {
        await transport.sendMail({
          from: options.from,
          to: message.toEmail,
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId: message.messageId,
        });
        await prisma.notification.updateMany({
          where: { id: message.id, status: "sending" },
          data: { status: "sent", sentAt: new Date(), lockedUntil: null, lastError: null },
        });
        result.sent++;
      } catch (error) {
        const lastError = error instanceof Error ? error.message : String(error);
        const giveUp = message.attempts >= options.maxAttempts;
        await prisma.notification.updateMany({
          where: { id: message.id, status: "sending" },
          data: giveUp
            ? { status: "failed", lockedUntil: null, lastError }
            : {
                status: "pending",
                lockedUntil: null,
                lastError,
                nextAttemptAt: new Date(Date.now() + retryDelayMs(message.attempts, options)),
              },
        });
        if (giveUp) result.failed++;
        else result.retrying++;
      }
    }),
  );
  return result;
}

/**
 * Polls the outbox until stopped. Safe to run in every app process and in separate
 * worker processes at once: claims never overlap.
 */
export function startDeliveryLoop(
  prisma: PrismaClient,
  transport: Transporter,
  options: DeliveryOptions = defaultDeliveryOptions,
  intervalMs = 1000,
): { stop: () => Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = deliverDue(prisma, transport, options)
      .catch((error: Error) => console.error("Email delivery failed to run:", error.message))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
