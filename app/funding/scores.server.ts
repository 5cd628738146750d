import { isAwaitingRework, MODERATED_BID_STATES, SUBMITTED_STATES } from "~/assessment/moderation.server.ts";
import { disagreements, moderatedCriterionScores, readScores, weightedScore } from "~/assessment/scoring.ts";
import { database, db } from "~/db/database.server.ts";
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

/** A bid to be scored, as read from its row: its submission time already out of the snapshot. */
export interface BidToScore {
  id: string;
  reference: string;
  title: string;
  state: string;
  version: number;
  amountRequestedPence: number;
  submittedAt: string | null;
  lead: string;
}

/**
 * The columns of a BidToScore, over "Bid" b joined to its lead "Organisation" o: only the
 * submission time is read out of the snapshot, so a batch of a thousand bids moves a few
 * hundred bytes each, not their snapshots.
 */
export const BID_TO_SCORE_COLUMNS = `b.id, b.reference, b.title, b.state, b.version, b."amountRequestedPence", b.snapshot #>> '{context,submitted,at}' AS "submittedAt", o.name AS lead`;

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
  const [assessments, consensus] = await Promise.all([
    // Plain SQL rather than the ORM: at a round's size this is read a thousand bids at a time,
    // and only an assessment being scored again needs its snapshot (isAwaitingRework).
    sql<{ bidId: string; state: string; snapshot: unknown; scores: unknown }>(
      `SELECT "bidId", state, CASE WHEN state = 'scoring' THEN snapshot END AS snapshot, scores FROM "Assessment"
       WHERE "bidId" = ANY($1::text[]) AND state = ANY($2::text[])
       ORDER BY "createdAt", id`,
      [ids, [...SUBMITTED_STATES, "returned", "scoring"]],
    ),
    sql<{ bidId: string; criterionKey: string; score: number }>(`SELECT "bidId", "criterionKey", score FROM "ConsensusScore" WHERE "bidId" = ANY($1::text[])`, [
      ids,
    ]),
  ]);
  const { criteria, scale, disagreementThreshold } = rules.assessment;
  const byBid = new Map<string, (typeof assessments.rows)[number][]>();
  for (const a of assessments.rows) byBid.set(a.bidId, [...(byBid.get(a.bidId) ?? []), a]);
  const agreedByBid = new Map<string, Record<string, number>>();
  for (const c of consensus.rows) agreedByBid.set(c.bidId, Object.assign(agreedByBid.get(c.bidId) ?? {}, { [c.criterionKey]: Number(c.score) }));
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
