import { LRUCache } from "lru-cache";
import { MODERATED_BID_STATES } from "~/assessment/moderation.server.ts";
import { database } from "~/db/database.server.ts";
import type { FundRules } from "../../workflows/index.ts";
import { BEFORE_LINE_STATES, compareBids, explainPlacement, explainTie, rankAndDrawLine, type RankedBid, type RankInput, type Ranking } from "./ranking.ts";
import { readWithScoresUpToDate, refreshRoundScores, tieCriterion } from "~/assessment/round-scores.server.ts";
import { anyDirtyScore } from "~/assessment/sql.server.ts";
import { bidsByState } from "~/dashboards/sql.server.ts";
import { readTogether } from "~/db/together.server.ts";
import {
  allRanked,
  firstReferencesIn,
  lineAdjustments,
  rankedBatch,
  rankedBids,
  rankedPage,
  recommendedOutside,
  unresolvedBids,
  type RankedScoreRow,
} from "./sql.server.ts";

// The ranked list a page at a time. Each bid's ranking inputs are stored in BidScore;
// database triggers mark a bid's row out of date (dirty > 0) whenever the bid, one of its
// assessments or one of its consensus scores is written, by whatever path, and the rows so
// marked are worked out again (refreshRoundScores, app/assessment/round-scores.server.ts,
// the moderation arithmetic) before the ranking is read. The order then comes from an index, and only the bids down to the
// funding line (plus the few the fund team moved) and the page shown are read: the rules
// in ranking.ts are applied to exactly those, which gives the same placements, awards and
// explanations as ranking the whole round, because below the line only "include"
// adjustments change what is left of the budget.

export const RANK_PAGE_SIZE = 50;
// The bids read with the page's first reads: a round's budget usually runs out within the first hundred.
const FIRST_BATCH = 100;
const MOST_FIRST = 1_000;

// Where the funding line fell in each round when its ranked list was last shown by this
// process, so that the next view reads down to it with the page's first statement instead of
// a second. Only the size of the first read: a line that has moved is read on to in batches as
// before, and a process that has not seen the round starts at FIRST_BATCH.
const lineSeen = new LRUCache<string, number>({ max: 1_000 });
function firstBatchFor(roundId: string): number {
  const seen = lineSeen.get(roundId);
  if (seen === undefined) return FIRST_BATCH;
  // Ten more than last time, in tens (a statement per size, prepared once each): a line at 107
  // reads 120 rows a view (a quarter more in fifties read 150, a third of them past the line
  // for nothing; docs/performance.md). A line that has moved further is read on to as above.
  return Math.min(MOST_FIRST, Math.max(FIRST_BATCH, Math.ceil((seen + 10) / 10) * 10));
}

// A submission time as JSON gives it (UTC without a zone), to the second or with up to six
// digits of fraction.
const JSON_TIME = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?$/;

/**
 * A stored submission time as the ranking compares it: ISO, in UTC, to the millisecond, as
 * toISOString writes it. Read with the page's other reads it comes as JSON text, written out
 * here directly rather than made a Date and written again for each of the hundred-odd bids
 * read every view; read on its own, as a Date.
 */
export function submittedIso(value: Date | string | null): string | null {
  if (value === null) return null;
  if (value instanceof Date) return value.toISOString();
  const parts = JSON_TIME.exec(value);
  if (parts) return `${parts[1]}.${(parts[2] ?? "").padEnd(3, "0").slice(0, 3)}Z`;
  return new Date(`${value.replace(" ", "T")}Z`).toISOString();
}

const asInput = (r: RankedScoreRow): RankInput & { row: RankedScoreRow } => ({
  bidId: r.bidId,
  reference: r.reference,
  amountPence: Number(r.amountPence),
  moderatedScore: Number(r.moderatedScore),
  topCriterionScore: r.topScore === null ? null : Number(r.topScore),
  submittedAt: submittedIso(r.submittedAt),
  row: r,
});

export interface RankedRow extends RankedBid {
  title: string;
  lead: string;
  state: string;
  version: number;
  unresolved: number;
}

export interface RankingPage {
  rows: RankedRow[];
  page: number;
  pages: number;
  /** Bids ranked (reached moderation or beyond). */
  total: number;
  /** Rank (1-based) of the first bid below the line; null when every bid fits. */
  lineRank: number | null;
  firstBelow: Ranking["firstBelow"];
  budgetPence: number;
  allocatedPence: number;
  leftPence: number;
  tieCriterion: string;
  /** Held bids on the wrong side of the line (the first 20, and how many). */
  stale: { references: string[]; count: number };
  /** Bids in moderation with something to resolve (the 20 placed highest, which matter most to the line, and how many). */
  unresolved: { rows: { id: string; reference: string; unresolved: number }[]; count: number };
  byState: Record<string, number>;
  /** The first 20 references of the bids not yet ranked (still being checked or assessed). */
  waiting: string[];
}

/** One page of the round's ranking, with the line, the totals and what needs attention. */
export async function rankingPage(
  round: { id: string; budgetPence: number },
  rules: FundRules,
  requestedPage: number,
  pageSize = RANK_PAGE_SIZE,
  // Smaller in the tests, so that a small round takes every path: more batches, and pages
  // beyond the bids read down to the line. By default, as far as the line fell last time.
  batchSize?: number,
): Promise<RankingPage> {
  const firstBatch = batchSize ?? firstBatchFor(round.id);
  const sql = database().sql;
  const top = tieCriterion(rules.assessment.criteria);
  // The first reads in one statement (readTogether), with the stored scores up to date.
  const [, states, adjustments, unresolved, firstRows, waiting] = await readWithScoresUpToDate(round.id, rules, () =>
    readTogether(sql, (together) =>
      Promise.all([
        anyDirtyScore(together, round.id),
        bidsByState(together, round.id),
        lineAdjustments(together, round.id),
        unresolvedBids(together, round.id),
        rankedBatch(together, round.id, 0, firstBatch),
        firstReferencesIn(together, round.id, BEFORE_LINE_STATES),
      ]),
    ),
  );
  const byState = Object.fromEntries(states.map((r) => [r.state, r.count]));
  const total = MODERATED_BID_STATES.reduce((sum, s) => sum + (byState[s] ?? 0), 0);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, requestedPage), pages);

  // The bids down to the funding line, in batches that double (a round's budget usually
  // runs out within the first hundred bids, so the batch read above is usually enough).
  // Read with the rest, its rows came as JSON, with the submission time as text (submittedIso).
  const prefix: ReturnType<typeof asInput>[] = firstRows.map(asInput);
  let complete = prefix.length < firstBatch;
  // Without sentences: they are written below for the fifty bids shown, not the hundreds read.
  const quiet = { sentences: false };
  let drawn: Ranking = rankAndDrawLine(prefix, round.budgetPence, adjustments, top.label, quiet);
  for (let size = firstBatch * 2; !drawn.firstBelow && !complete; size *= 2) {
    const batch = (await rankedBatch(sql, round.id, prefix.length, size)).map(asInput);
    prefix.push(...batch);
    complete = batch.length < size;
    drawn = rankAndDrawLine(prefix, round.budgetPence, adjustments, top.label, quiet);
  }
  const lineAt = drawn.firstBelow ? drawn.lineIndex : prefix.length;
  if (batchSize === undefined) lineSeen.set(round.id, lineAt + 1);
  const known = prefix.slice(0, lineAt + 1);
  const inKnown = new Set(known.map((b) => b.bidId));
  // Bids the fund team included further down: they take what is left, in rank order.
  const moved = adjustments.filter((a) => a.direction === "include" && !inKnown.has(a.bidId));
  const included = moved.length
    ? (
        await rankedBids(
          sql,
          round.id,
          moved.map((a) => a.bidId),
        )
      )
        .map(asInput)
        .sort(compareBids)
    : [];
  // With no bid included from further down, the ranking down to the line is the one just drawn.
  const whole = included.length
    ? rankAndDrawLine([...known, ...included], round.budgetPence, adjustments, top.label, quiet)
    : { ...drawn, bids: drawn.bids.slice(0, known.length) };

  // The page, with one bid either side for the tie sentences.
  const start = (page - 1) * pageSize;
  const from = Math.max(0, start - 1);
  // Already read when the page lies within the bids down to the line (the first page, mostly).
  const around =
    complete || from + pageSize + 2 <= prefix.length
      ? prefix.slice(from, from + pageSize + 2)
      : (await rankedPage(sql, round.id, pageSize + 2, from)).map(asInput);
  const shown = start === 0 ? around.slice(0, pageSize) : around.slice(1, pageSize + 1);
  const first = shown[0];
  const before = first ? [...known, ...included.filter((b) => compareBids(b, first) < 0)] : [];
  const merged = new Map([...before, ...shown].map((b) => [b.bidId, b]));
  const placing = rankAndDrawLine([...merged.values()], round.budgetPence, adjustments, top.label, quiet);
  const placed = new Map(placing.bids.map((b, index) => [b.bidId, index]));
  const rows: RankedRow[] = shown.map((input, i) => {
    const rank = start + i + 1;
    const index = around.indexOf(input);
    const above = around[index - 1];
    const below = around[index + 1];
    const tie =
      below && below.moderatedScore === input.moderatedScore
        ? explainTie(input, below, top.label)
        : above && above.moderatedScore === input.moderatedScore
          ? explainTie(above, input, top.label)
          : null;
    const { row } = input;
    const at = placed.get(input.bidId)!;
    // Object.assign rather than a spread followed by more properties (see rankAndDrawLine).
    return Object.assign({}, placing.bids[at]!, {
      rank,
      explanation: explainPlacement(placing, at),
      tie,
      title: row.title,
      lead: row.lead,
      state: row.state,
      version: row.version,
      unresolved: row.unresolved,
    });
  });

  // Held bids on the wrong side: among those down to the line, by their placement; below
  // it, a recommended bid is stale unless the fund team included it with money left.
  const stateOf = new Map([...known, ...included].map((k) => [k.bidId, k.row.state]));
  const staleKnown = whole.bids.filter((b) => {
    const state = stateOf.get(b.bidId);
    return (state === "recommended" && b.placement === "below") || (state === "notRecommended" && b.placement === "above");
  });
  const fundedBelow = whole.bids.filter((b) => b.placement === "above" && !inKnown.has(b.bidId)).map((b) => b.bidId);
  // The running count says whether any bid is recommended at all; mostly, before the line is
  // first drawn, none is.
  const staleBelow = byState.recommended ? await recommendedOutside(sql, round.id, [...inKnown, ...fundedBelow]) : [];
  const staleReferences = [...staleKnown.map((b) => b.reference), ...staleBelow.map((r) => r.reference)];

  return {
    rows,
    page,
    pages,
    total,
    lineRank: whole.firstBelow ? whole.lineIndex + 1 : null,
    firstBelow: whole.firstBelow,
    budgetPence: round.budgetPence,
    allocatedPence: whole.allocatedPence,
    leftPence: whole.leftPence,
    tieCriterion: top.label,
    stale: { references: staleReferences.slice(0, 20), count: staleKnown.length + Number(staleBelow[0]?.total ?? 0) },
    unresolved: {
      rows: unresolved.rows.map((r) => ({ id: r.id, reference: r.reference, unresolved: Number(r.unresolved) })),
      count: unresolved.count,
    },
    byState,
    waiting,
  };
}

/**
 * The whole round's ranking from the stored scores (a few numbers per bid, no JSON), for
 * the CSV export: the same rules as roundRanking, without scoring every bid again.
 */
export async function storedRoundRanking(round: { id: string; budgetPence: number }, rules: FundRules): Promise<Ranking> {
  await refreshRoundScores(round.id, rules);
  const top = tieCriterion(rules.assessment.criteria);
  const [rows, adjustments] = await Promise.all([allRanked(database().sql, round.id), lineAdjustments(database().sql, round.id)]);
  return rankAndDrawLine(rows.map(asInput), round.budgetPence, adjustments, top.label);
}
