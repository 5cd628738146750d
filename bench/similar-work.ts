/**
 * The similar-work panel at scale: BENCH_PROJECTS (default 10,000) funded projects, half of
 * them with a published case study (and a tenth with a draft one, which must never show),
 * over HTTP against the built service on PostgreSQL. Times the pages that carry the panel
 * (a draft bid's task list and its problem section) against /service-status, a page in the
 * same layout for the same signed-in user that reads one row, in the same run, at the same
 * concurrency, alternating so machine noise falls on both (as bench/dashboards.ts does).
 *
 *   npm run build && npm run bench:similar-work
 *   BENCH_PROJECTS=500 BENCH_CHECK_ONLY=1 npm run bench:similar-work      # quick check
 *
 * The last line is `ratio <trivial p95 / worst panel page p95>`; the target is 1/3 (the
 * panel's pages at most 3x the trivial page). Exit code 1 on any wrong answer (a page not
 * 200, the panel not listing work on the draft's topic first, or showing a draft case study
 * or another council's draft bid), or (unless BENCH_CHECK_ONLY) below target.
 *
 * The rows are written with set-based SQL (generate_series), with the triggers off as for
 * any bulk load; the search rows are then made by rebuildSimilarWork, as after any bulk load.
 */
import { randomUUID } from "node:crypto";
import { setDatabase } from "~/db/database.server.ts";
import { createScratchDatabase } from "./support/scratch.ts";
import { rebuildSimilarWork } from "~/reuse/similar.server.ts";
import { defaultFundRules, startSnapshot, workflows } from "../workflows/index.ts";
import { signedInBrowser } from "./support/requests.ts";
import { everyday, insertDraftBid, panelProblem, timeSearchAlone, topicRows as topicRowsSql, topics, wordsSql } from "./support/similar-data.ts";
import { percentile, requireBuild, startApp, type Timed } from "./support/service.ts";

process.env.SESSION_SECRET ??= "bench-secret-long-enough-for-signing-0123456789";
const projectCount = Number(process.env.BENCH_PROJECTS ?? 10_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 10);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
const checkOnly = process.env.BENCH_CHECK_ONLY === "1";
const target = 1 / 3;

requireBuild();
const database = await createScratchDatabase(
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres",
);
setDatabase(database);
const sql = database.sql;
let failed = false;
const fail = (message: string) => {
  failed = true;
  console.error(`FAIL: ${message}`);
};

const fundTeamId = randomUUID();
const officerId = randomUUID();
const otherOfficerId = randomUUID();
const pastRoundId = randomUUID();
const openRoundId = randomUUID();
const draftBidId = randomUUID();
const privateBidId = randomUUID();
const ORGS = 300;

const app = await startApp(database.url!); // migrates the empty database and seeds the register
try {
  const started = performance.now();
  console.log(`Generating ${projectCount.toLocaleString("en-GB")} funded projects…`);
  const rules = defaultFundRules;
  const projectSnapshots = (["scan", "pilot", "scale"] as const).map((stage) =>
    startSnapshot("project", { projectId: "p", bidId: "b", leadOrganisationId: "o", startStage: stage }),
  );
  await database.sqlTransaction(async (sql) => {
    // A bulk load: the audit triggers would log a row per generated row, and the search rows
    // are made once at the end rather than one by one.
    await sql(`SET LOCAL session_replication_role = replica`);
    const fundId = randomUUID();
    await sql(`INSERT INTO "Fund" (id, slug, name, summary, rules) VALUES ($1, 'bench-fund', 'Bench fund', 'Many projects', $2::jsonb)`, [
      fundId,
      JSON.stringify(rules),
    ]);
    await sql(
      `INSERT INTO "Round" (id, "fundId", slug, name, stage, "opensAt", "closesAt", "capPence", "budgetPence", guidance, rules)
       VALUES ($1, $3, 'bench-past', 'Earlier round', 'pilot', '2024-01-01', '2024-02-01', $4, $5, 'Guidance', $6::jsonb),
              ($2, $3, 'bench-open', 'Open round', 'pilot', now() - interval '10 days', now() + interval '30 days', $4, $5, 'Guidance', $6::jsonb)`,
      [pastRoundId, openRoundId, fundId, rules.caps.pilot, rules.roundBudget, JSON.stringify(rules)],
    );
    await sql(
      `INSERT INTO "Organisation" (id, code, kind, name, "officialName", "declarationSignedAt", "updatedAt")
       SELECT 'bench-org-' || n, 'B' || lpad(n::text, 4, '0'), 'council', 'Bench council ' || n, 'Bench council ' || n, '2019-01-01', now()
       FROM generate_series(1, ${ORGS}) n`,
    );
    const ministry = (await sql<{ id: string }>(`SELECT id FROM "Organisation" WHERE kind = 'ministry' LIMIT 1`)).rows[0]!.id;
    await sql(
      `INSERT INTO "User" (id, email, name, role, "organisationId") VALUES
        ($1, 'fund-team@bench.example', 'Fund team', 'fundTeam', $4),
        ($2, 'officer@bench.example', 'Drafting officer', 'councilOfficer', 'bench-org-1'),
        ($3, 'other@bench.example', 'Other officer', 'councilOfficer', 'bench-org-2')`,
      [fundTeamId, officerId, otherOfficerId, ministry],
    );
    // Each project's words: its topic's, then everyday ones, picked by formula from n.
    const words = (n: string, count: number, topicShare: number) => wordsSql(n, count, topicShare, "$1");
    const topicRows = topicRowsSql("$2");
    await sql(
      `INSERT INTO "Bid" (id, reference, "roundId", "leadOrganisationId", "createdById", title, "amountRequestedPence", answers, state, snapshot, "machineVersion", "updatedAt")
       SELECT 'bench-bid-' || n, 'BSW-' || lpad(n::text, 6, '0'), $3, 'bench-org-' || (1 + n % ${ORGS}), $4,
         initcap(split_part(t.words, ' ', 1) || ' ' || split_part(t.words, ' ', 2)) || ' ' || n, 5000000,
         jsonb_build_object('sections', jsonb_build_object(
           'problem', jsonb_build_object('problem', ${words("n", 40, 3)}),
           'approach', jsonb_build_object('approach', ${words("n + 1", 40, 4)}))),
         'funded', $5::jsonb, $6, now()
       FROM generate_series(1, ${projectCount}) n JOIN ${topicRows} t ON t.i = n % ${topics.length}`,
      [
        everyday.join(" "),
        topics,
        pastRoundId,
        officerId,
        JSON.stringify(startSnapshot("bid", { bidId: "b", roundId: pastRoundId, leadOrganisationId: "o" })),
        workflows.bid.version,
      ],
    );
    await sql(
      `INSERT INTO "Project" (id, "bidId", "leadOrganisationId", title, reference, "awardPence", summary, "serviceArea", state, snapshot, "machineVersion", "updatedAt")
       SELECT 'bench-project-' || n, b.id, b."leadOrganisationId", b.title, b.reference, 5000000, ${words("n + 2", 30, 3)}, 'Bench area ' || (n % 12),
         ($3::jsonb->>(n % 3))::jsonb->>'value', ($3::jsonb->>(n % 3))::jsonb, $4, now()
       FROM generate_series(1, ${projectCount}) n JOIN "Bid" b ON b.id = 'bench-bid-' || n JOIN ${topicRows} t ON t.i = n % ${topics.length}`,
      [everyday.join(" "), topics, JSON.stringify(projectSnapshots.map((s) => JSON.stringify(s))), workflows.project.version],
    );
    // Half the projects have a published case study; one in ten a draft one, whose words
    // ("quagga") nothing published uses.
    await sql(
      `INSERT INTO "CaseStudy" (id, "projectId", slug, title, problem, approach, evidence, outcome, lessons, "reusableOutputs", "serviceArea", stage, status, "publishedAt", "updatedAt")
       SELECT 'bench-case-' || n, 'bench-project-' || n, 'bench-case-' || n, p.title,
         CASE WHEN n % 10 = 1 THEN 'quagga ' || p.summary ELSE ${words("n + 3", 40, 3)} END, ${words("n + 4", 30, 4)}, '', ${words("n + 5", 20, 3)}, ${words("n + 6", 25, 3)}, '', p."serviceArea", 'pilot',
         CASE WHEN n % 10 = 1 THEN 'draft' ELSE 'published' END, CASE WHEN n % 10 = 1 THEN NULL ELSE now() END, now()
       FROM generate_series(1, ${projectCount}) n JOIN "Project" p ON p.id = 'bench-project-' || n JOIN ${topicRows} t ON t.i = n % ${topics.length}
       WHERE n % 2 = 0 OR n % 10 = 1`,
      [everyday.join(" "), topics],
    );
    // The drafting council's bid (about topic 0), and another council's draft on the same topic
    // with a word of its own ("zebu") that must never reach the first council.
    const draft = (id: string, lead: string, by: string, title: string, extra: string) =>
      insertDraftBid(sql, { id, reference: `BSW-DRAFT-${lead}`, roundId: openRoundId, lead, by, title, extra });
    await draft(draftBidId, "bench-org-1", officerId, "Missed bin collections online", "");
    await draft(privateBidId, "bench-org-2", otherOfficerId, "Zebu-proof missed bin round", "Zebu herds block the crews' round.");
  });
  const made = await rebuildSimilarWork();
  await sql(`VACUUM ANALYZE`);
  console.log(`Generated in ${((performance.now() - started) / 1000).toFixed(1)} s (${made.toLocaleString("en-GB")} searchable projects)`);

  const officer = await signedInBrowser(officerId);
  const pages = [
    { name: "bid task list with the panel (/bids/:id)", path: `/bids/${draftBidId}` },
    { name: "problem section with the panel (/bids/:id/sections/problem)", path: `/bids/${draftBidId}/sections/problem` },
  ];
  for (const page of pages) {
    const response = await fetch(`${app.url}${page.path}`, { headers: { Cookie: officer.cookie }, redirect: "manual" });
    const html = await response.text();
    if (response.status !== 200) fail(`${page.name}: status ${response.status}`);
    else {
      const problem = panelProblem(html);
      if (problem) fail(`${page.name}: ${problem}`);
    }
  }

  // The search on its own: how much of a page it is.
  await timeSearchAlone(sql, draftBidId);

  const baseline = { name: "trivial page (/service-status, reads one row)", path: "/service-status" };
  // The same bid page as the fund team sees it, which has no panel: what the page costs
  // without the search (reported, not part of the target).
  const fundTeam = await signedInBrowser(fundTeamId);
  const withoutPanel = { name: "the bid page without the panel (/bids/:id, fund team)", path: `/bids/${draftBidId}`, browser: fundTeam };
  const all: { name: string; path: string; browser?: typeof officer }[] = [baseline, ...pages, withoutPanel];
  const batch = (path: string, browser = officer) => Promise.all(Array.from({ length: concurrency }, () => app.get(path, browser)));
  for (let i = 0; i < 3; i++) for (const p of all) await batch(p.path, p.browser);
  const timings = new Map<string, Timed[]>(all.map((p) => [p.name, []]));
  for (let r = 0; r < rounds; r++) for (const p of all) timings.get(p.name)!.push(...(await batch(p.path, p.browser)));
  const report = (name: string) => {
    const results = timings.get(name)!;
    const ms = results.map((t) => t.ms);
    const bad = results.filter((t) => t.status !== 200).length;
    if (bad) fail(`${name}: ${bad} of ${results.length} requests did not answer 200`);
    console.log(`${name}: p50 ${percentile(ms, 50).toFixed(1)} ms, p95 ${percentile(ms, 95).toFixed(1)} ms`);
    return percentile(ms, 95);
  };
  console.log(`${rounds} rounds of ${concurrency} requests at once per route; ${projectCount.toLocaleString("en-GB")} funded projects searched`);
  const trivial = report(baseline.name);
  const worst = Math.max(...pages.map((p) => report(p.name)));
  report(withoutPanel.name);
  const ratio = trivial / worst;
  console.log(
    `target: the panel's pages' p95 at most 3x the trivial page's (ratio ≥ ${target.toFixed(3)})${checkOnly ? "; not enforced (BENCH_CHECK_ONLY)" : ""}`,
  );
  console.log(`ratio ${ratio.toFixed(3)}`);
  if (!checkOnly && ratio < target) failed = true;
} finally {
  await app.stop();
  await database.close();
}
process.exit(failed ? 1 : 0);
