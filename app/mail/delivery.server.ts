import { randomUUID } from "node:crypto";
import nodemailer from "nodemailer";
import type { Transporter } from "nodemailer";
import { sqlIn } from "~/db/database.server.ts";
import type { PrismaClient } from "~/generated/prisma/client.ts";
import { describeError, logger } from "~/log/log.server.ts";
import { countEmailAttempt } from "~/observability/metrics.server.ts";
import { claimDueEmails, markEmailsSent, type ClaimedEmail } from "./sql.server.ts";
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
  /** While the SMTP server is unreachable, how often the loop asks whether it is back. */
  transportProbeMs: number;
}

export const defaultDeliveryOptions: DeliveryOptions = {
  from: "Springboard <noreply@springboard.localhost>",
  maxAttempts: 8,
  baseDelayMs: 30_000,
  maxDelayMs: 60 * 60_000,
  leaseMs: 120_000,
  // Measured on both engines with bench:notifications (docs/performance.md): fifty a batch,
  // three in flight, keeps the SMTP pool fed while a batch is claimed or marked; smaller
  // batches spend more on claims and marks, more lanes or larger batches wait on each other.
  batchSize: 50,
  parallelBatches: 3,
  transportProbeMs: 2_000,
};

/**
 * Nodemailer waits 2 minutes for a connection, 30 seconds for the greeting and 10 minutes
 * of silence before giving up: a server that accepts the connection and never answers
 * would hold a worker for that long. These bound each stage well inside the 2-minute lease.
 * An SMTP_URL query parameter of the same name overrides each.
 */
export const smtpTimeouts = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/** SMTP when configured (pooled connection); otherwise the in-service dev mailbox. */
export function createTransport(smtpUrl: string | undefined): Transporter {
  if (!smtpUrl) return nodemailer.createTransport({ jsonTransport: true });
  const url = new URL(smtpUrl);
  url.searchParams.set("pool", "true");
  for (const [name, ms] of Object.entries(smtpTimeouts)) {
    if (!url.searchParams.has(name)) url.searchParams.set(name, String(ms));
  }
  return nodemailer.createTransport(url.toString());
}

export function retryDelayMs(attempt: number, options: DeliveryOptions, random = Math.random): number {
  const exponential = Math.min(options.baseDelayMs * 2 ** Math.max(0, attempt - 1), options.maxDelayMs);
  // "Equal jitter": at least half the back-off, so retries spread out but never bunch at zero.
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}

// Nodemailer's codes for a connection that could not be made, was cut or timed out, and
// for a server that refused the session itself: nothing to do with the message.
const transportErrorCodes = new Set(["ECONNECTION", "ETIMEDOUT", "ESOCKET", "EDNS", "ETLS", "EPROXY", "EAUTH", "ENOAUTH"]);
const sessionCommands = new Set(["CONN", "EHLO", "HELO", "LHLO", "STARTTLS"]);

/**
 * Whether a send failed because of the SMTP server or the way to it (refused, timed out,
 * cut, a greeting that says "not now", 421 at any point), rather than because of this
 * message (a recipient refused, the message rejected). Every message would fail the same
 * way, so the loop pauses instead of spending each message's retries.
 */
export function isTransportFault(error: unknown): boolean {
  const { code, command, responseCode } = (error ?? {}) as { code?: unknown; command?: unknown; responseCode?: unknown };
  if (responseCode === 421) return true;
  if (typeof code === "string" && transportErrorCodes.has(code)) return true;
  return code === "EPROTOCOL" && typeof command === "string" && sessionCommands.has(command);
}

/**
 * Claims due messages so that no two workers hold the same one (SKIP LOCKED), and takes
 * over messages whose claim expired (a worker that died mid-send). Each claim carries a
 * token, kept on the rows, so a worker that lost the answer to its claim can hand those
 * rows back at once (DeliveryLedger). A message can be sent twice only if a worker dies
 * after the SMTP server accepted it and before it was marked sent; the Message-ID stays the
 * same so the copy is recognisable. The bound: one extra copy per lease expiry, i.e. per
 * crash (docs/decisions/0006-outbox-delivery.md).
 */
export async function claimDue(prisma: PrismaClient, options: DeliveryOptions, token: string = randomUUID()): Promise<ClaimedEmail[]> {
  // Prisma's client rather than the process's database: a worker may run on a pool of its
  // own. The statement runs alone, outside any transaction, as the claim requires.
  return claimDueEmails(sqlIn(prisma), { limit: options.batchSize, leaseMs: options.leaseMs, token });
}

/** What happened to one claimed message, to be written to its row. */
type Outcome =
  | { kind: "sent"; id: string; token: string; at: Date }
  | { kind: "failed"; id: string; token: string; lastError: string }
  | { kind: "retry"; id: string; token: string; lastError: string; nextAttemptAt: Date }
  // The SMTP server could not be reached: the message was not tried, so the attempt is not
  // counted, and it is due again as soon as the server answers.
  | { kind: "untried"; id: string; token: string; lastError: string };

/**
 * What a delivery loop knows and the database does not yet: messages the SMTP server
 * accepted, or refused, whose outcome could not be written because the database went
 * away, and claims whose answer was lost on the way back. They are written at the start of
 * the next batch, before anything new is claimed, and kept until that succeeds. So a
 * process that is still alive never leaves a message it sent to be sent again when its
 * lease runs out, and never leaves messages it claimed waiting for the lease: only a
 * process that dies does (docs/decisions/0006-outbox-delivery.md).
 */
export class DeliveryLedger {
  private outcomes: Outcome[] = [];
  private lostClaims: string[] = [];
  private queue: Promise<unknown> = Promise.resolve();

  /** Whether anything is waiting to be written. */
  get owing(): boolean {
    return this.outcomes.length > 0 || this.lostClaims.length > 0;
  }

  record(outcome: Outcome) {
    this.outcomes.push(outcome);
  }

  claimLost(token: string) {
    this.lostClaims.push(token);
  }

  /** Writes everything owed; throws (keeping it) if the database does not take it. */
  settle(prisma: PrismaClient): Promise<void> {
    // One write at a time, so two lanes of a loop never write the same outcome twice.
    const run = this.queue.then(() => this.write(prisma));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async write(prisma: PrismaClient) {
    const outcomes = [...this.outcomes];
    const lost = [...this.lostClaims];
    // Every write is conditional on the claim still being ours, so writing one twice (its
    // commit's answer was lost too) changes nothing.
    const byToken = new Map<string, (Outcome & { kind: "sent" })[]>();
    for (const outcome of outcomes) {
      if (outcome.kind === "sent") byToken.set(outcome.token, [...(byToken.get(outcome.token) ?? []), outcome]);
    }
    for (const [token, group] of byToken) {
      // One statement for the batch. Until it commits, a crash leaves these `sending` and
      // they go again after the lease, with the same Message-ID.
      await markEmailsSent(sqlIn(prisma), { token, ids: group.map((o) => o.id), at: group[0]!.at });
    }
    for (const outcome of outcomes) {
      if (outcome.kind === "sent") continue;
      const where = { id: outcome.id, claimToken: outcome.token, status: "sending" as const };
      const data =
        outcome.kind === "failed"
          ? { status: "failed" as const, lockedUntil: null, claimToken: null, lastError: outcome.lastError }
          : outcome.kind === "retry"
            ? { status: "pending" as const, lockedUntil: null, claimToken: null, lastError: outcome.lastError, nextAttemptAt: outcome.nextAttemptAt }
            : { status: "pending" as const, lockedUntil: null, claimToken: null, lastError: outcome.lastError, attempts: { decrement: 1 } };
      await prisma.notification.updateMany({ where, data });
    }
    if (lost.length) {
      // Claimed (perhaps) but never sent: not an attempt, and due again now.
      await prisma.notification.updateMany({
        where: { claimToken: { in: lost }, status: "sending" },
        data: { status: "pending", lockedUntil: null, claimToken: null, attempts: { decrement: 1 } },
      });
    }
    this.outcomes = this.outcomes.filter((o) => !outcomes.includes(o));
    this.lostClaims = this.lostClaims.filter((t) => !lost.includes(t));
  }
}

export interface DeliveryResult {
  claimed: number;
  sent: number;
  failed: number;
  retrying: number;
  /** Set when the SMTP server could not be reached: the error, for the log. */
  transportFault?: string;
}

/**
 * One batch: writes what the ledger owes, claims, sends, writes the outcomes. Throws if the
 * database is unreachable at any step; whatever was sent by then stays in the ledger.
 */
export async function deliverDue(
  prisma: PrismaClient,
  transport: Transporter,
  options: DeliveryOptions = defaultDeliveryOptions,
  ledger: DeliveryLedger = new DeliveryLedger(),
): Promise<DeliveryResult> {
  if (ledger.owing) await ledger.settle(prisma);
  const token = randomUUID();
  let claimed: ClaimedEmail[];
  try {
    claimed = await claimDue(prisma, options, token);
  } catch (error) {
    // The claim may have committed with its answer lost: hand back whatever it took.
    ledger.claimLost(token);
    throw error;
  }
  const result: DeliveryResult = { claimed: claimed.length, sent: 0, failed: 0, retrying: 0 };
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
        ledger.record({ kind: "sent", id: message.id, token, at: new Date() });
        result.sent++;
        logAttempt(message, "sent");
      } catch (error) {
        const lastError = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
        if (isTransportFault(error)) {
          logAttempt(message, "unreachable", error);
          ledger.record({ kind: "untried", id: message.id, token, lastError });
          result.transportFault ??= lastError;
          return;
        }
        // A 5xx reply (e.g. 550 no such mailbox) is permanent: trying again cannot help.
        const code = (error as { responseCode?: unknown }).responseCode;
        const permanent = typeof code === "number" && code >= 500 && code < 600;
        if (permanent || message.attempts >= options.maxAttempts) {
          ledger.record({ kind: "failed", id: message.id, token, lastError });
          result.failed++;
          logAttempt(message, "failed", error);
        } else {
          ledger.record({ kind: "retry", id: message.id, token, lastError, nextAttemptAt: new Date(Date.now() + retryDelayMs(message.attempts, options)) });
          result.retrying++;
          logAttempt(message, "retrying", error);
        }
      }
    }),
  );
  if (ledger.owing) await ledger.settle(prisma);
  return result;
}

/**
 * One log line and one count per attempt to send an email. The line names the request that
 * wrote the email (its request id, kept on the outbox row), never the address; an SMTP
 * error is described with any address in it removed.
 */
function logAttempt(message: ClaimedEmail, outcome: "sent" | "retrying" | "failed" | "unreachable", error?: unknown) {
  countEmailAttempt(outcome);
  const line = {
    notificationId: message.id,
    template: message.template,
    attempt: message.attempts,
    outcome,
    requestId: message.requestId,
    ...(error === undefined ? {} : { smtpCode: (error as { responseCode?: unknown }).responseCode, error: describeError(error) }),
  };
  if (outcome === "sent") logger().info(line, "email attempt");
  else logger().warn(line, "email attempt");
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
 *
 * When the database goes away, each lane tries again every `intervalMs`, and the first
 * batch after it returns writes what the ledger kept. When the SMTP server cannot be
 * reached, the lanes stop claiming and the loop asks the server every `transportProbeMs`
 * whether it is back (transport.verify()); the lanes start again as soon as it answers.
 */
export function startDeliveryLoop(
  prisma: PrismaClient,
  transport: Transporter,
  options: DeliveryOptions = defaultDeliveryOptions,
  intervalMs = 1000,
): { stop: () => Promise<void> } {
  let stopped = false;
  const ledger = new DeliveryLedger();
  const log = logger();
  let databaseDown = false;
  let transportDown = false;
  let probeTimer: NodeJS.Timeout | undefined;

  type Lane = { timer?: NodeJS.Timeout; running: Promise<unknown>; parked: boolean };
  const lanes: Lane[] = [];

  const probe = () => {
    // Not awaited by stop(): a probe of a hung server ends only at its time limits.
    void (typeof transport.verify === "function" ? transport.verify() : Promise.resolve(true)).then(
      () => {
        if (stopped) return;
        transportDown = false;
        log.info("The SMTP server is answering again: sending the waiting email");
        for (const lane of lanes) {
          if (lane.parked) {
            lane.parked = false;
            tick(lane);
          }
        }
      },
      () => {
        if (!stopped) probeTimer = setTimeout(probe, options.transportProbeMs);
      },
    );
  };

  const tick = (lane: Lane) => {
    let delay = intervalMs;
    lane.running = deliverDue(prisma, transport, options, ledger)
      .then((result) => {
        if (databaseDown) {
          databaseDown = false;
          log.info("The database is answering again: email delivery has resumed");
        }
        if (result.transportFault) {
          if (!transportDown) {
            transportDown = true;
            log.warn({ error: result.transportFault }, "The SMTP server cannot be reached: email delivery is paused until it answers");
            probeTimer = setTimeout(probe, options.transportProbeMs);
          }
        } else if (result.claimed >= options.batchSize) {
          delay = 0;
        }
      })
      .catch((error: Error) => {
        // Logged once per outage: every lane fails every second until the database is back.
        if (!databaseDown) log.error({ error: error.message }, "Email delivery cannot reach the database: trying again every second");
        databaseDown = true;
      })
      .finally(() => {
        if (stopped) return;
        if (transportDown) lane.parked = true;
        else lane.timer = setTimeout(() => tick(lane), delay);
      });
  };

  for (let i = 0; i < Math.max(1, options.parallelBatches); i++) {
    const lane: Lane = { running: Promise.resolve(), parked: false };
    lanes.push(lane);
    tick(lane);
  }
  return {
    async stop() {
      stopped = true;
      clearTimeout(probeTimer);
      for (const lane of lanes) clearTimeout(lane.timer);
      await Promise.all(lanes.map((lane) => lane.running));
      // What was sent but not yet written: one last try, so a clean stop leaves nothing to resend.
      if (ledger.owing) await ledger.settle(prisma).catch(() => undefined);
    },
  };
}
