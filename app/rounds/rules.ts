import { parseFundRules, type FundRules } from "../../workflows/rules.ts";

/**
 * The settings that govern a round. A round carries its own copy of the fund's rules
 * (Round.rules), made when the round is set up, so editing one round never changes another;
 * rounds made before that column existed fall back to their fund's rules. The round's budget
 * and cap columns are the figures of record, so they override the copy's.
 */
export function roundRules(round: {
  rules: unknown;
  budgetPence: number;
  capPence: number;
  stage: "scan" | "pilot" | "scale";
  fund: { rules: unknown };
}): FundRules {
  const stored = (round.rules ?? round.fund.rules) as { caps?: Partial<FundRules["caps"]> } | null;
  // A round funds one stage; the other stages' caps cannot matter to it, but the rules must
  // stay whole (no cap above the budget), so they are held at the budget at most.
  const caps = { ...stored?.caps } as FundRules["caps"];
  for (const stage of Object.keys(caps) as (keyof typeof caps)[]) caps[stage] = Math.min(caps[stage], round.budgetPence);
  caps[round.stage] = round.capPence;
  // Checked once, as the round's rules: parseFundRules remembers the object it returns, so
  // the workflow event that carries it in its facts does not check it again.
  return parseFundRules({ ...stored, roundBudget: round.budgetPence, caps });
}

/** The Prisma `select` that `roundRules` needs. */
export const roundRulesSelect = {
  rules: true,
  budgetPence: true,
  capPence: true,
  stage: true,
  fund: { select: { rules: true } },
} as const;

/** roundRules, or null when the stored rules do not pass the schema (shown as nothing rather than wrongly). */
export function roundRulesOrNull(round: Parameters<typeof roundRules>[0]): FundRules | null {
  try {
    return roundRules(round);
  } catch {
    return null;
  }
}
