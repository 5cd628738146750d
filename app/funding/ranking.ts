import { formatMoney } from "~/utils/format.ts";

/** Bid states not yet placed against the line: still being checked or assessed. */
export const BEFORE_LINE_STATES = ["submitted", "resubmitted", "eligibilityCheck", "eligible", "changesRequested", "inAssessment"] as const;

// The moderated ranking and the funding line, pure so every rule can be unit-tested.
//
// Order: moderated weighted score, highest first. Ties are broken, in turn, by
//   1. the higher moderated score on the most heavily weighted criterion (the first one
//      listed when several share the top weight);
//   2. the lower amount asked (the budget goes further);
//   3. the earlier submission;
//   4. the reference, alphabetically (only so that the order never depends on the database).
//
// The line: walking down the ranking, each bid is funded in full while the budget lasts.
// The first bid that does not fit draws the line: it is not funded automatically, even in
// part, and smaller bids further down are not skipped ahead of it, because the ranking is
// the order of merit. The fund team can move the line for any bid, with a reason
// (FundingLineAdjustment): "exclude" takes a bid out (its money passes down the ranking);
// "include" funds a bid below the line, in full if the budget still covers it, otherwise
// at whatever is left (a partly funded award, said so on the page and in the award).

export interface RankInput {
  bidId: string;
  reference: string;
  amountPence: number;
  /** Moderated weighted score, 0 to 100. */
  moderatedScore: number;
  /** Moderated score on the most heavily weighted criterion; null when unscored. */
  topCriterionScore: number | null;
  /** ISO date-time of submission; null sorts last. */
  submittedAt: string | null;
}

export interface LineAdjustment {
  bidId: string;
  direction: "include" | "exclude";
  reason: string;
}

export type Placement = "above" | "below";

export interface RankedBid extends RankInput {
  rank: number;
  placement: Placement;
  /** What the bid would be awarded: its amount, the part left of the budget, or 0. */
  awardPence: number;
  partial: boolean;
  /** Budget allocated down to and including this bid. */
  cumulativePence: number;
  adjustment: LineAdjustment | null;
  /** Why the bid is where it is, in a sentence. */
  explanation: string;
  /** How a tie with the bid above or below was broken, in a sentence; null when not tied. */
  tie: string | null;
}

export interface Ranking {
  bids: RankedBid[];
  budgetPence: number;
  allocatedPence: number;
  leftPence: number;
  /**
   * Where the line's row goes in the table: before bids[lineIndex], the first bid that did
   * not fit (bids.length when every bid fits). Bids the fund team moved sit on the other
   * side of it, marked as moved.
   */
  lineIndex: number;
  /** The first bid that did not fit, with the sentence that says why; null when all fit. */
  firstBelow: { bidId: string; reference: string; explanation: string } | null;
}

export const TIE_RULE =
  "Bids with the same moderated score are ordered by their score on the most heavily weighted criterion, then by the smaller amount asked, then by the earlier submission.";

const byTime = (value: string | null) => (value ? Date.parse(value) : Number.POSITIVE_INFINITY);

/** Which rule separates two bids with equal scores, and how; 0 when nothing does. */
function tieBreak(a: RankInput, b: RankInput): { order: number; rule: "criterion" | "amount" | "submitted" | "reference" } | null {
  const ca = a.topCriterionScore ?? Number.NEGATIVE_INFINITY;
  const cb = b.topCriterionScore ?? Number.NEGATIVE_INFINITY;
  if (ca !== cb) return { order: cb - ca, rule: "criterion" };
  if (a.amountPence !== b.amountPence) return { order: a.amountPence - b.amountPence, rule: "amount" };
  const ta = byTime(a.submittedAt);
  const tb = byTime(b.submittedAt);
  if (ta !== tb) return { order: ta < tb ? -1 : 1, rule: "submitted" };
  if (a.reference !== b.reference) return { order: a.reference < b.reference ? -1 : 1, rule: "reference" };
  return null;
}

/** The ranking order. The same rules as tieBreak's, without making an object for each comparison (a sort makes thousands). */
export function compareBids(a: RankInput, b: RankInput): number {
  if (a.moderatedScore !== b.moderatedScore) return b.moderatedScore - a.moderatedScore;
  const ca = a.topCriterionScore ?? Number.NEGATIVE_INFINITY;
  const cb = b.topCriterionScore ?? Number.NEGATIVE_INFINITY;
  if (ca !== cb) return cb - ca;
  if (a.amountPence !== b.amountPence) return a.amountPence - b.amountPence;
  const ta = byTime(a.submittedAt);
  const tb = byTime(b.submittedAt);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.reference === b.reference ? 0 : a.reference < b.reference ? -1 : 1;
}

const score = (n: number | null) => (n === null ? "no score" : String(Math.round(n * 100) / 100));

/** The sentence for a tie between `higher` (ranked first) and `lower`. */
export function explainTie(higher: RankInput, lower: RankInput, criterionLabel: string): string {
  const broken = tieBreak(higher, lower);
  const base = `${higher.reference} and ${lower.reference} have the same moderated score (${score(higher.moderatedScore)})`;
  switch (broken?.rule) {
    case "criterion":
      return `${base}; ${higher.reference} ranks higher because it scored more on ${criterionLabel.toLowerCase()} (${score(higher.topCriterionScore)} against ${score(lower.topCriterionScore)}).`;
    case "amount":
      return `${base} and the same score on ${criterionLabel.toLowerCase()}; ${higher.reference} ranks higher because it asks for less (${formatMoney(higher.amountPence)} against ${formatMoney(lower.amountPence)}).`;
    case "submitted":
      return `${base}, the same score on ${criterionLabel.toLowerCase()} and ask for the same amount; ${higher.reference} ranks higher because it was submitted first.`;
    default:
      return `${base}, the same score on ${criterionLabel.toLowerCase()}, ask for the same amount and were submitted at the same time; they are ordered by reference.`;
  }
}

/**
 * Why a bid is where it is, in a sentence: from what was left of the budget before it,
 * whether the line was already drawn above it, what it is awarded and the fund team's move.
 */
function placementSentence(bid: RankInput, adjustment: LineAdjustment | null, left: number, lineDrawn: boolean, award: number, partial: boolean): string {
  const fits = bid.amountPence <= left;
  if (adjustment?.direction === "exclude") return `Moved below the line by the fund team: ${adjustment.reason}`;
  if (!lineDrawn && fits) {
    return adjustment
      ? `Within the budget (the fund team also chose to include it: ${adjustment.reason})`
      : `Within the budget: ${formatMoney(left - award)} is left after this bid.`;
  }
  if (adjustment?.direction === "include" && left > 0) {
    return partial
      ? `Included by the fund team at the ${formatMoney(award)} left of the budget, not the ${formatMoney(bid.amountPence)} asked: ${adjustment.reason}`
      : `Included by the fund team, ahead of higher-ranked bids below the line: ${adjustment.reason}`;
  }
  if (adjustment?.direction === "include") {
    return `The fund team chose to include this bid, but none of the budget is left (it asks for ${formatMoney(bid.amountPence)}): ${adjustment.reason}`;
  }
  if (!lineDrawn && left === 0) return `None of the budget is left; this bid asks for ${formatMoney(bid.amountPence)}, so the funding line is drawn above it.`;
  if (!lineDrawn) {
    return `${formatMoney(left)} left; this bid asks for ${formatMoney(bid.amountPence)}, so the funding line is drawn above it. It is not funded in part automatically: the fund team can include it at the ${formatMoney(left)} left by moving the line, with a reason.`;
  }
  if (fits) {
    return `This bid would fit in the ${formatMoney(left)} left, but it is not moved ahead of higher-ranked bids below the line unless the fund team moves the line, with a reason.`;
  }
  return `Below the funding line: ${formatMoney(left)} left; this bid asks for ${formatMoney(bid.amountPence)}.`;
}

/**
 * The explanation rankAndDrawLine writes for `ranking.bids[index]`, for a ranking drawn with
 * `sentences: false`: the budget left before the bid and whether the line was drawn above it
 * follow from the ranking's figures.
 */
export function explainPlacement(ranking: Ranking, index: number): string {
  const bid = ranking.bids[index]!;
  const left = ranking.budgetPence - (bid.cumulativePence - bid.awardPence);
  const lineDrawn = ranking.firstBelow !== null && ranking.lineIndex < index;
  return placementSentence(bid, bid.adjustment, left, lineDrawn, bid.awardPence, bid.partial);
}

/**
 * Ranks the bids and draws the funding line over `budgetPence`, then applies the fund
 * team's adjustments. `criterionLabel` names the tie-breaking criterion in sentences.
 */
export function rankAndDrawLine(
  inputs: readonly RankInput[],
  budgetPence: number,
  adjustments: readonly LineAdjustment[] = [],
  criterionLabel = "the most heavily weighted criterion",
  /**
   * `sentences: false` leaves each bid's explanation empty and its tie null (the funding
   * line's own sentence is still written), for a caller that shows only some of the bids and
   * writes theirs with explainPlacement and explainTie: the ranked list reads hundreds of bids
   * to find the line and shows fifty.
   */
  options: { sentences?: boolean } = {},
): Ranking {
  const sentences = options.sentences ?? true;
  const sorted = [...inputs].sort(compareBids);
  const byBid = new Map(adjustments.map((a) => [a.bidId, a]));
  let left = budgetPence;
  let allocated = 0;
  let lineDrawn = false;
  let firstBelow: Ranking["firstBelow"] = null;
  const bids: RankedBid[] = sorted.map((bid, index) => {
    const adjustment = byBid.get(bid.bidId) ?? null;
    const fits = bid.amountPence <= left;
    let placement: Placement = "below";
    let award = 0;
    let partial = false;
    if (adjustment?.direction === "exclude") {
      // Below the line, whatever it asks.
    } else if (!lineDrawn && fits) {
      placement = "above";
      award = bid.amountPence;
    } else if (adjustment?.direction === "include" && left > 0) {
      placement = "above";
      award = Math.min(bid.amountPence, left);
      partial = award < bid.amountPence;
    }
    const explanation = sentences ? placementSentence(bid, adjustment, left, lineDrawn, award, partial) : "";
    if (placement === "below" && !lineDrawn && adjustment?.direction !== "exclude") {
      lineDrawn = true;
      firstBelow = {
        bidId: bid.bidId,
        reference: bid.reference,
        explanation:
          left === 0
            ? `None of the budget is left; ${bid.reference} asks for ${formatMoney(bid.amountPence)}.`
            : `${formatMoney(left)} left; ${bid.reference} asks for ${formatMoney(bid.amountPence)}.`,
      };
    }
    left -= award;
    allocated += award;
    // Field by field: a caller's input may carry more than RankInput (the ranked list's carries
    // the row it was read from), which is not the ranking's to hand on. (Not `{ ...bid, rank, … }`
    // either: in V8 each property written after a spread builds a new hidden class per object,
    // which made this loop 40 times slower.)
    return {
      bidId: bid.bidId,
      reference: bid.reference,
      amountPence: bid.amountPence,
      moderatedScore: bid.moderatedScore,
      topCriterionScore: bid.topCriterionScore,
      submittedAt: bid.submittedAt,
      rank: index + 1,
      placement,
      awardPence: award,
      partial,
      cumulativePence: allocated,
      adjustment,
      explanation,
      tie: null as string | null,
    };
  });
  for (let i = 0; sentences && i < bids.length; i++) {
    const here = bids[i]!;
    const neighbour =
      bids[i + 1]?.moderatedScore === here.moderatedScore ? bids[i + 1] : bids[i - 1]?.moderatedScore === here.moderatedScore ? bids[i - 1] : undefined;
    if (!neighbour) continue;
    here.tie = neighbour.rank > here.rank ? explainTie(here, neighbour, criterionLabel) : explainTie(neighbour, here, criterionLabel);
  }
  const drawnAt = firstBelow ? bids.findIndex((b) => b.bidId === (firstBelow as { bidId: string }).bidId) : bids.length;
  return { bids, budgetPence, allocatedPence: allocated, leftPence: budgetPence - allocated, lineIndex: drawnAt, firstBelow };
}
