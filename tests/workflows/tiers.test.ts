import { describe, expect, it } from "vitest";
import { defaultFundRules, type FundRules } from "../../workflows/rules";
import { gateReadiness, governanceTier, quorum, type GateVote } from "../../workflows/tiers";

const pounds = (amount: number) => Math.round(amount * 100);

describe("governanceTier", () => {
  it.each([
    [0, 1, "Tier 1 because cumulative funding of £0 is up to £100,000"],
    [80_000, 1, "Tier 1 because cumulative funding of £80,000 is up to £100,000"],
    [100_000, 1, "Tier 1 because cumulative funding of £100,000 is up to £100,000"],
    [100_000.01, 2, "Tier 2 because cumulative funding of £100,000.01 is above £100,000 and up to £500,000"],
    [420_000, 2, "Tier 2 because cumulative funding of £420,000 is above £100,000 and up to £500,000"],
    [500_000, 2, "Tier 2 because cumulative funding of £500,000 is above £100,000 and up to £500,000"],
    [500_000.01, 3, "Tier 3 because cumulative funding of £500,000.01 is above £500,000"],
    [2_500_000, 3, "Tier 3 because cumulative funding of £2,500,000 is above £500,000"],
  ])("puts £%d in tier %d and says why", (amount, tier, reason) => {
    const decision = governanceTier(pounds(amount), defaultFundRules);
    expect(decision.tier).toBe(tier);
    expect(decision.reason).toBe(reason);
    expect(decision.rules).toBe(defaultFundRules.governance.tiers[tier - 1]);
  });

  it("follows a fund's own limits", () => {
    const rules = structuredClone(defaultFundRules);
    rules.governance.tiers[0]!.upTo = pounds(50_000);
    expect(governanceTier(pounds(60_000), rules)).toMatchObject({
      tier: 2,
      reason: "Tier 2 because cumulative funding of £60,000 is above £50,000 and up to £500,000",
    });
  });
});

describe("gateReadiness", () => {
  it("lists every missing item for the tier with its plain-English label", () => {
    expect(gateReadiness(1, "scan", [], defaultFundRules)).toEqual({
      ready: false,
      required: [
        { key: "evaluationSummary", label: "Evaluation summary" },
        { key: "spendToDate", label: "Spend to date" },
      ],
      missing: [
        { key: "evaluationSummary", label: "Evaluation summary" },
        { key: "spendToDate", label: "Spend to date" },
      ],
    });
  });

  it("is ready when every required item is present, whatever else is attached", () => {
    const result = gateReadiness(1, "pilot", ["spendToDate", "evaluationSummary", "pressCoverage"], defaultFundRules);
    expect(result.ready).toBe(true);
    expect(result.missing).toEqual([]);
  });

  it("asks more of higher tiers", () => {
    const tier2 = gateReadiness(2, "pilot", ["evaluationSummary", "spendToDate"], defaultFundRules);
    expect(tier2.missing.map((m) => m.label)).toEqual(["Metrics against baseline and target", "Data protection impact assessment"]);
    const tier3 = gateReadiness(3, "scale", ["evaluationSummary", "spendToDate"], defaultFundRules);
    expect(tier3.missing.map((m) => m.key)).toEqual(["metricsAgainstBaseline", "dataProtectionImpactAssessment", "independentEvaluation", "valueForMoneyCase"]);
  });

  it("reads the requirement per tier and stage from the fund's rules", () => {
    const rules: FundRules = structuredClone(defaultFundRules);
    rules.governance.evidenceLabels.adoptionPlan = "Adoption plan";
    rules.governance.tiers[0]!.evidence.pilot.push("adoptionPlan");
    const present = ["evaluationSummary", "spendToDate"];
    expect(gateReadiness(1, "scan", present, rules).ready).toBe(true);
    expect(gateReadiness(1, "pilot", present, rules).missing).toEqual([{ key: "adoptionPlan", label: "Adoption plan" }]);
  });

  it("refuses a tier the fund does not have", () => {
    expect(() => gateReadiness(4, "scan", [], defaultFundRules)).toThrow("This fund has no tier 4.");
  });
});

describe("quorum", () => {
  const [tier1, tier2, tier3] = defaultFundRules.governance.tiers as [
    (typeof defaultFundRules.governance.tiers)[number],
    (typeof defaultFundRules.governance.tiers)[number],
    (typeof defaultFundRules.governance.tiers)[number],
  ];
  let n = 0;
  const vote = (outcome: GateVote["outcome"], changes: Partial<GateVote> = {}): GateVote => ({
    userId: `approver-${++n}`,
    senior: false,
    outcome,
    reason: `Because ${outcome}.`,
    conditions: outcome === "conditionalGo" ? [{ text: `Condition ${n}`, dueDate: "2025-09-01" }] : [],
    at: "2025-05-01T10:00:00Z",
    ...changes,
  });
  const finance = { financeSignOff: { userId: "finance", at: "2025-05-01T11:00:00Z", note: "" } };

  it("tier 1: one approver decides", () => {
    expect(quorum([], tier1)).toEqual({ decided: false, needed: "Waiting for 1 more vote." });
    expect(quorum([vote("go")], tier1)).toEqual({ decided: true, outcome: "go", conditions: [] });
  });

  it("tier 2: two approvers, one of them senior", () => {
    expect(quorum([], tier2)).toEqual({
      decided: false,
      needed: "Waiting for 2 more votes, one of them from a senior approver.",
    });
    expect(quorum([vote("go")], tier2)).toEqual({
      decided: false,
      needed: "Waiting for 1 more vote from a senior approver.",
    });
    expect(quorum([vote("go"), vote("go")], tier2)).toEqual({
      decided: false,
      needed: "Waiting for a vote from a senior approver.",
    });
    expect(quorum([vote("go", { senior: true })], tier2)).toEqual({
      decided: false,
      needed: "Waiting for 1 more vote.",
    });
    expect(quorum([vote("go"), vote("go"), vote("go", { senior: true })], tier2)).toMatchObject({ decided: true, outcome: "go" });
  });

  it("tier 3: a panel of three and finance sign-off", () => {
    expect(quorum([vote("go"), vote("go")], tier3)).toEqual({
      decided: false,
      needed: "Waiting for 1 more vote and finance sign-off.",
    });
    expect(quorum([vote("go"), vote("go"), vote("go")], tier3)).toEqual({
      decided: false,
      needed: "Waiting for finance sign-off.",
    });
    expect(quorum([vote("go"), vote("go"), vote("go")], tier3, finance)).toMatchObject({ decided: true, outcome: "go" });
  });

  it("counts each approver once", () => {
    const repeat = vote("go");
    expect(quorum([repeat, { ...repeat, outcome: "hold" }], tier3, finance)).toEqual({
      decided: false,
      needed: "Waiting for 2 more votes.",
    });
  });

  it("decides the most cautious outcome voted for", () => {
    const panel = (...outcomes: GateVote["outcome"][]) =>
      quorum(
        outcomes.map((o) => vote(o)),
        tier3,
        finance,
      );
    expect(panel("go", "go", "stop")).toMatchObject({ outcome: "stop" });
    expect(panel("hold", "recycle", "go")).toMatchObject({ outcome: "recycle" });
    expect(panel("conditionalGo", "hold", "go")).toMatchObject({ outcome: "hold" });
    expect(panel("go", "conditionalGo", "go")).toMatchObject({ outcome: "conditionalGo" });
  });

  it("carries every condition set by a conditional go", () => {
    const votes = [vote("conditionalGo"), vote("go"), vote("conditionalGo")];
    const result = quorum(votes, tier3, finance);
    expect(result).toEqual({
      decided: true,
      outcome: "conditionalGo",
      conditions: [...votes[0]!.conditions, ...votes[2]!.conditions],
    });
  });

  it("follows a fund's own order of precedence", () => {
    const boldFirst = ["go", "conditionalGo", "hold", "recycle", "stop"] as const;
    expect(quorum([vote("go"), vote("stop", { senior: true })], tier2, { outcomePrecedence: boldFirst })).toMatchObject({
      outcome: "go",
    });
  });
});
