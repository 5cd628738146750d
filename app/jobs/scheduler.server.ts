import type { PrismaClient } from "~/generated/prisma/client.ts";
import { newRequestId, runWithContext } from "~/log/context.server.ts";
import { describeError, logger } from "~/log/log.server.ts";
import { recordJobRun } from "~/observability/metrics.server.ts";

/**
 * Scheduled jobs (daily digests, reminders). Each job is a row in "ScheduledJob" with the
 * time it is next due, so a restart loses nothing: a run that was due while every process
 * was down happens at the next start. Every app and worker process runs the scheduler;
 * a due run is claimed with one conditional UPDATE (due and not leased), which exactly one
 * process wins. A process that dies mid-run leaves a lease that expires, and the run is
 * taken over; jobs are written so a repeated run does no harm.
 */
export interface Job {
  name: string;
  /** When the job is next due, after a run (or first registration) at `now`. */
  nextRunAfter(now: Date): Date;
  run(prisma: PrismaClient, now: Date): Promise<unknown>;
}

export interface SchedulerOptions {
  /** How long a claimed run may take before another process may take it over. */
  leaseMs: number;
  /** After a failed run, when to try again. */
  retryMs: number;
}

export const defaultSchedulerOptions: SchedulerOptions = { leaseMs: 15 * 60_000, retryMs: 5 * 60_000 };

/**
 * Runs that ended while the database was away, by job name: the end of the lease this
 * process holds (which names its claim) and what to write. A live process writes them
 * when the database returns rather than leaving its own lease to run out.
 */
export type UnrecordedRuns = Map<string, { lockedUntil: Date; data: RunRecord }>;
type RunRecord = { nextRunAt: Date; lockedUntil: null; lastError: string | null; lastRunAt?: Date };

/** Runs every job that is due at `now` and that this process wins. Returns the names run. */
export async function runDueJobs(
  prisma: PrismaClient,
  jobs: readonly Job[],
  now = new Date(),
  options: SchedulerOptions = defaultSchedulerOptions,
  unrecorded: UnrecordedRuns = new Map(),
): Promise<string[]> {
  for (const [name, { lockedUntil, data }] of unrecorded) {
    await prisma.scheduledJob.updateMany({ where: { name, lockedUntil }, data });
    unrecorded.delete(name);
  }
  const ran: string[] = [];
  // `now` is the scheduler's clock (tests pass their own); jobs run one after another, so
  // each one's start is `now` plus the time the earlier ones took.
  const began = performance.now();
  for (const job of jobs) {
    await prisma.scheduledJob.createMany({ data: [{ name: job.name, nextRunAt: job.nextRunAfter(now) }], skipDuplicates: true });
    const lockedUntil = new Date(now.getTime() + options.leaseMs);
    const claim = await prisma.scheduledJob.updateManyAndReturn({
      where: { name: job.name, nextRunAt: { lte: now }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] },
      data: { lockedUntil },
      select: { nextRunAt: true },
    });
    if (claim.length !== 1) continue;
    let data: RunRecord;
    const started = performance.now();
    const lagSeconds = Math.max(0, (now.getTime() + (started - began) - claim[0]!.nextRunAt.getTime()) / 1000);
    // The run's own id, in place of a request's: the emails it writes carry it, as a
    // request's do, so their delivery lines lead back to this run's line.
    const runId = newRequestId();
    const line = { job: job.name, requestId: runId, lagSeconds: Math.round(lagSeconds * 10) / 10 };
    try {
      await runWithContext({ requestId: runId }, () => job.run(prisma, now));
      data = { nextRunAt: job.nextRunAfter(now), lastRunAt: now, lockedUntil: null, lastError: null };
      ran.push(job.name);
      recordJobRun(job.name, lagSeconds, "done");
      logger().info({ ...line, durationMs: Math.round(performance.now() - started), outcome: "done" }, "job run");
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      recordJobRun(job.name, lagSeconds, "failed");
      logger().error({ ...line, durationMs: Math.round(performance.now() - started), outcome: "failed", error: describeError(error) }, "job run");
      data = { lockedUntil: null, lastError: message.slice(0, 1000), nextRunAt: new Date(now.getTime() + options.retryMs) };
    }
    try {
      // Only while the lease is still this run's: one that outlived it belongs to the next.
      await prisma.scheduledJob.updateMany({ where: { name: job.name, lockedUntil }, data });
    } catch (error) {
      unrecorded.set(job.name, { lockedUntil, data });
      throw error;
    }
  }
  return ran;
}

export function startJobLoop(prisma: PrismaClient, jobs: readonly Job[], intervalMs = 60_000): { stop: () => Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const unrecorded: UnrecordedRuns = new Map();
  const tick = () => {
    let delay = intervalMs;
    running = runDueJobs(prisma, jobs, new Date(), defaultSchedulerOptions, unrecorded)
      .catch((error: Error) => {
        logger().error({ error: describeError(error) }, "Scheduled jobs could not be run");
        // Most often the database went away: look again soon, to record what ran.
        delay = Math.min(intervalMs, 5_000);
      })
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, delay);
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
