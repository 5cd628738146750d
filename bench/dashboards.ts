/**
 * The dashboards at scale: BENCH_BIDS (default 100,000) bids in one round and BENCH_PROJECTS
 * (default 10,000) funded projects, over HTTP against the built service on PostgreSQL.
 * Times the fund team's portfolio, the assessor queue (the fund team's round progress and
 * an assessor's own list of thousands of assignments) and the ranked list (decisions), each
 * against a trivial route that reads one row (/service-status: a page in the same layout,
 * for the same signed-in user; decision 0010), in the same run, at the same concurrency,
 * alternating so machine noise falls on both.
 *
 *   npm run build && npm run bench:dashboards                          # p95 ≤ 3× /service-status's
 *   BENCH_BIDS=3000 BENCH_PROJECTS=300 BENCH_CHECK_ONLY=1 npm run bench:dashboards   # CI
 *
 * The last line is `ratio <trivial p95 / worst page p95>`; the target is 1/3 (at most 3×).
 * Exit code 1 on any wrong answer (a page not 200, or not showing the generated data's
 * totals and first rows), or (unless BENCH_CHECK_ONLY) below target.
 *
 * The data is written with set-based SQL (INSERT … SELECT FROM unnest(…)), not through the
 * service: the rows are built in Node from a deterministic formula, so the expected ranking
 * can be worked out here with the pure ranking code (app/funding/ranking.ts) as the oracle.
 */
import { randomUUID } from "node:crypto";
import { moderatedCriterionScores, weightedScore, disagreements, type CriterionScores } from "~/assessment/scoring.ts";
import { setDatabase } from "~/db/database.server.ts";
import { createScratchDatabase } from "./support/scratch.ts";
import { rankAndDrawLine, type RankInput } from "~/funding/ranking.ts";
import { formatMoney } from "~/utils/format.ts";
import { refreshRoundScores } from "~/funding/stored-scores.server.ts";
import { rebuildTallies } from "~/dashboards/tallies.server.ts";
import { applyEvent, defaultFundRules, startSnapshot, workflows, type PersistedSnapshot, type WorkflowKind } from "../workflows/index.ts";
import { signedInBrowser } from "./support/requests.ts";
import { percentile, requireBuild, startApp, type Timed } from "./support/service.ts";

process.env.SESSION_SECRET ??= "bench-secret-long-enough-for-signing-0123456789";
const bidCount = Number(process.env.BENCH_BIDS ?? 100_000);
const projectCount = Number(process.env.BENCH_PROJECTS ?? 10_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 10);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
const checkOnly = process.env.BENCH_CHECK_ONLY === "1";
const target = 1 / 3; // p95 at most 3x the trivial page's
const ASSESSORS = Math.max(2, Math.ceil(bidCount / 1500)); // about 3,000 assignments each at full size

requireBuild();
const database = await createScratchDatabase(process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
setDatabase(database);
const sql = database.sql;
let failed = false;
const fail = (message: string) => {
  failed = true;
  console.error(`FAIL: ${message}`);
};

const rules = defaultFundRules;
const criteria = rules.assessment.criteria;
const { min, max } = rules.assessment.scale;
const at = "2026-03-01T12:00:00.000Z";

// ---------------------------------------------------------------- snapshots
// One snapshot per state, made by driving the pure machines. Every generated row of a state
// gets the same snapshot, so the ids inside its context do not match the row: harmless for
// read-only dashboards, which read state and columns, never the context's ids.
function drive(kind: WorkflowKind, start: PersistedSnapshot, events: Record<string, unknown>[]): Map<string, PersistedSnapshot> {
  const byState = new Map<string, PersistedSnapshot>([[String(start.value), start]]);
  let snapshot = start;
  for (const event of events) {
    const result = applyEvent(kind, snapshot, { actor: { userId: "bench", role: "fundTeam", organisationId: "bench" }, at, ...event } as never);
    if (!result.ok) throw new Error(`${kind} ${String(event.type)}: ${result.reason}`);
    snapshot = result.snapshot;
    byState.set(result.to, snapshot);
  }
  return byState;
}

const councils = [0, 1, 2].map((i) => ({ organisationId: `c${i}`, name: `Council ${i}`, kind: "council", role: i ? "partner" : "lead", signedDeclaration: true }));
const submission = {
  rules, deadline: "2026-12-31T12:00:00.000Z", stage: "pilot", amountRequestedPence: 100_000_00, capPence: rules.caps.pilot,
  councils, leadBidsInRound: 1, incompleteSections: [],
};
const bidPath = [
  { type: "REQUEST_CERTIFICATION", facts: submission, actor: { userId: "officer", role: "councilOfficer", organisationId: "c0" } },
  { type: "CERTIFY", facts: submission, actor: { userId: "certifier", role: "certifier", organisationId: "c0" } },
  { type: "BEGIN_ELIGIBILITY_CHECK" },
  { type: "MARK_ELIGIBLE" },
  { type: "START_ASSESSMENT", facts: { rules, assessorsAssigned: 2 } },
  { type: "BEGIN_MODERATION", facts: { rules, assessmentsSubmitted: 2, assessmentsOutstanding: 0 } },
];
const bidSnapshots = drive("bid", startSnapshot("bid", { bidId: "b", roundId: "r", leadOrganisationId: "c0" }), bidPath);
const fundedSnapshots = drive("bid", startSnapshot("bid", { bidId: "b", roundId: "r", leadOrganisationId: "c0" }), [
  ...bidPath,
  { type: "DRAW_FUNDING_LINE", facts: { aboveLine: true, rank: 1, moderatedScore: 80, unresolvedDisagreements: 0 } },
  { type: "PUBLISH_DECISION", message: "", feedback: [] },
]);
const asAssessor = { actor: { userId: "u", role: "assessor", organisationId: "assessors" } };
const assessmentSnapshots = drive("assessment", startSnapshot("assessment", { assessmentId: "a", bidId: "b", assessorUserId: "u", partnershipOrganisationIds: ["c0"] }), [
  { type: "ACCEPT", ...asAssessor },
  { type: "DECLARE_INTERESTS", interests: "None", conflict: false, ...asAssessor },
  { type: "START_SCORING", ...asAssessor },
  { type: "SUBMIT_SCORES", facts: { unscoredCriteria: [], unjustifiedCriteria: [] }, ...asAssessor },
]);
const projectStages = ["scan", "pilot", "scale"] as const;
const projectSnapshots = projectStages.map((stage) => startSnapshot("project", { projectId: "p", bidId: "b", leadOrganisationId: "c0", startStage: stage }));
const need = (map: Map<string, PersistedSnapshot>, state: string) => {
  const s = map.get(state);
  if (!s) throw new Error(`No ${state} snapshot (have ${[...map.keys()].join(", ")})`);
  return s;
};

// ---------------------------------------------------------------- the data, in Node
// Deterministic pseudo-random numbers, so a run can be repeated.
let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));

const pad = (n: number) => String(n).padStart(6, "0");
const roundId = randomUUID();
const pastRoundId = randomUUID();
const ORGS = 400;
const orgIds = Array.from({ length: ORGS }, () => randomUUID());
const fundTeamId = randomUUID();
const creator = randomUUID();
const assessorIds = Array.from({ length: ASSESSORS }, () => randomUUID());

function pair(): number[][] {
  const first = criteria.map(() => between(min, max));
  const second = first.map((score) => Math.min(max, Math.max(min, random() < 0.03 ? max - score : score + between(-1, 1))));
  return [first, second];
}
type BidRow = { id: string; reference: string; org: number; amount: number; state: string; scores: number[][] };
// Most bids are in moderation (the ranked list); some still on their way there.
const stateOf = (i: number) => (i % 20 === 0 ? "submitted" : i % 20 === 1 ? "inAssessment" : "moderation");
const bids: BidRow[] = Array.from({ length: bidCount }, (_, i) => {
  const state = stateOf(i);
  const scored = state === "moderation";
  return {
    id: randomUUID(),
    reference: `DSH-${pad(i)}`,
    org: i % ORGS,
    amount: between(50_000, 150_000) * 100,
    state,
    // The second assessor mostly within a point of the first; now and then far apart.
    scores: scored ? pair() : [],
  };
});
// A consensus on the first flagged criterion of every third flagged bid (others stay unresolved).
const consensus: { bidId: string; key: string; score: number }[] = [];
const scoreSets = (b: BidRow): CriterionScores[] => b.scores.map((s) => Object.fromEntries(criteria.map((c, k) => [c.key, { score: s[k]!, justification: "Because." }])));
bids.forEach((b, i) => {
  if (!b.scores.length) return;
  const flagged = disagreements(scoreSets(b), criteria, rules.assessment.disagreementThreshold);
  if (flagged.length && i % 2 === 0) consensus.push({ bidId: b.id, key: flagged[0]!.criterionKey, score: between(min, max) });
});
const budgetPence = 10_000_000_00;

// The oracle: the expected ranking, by the pure rules.
const top = criteria.reduce((best, c) => (c.weight > best.weight ? c : best), criteria[0]!);
const agreedOf = new Map<string, Record<string, number>>();
for (const c of consensus) agreedOf.set(c.bidId, { ...(agreedOf.get(c.bidId) ?? {}), [c.key]: c.score });
// Every generated bid shares the moderation snapshot, so the same submission time.
const submittedAt = (need(bidSnapshots, "moderation").context as { submitted?: { at?: string } | null }).submitted?.at ?? null;
const inputs: RankInput[] = bids
  .filter((b) => b.state === "moderation")
  .map((b) => {
    const per = moderatedCriterionScores(scoreSets(b), agreedOf.get(b.id) ?? {}, criteria);
    return { bidId: b.id, reference: b.reference, amountPence: b.amount, moderatedScore: weightedScore(per, criteria, rules.assessment.scale), topCriterionScore: per[top.key] ?? null, submittedAt };
  });
const expected = rankAndDrawLine(inputs, budgetPence, [], top.label);

// ---------------------------------------------------------------- the data, in SQL
const app = await startApp(database.url!); // migrates the empty database and seeds the register
try {
  const started = performance.now();
  console.log(`Generating ${bidCount.toLocaleString("en-GB")} bids, ${projectCount.toLocaleString("en-GB")} projects…`);
  // Bulk loading: the audit triggers would write a row per generated row; they log changes
  // made through the service, which this is not.
  await database.sqlTransaction(async (sql) => {
  await sql(`SET LOCAL session_replication_role = replica`);
  const fundId = randomUUID();
  await sql(`INSERT INTO "Fund" (id, slug, name, summary, rules) VALUES ($1, 'dash-fund', 'Dashboard fund', 'Many bids', $2::jsonb)`, [fundId, JSON.stringify(rules)]);
  for (const [id, slug, name] of [[roundId, "dash-round", "Dashboard round"], [pastRoundId, "dash-past", "Earlier round"]] as const) {
    await sql(
      `INSERT INTO "Round" (id, "fundId", slug, name, stage, "opensAt", "closesAt", "capPence", "budgetPence", guidance, rules, "assessmentDueAt")
       VALUES ($1, $2, $3, $4, 'pilot', '2026-01-01', '2026-02-01', $5, $6, 'Guidance', $7::jsonb, '2026-02-20')`,
      [id, fundId, slug, name, rules.caps.pilot, budgetPence, JSON.stringify(rules)],
    );
  }
  await sql(
    `INSERT INTO "Organisation" (id, code, kind, name, "officialName", "declarationSignedAt", "updatedAt")
     SELECT id, 'D' || lpad(n::text, 4, '0'), 'council', 'Dashboard council ' || n, 'Dashboard council ' || n, '2019-01-01', now()
     FROM unnest($1::text[]) WITH ORDINALITY AS t(id, n)`,
    [orgIds],
  );
  const ministry = (await sql<{ id: string }>(`SELECT id FROM "Organisation" WHERE kind = 'ministry' LIMIT 1`)).rows[0]?.id ?? orgIds[0]!;
  await sql(`INSERT INTO "User" (id, email, name, role, "organisationId") VALUES ($1, 'fund-team@dash.example', 'Fund team', 'fundTeam', $2)`, [fundTeamId, ministry]);
  await sql(
    `INSERT INTO "User" (id, email, name, role, "organisationId")
     SELECT id, 'assessor-' || n || '@dash.example', 'Assessor ' || n, 'assessor', $2 FROM unnest($1::text[]) WITH ORDINALITY AS t(id, n)`,
    [assessorIds, orgIds[0]],
  );
  await sql(`INSERT INTO "User" (id, email, name, role, "organisationId") VALUES ($1, 'officer@dash.example', 'Officer', 'councilOfficer', $2)`, [creator, orgIds[0]]);

  const CHUNK = 20_000;
  for (let from = 0; from < bids.length; from += CHUNK) {
    const chunk = bids.slice(from, from + CHUNK);
    await sql(
      `INSERT INTO "Bid" (id, reference, "roundId", "leadOrganisationId", "createdById", title, "amountRequestedPence", state, snapshot, "machineVersion", "updatedAt")
       SELECT t.id, t.reference, $1, t.org, $2, 'Bid ' || t.reference, t.amount, t.state, s.snapshot, $5, now()
       FROM unnest($3::text[], $4::text[], $6::text[], $7::int[], $8::text[]) AS t(id, reference, org, amount, state)
         JOIN jsonb_each($9::jsonb) AS s(state, snapshot) ON s.state = t.state`,
      [
        roundId, creator, chunk.map((b) => b.id), chunk.map((b) => b.reference), workflows.bid.version, chunk.map((b) => orgIds[b.org]!),
        chunk.map((b) => b.amount), chunk.map((b) => b.state),
        JSON.stringify(Object.fromEntries(["submitted", "inAssessment", "moderation"].map((s) => [s, need(bidSnapshots, s)]))),
      ],
    );
    const scored = chunk.filter((b) => b.scores.length);
    const assessments = scored.flatMap((b, i) => b.scores.map((s, n) => ({ bidId: b.id, assessor: assessorIds[(from + i * 2 + n) % ASSESSORS]!, scores: s })));
    await sql(
      `INSERT INTO "Assessment" (id, "bidId", "assessorUserId", scores, state, snapshot, "machineVersion", "updatedAt")
       SELECT gen_random_uuid()::text, t."bidId", t.assessor, t.scores::jsonb, 'submitted', $4::jsonb, $5, now()
       FROM unnest($1::text[], $2::text[], $3::text[]) AS t("bidId", assessor, scores)`,
      [
        assessments.map((a) => a.bidId), assessments.map((a) => a.assessor),
        assessments.map((a) => JSON.stringify(Object.fromEntries(criteria.map((c, k) => [c.key, { score: a.scores[k], justification: "Because the evidence supports it." }])))),
        JSON.stringify(need(assessmentSnapshots, "submitted")), workflows.assessment.version,
      ],
    );
  }
  await sql(
    `INSERT INTO "ConsensusScore" ("bidId", "criterionKey", score, rationale, "byUserId")
     SELECT * , 'Agreed after discussion', $4 FROM unnest($1::text[], $2::text[], $3::int[])`,
    [consensus.map((c) => c.bidId), consensus.map((c) => c.key), consensus.map((c) => c.score), fundTeamId],
  );

  // Funded projects, from an earlier round: each with its funded bid, tranches, milestones
  // and spend reports, spread over the three stages.
  const projects = Array.from({ length: projectCount }, (_, i) => ({ id: randomUUID(), bidId: randomUUID(), i, stage: i % 3, award: between(20_000, 300_000) * 100 }));
  await sql(
    `INSERT INTO "Bid" (id, reference, "roundId", "leadOrganisationId", "createdById", title, "amountRequestedPence", state, snapshot, "machineVersion", "updatedAt")
     SELECT t.id, 'DSP-' || lpad(t.n::text, 6, '0'), $1, ($2::text[])[1 + t.n % ${ORGS}], $3, 'Project ' || t.n, t.award, 'funded', $5::jsonb, $6, now()
     FROM unnest($4::text[], $7::int[]) WITH ORDINALITY AS t(id, award, n)`,
    [pastRoundId, orgIds, creator, projects.map((p) => p.bidId), JSON.stringify(need(fundedSnapshots, "funded")), workflows.bid.version, projects.map((p) => p.award)],
  );
  await sql(
    `INSERT INTO "Project" (id, "bidId", "leadOrganisationId", title, reference, "awardPence", "serviceArea", state, snapshot, "machineVersion", "updatedAt", "nextGateDueOn")
     SELECT t.id, t."bidId", b."leadOrganisationId", b.title, 'P-' || b.reference, t.award, 'Adult social care',
       ($5::jsonb->>t.stage)::jsonb->>'value', ($5::jsonb->>t.stage)::jsonb, $6, now(), date '2026-01-01' + (t.n % 400)::int
     FROM unnest($1::text[], $2::text[], $3::int[], $4::int[]) WITH ORDINALITY AS t(id, "bidId", award, stage, n) JOIN "Bid" b ON b.id = t."bidId"`,
    [projects.map((p) => p.id), projects.map((p) => p.bidId), projects.map((p) => p.award), projects.map((p) => p.stage), JSON.stringify(projectSnapshots.map((s) => JSON.stringify(s))), workflows.project.version],
  );
  await sql(
    `INSERT INTO "ProjectTranche" (id, "projectId", stage, "amountPence", reason)
     SELECT gen_random_uuid()::text, p.id, 'pilot', p."awardPence", 'Award on funding' FROM "Project" p`,
  );
  await sql(
    `INSERT INTO "Milestone" (id, "projectId", stage, title, "dueOn", status)
     SELECT gen_random_uuid()::text, p.id, 'pilot', 'Milestone ' || m, date '2026-01-01' + (m * 40 + length(p.id)) , CASE WHEN m = 1 THEN 'done' ELSE 'notStarted' END
     FROM "Project" p CROSS JOIN generate_series(1, 3) m`,
  );
  await sql(
    `INSERT INTO "SpendReport" (id, "projectId", stage, "amountPence", "periodEnd", "reportedById")
     SELECT gen_random_uuid()::text, p.id, 'pilot', p."awardPence" * m / 4, date '2026-01-01' + m * 90, $1
     FROM "Project" p CROSS JOIN generate_series(1, 2) m`,
    [creator],
  );
  // The triggers that keep BidScore in step are off too: every bid's row, to be worked out.
  await sql(`INSERT INTO "BidScore" ("bidId", "roundId", dirty) SELECT id, "roundId", 1 FROM "Bid"`);
  });
  // The running counts the triggers would have kept, worked out from the rows; the stored
  // ranking scores, worked out by the service's own code (as the first visit to the ranked
  // list after a write would); then fresh planner statistics.
  await rebuildTallies();
  await refreshRoundScores(roundId, rules);
  await sql(`VACUUM ANALYZE`);
  console.log(`Generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const fundTeam = await signedInBrowser(fundTeamId);
  const busiest = assessorIds[0]!;
  const assessor = await signedInBrowser(busiest);
  const assigned = Number((await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "Assessment" WHERE "assessorUserId" = $1`, [busiest])).rows[0]!.n);

  const pages: { name: string; path: string; browser: typeof fundTeam; check: (html: string) => string | null }[] = [
    {
      name: "portfolio (/portfolio)",
      path: "/portfolio",
      browser: fundTeam,
      check: (html) => (html.includes(`${projectCount.toLocaleString("en-GB")} funded project`) ? null : `does not say ${projectCount} funded projects`),
    },
    {
      name: "assessor queue, fund team (/rounds/dash-round/progress)",
      path: "/rounds/dash-round/progress",
      browser: fundTeam,
      check: (html) => {
        const first = [...bids].sort((a, b) => (a.reference < b.reference ? -1 : 1))[0]!.reference;
        if (!html.includes(`<dd class="govuk-summary-list__value">${bidCount}</dd>`)) return `does not show ${bidCount} bids`;
        return html.includes(first) ? null : `does not list ${first} first`;
      },
    },
    {
      name: "assessor queue, assessor (/assessments)",
      path: "/assessments",
      browser: assessor,
      check: (html) => {
        const rows = (html.match(/<tr class="govuk-table__row"/g) ?? []).length - 1;
        if (rows < 1 || rows > 50) return `shows ${rows} rows of ${assigned} assignments (want one page of at most 50)`;
        return html.includes(assigned.toLocaleString("en-GB")) ? null : `does not give the total of ${assigned} assignments`;
      },
    },
    {
      name: "ranked list (/rounds/dash-round/decisions)",
      path: "/rounds/dash-round/decisions",
      browser: fundTeam,
      check: (html) => {
        const first = html.match(/id="bid-([A-Z0-9-]+)"/)?.[1];
        if (first !== expected.bids[0]?.reference) return `first row is ${first}, expected ${expected.bids[0]?.reference}`;
        if (expected.firstBelow && !html.includes(expected.firstBelow.explanation)) return `does not show the funding line at ${expected.firstBelow.reference}`;
        return html.includes(formatMoney(expected.allocatedPence)) ? null : `does not show ${formatMoney(expected.allocatedPence)} allocated`;
      },
    },
  ];

  // Correctness first: every page answers 200 with the right figures.
  for (const page of pages) {
    const response = await fetch(`${app.url}${page.path}`, { headers: { Cookie: page.browser.cookie }, redirect: "manual" });
    const html = await response.text();
    if (response.status !== 200) fail(`${page.name}: status ${response.status}`);
    else {
      const problem = page.check(html);
      if (problem) fail(`${page.name}: ${problem}`);
    }
  }

  // ---- latency: BENCH_ROUNDS rounds; in each, BENCH_CONCURRENCY requests at once to each
  // baseline, then the same to each page in turn. The baseline the target is measured
  // against is /service-status: a page in the same layout, for the same signed-in user, that
  // reads one row, so the ratio is each dashboard's own work (decision 0010). /status (the
  // same row as JSON, no page) is reported too, for what the page layout itself costs.
  const baselines = [
    { name: "trivial page (/service-status, reads one row)", path: "/service-status", browser: fundTeam },
    { name: "trivial JSON (/status, reads one row)", path: "/status", browser: undefined },
  ];
  const batch = (path: string, browser?: typeof fundTeam) => Promise.all(Array.from({ length: concurrency }, () => app.get(path, browser)));
  for (let i = 0; i < 3; i++) for (const p of [...baselines, ...pages]) await batch(p.path, p.browser);
  const timings = new Map<string, Timed[]>([...baselines, ...pages].map((p) => [p.name, []]));
  for (let r = 0; r < rounds; r++) {
    for (const p of [...baselines, ...pages]) timings.get(p.name)!.push(...(await batch(p.path, p.browser)));
  }
  const report = (name: string, results: Timed[]) => {
    const ms = results.map((t) => t.ms);
    const bad = results.filter((t) => t.status !== 200).length;
    if (bad) fail(`${name}: ${bad} of ${results.length} requests did not answer 200`);
    console.log(`${name}: p50 ${percentile(ms, 50).toFixed(1)} ms, p95 ${percentile(ms, 95).toFixed(1)} ms`);
    return percentile(ms, 95);
  };
  console.log(`${rounds} rounds of ${concurrency} requests at once per route; ${inputs.length.toLocaleString("en-GB")} bids ranked, ${assigned.toLocaleString("en-GB")} assignments for the assessor`);
  const [pageP95, jsonP95] = baselines.map((b) => report(b.name, timings.get(b.name)!));
  const worst = Math.max(...pages.map((p) => report(p.name, timings.get(p.name)!)));
  console.log(`against the trivial JSON route instead: ratio ${(jsonP95! / worst).toFixed(2)} (not the target)`);
  const ratio = pageP95! / worst;
  console.log(`target: every page's p95 at most 3x the trivial page's (ratio ≥ ${target.toFixed(3)})${checkOnly ? "; not enforced (BENCH_CHECK_ONLY)" : ""}`);
  console.log(`ratio ${ratio.toFixed(3)}`);
  if (!checkOnly && ratio < target) failed = true;
} finally {
  await app.stop();
  await database.close();
}
process.exit(failed ? 1 : 0);

