import { formatMoney, joinList, plural } from "./format";
import { gateOutcomes, type FundRules, type GateOutcome, type GovernanceTier, type Stage } from "./rules";

// Controls scale with the money: the tier comes from a project's cumulative funding and
// decides how many approvers a gate needs and what evidence must be attached. Every answer
// carries a sentence, because the service must always show which tier applies and why.

export interface TierDecision {
  tier: number;
  reason: string;
  rules: GovernanceTier;
}

/**
 * The tier for a project whose cumulative funding (including the tranche the gate would
 * release) is `cumulativeFundingPence`. Limits are inclusive: exactly £100,000 is tier 1.
 */
export function governanceTier(cumulativeFundingPence: number, rules: FundRules): TierDecision {
  const tiers = rules.governance.tiers;
  const index = tiers.findIndex((t) => t.upTo === null || cumulativeFundingPence <= t.upTo);
  const chosen = tiers[index === -1 ? tiers.length - 1 : index]!;
  const position = index === -1 ? tiers.length - 1 : index;
  const lower = position > 0 ? tiers[position - 1]!.upTo : null;
  const amount = formatMoney(cumulativeFundingPence);
  const bounds: string[] = [];
  if (lower !== null) bounds.push(`above ${formatMoney(lower)}`);
  if (chosen.upTo !== null) bounds.push(`up to ${formatMoney(chosen.upTo)}`);
  const reason = `Tier ${chosen.tier} because cumulative funding of ${amount} is ${bounds.join(" and ")}`;
  return { tier: chosen.tier, reason, rules: chosen };
}

export interface EvidenceItem {
  key: string;
  label: string;
}

export interface GateReadiness {
  ready: boolean;
  required: EvidenceItem[];
  missing: EvidenceItem[];
}

/** Gate readiness: every evidence item the tier requires at this stage is present. */
export function gateReadiness(tier: number, stage: Stage, presentEvidenceKeys: readonly string[], rules: FundRules): GateReadiness {
  const tierRules = rules.governance.tiers.find((t) => t.tier === tier);
  if (!tierRules) throw new RangeError(`This fund has no tier ${tier}.`);
  const present = new Set(presentEvidenceKeys);
  const required = tierRules.evidence[stage].map((key) => ({
    key,
    label: rules.governance.evidenceLabels[key] ?? key,
  }));
  const missing = required.filter((item) => !present.has(item.key));
  return { ready: missing.length === 0, required, missing };
}

export interface GateCondition {
  text: string;
  /** Calendar date, YYYY-MM-DD. */
  dueDate: string;
}

export interface GateVote {
  userId: string;
  senior: boolean;
  outcome: GateOutcome;
  reason: string;
  conditions: GateCondition[];
  at: string;
}

export interface FinanceSignOff {
  userId: string;
  at: string;
  note: string;
}

export type QuorumResult = { decided: false; needed: string } | { decided: true; outcome: GateOutcome; conditions: GateCondition[] };

export interface QuorumOptions {
  financeSignOff?: FinanceSignOff | null;
  /** Most cautious first; defaults to stop, recycle, hold, conditional go, go. */
  outcomePrecedence?: readonly GateOutcome[];
}

/**
 * Whether a gate's votes decide it. The quorum is met once the tier's number of approvers
 * have voted, one of them senior where the tier says so, and finance has signed off where
 * the tier says so. The decision is then the most cautious outcome voted for (see
 * `gateOutcomes`); a conditional go carries every condition any approver set.
 */
export function quorum(
  votes: readonly GateVote[],
  tierRules: Pick<GovernanceTier, "approvers" | "seniorRequired" | "financeSignOff">,
  options: QuorumOptions = {},
): QuorumResult {
  const voters = new Map<string, GateVote>();
  for (const vote of votes) voters.set(vote.userId, vote);
  const counted = [...voters.values()];
  const outstanding = Math.max(0, tierRules.approvers - counted.length);
  const seniorMissing = tierRules.seniorRequired && !counted.some((v) => v.senior);
  const financeMissing = tierRules.financeSignOff && !options.financeSignOff;

  if (outstanding > 0 || seniorMissing || financeMissing) {
    const needs: string[] = [];
    if (outstanding > 0) {
      const senior = seniorMissing ? (outstanding === 1 ? " from a senior approver" : ", one of them from a senior approver") : "";
      needs.push(`${plural(outstanding, "more vote")}${senior}`);
    } else if (seniorMissing) {
      needs.push("a vote from a senior approver");
    }
    if (financeMissing) needs.push("finance sign-off");
    return { decided: false, needed: `Waiting for ${joinList(needs)}.` };
  }

  const precedence = options.outcomePrecedence ?? gateOutcomes;
  const rank = (outcome: GateOutcome) => precedence.indexOf(outcome);
  const outcome = counted.reduce<GateOutcome>((worst, vote) => (rank(vote.outcome) < rank(worst) ? vote.outcome : worst), counted[0]!.outcome);
  const conditions = outcome === "conditionalGo" ? counted.flatMap((v) => v.conditions) : [];
  return { decided: true, outcome, conditions };
}
