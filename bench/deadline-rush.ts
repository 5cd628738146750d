/**
 * The deadline rush: BENCH_SIZE (default 500) certifiers sign off their council's bid at the
 * same moment, over HTTP, against the built service running on PostgreSQL. Checks that no
 * submission is lost or duplicated (and that a second, late click on each is refused), and
 * compares the submissions' p95 latency with a trivial route that reads one row (/status),
 * hit by the same number of requests at once, in the same run.
 *
 *   npm run bench:deadline-rush                    # 500 at once; target p95 ≤ 5× /status's
 *   BENCH_SIZE=40 BENCH_CHECK_ONLY=1 npm run bench:deadline-rush   # CI: correctness only
 *
 * The last line is `ratio <trivial p95 / submission p95>`; the target is 0.2 (at most 5×).
 * Exit code 1 on any lost or duplicated submission, or (unless BENCH_CHECK_ONLY) below target.
 */
import { randomUUID } from "node:crypto";
import { bidSections } from "~/bids/sections.ts";
import type { Prisma } from "~/generated/prisma/client.ts";
import { recordCreation } from "~/workflow/apply-event.server.ts";
import { applyWorkflowEvent } from "~/workflow/apply-event.server.ts";
import { bidSubmissionFacts } from "~/workflow/facts.server.ts";
import { defaultFundRules, startSnapshot, workflows } from "../workflows/index.ts";
import { londonNoonInDays, seedReferenceData } from "~/db/seed.server.ts";
import { actor } from "../tests/support/fixtures.ts";
import { signedInBrowser } from "../tests/support/requests.ts";
import { percentile, startService, rush, type Timed } from "./lib/service.ts";

process.env.SESSION_SECRET ??= "bench-secret-long-enough-for-signing-0123456789";
const size = Number(process.env.BENCH_SIZE ?? 500);
const checkOnly = process.env.BENCH_CHECK_ONLY === "1";
const target = 0.2;

const service = await startService();
const prisma = service.database.prisma;
let failed = false;
const fail = (message: string) => {
  failed = true;
  console.error(`FAIL: ${message}`);
};

try {
  console.log(`Setting up ${size} bids awaiting sign-off in one round…`);
  await seedReferenceData(prisma);
  const fund = await prisma.fund.create({ data: { slug: "rush", name: "Rush fund", summary: "Benchmark", rules: defaultFundRules as object } });
  const round = await prisma.round.create({
    data: {
      fundId: fund.id, slug: "rush-round", name: "Rush round", stage: "pilot",
      opensAt: londonNoonInDays(-30), closesAt: londonNoonInDays(1),
      capPence: defaultFundRules.caps.pilot, budgetPence: defaultFundRules.roundBudget,
      rules: defaultFundRules as object, guidance: "Benchmark round.",
    },
  });
  const signed = new Date("2019-01-01T00:00:00Z");
  const partners = await Promise.all(
    ["RUSHPA", "RUSHPB"].map((code) =>
      prisma.organisation.create({ data: { code, kind: "council", name: `${code} Council`, officialName: `${code} Council`, declarationSignedAt: signed } }),
    ),
  );
  const bids: { id: string; certifierId: string }[] = [];
  for (let i = 0; i < size; i++) {
    const lead = await prisma.organisation.create({
      data: { code: `RL${i}`, kind: "council", name: `Rush lead ${i}`, officialName: `Rush lead council ${i}`, declarationSignedAt: signed },
    });
    const [officer, certifier] = await Promise.all(
      (["councilOfficer", "certifier"] as const).map((role) =>
        prisma.user.create({ data: { email: `${role}-${i}@rush.example`, name: `${role} ${i}`, role, organisationId: lead.id } }),
      ),
    );
    const id = randomUUID();
    const snapshot = startSnapshot("bid", { bidId: id, roundId: round.id, leadOrganisationId: lead.id });
    await prisma.$transaction(async (tx) => {
      const bid = await tx.bid.create({
        data: {
          id, reference: `RUSH-${i}`, roundId: round.id, leadOrganisationId: lead.id, createdById: officer!.id,
          title: `Rush bid ${i}`, amountRequestedPence: 100_000_00, answers: { completed: bidSections.map((s) => s.key) },
          state: "draft", snapshot: snapshot as unknown as Prisma.InputJsonValue, machineVersion: workflows.bid.version,
          partners: { create: partners.map((p) => ({ organisationId: p.id, status: "accepted" })) },
        },
      });
      await recordCreation(tx, "bid", { ...bid, snapshot }, { ...actor(officer!), name: officer!.name }, new Date());
    });
    const asked = await applyWorkflowEvent("bid", id, {
      type: "REQUEST_CERTIFICATION", actor: actor(officer!), at: new Date().toISOString(), facts: await bidSubmissionFacts(prisma, id),
    });
    if (!asked.ok) throw new Error(`Set-up refused: ${asked.reason}`);
    bids.push({ id, certifierId: certifier!.id });
  }
  const browsers = await Promise.all(bids.map((b) => signedInBrowser(b.certifierId)));
  const historyBefore = await prisma.transitionHistory.count({ where: { event: "CERTIFY" } });

  const certify = (i: number) => () =>
    service.post(`/bids/${bids[i]!.id}/certify`, browsers[i]!, { decision: "approve", version: "1" });
  const status = () => service.get("/status");

  // Warm the service up (Remix build, prepared statements, connection pool) on both routes.
  await rush(Array.from({ length: 50 }, () => status));
  const trivialBefore = await rush(Array.from({ length: size }, () => status));
  const submissions = await rush(bids.map((_, i) => certify(i)));
  const trivialAfter = await rush(Array.from({ length: size }, () => status));
  // Everyone clicks again (a double click, a retry after a slow response): all refused.
  const late = await rush(bids.map((_, i) => certify(i)));

  // ---- correctness
  const redirected = submissions.filter((r: Timed) => r.status === 302 && r.location?.endsWith("/confirmation")).length;
  if (redirected !== size) fail(`${size - redirected} of ${size} submissions did not reach the confirmation page (statuses: ${summary(submissions)})`);
  const lateAccepted = late.filter((r) => r.status === 302 && r.location?.endsWith("/confirmation")).length;
  if (lateAccepted) fail(`${lateAccepted} repeated submissions were accepted a second time`);
  const submitted = await prisma.bid.count({ where: { roundId: round.id, state: "submitted" } });
  if (submitted !== size) fail(`${submitted} of ${size} bids are submitted`);
  const history = (await prisma.transitionHistory.count({ where: { event: "CERTIFY" } })) - historyBefore;
  if (history !== size) fail(`${history} CERTIFY history rows for ${size} submissions`);
  const confirmations = await prisma.notification.groupBy({ by: ["toEmail"], where: { template: "bid-confirmation" }, _count: { _all: true } });
  const certifierEmails = confirmations.filter((c) => c.toEmail.startsWith("certifier-"));
  if (certifierEmails.length !== size || certifierEmails.some((c) => c._count._all !== 1)) {
    fail(`confirmation emails: ${certifierEmails.length} certifiers emailed for ${size} bids, each should have exactly one`);
  }
  const references = await prisma.bid.findMany({ where: { roundId: round.id }, select: { reference: true } });
  if (new Set(references.map((r) => r.reference)).size !== size) fail("bid references are not unique");

  // ---- latency
  const trivial = [...trivialBefore, ...trivialAfter].map((r) => r.ms);
  const trivialP95 = percentile(trivial, 95);
  const submitP95 = percentile(submissions.map((r) => r.ms), 95);
  console.log(`trivial route (/status): p50 ${percentile(trivial, 50).toFixed(0)} ms, p95 ${trivialP95.toFixed(0)} ms (${size} at once, twice)`);
  console.log(`submissions: p50 ${percentile(submissions.map((r) => r.ms), 50).toFixed(0)} ms, p95 ${submitP95.toFixed(0)} ms (${size} at once); ${redirected} accepted, ${late.length - lateAccepted} repeats refused`);
  const ratio = trivialP95 / submitP95;
  console.log(`target: submission p95 at most 5x the trivial route's (ratio ≥ ${target})${checkOnly ? " — not enforced (BENCH_CHECK_ONLY)" : ""}`);
  console.log(`ratio ${ratio.toFixed(2)}`);
  if (!checkOnly && ratio < target) failed = true;
} finally {
  await service.stop();
}
process.exit(failed ? 1 : 0);

function summary(results: Timed[]) {
  const counts = new Map<string, number>();
  for (const r of results) counts.set(String(r.status), (counts.get(String(r.status)) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${s}×${n}`).join(", ");
}
