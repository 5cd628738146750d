import nodemailer from "nodemailer";
import type { Transporter } from "nodemailer";
import type { PrismaClient } from "~/generated/prisma/client.ts";
import { unsubscribeUrl } from "./unsubscribe.server.ts";

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
  /**
   * Batches a loop keeps in flight at once (each claimed separately), so the SMTP pool is
   * fed while another batch is being claimed or marked.
   */
  parallelBatches: number;
}

export const defaultDeliveryOptions: DeliveryOptions = {
  from: "Springboard <noreply@springboard.localhost>",
  maxAttempts: 8,
  baseDelayMs: 30_000,
  maxDelayMs: 60 * 60_000,
  leaseMs: 120_000,
  batchSize: 20,
  parallelBatches: 2,
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
  toUserId: string | null;
  essential: boolean;
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
 * sent; the Message-ID stays the same so the copy is recognisable. The bound: one extra
 * copy per lease expiry, i.e. per crash (docs/decisions/0006-outbox-delivery.md).
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
     RETURNING id, "toEmail", "toUserId", essential, subject, text, html, "messageId", attempts`,
    options.batchSize,
    options.leaseMs,
  );
}

export interface DeliveryResult {
  claimed: number;
  sent: number;
  failed: number;
  retrying: number;
}

export async function deliverDue(
  prisma: PrismaClient,
  transport: Transporter,
  options: DeliveryOptions = defaultDeliveryOptions,
): Promise<DeliveryResult> {
  const claimed = await claimDue(prisma, options);
  const result: DeliveryResult = { claimed: claimed.length, sent: 0, failed: 0, retrying: 0 };
  const sentIds: string[] = [];
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
          headers: message.essential || !message.toUserId ? undefined : { "X-Springboard-Category": "non-essential" },
          list: message.essential || !message.toUserId ? undefined : { unsubscribe: unsubscribeUrl(message.toUserId) },
        });
        sentIds.push(message.id);
      } catch (error) {
        const lastError = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
        // A 5xx reply (e.g. 550 no such mailbox) is permanent: trying again cannot help.
        const code = (error as { responseCode?: unknown }).responseCode;
        const permanent = typeof code === "number" && code >= 500 && code < 600;
        const giveUp = permanent || message.attempts >= options.maxAttempts;
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
  if (sentIds.length) {
    // One statement for the batch. Until it commits, a crash leaves these `sending` and
    // they go again after the lease, with the same Message-ID.
    await prisma.notification.updateMany({
      where: { id: { in: sentIds }, status: "sending" },
      data: { status: "sent", sentAt: new Date(), lockedUntil: null, lastError: null },
    });
    result.sent = sentIds.length;
  }
  return result;
}

/**
 * From the delivery log: a failed message goes back in the queue for one more attempt now.
 * Its attempt count is kept (the log stays truthful about how often it was tried), so if
 * that attempt fails too it is marked failed again at once. Returns whether it was requeued.
 */
export async function retryFailed(prisma: PrismaClient, id: string): Promise<boolean> {
  const { count } = await prisma.notification.updateMany({
    where: { id, status: "failed" },
    data: { status: "pending", nextAttemptAt: new Date(), lockedUntil: null },
  });
  return count === 1;
}

/**
 * Polls the outbox until stopped. Safe to run in every app process and in separate
 * worker processes at once: claims never overlap. Runs `parallelBatches` lanes; each goes
 * again at once after a full batch, and otherwise waits `intervalMs`.
 */
export function startDeliveryLoop(
  prisma: PrismaClient,
  transport: Transporter,
  options: DeliveryOptions = defaultDeliveryOptions,
  intervalMs = 1000,
): { stop: () => Promise<void> } {
  let stopped = false;
  const lanes = Array.from({ length: Math.max(1, options.parallelBatches) }, () => {
    const lane: { timer?: NodeJS.Timeout; running: Promise<unknown> } = { running: Promise.resolve() };
    const tick = () => {
      let full = false;
      lane.running = deliverDue(prisma, transport, options)
        .then((result) => {
          full = result.claimed >= options.batchSize;
        })
        .catch((error: Error) => console.error("Email delivery failed to run:", error.message))
        .finally(() => {
          if (!stopped) lane.timer = setTimeout(tick, full ? 0 : intervalMs);
        });
    };
    tick();
    return lane;
  });
  return {
    async stop() {
      stopped = true;
      for (const lane of lanes) clearTimeout(lane.timer);
      await Promise.all(lanes.map((lane) => lane.running));
    },
  };
}
