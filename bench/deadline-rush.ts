/**
 * The deadline rush: BENCH_SIZE (default 500) certifiers sign off their council's bid at the
 * same moment, over HTTP, against the built service running on PostgreSQL. Checks that no
 * submission is lost or duplicated (and that a second click on each records nothing new),
 * and compares the submissions' p95 latency with a trivial route that reads one row
 * (/status), hit by the same number of requests at once, in the same run.
 *
 *   npm run build && npm run bench:deadline-rush           # 500 at once; p95 ≤ 3× /status's
 *   BENCH_SIZE=40 BENCH_CHECK_ONLY=1 npm run bench:deadline-rush   # CI: correctness only
 *
 * The last line is `ratio <trivial p95 / submission p95>`; the target is 0.33 (at most 3×).
 * Exit code 1 on any lost or duplicated submission, or (unless BENCH_CHECK_ONLY) below target.
 */
import { setDatabase } from "~/db/database.server.ts";
import { createScratchDatabase } from "./support/scratch.ts";
import { bidsAwaitingSignOff, inconsistentBids, signOff } from "./support/rush.ts";
import { percentile, requireBuild, rush, startApp, type Timed } from "./support/service.ts";
import pino from "pino";
import { linesDestination, loggerOptions, setLogger } from "~/log/log.server.ts";

// The set-up sends every bid for sign-off through the engine in this process; its log lines
// are not what is measured (the service's own are, in its process), so they are thrown away.
setLogger(pino({ ...loggerOptions(), level: "info" }, linesDestination("/dev/null")));

process.env.SESSION_SECRET ??= "bench-secret-long-enough-for-signing-0123456789";
const size = Number(process.env.BENCH_SIZE ?? 500);
const checkOnly = process.env.BENCH_CHECK_ONLY === "1";
const target = 0.33;

requireBuild();
const database = await createScratchDatabase(
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres",
);
setDatabase(database);
const prisma = database.prisma;
let failed = false;
const fail = (message: string) => {
  failed = true;
  console.error(`FAIL: ${message}`);
};

// The app migrates the empty database and seeds the register as it starts.
const app = await startApp(database.url!);
try {
  console.log(`Setting up ${size} bids awaiting sign-off in one round…`);
  const { round, bids } = await bidsAwaitingSignOff(prisma, size);
  const certify = (i: number) => () => app.post(`/bids/${bids[i]!.id}/certify`, bids[i]!.certifier, signOff);
  const status = () => app.get("/status");

  // Warm the service up (prepared statements, connection pool, code paths) on both routes.
  await rush(Array.from({ length: 50 }, () => status));
  const trivialBefore = await rush(Array.from({ length: size }, () => status));
  const submissions = await rush(bids.map((_, i) => certify(i)));
  const trivialAfter = await rush(Array.from({ length: size }, () => status));
  // Everyone clicks again (a double click, a retry after a slow answer).
  const late = await rush(bids.map((_, i) => certify(i)));

  // ---- correctness: none lost, none duplicated
  const accepted = submissions.filter((r) => r.status === 302 && r.location?.endsWith("/confirmation")).length;
  if (accepted !== size) fail(`${size - accepted} of ${size} submissions did not reach the confirmation page (${summary(submissions)})`);
  // A repeated click by the same certifier is answered as done; it must record nothing.
  const answered = late.filter((r) => r.status === 302).length;
  if (answered !== size) fail(`${size - answered} repeated clicks got an error (${summary(late)})`);
  const submitted = await prisma.bid.count({ where: { roundId: round.id, state: "submitted" } });
  if (submitted !== size) fail(`${submitted} of ${size} bids are submitted`);
  const certified = await prisma.transitionHistory.count({ where: { event: "CERTIFY" } });
  if (certified !== size) fail(`${certified} sign-offs recorded for ${size} bids`);
  const bad = await inconsistentBids(prisma, round.id);
  if (bad.length) fail(`${bad.length} bids whose state disagrees with their history`);
  // The confirmation, with a copy of the answers, goes to the lead council's officer once.
  const confirmations = await prisma.notification.groupBy({ by: ["toEmail"], where: { template: "bid-confirmation" }, _count: { _all: true } });
  if (confirmations.length !== size || confirmations.some((c) => c._count._all !== 1)) {
    fail(`confirmation emails: ${confirmations.length} officers emailed for ${size} bids, each should have exactly one`);
  }

  // ---- latency
  const trivial = [...trivialBefore, ...trivialAfter].map((r) => r.ms);
  const submitMs = submissions.map((r) => r.ms);
  const trivialP95 = percentile(trivial, 95);
  const submitP95 = percentile(submitMs, 95);
  console.log(
    `trivial route (/status, reads one row): p50 ${percentile(trivial, 50).toFixed(0)} ms, p95 ${trivialP95.toFixed(0)} ms (${size} at once, before and after)`,
  );
  console.log(
    `sign-offs: p50 ${percentile(submitMs, 50).toFixed(0)} ms, p95 ${submitP95.toFixed(0)} ms (${size} at once); ${accepted} accepted, ${size} repeats recorded nothing`,
  );
  const ratio = trivialP95 / submitP95;
  console.log(`target: sign-off p95 at most 3x the trivial route's (ratio ≥ ${target})${checkOnly ? "; not enforced (BENCH_CHECK_ONLY)" : ""}`);
  console.log(`ratio ${ratio.toFixed(2)}`);
  if (!checkOnly && ratio < target) failed = true;
} finally {
  await app.stop();
  await database.close();
}
process.exit(failed ? 1 : 0);

function summary(results: Timed[]) {
  const counts = new Map<string, number>();
  for (const r of results) counts.set(String(r.status), (counts.get(String(r.status)) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${s}×${n}`).join(", ");
}
