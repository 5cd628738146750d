/**
 * The database and the SMTP server going away under the running service: two app processes
 * and a worker (the built service, real processes) on a PostgreSQL server of this file's own,
 * which it restarts while sign-offs are inside their transactions. Nothing may end a process;
 * the service must be green again within seconds of its database, and email must neither wait
 * for the 2-minute lease nor be sent twice.
 */
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { sealAuditChain, verifyAuditChain } from "~/audit/chain.server.ts";
import { setDatabase, type Database } from "~/db/database.server.ts";
import { createScratchDatabase } from "../../bench/support/scratch.ts";
import { createTransport, deliverDue, DeliveryLedger, defaultDeliveryOptions } from "~/mail/delivery.server.ts";
import { enqueueEmail } from "~/mail/outbox.server.ts";
import { templates } from "../../emails/index.ts";
import { startPrivatePostgres, type PrivatePostgres } from "../support/private-postgres.ts";
import { bidsAwaitingSignOff, inconsistentBids, signOff } from "../../bench/support/rush.ts";
import { rush, startApp, startWorker, type AppProcess } from "../../bench/support/service.ts";
import { startSmtpSink, type SmtpSink } from "../support/smtp.ts";

let server: PrivatePostgres;
let database: Database & { url?: string };
const running: { stop(): Promise<void> }[] = [];
const sinks: SmtpSink[] = [];

// The service's connections are named so that the test can see their transactions.
const APP_NAME = "springboard-under-test";
const WORKER_NAME = "springboard-worker-under-test";

beforeAll(async () => {
  server = await startPrivatePostgres();
  database = await createScratchDatabase(server.url);
  setDatabase(database);
  // The first start migrates the database and seeds the register.
  const first = await startApp(database.url!);
  await first.stop();
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
  await Promise.all(sinks.splice(0).map((s) => s.close()));
});

afterAll(async () => {
  try {
    await database?.close();
  } finally {
    // Always, so that no server or data folder outlives a failed run.
    await server?.close();
  }
});

async function app(env: Record<string, string> = {}): Promise<AppProcess> {
  // No drain before stopping: nothing balances load here, and each stop would wait for it.
  const started = await startApp(database.url!, { PGAPPNAME: APP_NAME, SHUTDOWN_DRAIN_SECONDS: "0", ...env });
  running.push(started);
  return started;
}

/**
 * A worker process, once it is delivering: one of its connections has run the outbox's claim
 * (springboard_claim_emails), which is the last statement of every connection of an idle
 * worker and of most of a busy one's. (Looking for the mark's "claimToken" instead missed a
 * worker that had already sent what was waiting: its connections' last statements were
 * claims again by the time anyone looked.)
 */
async function worker(env: Record<string, string>) {
  const started = startWorker(database.url!, { PGAPPNAME: WORKER_NAME, ...env });
  running.push(started);
  await waitFor(
    "the worker to start delivering",
    async () =>
      (
        await prisma().$queryRawUnsafe<unknown[]>(
          `SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND query LIKE '%springboard\\_claim\\_emails%'`,
          WORKER_NAME,
        )
      ).length > 0,
    60,
  );
  return started;
}

async function sink(port = 0) {
  // A stopped sink cuts its open connections after half a second, as a server going down does.
  const started = await startSmtpSink(port, { closeTimeoutMs: 500 });
  sinks.push(started);
  return started;
}

/** Polls `check` until it holds; fails after `seconds`. Database errors count as "not yet". */
async function waitFor(what: string, check: () => Promise<boolean>, seconds: number) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`Gave up waiting ${seconds} s: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const prisma = () => database.prisma;
const submittedIn = (roundId: string) => prisma().bid.count({ where: { roundId, state: "submitted" } });
const unsent = () => prisma().notification.count({ where: { status: { in: ["pending", "sending"] } } });

/** Transactions the service's processes have open right now. */
async function openTransactions(admin: pg.Client): Promise<number> {
  const { rows } = await admin.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND xact_start IS NOT NULL AND state <> 'idle'`,
    [APP_NAME],
  );
  return rows[0]!.n;
}

/** Each sent row's Message-ID arrived, and none arrived more than once. */
async function expectEachSentOnce(received: SmtpSink[], since: Date) {
  const sent = await prisma().notification.findMany({ where: { status: "sent", createdAt: { gte: since } }, select: { messageId: true } });
  const ids = () => received.flatMap((s) => s.messages.map((m) => m.messageId));
  await waitFor("the sink to receive every message", async () => ids().length >= sent.length, 10);
  expect(sent.length).toBeGreaterThan(0);
  expect(ids().length).toBe(new Set(ids()).size);
  expect(new Set(ids())).toEqual(new Set(sent.map((n) => n.messageId)));
  expect(await prisma().notification.count({ where: { status: "failed" } })).toBe(0);
}

describe("the database restarting under the service", () => {
  it("ends no process, answers 503 while it is away, and is green, consistent and delivered within seconds of its return, with no email sent twice", async () => {
    const since = new Date();
    const { round, bids } = await bidsAwaitingSignOff(prisma(), 150, "X");
    const mail = await sink();
    const [a, b] = await Promise.all([app(), app()]);
    const delivery = await worker({ SMTP_URL: mail.url });
    const processes = [a, b, delivery];

    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    // The admin connection is cut too: its error is expected.
    admin.on("error", () => undefined);
    // Every certifier clicks at once, spread over the two app processes.
    const burst = rush(bids.map((bid, i) => () => (i % 2 ? a : b).post(`/bids/${bid.id}/certify`, bid.certifier, signOff)));
    // Holds a lock every sign-off's audit row waits for, from its own connection (pg_stat_activity
    // read inside one transaction would not change between polls).
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    holder.on("error", () => undefined);
    try {
      // The cut lands while sign-offs are inside their transactions (the case that ended both
      // app processes: an `error` event on a connection checked out for a transaction).
      // Some have committed by then, so their emails are being sent as the database goes. A
      // sign-off is one short statement, too short to be caught in flight by polling on a
      // quick machine: once some have committed, the rest are held inside their transactions
      // by a lock on the audit log, which each one's audit row must wait for.
      await waitFor("sign-offs committed", async () => (await submittedIn(round.id)) >= 10, 60);
      await holder.query("BEGIN");
      await holder.query('LOCK TABLE "AuditEvent" IN SHARE ROW EXCLUSIVE MODE');
      await waitFor("sign-offs inside open transactions", async () => (await openTransactions(admin)) >= 1, 60);
      await server.stop();

      // Away: monitors and people get a plain "not now", from the same processes.
      for (const service of [a, b]) {
        expect((await service.get("/status")).status).toBe(503);
        const page = await fetch(`${service.url}/service-status`);
        expect(page.status).toBe(503);
        expect(await page.text()).toContain("Springboard cannot reach its database");
      }
      await new Promise((r) => setTimeout(r, 1500));
      expect(processes.map((p) => p.exited())).toEqual([false, false, false]);
    } finally {
      await server.start();
    }
    const back = Date.now();
    // Every process is healthy again within 10 s of its database, without a restart.
    await waitFor(
      "both app processes to answer /healthz and /status",
      async () => (await Promise.all([a, b].flatMap((s) => [s.get("/healthz"), s.get("/status")]))).every((r) => r.status === 200),
      10,
    );
    const answers = await burst;
    // No request lost its connection: the processes that took them are still there.
    expect(answers.filter((r) => r.status === 0)).toEqual([]);
    // The cut did hit requests (otherwise this test proves nothing): those it hit were told
    // to try again (503), not that the service is broken.
    expect(answers.some((r) => r.status === 503)).toBe(true);
    expect(answers.filter((r) => r.status >= 500 && r.status !== 503)).toEqual([]);
    expect(await inconsistentBids(prisma(), round.id)).toEqual([]);

    // Mail claimed, sent or written around the cut goes within 10 s of the database's
    // return (or of the last request that was still running then), not after the lease.
    const burstEnded = Date.now();
    await waitFor("the outbox to drain", async () => (await unsent()) === 0, Math.max(10, (back + 10_000 - burstEnded) / 1000));

    // The certifiers whose sign-off did not go through try again, and all succeed.
    const done = new Set((await prisma().bid.findMany({ where: { roundId: round.id, state: "submitted" }, select: { id: true } })).map((x) => x.id));
    const retried = await rush(bids.filter((x) => !done.has(x.id)).map((x, i) => () => (i % 2 ? a : b).post(`/bids/${x.id}/certify`, x.certifier, signOff)));
    expect(retried.every((r) => r.status === 302)).toBe(true);
    expect(await submittedIn(round.id)).toBe(bids.length);
    expect(await inconsistentBids(prisma(), round.id)).toEqual([]);
    await waitFor("the outbox to drain after the retries", async () => (await unsent()) === 0, 30);

    // The bound proved here: with the SMTP server up throughout, no message goes twice. A
    // message sent while the database was away is recorded as sent when it returns (the
    // worker keeps it in memory), and a lost claim is handed back unsent.
    await expectEachSentOnce([mail], since);
    const certified = await prisma().transitionHistory.findMany({ where: { event: "CERTIFY", recordId: { in: bids.map((x) => x.id) } }, select: { id: true } });
    expect(certified).toHaveLength(bids.length);
    for (const transition of certified) {
      expect(await prisma().notification.count({ where: { transitionId: transition.id, template: "bid-confirmation" } })).toBe(1);
    }
    // Every change was audited, and the chain verifies.
    await sealAuditChain(database);
    expect(await verifyAuditChain(database)).toMatchObject({ ok: true });
    expect(processes.map((p) => p.exited())).toEqual([false, false, false]);
    await admin.end().catch(() => undefined);
    await holder.end().catch(() => undefined);
  });

  it("a worker that sent a message and lost the database before marking it records it when the database returns, and never sends it again", async () => {
    await prisma().notification.deleteMany();
    let release!: () => void;
    let accepting!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const reached = new Promise<void>((r) => (accepting = r));
    const mail = await sink();
    const holding = await startSmtpSink(0, {
      beforeAccept: () => {
        accepting();
        return held;
      },
    });
    sinks.push(holding);
    const template = templates["bid-submitted"]!;
    const row = await enqueueEmail(prisma(), { template: template.name, to: "held@example.test", data: template.sample });
    // A worker of its own, with its own pool, as a separate process would have.
    const { openPostgres } = await import("~/db/open.server.ts");
    const workerDb = await openPostgres(database.url!);
    const transport = createTransport(holding.url);
    const ledger = new DeliveryLedger();
    try {
      const batch = deliverDue(workerDb.prisma, transport, defaultDeliveryOptions, ledger);
      // The SMTP server has the message; the database goes before the worker can mark it.
      await reached;
      try {
        await server.stop();
        release();
        await expect(batch).rejects.toThrow();
        expect(ledger.owing).toBe(true);
      } finally {
        await server.start();
      }
      // The next batch writes what it kept first, and finds nothing to send.
      const next = await deliverDue(workerDb.prisma, createTransport(mail.url), defaultDeliveryOptions, ledger);
      expect(next.claimed).toBe(0);
      expect(ledger.owing).toBe(false);
      const stored = await prisma().notification.findUniqueOrThrow({ where: { id: row.id } });
      expect(stored).toMatchObject({ status: "sent", attempts: 1, claimToken: null, lockedUntil: null });
      expect(holding.messages.map((m) => m.messageId)).toEqual([row.messageId]);
      expect(mail.messages).toEqual([]);
    } finally {
      release();
      transport.close();
      await workerDb.close();
    }
  });
});

describe("the SMTP server going away", () => {
  it("pauses delivery without spending retries, and drains within 10 s of the server's return, sending nothing twice", async () => {
    const since = new Date();
    const { bids } = await bidsAwaitingSignOff(prisma(), 40, "M");
    const first = await sink();
    const service = await app();
    const delivery = await worker({ SMTP_URL: first.url });
    // A few go through first, so the worker holds open pooled connections when the server stops.
    const early = await rush(bids.slice(0, 5).map((bid) => () => service.post(`/bids/${bid.id}/certify`, bid.certifier, signOff)));
    expect(early.every((r) => r.status === 302)).toBe(true);
    await waitFor("the first emails to go", async () => (await unsent()) === 0, 30);

    await first.close();
    const later = await rush(bids.slice(5).map((bid) => () => service.post(`/bids/${bid.id}/certify`, bid.certifier, signOff)));
    expect(later.every((r) => r.status === 302)).toBe(true);
    // The worker meets the stopped server, and stops trying each message in turn.
    await waitFor("the worker to find the SMTP server gone", async () => (await prisma().notification.count({ where: { lastError: { not: null } } })) > 0, 30);
    await new Promise((r) => setTimeout(r, 12_000));
    const waiting = await prisma().notification.findMany({ where: { status: { not: "sent" }, createdAt: { gte: since } } });
    expect(waiting.length).toBeGreaterThan(0);
    // Not the messages' fault: none failed, none was charged an attempt or pushed back.
    expect(waiting.every((n) => n.status === "pending" && n.attempts === 0 && n.nextAttemptAt.getTime() <= Date.now())).toBe(true);
    expect(delivery.exited()).toBe(false);

    const second = await sink(first.port);
    await waitFor("the outbox to drain", async () => (await unsent()) === 0, 10);
    await expectEachSentOnce([first, second], since);
    expect(delivery.exited()).toBe(false);
  });
});
