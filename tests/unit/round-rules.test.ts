import { describe, expect, it } from "vitest";
import { roundRules } from "~/rounds/rules.ts";
import { defaultFundRules, fundRulesSchema } from "../../workflows/rules.ts";

describe("a round's rules", () => {
  it("take the round's budget and cap, and stay valid when the budget is below another stage's cap", () => {
    // £600,000 is below the default scale cap of £750,000: a pilot round cannot be refused for that.
    const rules = roundRules({ rules: defaultFundRules, budgetPence: 600_000_00, capPence: 300_000_00, stage: "pilot", fund: { rules: null } });
    expect(rules.roundBudget).toBe(600_000_00);
    expect(rules.caps).toEqual({ scan: 80_000_00, pilot: 300_000_00, scale: 600_000_00 });
    expect(fundRulesSchema.safeParse(rules).success).toBe(true);
  });

  it("fall back to the fund's rules for a round made before rounds had their own", () => {
    const rules = roundRules({ rules: null, budgetPence: 2_500_000_00, capPence: 80_000_00, stage: "scan", fund: { rules: defaultFundRules } });
    expect(rules.assessment.criteria).toEqual(defaultFundRules.assessment.criteria);
    expect(rules.caps.scan).toBe(80_000_00);
  });
});
