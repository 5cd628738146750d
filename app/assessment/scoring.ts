import type { FundRules } from "../../workflows/rules.ts";

// The arithmetic of assessment, pure so the ranking, the moderation flags and the funding
// line can be unit-tested without a database. Scores are whole points on the round's scale;
// a weighted score is a percentage of the most a bid could score (0 to 100).

type Criterion = FundRules["assessment"]["criteria"][number];
type Scale = FundRules["assessment"]["scale"];

/** What Assessment.scores holds, per criterion key. */
export type CriterionScores = Record<string, { score: number | null; justification: string }>;

/** Parses Assessment.scores leniently: anything malformed is treated as unscored. */
export function readScores(value: unknown): CriterionScores {
  const result: CriterionScores = {};
  if (!value || typeof value !== "object") return result;
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
    if (!entry || typeof entry !== "object") continue;
    const { score, justification } = entry as { score?: unknown; justification?: unknown };
    result[key] = {
      score: typeof score === "number" && Number.isInteger(score) ? score : null,
      justification: typeof justification === "string" ? justification : "",
    };
  }
  return result;
}

/** Labels of criteria with no score, and of scored criteria with no justification. */
export function missingParts(scores: CriterionScores, criteria: readonly Criterion[]) {
  return {
    unscoredCriteria: criteria.filter((c) => scores[c.key]?.score == null).map((c) => c.label),
    unjustifiedCriteria: criteria.filter((c) => scores[c.key]?.score != null && !scores[c.key]!.justification.trim()).map((c) => c.label),
  };
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * The weighted score as a percentage: each criterion's score over the scale's span, times its
 * weight (weights add up to 100). Unscored criteria count as the scale's minimum.
 */
export function weightedScore(scores: Record<string, number | null | undefined>, criteria: readonly Criterion[], scale: Pick<Scale, "min" | "max">): number {
  const span = scale.max - scale.min;
  const total = criteria.reduce((sum, c) => {
    const score = scores[c.key];
    const points = typeof score === "number" ? score - scale.min : 0;
    return sum + (c.weight * points) / span;
  }, 0);
  return round2(total);
}

export interface Disagreement {
  criterionKey: string;
  label: string;
  scores: number[];
  /** Highest minus lowest score. */
  spread: number;
}

/**
 * Criteria on which the submitted assessments differ by MORE than the threshold (a spread
 * equal to the threshold is not flagged: "differ by more than 2 points").
 */
export function disagreements(submitted: readonly CriterionScores[], criteria: readonly Criterion[], threshold: number): Disagreement[] {
  const result: Disagreement[] = [];
  for (const c of criteria) {
    const scores = submitted.map((s) => s[c.key]?.score).filter((s): s is number => typeof s === "number");
    if (scores.length < 2) continue;
    const spread = Math.max(...scores) - Math.min(...scores);
    if (spread > threshold) result.push({ criterionKey: c.key, label: c.label, scores, spread });
  }
  return result;
}

/**
 * The score per criterion that the ranking uses: the moderator's consensus where there is
 * one, otherwise the mean of the submitted assessments' scores.
 */
export function moderatedCriterionScores(
  submitted: readonly CriterionScores[],
  consensus: Readonly<Record<string, number>>,
  criteria: readonly Criterion[],
): Record<string, number | null> {
  const result: Record<string, number | null> = {};
  for (const c of criteria) {
    if (typeof consensus[c.key] === "number") {
      result[c.key] = consensus[c.key]!;
      continue;
    }
    const scores = submitted.map((s) => s[c.key]?.score).filter((s): s is number => typeof s === "number");
    result[c.key] = scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null;
  }
  return result;
}

/** The moderated weighted score of one bid. */
export function moderatedScore(
  submitted: readonly CriterionScores[],
  consensus: Readonly<Record<string, number>>,
  rules: Pick<FundRules["assessment"], "criteria" | "scale">,
): number {
  return weightedScore(moderatedCriterionScores(submitted, consensus, rules.criteria), rules.criteria, rules.scale);
}
