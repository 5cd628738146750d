import { describe, expect, it } from "vitest";
import { defaultFundRules, factsRulesSchema, fundRulesSchema, parseFundRules, type FundRules } from "../../workflows/rules";

const messagesFor = (rules: unknown) => {
  const result = fundRulesSchema.safeParse(rules);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
};

const changed = (change: (rules: FundRules) => void): FundRules => {
  const rules = structuredClone(defaultFundRules);
  change(rules);
  return rules;
};

describe("fund rules", () => {
  it("defaults to PRODUCT.md's settings and validates", () => {
    expect(parseFundRules(defaultFundRules)).toEqual(defaultFundRules);
    expect(defaultFundRules.eligibility).toEqual({
      declarationRequired: true,
      minCouncils: 3,
      maxLeadBidsPerCouncilPerRound: 2,
      leadKinds: ["council", "combinedAuthority"],
      partnerKinds: ["council", "combinedAuthority", "fireAuthority"],
    });
    expect(defaultFundRules.caps).toEqual({ scan: 8_000_000, pilot: 35_000_000, scale: 75_000_000 });
    expect(defaultFundRules.roundBudget).toBe(250_000_000);
    expect(defaultFundRules.assessment.assessorsPerBid).toBe(2);
    expect(defaultFundRules.assessment.disagreementThreshold).toBe(2);
    expect(defaultFundRules.assessment.criteria.map((c) => [c.label, c.weight])).toEqual([
      ["Strategic fit", 30],
      ["Deliverability", 30],
      ["Value for money", 25],
      ["Reuse and openness", 15],
    ]);
    expect(defaultFundRules.assessment.scale.labels.map((l) => l.score)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(defaultFundRules.governance.tiers.map((t) => [t.tier, t.upTo, t.approvers, t.seniorRequired, t.financeSignOff])).toEqual([
      [1, 10_000_000, 1, false, false],
      [2, 50_000_000, 2, true, false],
      [3, null, 3, false, true],
    ]);
  });

  it("gives every evidence key a plain-English label", () => {
    const keys = defaultFundRules.governance.tiers.flatMap((t) => [...t.evidence.scan, ...t.evidence.pilot, ...t.evidence.scale]);
    for (const key of keys) expect(defaultFundRules.governance.evidenceLabels[key]).toMatch(/^[A-Z]/);
  });

  it("refuses criteria weights that do not add up to 100", () => {
    const rules = changed((r) => {
      r.assessment.criteria[3]!.weight = 10;
    });
    expect(messagesFor(rules)).toEqual(["assessment.criteria: The criteria weights must add up to 100; they add up to 95."]);
    expect(() => parseFundRules(rules)).toThrow("The criteria weights must add up to 100");
  });

  it("refuses a stage cap above the round budget", () => {
    const rules = changed((r) => {
      r.caps.pilot = r.roundBudget + 1;
    });
    expect(messagesFor(rules)).toEqual(["caps.pilot: The pilot cap cannot be more than the round budget."]);
  });

  it("accepts a cap equal to the budget", () => {
    expect(messagesFor(changed((r) => void (r.caps.scale = r.roundBudget)))).toEqual([]);
  });

  it.each([1, 2, 3, 5])("allows %d assessors per bid", (count) => {
    expect(messagesFor(changed((r) => void (r.assessment.assessorsPerBid = count as 1)))).toEqual([]);
  });

  it.each([0, 4, 6])("refuses %d assessors per bid", (count) => {
    expect(messagesFor(changed((r) => void (r.assessment.assessorsPerBid = count as 1)))).not.toEqual([]);
  });

  it("refuses evidence with no label, tiers out of order and an upper limit on the top tier", () => {
    const rules = changed((r) => {
      r.governance.tiers[0]!.evidence.scan.push("caseStudy");
      r.governance.tiers[1]!.upTo = 5_000_000;
      r.governance.tiers[2]!.upTo = 90_000_000;
    });
    expect(messagesFor(rules)).toEqual([
      'governance.tiers.0.evidence.scan: Evidence "caseStudy" needs a label.',
      "governance.tiers.1.upTo: Each tier's limit must be above the one before.",
      "governance.tiers.2.upTo: The top tier has no upper limit.",
    ]);
  });

  it("refuses a scale with an unlabelled score and a precedence that repeats an outcome", () => {
    const rules = changed((r) => {
      r.assessment.scale.labels = r.assessment.scale.labels.filter((l) => l.score !== 3);
      r.governance.outcomePrecedence = ["stop", "stop", "hold", "conditionalGo", "go"];
    });
    expect(messagesFor(rules)).toEqual([
      "assessment.scale.labels: Score 3 needs a label.",
      "governance.outcomePrecedence: Every gate outcome must appear once in the order of precedence.",
    ]);
  });

  it("refuses organisation kinds it does not know", () => {
    const rules = changed((r) => {
      (r.eligibility.leadKinds as string[]).push("parishCouncil");
    });
    expect(messagesFor(rules)).toHaveLength(1);
    expect(messagesFor(rules)[0]).toMatch(/^eligibility\.leadKinds\.2:/);
  });
});

describe("rules read again", () => {
  it("are the same frozen object for the same rules, and a new one when they change", () => {
    const first = parseFundRules(structuredClone(defaultFundRules));
    const again = parseFundRules(structuredClone(defaultFundRules));
    expect(again).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.assessment.criteria[0])).toBe(true);
    expect(() => {
      (first.caps as { scan: number }).scan = 1;
    }).toThrow(TypeError);
    const lower = parseFundRules(changed((r) => (r.caps.scan = 7_000_000)));
    expect(lower).not.toBe(first);
    expect(lower.caps.scan).toBe(7_000_000);
    expect(parseFundRules(structuredClone(defaultFundRules)).caps.scan).toBe(defaultFundRules.caps.scan);
  });

  it("are refused every time they break a rule", () => {
    const broken = changed((r) => (r.assessment.criteria[0]!.weight = 1));
    expect(() => parseFundRules(broken)).toThrow(/add up to 100/);
    expect(() => parseFundRules(broken)).toThrow(/add up to 100/);
  });
});

describe("the rules an event's facts carry", () => {
  it("are taken as they are when parseFundRules made them, without checking them again", () => {
    const rules = parseFundRules(structuredClone(defaultFundRules));
    const parsed = factsRulesSchema.parse(rules);
    expect(parsed).toBe(rules);
  });

  it("are parsed, defaults and all, when they are any other object", () => {
    const withoutGuidance = changed((rules) => {
      rules.assessment.criteria = rules.assessment.criteria.map(({ key, label, weight }) => ({ key, label, weight }) as never);
    });
    const parsed = factsRulesSchema.parse(withoutGuidance);
    expect(parsed).not.toBe(withoutGuidance);
    expect(parsed.assessment.criteria.map((c) => c.guidance)).toEqual(["", "", "", ""]);
    // Checked once, the result is then taken as it is.
    expect(factsRulesSchema.parse(parsed)).toBe(parsed);
  });

  it("are refused when they break a rule, naming it", () => {
    const broken = changed((rules) => {
      rules.assessment.criteria[0]!.weight = 90;
    });
    const result = factsRulesSchema.safeParse(broken);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message).join("\n")).toMatch(/^rules\.assessment\.criteria: .*100/m);
  });
});
