/**
 * Transitions per second through applyWorkflowEvent (load, check, compute with XState,
 * then state + history + outbox in one version-guarded transaction, with recipients
 * looked up and emails rendered), against raw SQL doing the same three writes with the
 * same values, in the same run on the same PostgreSQL database.
 *
 *   npm run bench:transitions            # 4,000 transitions a side, 8 at a time
 *   BENCH_SIZE=400 npm run bench:transitions
 *
 * The last line is the ratio engine/raw; the exit code is 1 below 0.8.
 */
import { tmpdir } from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { setDatabase } from "~/db/database.server.ts";
import { createScratchDatabase } from "./support/scratch.ts";
import { applyWorkflowEvent } from "~/engine/apply-event.server.ts";
import { bidSubmissionFacts } from "~/bids/facts.server.ts";
import { actor, createPartnershipBid } from "./support/fixtures.ts";
import pino from "pino";
import { linesDestination, loggerOptions, setLogger } from "~/log/log.server.ts";

// Each transition and email writes a log line: measured as production writes it (JSON), and
// thrown away so that the results stay readable.
setLogger(pino({ ...loggerOptions(), level: "info" }, linesDestination("/dev/null")));

process.env.SESSION_SECRET ??= "bench-secret-long-enough-for-signing-0123456789";
process.env.DATA_DIR ??= path.join(tmpdir(), "springboard-bench");

const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const size = Number(process.env.BENCH_SIZE ?? 4000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
const target = 0.8;

const database = await createScratchDatabase(serverUrl);
setDatabase(database);
const raw = new pg.Pool({ connectionString: database.url, max: 10, options: "-c TimeZone=UTC" });
// An idle connection cut from the server's side (the scratch database dropped with FORCE at the
// end, once seen to arrive after the pool had ended) is an error event: without a listener it
// ended the process after the ratio was printed, with a failing exit code.
raw.on("error", () => undefined);

try {
  // Each worker has its own bid, so the two sides measure throughput, not contention.
  const engineBids = await Promise.all(Array.from({ length: concurrency }, () => createPartnershipBid()));
  const rawBids = await Promise.all(Array.from({ length: concurrency }, () => createPartnershipBid()));
  const facts = new Map(await Promise.all(engineBids.map(async (s) => [s.bid.id, await bidSubmissionFacts(database.prisma, s.bid.id)] as const)));

  // The raw side writes exactly what the engine writes for the same two events.
  const sample = engineBids[0]!;
  const asked = await applyWorkflowEvent("bid", sample.bid.id, {
    type: "REQUEST_CERTIFICATION",
    actor: actor(sample.officer),
    at: new Date().toISOString(),
    facts: facts.get(sample.bid.id)!,
  });
  if (!asked.ok) throw new Error(`Set-up failed: ${asked.reason}`);
  const awaiting = await database.prisma.bid.findUniqueOrThrow({ where: { id: sample.bid.id }, select: { snapshot: true } });
  await applyWorkflowEvent("bid", sample.bid.id, {
    type: "DECLINE_CERTIFICATION",
    actor: actor(sample.certifier),
    at: new Date().toISOString(),
    reason: "Bench",
  });
  const draft = await database.prisma.bid.findUniqueOrThrow({ where: { id: sample.bid.id }, select: { snapshot: true } });
  const email = await database.prisma.notification.findFirstOrThrow({ orderBy: { createdAt: "desc" } });

  async function engineCycle(setup: (typeof engineBids)[number]) {
    const a = await applyWorkflowEvent("bid", setup.bid.id, {
      type: "REQUEST_CERTIFICATION",
      actor: actor(setup.officer),
      at: new Date().toISOString(),
      facts: facts.get(setup.bid.id)!,
    });
    const b = await applyWorkflowEvent("bid", setup.bid.id, {
      type: "DECLINE_CERTIFICATION",
      actor: actor(setup.certifier),
      at: new Date().toISOString(),
      reason: "Costs need another look.",
    });
    if (!a.ok || !b.ok) throw new Error(`The engine refused a bench event: ${!a.ok ? a.reason : !b.ok ? b.reason : ""}`);
  }

  async function rawWrite(bidId: string, userId: string, from: string, to: string, event: string, snapshot: unknown) {
    const client = await raw.connect();
    try {
      await client.query("BEGIN");
      const updated = await client.query(
        `UPDATE "Bid" SET state = $2, snapshot = $3, version = version + 1, "updatedAt" = now() WHERE id = $1 AND version = (SELECT version FROM "Bid" WHERE id = $1)`,
        [bidId, to, JSON.stringify(snapshot)],
      );
      if (updated.rowCount !== 1) throw new Error("raw compare-and-set lost");
      const history = randomUUID();
      await client.query(
        `INSERT INTO "TransitionHistory" (id, "recordType", "recordId", "fromState", "toState", event, "actorUserId", "actorRole", reason, payload, at) VALUES ($1, 'bid', $2, $3, $4, $5, $6, 'councilOfficer', 'Costs need another look.', '{}', now())`,
        [history, bidId, from, to, event, userId],
      );
      await client.query(
        `INSERT INTO "Notification" (id, "transitionId", template, "toEmail", "toUserId", essential, data, "messageId", subject, text, html) VALUES ($1, $2, $3, $4, $5, true, $6, $7, $8, $9, $10)`,
        [
          randomUUID(),
          history,
          email.template,
          email.toEmail,
          email.toUserId,
          JSON.stringify(email.data),
          `<${randomUUID()}@springboard>`,
          email.subject,
          email.text,
          email.html,
        ],
      );
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK");
      throw error;
    } finally {
      client.release();
    }
  }

  async function rawCycle(setup: (typeof rawBids)[number]) {
    await rawWrite(setup.bid.id, setup.officer.id, "draft", "awaitingCertification", "REQUEST_CERTIFICATION", awaiting.snapshot);
    await rawWrite(setup.bid.id, setup.certifier.id, "awaitingCertification", "draft", "DECLINE_CERTIFICATION", draft.snapshot);
  }

  /** Runs `cycles` two-event cycles spread over the workers; returns transitions per second. */
  async function measure<T>(bids: T[], cycle: (bid: T) => Promise<void>, transitions: number): Promise<number> {
    const cpu0 = process.cpuUsage();
    const perWorker = Math.max(1, Math.round(transitions / 2 / bids.length));
    const started = performance.now();
    await Promise.all(
      bids.map(async (bid) => {
        for (let i = 0; i < perWorker; i++) await cycle(bid);
      }),
    );
    const cpu = process.cpuUsage(cpu0);
    if (process.env.BENCH_CPU) console.log(`node CPU per transition: ${((cpu.user + cpu.system) / 1000 / (perWorker * bids.length * 2)).toFixed(2)} ms`);
    return (perWorker * bids.length * 2) / ((performance.now() - started) / 1000);
  }

  // Warm both paths up with a round each, not timed: the engine runs far more JavaScript than
  // the raw side, and until V8 has compiled it (a few hundred calls of each function) its
  // first round ran at 0.65 to 0.75 of its later ones, which measured start-up, not the
  // steady state a running service is in. Then alternate rounds so that machine noise falls
  // on both sides.
  const rounds = 4;
  await measure(engineBids, engineCycle, size / rounds);
  await measure(rawBids, rawCycle, size / rounds);
  const engineRates: number[] = [];
  const rawRates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    engineRates.push(await measure(engineBids, engineCycle, size / rounds));
    rawRates.push(await measure(rawBids, rawCycle, size / rounds));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const engineRate = median(engineRates);
  const rawRate = median(rawRates);
  const ratio = engineRate / rawRate;
  console.log(`PostgreSQL, ${size} transitions a side, ${concurrency} at a time, ${rounds} alternating rounds (median)`);
  console.log(`applyWorkflowEvent: ${engineRate.toFixed(0)} transitions/s (rounds: ${engineRates.map((x) => x.toFixed(0)).join(", ")})`);
  console.log(`raw SQL, same writes: ${rawRate.toFixed(0)} transitions/s (rounds: ${rawRates.map((x) => x.toFixed(0)).join(", ")})`);
  console.log(`target: ratio at least ${target}`);
  console.log(`ratio ${ratio.toFixed(2)}`);
  process.exitCode = ratio >= target ? 0 : 1;
} finally {
  await raw.end();
  setDatabase(undefined);
  await database.close();
}
