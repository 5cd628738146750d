import { db } from "~/db/database.server.ts";
import { roundScores, tieCriterion, type BidScores } from "~/assessment/round-scores.server.ts";
import type { FundRules } from "../../workflows/index.ts";
import { rankAndDrawLine, type LineAdjustment, type RankInput, type Ranking } from "./ranking.ts";

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
