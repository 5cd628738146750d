import { db } from "~/db/database.server.ts";
import { roundRules, roundRulesSelect } from "~/rounds/rules.ts";
import type { Tx } from "~/engine/records.server.ts";
import { contextOf, type FundRules, type PersistedSnapshot } from "../../workflows/index.ts";
import { disagreements, moderatedScore, readScores, type CriterionScores, type Disagreement } from "./scoring.ts";
import { SUBMITTED_STATES } from "./states.ts";

/** Bid states in which moderation has begun (the funding line may have been drawn since). */
export const MODERATED_BID_STATES = ["moderation", "recommended", "notRecommended", "funded", "notFunded"] as const;

export interface ScoredAssessment {
  id: string;
  assessorUserId: string;
  state: string;
  version: number;
  scores: CriterionScores;
  /** Returned by a moderator and not yet resubmitted. */
  awaitingRework: boolean;
}

/**
 * An assessment back with its assessor after a moderator returned it: its last submitted
 * scores still count until the new ones arrive, but the bid is not ready for the line.
 */
export function isAwaitingRework(assessment: { state: string; snapshot: unknown }): boolean {
  if (assessment.state === "returned") return true;
  if (assessment.state !== "scoring") return false;
  return contextOf("assessment", assessment.snapshot as PersistedSnapshot).returns > 0;
}

export interface BidModeration {
  bidId: string;
  rules: FundRules;
  assessments: ScoredAssessment[];
  consensus: Record<string, { score: number; rationale: string; byUserId: string; at: Date }>;
  /** Criteria whose spread is more than the round's threshold. */
  flagged: Disagreement[];
  /** Flagged criteria with no consensus score yet. */
  unresolvedCriteria: Disagreement[];
  awaitingRework: number;
  moderatedScore: number;
}

/**
 * Everything moderation knows about one bid, read now: the scores that count (every
 * assessment submitted at least once and still active), the flags by the round's threshold,
 * the consensus recorded so far and the moderated weighted score.
 */
export async function bidModeration(bidId: string, tx: Tx = db()): Promise<BidModeration | null> {
  const bid = await tx.bid.findUnique({
    where: { id: bidId },
    select: {
      id: true,
      round: { select: roundRulesSelect },
      assessments: {
        where: { state: { in: [...SUBMITTED_STATES, "returned", "scoring"] } },
        select: { id: true, assessorUserId: true, state: true, version: true, snapshot: true, scores: true, createdAt: true },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      },
      consensusScores: { select: { criterionKey: true, score: true, rationale: true, byUserId: true, at: true } },
    },
  });
  if (!bid) return null;
  const rules = roundRules(bid.round);
  const assessments = bid.assessments
    .filter((a) => (SUBMITTED_STATES as readonly string[]).includes(a.state) || isAwaitingRework(a))
    .map((a) => ({
      id: a.id,
      assessorUserId: a.assessorUserId,
      state: a.state,
      version: a.version,
      scores: readScores(a.scores),
      awaitingRework: isAwaitingRework(a),
    }));
  const consensus = Object.fromEntries(
    bid.consensusScores.map((c) => [c.criterionKey, { score: c.score, rationale: c.rationale, byUserId: c.byUserId, at: c.at }]),
  );
  const scored = assessments.map((a) => a.scores);
  const flagged = disagreements(scored, rules.assessment.criteria, rules.assessment.disagreementThreshold);
  const consensusScores = Object.fromEntries(Object.entries(consensus).map(([key, c]) => [key, c.score]));
  return {
    bidId: bid.id,
    rules,
    assessments,
    consensus,
    flagged,
    unresolvedCriteria: flagged.filter((d) => consensus[d.criterionKey] === undefined),
    awaitingRework: assessments.filter((a) => a.awaitingRework).length,
    moderatedScore: moderatedScore(scored, consensusScores, rules.assessment),
  };
}

/**
 * What still stands between a bid and the funding line (the DRAW_FUNDING_LINE fact
 * `unresolvedDisagreements`): each flagged criterion without a consensus score, plus each
 * assessment returned for rework and not yet resubmitted, since its scores may still change.
 */
export async function unresolvedDisagreements(bidId: string, tx: Tx = db()): Promise<number> {
  const moderation = await bidModeration(bidId, tx);
  if (!moderation) return 0;
  return moderation.unresolvedCriteria.length + moderation.awaitingRework;
}

export interface BidModeratedScore {
  bidId: string;
  reference: string;
  title: string;
  state: string;
  amountRequestedPence: number;
  moderatedScore: number;
  /** As unresolvedDisagreements(bidId). */
  unresolved: number;
  flagged: number;
  awaitingRework: number;
}

/**
 * The moderated score of every bid in the round that has reached moderation (or beyond),
 * highest first; equal scores in reference order so the ranking is always the same.
 */
export async function bidModeratedScores(roundId: string, tx: Tx = db()): Promise<BidModeratedScore[]> {
  const bids = await tx.bid.findMany({
    where: { roundId, state: { in: [...MODERATED_BID_STATES] } },
    select: { id: true, reference: true, title: true, state: true, amountRequestedPence: true },
  });
  const result: BidModeratedScore[] = [];
  for (const bid of bids) {
    const moderation = (await bidModeration(bid.id, tx))!;
    result.push({
      bidId: bid.id,
      reference: bid.reference,
      title: bid.title,
      state: bid.state,
      amountRequestedPence: bid.amountRequestedPence,
      moderatedScore: moderation.moderatedScore,
      unresolved: moderation.unresolvedCriteria.length + moderation.awaitingRework,
      flagged: moderation.flagged.length,
      awaitingRework: moderation.awaitingRework,
    });
  }
  return result.sort((a, b) => b.moderatedScore - a.moderatedScore || a.reference.localeCompare(b.reference));
}
