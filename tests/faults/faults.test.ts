/**
 * Faults: the built service as real processes on PostgreSQL (TEST_DATABASE_URL), killed,
 * cut off from its database, and doubled up. Each test checks the promise that matters to a
 * council: a change is made completely or not at all, and every email of a change that was
 * made is delivered, once.
 */
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { setDatabase, type Database } from "~/db/database.server.ts";
import { createScratchDatabase } from "../../bench/support/scratch.ts";
import { bidsAwaitingSignOff, inconsistentBids, signOff } from "../../bench/support/rush.ts";
import { rush, startApp, startWorker, type AppProcess } from "../../bench/support/service.ts";
import { startSmtpSink, type SmtpSink } from "../support/smtp.ts";

let database: Database & { url?: string };
const running: { stop(): Promise<void> }[] = [];

beforeAll(async () => {
  database = await createScratchDatabase(process.env.TEST_DATABASE_URL);
  setDatabase(database);
  // The first start migrates the scratch database and seeds the register.
  const first = await startApp(database.url!);
  await first.stop();
});

// A process left running by a failed test would deliver the next test's emails elsewhere.
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

afterAll(async () => {
  await Promise.all(sinks.map((s) => s.close()));
  await database?.close();
});

const sinks: SmtpSink[] = [];
async function newSink() {
  const sink = await startSmtpSink();
  sinks.push(sink);
  return sink;
}

// The service's connections are named so that a test can cut them (and not its own).
const APP_NAME = "springboard-under-test";

async function app(env: Record<string, string> = {}): Promise<AppProcess> {
  const started = await startApp(database.url!, { PGAPPNAME: APP_NAME, ...env });
  running.push(started);
  return started;
}

async function waitFor(what: string, check: () => Promise<boolean>, seconds = 60) {
  const deadline = Date.now() + seconds * 1000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const prisma = () => database.prisma;
const submittedIn = (roundId: string) => prisma().bid.count({ where: { roundId, state: "submitted" } });

/**
 * Every outbox row is delivered, and the sink got each Message-ID exactly once. After a
 * database outage too: a worker that sent a message and could not mark it keeps that in
 * memory and marks it when the database returns, and hands back at once a claim whose answer
 * it lost, so nothing waits for the 2-minute lease or goes twice (docs/decisions/0006).
 */
async function expectEveryEmailDelivered(sink: SmtpSink, roundId: string, since: Date) {
  await waitFor("the outbox to empty", async () => (await prisma().notification.count({ where: { status: { in: ["pending", "sending"] } } })) === 0, 60);
  // This test's emails: earlier tests delivered theirs to their own sinks.
  const sent = await prisma().notification.findMany({ where: { status: "sent", createdAt: { gte: since } }, select: { messageId: true } });
  await waitFor("the sink to receive every message", async () => sink.messages.length >= sent.length, 10);
  const received = sink.messages.map((m) => m.messageId);
  expect(received.length - new Set(received).size).toBe(0);
  expect(new Set(received)).toEqual(new Set(sent.map((n) => n.messageId)));
  expect(await prisma().notification.count({ where: { status: "failed" } })).toBe(0);
  const certified = await prisma().transitionHistory.findMany({
    where: { event: "CERTIFY", recordId: { in: (await prisma().bid.findMany({ where: { roundId }, select: { id: true } })).map((b) => b.id) } },
    select: { id: true },
  });
  // Each sign-off that was recorded has its confirmation in the outbox, written with it.
  for (const transition of certified) {
    expect(await prisma().notification.count({ where: { transitionId: transition.id, template: "bid-confirmation" } })).toBe(1);
  }
}

describe("faults", () => {
  it("a server killed in the middle of a burst of sign-offs leaves every bid as it was or fully signed off, and delivers every recorded sign-off's emails once", async () => {
    const since = new Date();
    const { round, bids } = await bidsAwaitingSignOff(prisma(), 80, "K");
    const first = await app();
    const burst = rush(bids.map((b) => () => first.post(`/bids/${b.id}/certify`, b.certifier, signOff)));
    await waitFor("some sign-offs to commit", async () => (await submittedIn(round.id)) >= 5);
    await first.kill();
    const answers = await burst;

    const committed = await submittedIn(round.id);
    expect(answers.some((a) => a.status === 0)).toBe(true);
    expect(committed).toBeLessThan(bids.length);
    expect(await inconsistentBids(prisma(), round.id)).toEqual([]);
    // Nothing half-made: a bid not signed off has no sign-off, no confirmation, no new version.
    const untouched = await prisma().bid.findMany({ where: { roundId: round.id, state: "awaitingCertification" }, select: { id: true, version: true } });
    expect(untouched.length).toBe(bids.length - committed);
    for (const bid of untouched) {
      expect(bid.version).toBe(1);
      expect(await prisma().transitionHistory.count({ where: { recordId: bid.id, event: "CERTIFY" } })).toBe(0);
    }

    // After a restart, with delivery on, the certifiers whose answer never came try again.
    const sink = await newSink();
    const second = await app({ RUN_WORKER: "true", SMTP_URL: sink.url });
    const retried = await rush(bids.map((b) => () => second.post(`/bids/${b.id}/certify`, b.certifier, signOff)));
    expect(retried.every((r) => r.status === 302)).toBe(true);
    expect(await submittedIn(round.id)).toBe(bids.length);
    expect(await prisma().transitionHistory.count({ where: { event: "CERTIFY", recordId: { in: bids.map((b) => b.id) } } })).toBe(bids.length);
    expect(await inconsistentBids(prisma(), round.id)).toEqual([]);
    await expectEveryEmailDelivered(sink, round.id, since);
    await second.stop();
  });

  it("recovers by itself when PostgreSQL drops every connection and refuses new ones for a while", async () => {
    const since = new Date();
    const { round, bids } = await bidsAwaitingSignOff(prisma(), 30, "P");
    const sink = await newSink();
    const service = await app({ RUN_WORKER: "true", SMTP_URL: sink.url });
    const name = new URL(database.url!).pathname.slice(1);
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    try {
      // What the service sees of a PostgreSQL restart: every connection is cut, and for a few
      // seconds new connections are refused. (Restarting the shared server itself would
      // disturb every other test running against it.)
      const load = rush(bids.map((b) => () => service.post(`/bids/${b.id}/certify`, b.certifier, signOff)));
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = $2`, [name, APP_NAME]);
      const during = await service.get("/status");
      expect(during.status).toBe(503);
      // People get the same answer as a page, not an error.
      const page = await fetch(`${service.url}/service-status`);
      expect(page.status).toBe(503);
      expect(await page.text()).toContain("Springboard cannot reach its database");
      await new Promise((r) => setTimeout(r, 2000));
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      await load;
    } finally {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`).catch(() => undefined);
      await admin.end();
    }
    // The same process answers again, without a restart.
    await waitFor("the service to answer again", async () => (await service.get("/status")).status === 200, 30);
    expect(await inconsistentBids(prisma(), round.id)).toEqual([]);
    const retried = await rush(bids.map((b) => () => service.post(`/bids/${b.id}/certify`, b.certifier, signOff)));
    expect(retried.every((r) => r.status === 302)).toBe(true);
    expect(await submittedIn(round.id)).toBe(bids.length);
    await expectEveryEmailDelivered(sink, round.id, since);
    await service.stop();
  });

  it("two app processes and two workers on one PostgreSQL lose and duplicate nothing", async () => {
    const since = new Date();
    const { round, bids } = await bidsAwaitingSignOff(prisma(), 60, "D");
    const sink = await newSink();
    const [a, b] = await Promise.all([app(), app()]);
    const workers = [startWorker(database.url!, { SMTP_URL: sink.url }), startWorker(database.url!, { SMTP_URL: sink.url })];
    running.push(...workers);
    // Every certifier's click reaches both app processes at once (a double click spread by a
    // load balancer): exactly one sign-off each.
    const answers = await rush(
      bids.flatMap((bid) => [() => a.post(`/bids/${bid.id}/certify`, bid.certifier, signOff), () => b.post(`/bids/${bid.id}/certify`, bid.certifier, signOff)]),
    );
    expect(answers.filter((r) => r.status === 302 && r.location?.endsWith("/confirmation")).length).toBeGreaterThanOrEqual(bids.length);
    expect(answers.every((r) => r.status === 302 || r.status === 400)).toBe(true);
    expect(await submittedIn(round.id)).toBe(bids.length);
    expect(await prisma().transitionHistory.count({ where: { event: "CERTIFY", recordId: { in: bids.map((x) => x.id) } } })).toBe(bids.length);
    expect(await inconsistentBids(prisma(), round.id)).toEqual([]);
    await expectEveryEmailDelivered(sink, round.id, since);
    await Promise.all([a.stop(), b.stop(), ...workers.map((w) => w.stop())]);
  });
});
