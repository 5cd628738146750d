import { isAwaitingRework, MODERATED_BID_STATES } from "./moderation.server.ts";
import { SUBMITTED_STATES } from "./states.ts";
import { disagreements, moderatedCriterionScores, readScores, weightedScore } from "./scoring.ts";
import { database, db } from "~/db/database.server.ts";
import { assessmentScoresOf, bidsToScore, clearDirty, consensusScoresOf, dirtyScores, writeStoredScores, type BidToScore } from "./sql.server.ts";
import type { FundRules } from "../../workflows/index.ts";

// The moderated scores of a whole round, read in batches: the same arithmetic as
// bidModeration (moderation.server.ts), which reads one bid at a time, so that the ranking
// of a large round costs a few queries rather than a few per bid. The figures the ranking
// and the progress page read are stored per bid in BidScore and brought up to date here
// (refreshRoundScores); app/funding ranks them.

type Criterion = FundRules["assessment"]["criteria"][number];

/** The criterion that breaks ties: the most heavily weighted, the first listed among equals. */
export function tieCriterion(criteria: readonly Criterion[]): Criterion {
  return criteria.reduce((best, c) => (c.weight > best.weight ? c : best), criteria[0]!);
}

export interface BidScores {
  bidId: string;
  reference: string;
  title: string;
  lead: string;
  state: string;
  version: number;
  amountPence: number;
  submittedAt: string | null;
  criteria: Record<string, number | null>;
  moderatedScore: number;
  /** Flagged criteria without a consensus, plus assessments returned for rework (as unresolvedDisagreements). */
  unresolved: number;
  /** Criteria on which the assessors differ by more than the threshold, and those of them without a consensus. */
  flagged: number;
  flagsOpen: number;
}

const BATCH = 500;

/** The scores of the given bids (already loaded rows), in one query per table. */
export async function scoreBids(
  bids: {
    id: string;
    reference: string;
    title: string;
    state: string;
    version: number;
    amountRequestedPence: number;
    snapshot: unknown;
    leadOrganisation: { name: string };
  }[],
  rules: FundRules,
): Promise<BidScores[]> {
  return scoreRows(
    bids.map((bid) => ({
      id: bid.id,
      reference: bid.reference,
      title: bid.title,
      state: bid.state,
      version: bid.version,
      amountRequestedPence: bid.amountRequestedPence,
      submittedAt: (bid.snapshot as { context?: { submitted?: { at?: string } | null } } | null)?.context?.submitted?.at ?? null,
      lead: bid.leadOrganisation.name,
    })),
    rules,
  );
}

/** The scores of the given bids, reading their assessments and consensus scores in one query each. */
export async function scoreRows(bids: readonly BidToScore[], rules: FundRules): Promise<BidScores[]> {
  if (!bids.length) return [];
  const ids = bids.map((b) => b.id);
  const sql = database().sql;
  const [assessments, consensus] = await Promise.all([assessmentScoresOf(sql, ids, [...SUBMITTED_STATES, "returned", "scoring"]), consensusScoresOf(sql, ids)]);
  const { criteria, scale, disagreementThreshold } = rules.assessment;
  const byBid = new Map<string, (typeof assessments)[number][]>();
  for (const a of assessments) byBid.set(a.bidId, [...(byBid.get(a.bidId) ?? []), a]);
  const agreedByBid = new Map<string, Record<string, number>>();
  for (const c of consensus) agreedByBid.set(c.bidId, Object.assign(agreedByBid.get(c.bidId) ?? {}, { [c.criterionKey]: Number(c.score) }));
  return bids.map((bid) => {
    const counted = (byBid.get(bid.id) ?? []).filter((a) => (SUBMITTED_STATES as readonly string[]).includes(a.state) || isAwaitingRework(a));
    const scored = counted.map((a) => readScores(a.scores));
    const agreed = agreedByBid.get(bid.id) ?? {};
    const perCriterion = moderatedCriterionScores(scored, agreed, criteria);
    const differing = disagreements(scored, criteria, disagreementThreshold);
    const flagged = differing.filter((d) => agreed[d.criterionKey] === undefined);
    return {
      bidId: bid.id,
      reference: bid.reference,
      title: bid.title,
      lead: bid.lead,
      state: bid.state,
      version: bid.version,
      amountPence: bid.amountRequestedPence,
      submittedAt: bid.submittedAt,
      criteria: perCriterion,
      moderatedScore: weightedScore(perCriterion, criteria, scale),
      unresolved: flagged.length + counted.filter((a) => isAwaitingRework(a)).length,
      flagged: differing.length,
      flagsOpen: flagged.length,
    };
  });
}

const bidRowSelect = {
  id: true,
  reference: true,
  title: true,
  state: true,
  version: true,
  amountRequestedPence: true,
  snapshot: true,
  leadOrganisation: { select: { name: true } },
} as const;

/** Every bid of the round that has reached moderation, with its scores, a batch at a time. */
export async function roundScores(roundId: string, rules: FundRules): Promise<BidScores[]> {
  const result: BidScores[] = [];
  let after: string | null = null;
  for (;;) {
    const page: Parameters<typeof scoreBids>[0] = await db().bid.findMany({
      where: { roundId, state: { in: [...MODERATED_BID_STATES] }, ...(after ? { id: { gt: after } } : {}) },
      select: bidRowSelect,
      orderBy: { id: "asc" },
      take: BATCH,
    });
    result.push(...(await scoreBids(page, rules)));
    if (page.length < BATCH) break;
    after = page[page.length - 1]!.id;
  }
  return result;
}

/**
 * Reads with the round's stored scores up to date. `read` answers first whether any was out
 * of date (anyDirtyScore, read in the same statement as the rest, readTogether): the common
 * case, none was, costs nothing more; otherwise they are worked out and `read` runs again.
 */
export async function readWithScoresUpToDate<T extends readonly [boolean, ...unknown[]]>(
  roundId: string,
  rules: FundRules,
  read: () => Promise<T>,
): Promise<T> {
  const first = await read();
  if (!first[0]) return first;
  await refreshRoundScores(roundId, rules);
  return read();
}

/** Works out again every out-of-date stored score in the round. Returns how many. */
export async function refreshRoundScores(roundId: string, rules: FundRules): Promise<number> {
  const sql = database().sql;
  const top = tieCriterion(rules.assessment.criteria);
  let done = 0;
  for (;;) {
    const rows = await dirtyScores(sql, roundId);
    if (!rows.length) return done;
    const bids = await bidsToScore(
      sql,
      rows.map((r) => r.bidId),
    );
    const scores = await scoreRows(bids, rules);
    const seen = new Map(rows.map((r) => [r.bidId, r.dirty]));
    await writeStoredScores(
      sql,
      scores.map((s) => ({
        bidId: s.bidId,
        moderatedScore: s.moderatedScore,
        topScore: s.criteria[top.key] ?? null,
        submittedAt: s.submittedAt ? new Date(s.submittedAt).toISOString().slice(0, 23) : null,
        // Only a bid in moderation has anything to resolve (a transition marks the row, so
        // this follows the bid's state); the list of bids to moderate then needs no join.
        unresolved: s.state === "moderation" ? s.unresolved : 0,
        seen: seen.get(s.bidId) ?? 0,
        flagged: s.flagged,
        flagsOpen: s.flagsOpen,
      })),
    );
    // Rows whose bid has gone (cannot happen with the foreign key, but never loop forever).
    const found = new Set(bids.map((b) => b.id));
    const missing = rows.filter((r) => !found.has(r.bidId)).map((r) => r.bidId);
    if (missing.length) await clearDirty(sql, missing);
    done += rows.length;
  }
}
