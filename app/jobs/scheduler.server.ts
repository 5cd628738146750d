import type { PrismaClient } from "~/generated/prisma/client.ts";

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

/** Runs every job that is due at `now` and that this process wins. Returns the names run. */
export async function runDueJobs(
  prisma: PrismaClient,
  jobs: readonly Job[],
  now = new Date(),
  options: SchedulerOptions = defaultSchedulerOptions,
): Promise<string[]> {
  const ran: string[] = [];
  for (const job of jobs) {
    await prisma.scheduledJob.createMany({ data: [{ name: job.name, nextRunAt: job.nextRunAfter(now) }], skipDuplicates: true });
    const claim = await prisma.scheduledJob.updateMany({
      where: { name: job.name, nextRunAt: { lte: now }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] },
      data: { lockedUntil: new Date(now.getTime() + options.leaseMs) },
    });
    if (claim.count !== 1) continue;
    try {
      await job.run(prisma, now);
      await prisma.scheduledJob.update({
        where: { name: job.name },
        data: { nextRunAt: job.nextRunAfter(now), lastRunAt: now, lockedUntil: null, lastError: null },
      });
      ran.push(job.name);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      console.error(`Scheduled job ${job.name} failed:`, message);
      await prisma.scheduledJob.update({
        where: { name: job.name },
        data: { lockedUntil: null, lastError: message.slice(0, 1000), nextRunAt: new Date(now.getTime() + options.retryMs) },
      });
    }
  }
  return ran;
}

export function startJobLoop(prisma: PrismaClient, jobs: readonly Job[], intervalMs = 60_000): { stop: () => Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = runDueJobs(prisma, jobs)
      .catch((error: Error) => console.error("Scheduled jobs failed to run:", error.message))
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

/** The wall-clock offset of Europe/London from UTC at `at`, in minutes (0 or 60). */
function londonOffsetMinutes(at: Date): number {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/London",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    hourCycle: "h23",
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"));
  return Math.round((asUtc - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000);
}

/** The first moment strictly after `after` when it is `hour`:00 in London (clock changes included). */
export function nextLondonHour(after: Date, hour: number): Date {
  const londonNow = new Date(after.getTime() + londonOffsetMinutes(after) * 60_000);
  for (let day = 0; day <= 2; day++) {
    const guess = Date.UTC(londonNow.getUTCFullYear(), londonNow.getUTCMonth(), londonNow.getUTCDate() + day, hour);
    // Interpret the London wall-clock time with the offset in force then.
    const candidate = new Date(guess - londonOffsetMinutes(new Date(guess)) * 60_000);
    if (candidate.getTime() > after.getTime()) return candidate;
  }
  throw new Error("unreachable");
}
