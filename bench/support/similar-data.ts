// Funded work for the similar-work panel, written by formula in SQL, and the check of what the
// panel shows. Forty problems councils bid about, each in its own words, and the everyday
// words every bid uses: project n is about topic n % 40, its title and texts mixing the
// topic's words with everyday ones, so every document shares words with every draft and the
// ranking has work to do.

import type { SqlQuery } from "~/db/database.server.ts";
import { draftQuery, findSimilarWork } from "~/reuse/similar.server.ts";
import { startSnapshot, workflows } from "../../workflows/index.ts";
import { percentile } from "./service.ts";

export const topics = [
  "bin collection missed crews round",
  "housing repairs tenants photos damp",
  "parking permits visitor vouchers plate",
  "school transport routes travel assistance",
  "homelessness prevention temporary accommodation",
  "council tax discount direct debit",
  "adult social care assessment carers",
  "blue badge applications mobility",
  "planning applications validation drawings",
  "library ebooks catalogue loans",
  "pothole highway defects inspectors",
  "licensing taxi drivers checks",
  "burial cemetery bookings plots",
  "allotment waiting plots gardeners",
  "noise complaints nuisance evidence",
  "fly tipping evidence enforcement",
  "free school meals eligibility",
  "childcare funding codes nursery",
  "foster carers recruitment enquiries",
  "youth services clubs attendance",
  "business rates relief retail",
  "market traders pitches stalls",
  "street lighting faults columns",
  "tree inspections preservation orders",
  "flood risk drainage gullies",
  "air quality sensors monitoring",
  "electric vehicle chargepoints kerbside",
  "cycle hangars storage waiting",
  "registrars births deaths appointments",
  "electoral register canvass",
  "pest control treatments bookings",
  "food hygiene inspections ratings",
  "leisure centre memberships classes",
  "museum collections digitised archive",
  "home adaptations occupational therapy",
  "debt advice arrears signposting",
  "domestic abuse refuge referrals",
  "care leavers pathway plans",
  "special educational needs plans annual reviews",
  "empty homes grants reuse",
];
export const everyday =
  "council residents service online digital staff people team improve deliver partners across shared data process phone form email time".split(" ");

/** The topic of project n's words, as a subquery to join on: `JOIN ${topicRows("$2")} t ON t.i = n % 40`, $2 bound to `topics`. */
export const topicRows = (param: string) => `(SELECT words, ordinality - 1 AS i FROM unnest(${param}::text[]) WITH ORDINALITY AS x(words, ordinality))`;

/**
 * `count` words for row `n` (an SQL expression): every `topicShare`-th from the topic `t.words`,
 * the rest from the everyday words (`everydayParam` bound to `everyday.join(" ")`).
 */
export const wordsSql = (n: string, count: number, topicShare: number, everydayParam: string) =>
  `(SELECT string_agg(CASE WHEN k % ${topicShare} = 0 THEN (string_to_array(t.words, ' '))[1 + (${n} * 7 + k) % 5] ELSE (string_to_array(${everydayParam}, ' '))[1 + (${n} * 13 + k * 3) % ${everyday.length}] END, ' ') FROM generate_series(1, ${count}) k)`;

/** What a drafting council writes about topic 0, with `extra` words of its own. */
export const draftAnswers = (title: string, extra: string) => ({
  sections: {
    summary: { title, summary: `Residents report a missed bin collection online and crews see it on their round. ${extra}` },
    problem: { problem: `Missed bin collections are reported by phone; crews hear about a missed round days later. ${extra}` },
    approach: { approach: "Reuse an online form and connect it to the round software the crews use." },
  },
});

/** A council's draft bid about topic 0 in `roundId`, written straight to the table, as the benchmarks' data is. */
export async function insertDraftBid(
  sql: SqlQuery,
  draft: { id: string; reference: string; roundId: string; lead: string; by: string; title: string; extra: string },
): Promise<void> {
  await sql(
    `INSERT INTO "Bid" (id, reference, "roundId", "leadOrganisationId", "createdById", title, answers, state, snapshot, "machineVersion", "updatedAt")
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, 'draft', $8::jsonb, $9, now())`,
    [
      draft.id,
      draft.reference,
      draft.roundId,
      draft.lead,
      draft.by,
      draft.title,
      JSON.stringify(draftAnswers(draft.title, draft.extra)),
      JSON.stringify(startSnapshot("bid", { bidId: draft.id, roundId: draft.roundId, leadOrganisationId: draft.lead })),
      workflows.bid.version,
    ],
  );
}

/**
 * What is wrong with a page's panel for a draft about topic 0, or null: it must list at least
 * three items, the first three on the draft's topic, never a draft case study's words
 * ("quagga") nor anything of another council's draft ("zebu").
 */
export function panelProblem(html: string): string | null {
  const topicWords = topics[0]!.split(" ");
  const panel = html.split('data-testid="similar-work"')[1];
  if (!panel) return "has no similar-work panel";
  const titles = [...panel.matchAll(/<h3[^>]*><a[^>]*>([^<]+)<\/a><\/h3>/g)].map((m) => m[1]!);
  if (titles.length < 3) return `lists ${titles.length} items, expected at least 3`;
  const offTopic = titles.slice(0, 3).filter((t) => !topicWords.some((w) => t.toLowerCase().startsWith(w)));
  if (offTopic.length) return `lists work on another topic in its top three: ${offTopic.join(", ")}`;
  if (/quagga/i.test(panel)) return "shows a draft case study's words";
  if (/zebu/i.test(html)) return "shows another council's draft bid";
  return null;
}

/**
 * Times the similar-work search for a draft bid on its own, one at a time from the
 * benchmark's process, and prints it: ranked afresh (a draft's first view after its words or
 * the funded work changed) and from the ranking kept for the same draft (every view after
 * that, which the benchmarks' repeated page requests measure). 30 searches each, the first 5
 * left out as warm-up. Reported beside the pages, not a target.
 */
export async function timeSearchAlone(sql: SqlQuery, draftBidId: string): Promise<void> {
  const draftRow = (await sql<{ title: string; answers: unknown }>(`SELECT title, answers FROM "Bid" WHERE id = $1`, [draftBidId])).rows[0]!;
  for (const fresh of [true, false]) {
    const searches: number[] = [];
    for (let i = 0; i < 30; i++) {
      const at = performance.now();
      await findSimilarWork(draftQuery(draftRow), { bidId: draftBidId, fresh });
      searches.push(performance.now() - at);
    }
    const timed = searches.slice(5);
    console.log(
      `the similar-work search alone, one at a time, ${fresh ? "ranked afresh" : "from the kept ranking"}: p50 ${percentile(timed, 50).toFixed(1)} ms, p95 ${percentile(timed, 95).toFixed(1)} ms`,
    );
  }
}
