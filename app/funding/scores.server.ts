import { isAwaitingRework, MODERATED_BID_STATES, SUBMITTED_STATES } from "~/assessment/moderation.server.ts";
import { disagreements, moderatedCriterionScores, readScores, weightedScore } from "~/assessment/scoring.ts";
import { db } from "~/db/database.server.ts";
import type { FundRules } from "../../workflows/index.ts";
import { rankAndDrawLine, type LineAdjustment, type RankInput, type Ranking } from "./ranking.ts";

// The moderated scores of a whole round, read in batches: the same arithmetic as
// bidModeration (app/assessment/moderation.server.ts), which reads one bid at a time, so
// that the ranking of a large round costs a few queries rather than a few per bid.

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
  bids: { id: string; reference: string; title: string; state: string; version: number; amountRequestedPence: number; snapshot: unknown; leadOrganisation: { name: string } }[],
  rules: FundRules,
): Promise<BidScores[]> {
  if (!bids.length) return [];
  const ids = bids.map((b) => b.id);
  const [assessments, consensus] = await Promise.all([
    db().assessment.findMany({
      where: { bidId: { in: ids }, state: { in: [...SUBMITTED_STATES, "returned", "scoring"] } },
      select: { bidId: true, state: true, snapshot: true, scores: true },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    }),
    db().consensusScore.findMany({ where: { bidId: { in: ids } }, select: { bidId: true, criterionKey: true, score: true } }),
  ]);
  const { criteria, scale, disagreementThreshold } = rules.assessment;
  const byBid = new Map<string, typeof assessments>();
  for (const a of assessments) byBid.set(a.bidId, [...(byBid.get(a.bidId) ?? []), a]);
  return bids.map((bid) => {
    const counted = (byBid.get(bid.id) ?? []).filter((a) => (SUBMITTED_STATES as readonly string[]).includes(a.state) || isAwaitingRework(a));
    const scored = counted.map((a) => readScores(a.scores));
    const agreed = Object.fromEntries(consensus.filter((c) => c.bidId === bid.id).map((c) => [c.criterionKey, c.score]));
    const perCriterion = moderatedCriterionScores(scored, agreed, criteria);
    const differing = disagreements(scored, criteria, disagreementThreshold);
    const flagged = differing.filter((d) => agreed[d.criterionKey] === undefined);
    const context = (bid.snapshot as { context?: { submitted?: { at?: string } | null } } | null)?.context;
    return {
      bidId: bid.id,
      reference: bid.reference,
      title: bid.title,
      lead: bid.leadOrganisation.name,
      state: bid.state,
      version: bid.version,
      amountPence: bid.amountRequestedPence,
      submittedAt: context?.submitted?.at ?? null,
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

export interface RoundRanking extends Ranking {
  scores: Map<string, BidScores>;
  tieCriterion: { key: string; label: string };
}

/** The round's moderated ranking with the funding line drawn and the fund team's adjustments applied. */
export async function roundRanking(round: { id: string; budgetPence: number }, rules: FundRules): Promise<RoundRanking> {
  const [scores, adjustments] = await Promise.all([
    roundScores(round.id, rules),
    db().fundingLineAdjustment.findMany({ where: { roundId: round.id }, select: { bidId: true, direction: true, reason: true } }),
  ]);
  const top = tieCriterion(rules.assessment.criteria);
  const inputs: RankInput[] = scores.map((s) => ({
    bidId: s.bidId,
    reference: s.reference,
    amountPence: s.amountPence,
    moderatedScore: s.moderatedScore,
    topCriterionScore: s.criteria[top.key] ?? null,
    submittedAt: s.submittedAt,
  }));
  const lines: LineAdjustment[] = adjustments
    .filter((a) => a.direction === "include" || a.direction === "exclude")
    .map((a) => ({ bidId: a.bidId, direction: a.direction as LineAdjustment["direction"], reason: a.reason }));
  const ranking = rankAndDrawLine(inputs, round.budgetPence, lines, top.label);
  return { ...ranking, scores: new Map(scores.map((s) => [s.bidId, s])), tieCriterion: { key: top.key, label: top.label } };
}
