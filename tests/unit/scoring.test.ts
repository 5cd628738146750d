import { describe, expect, it } from "vitest";
import { disagreements, missingParts, moderatedCriterionScores, moderatedScore, readScores, weightedScore } from "~/assessment/scoring.ts";
import { defaultFundRules } from "../../workflows/rules.ts";

const { criteria, scale } = defaultFundRules.assessment;
const all = (score: number) => Object.fromEntries(criteria.map((c) => [c.key, { score, justification: "Because." }]));

describe("weighted scores", () => {
  it("gives 100 for top marks, 0 for the lowest, and weights each criterion", () => {
    expect(weightedScore({ strategicFit: 5, deliverability: 5, valueForMoney: 5, reuseAndOpenness: 5 }, criteria, scale)).toBe(100);
    expect(weightedScore({ strategicFit: 0, deliverability: 0, valueForMoney: 0, reuseAndOpenness: 0 }, criteria, scale)).toBe(0);
    // 30% × 5/5 + 30% × 0 + 25% × 4/5 + 15% × 2/5 = 30 + 0 + 20 + 6
    expect(weightedScore({ strategicFit: 5, deliverability: 0, valueForMoney: 4, reuseAndOpenness: 2 }, criteria, scale)).toBe(56);
  });

  it("counts an unscored criterion as the scale's lowest point", () => {
    expect(weightedScore({ strategicFit: 5 }, criteria, scale)).toBe(30);
  });
});

describe("disagreement flags", () => {
  it("flags a criterion only when the spread is more than the threshold", () => {
    const a = all(3);
    const b = { ...all(3), strategicFit: { score: 5, justification: "x" }, deliverability: { score: 0, justification: "x" } };
    expect(disagreements([a, b], criteria, 2)).toEqual([{ criterionKey: "deliverability", label: "Deliverability", scores: [3, 0], spread: 3 }]);
    expect(disagreements([a, b], criteria, 1).map((d) => d.criterionKey)).toEqual(["strategicFit", "deliverability"]);
  });

  it("needs two scores to disagree", () => {
    expect(disagreements([all(0)], criteria, 0)).toEqual([]);
  });
});

describe("moderated scores", () => {
  it("uses the consensus where recorded and the mean elsewhere", () => {
    const a = all(2);
    const b = all(5);
    expect(moderatedCriterionScores([a, b], { strategicFit: 4 }, criteria)).toEqual({
      strategicFit: 4,
      deliverability: 3.5,
      valueForMoney: 3.5,
      reuseAndOpenness: 3.5,
    });
    // 30×4/5 + 70×3.5/5 = 24 + 49
    expect(moderatedScore([a, b], { strategicFit: 4 }, { criteria, scale })).toBe(73);
  });
});

describe("reading and checking stored scores", () => {
  it("treats malformed entries as unscored", () => {
    expect(readScores({ strategicFit: { score: "5" }, deliverability: { score: 2, justification: "ok" }, x: null })).toEqual({
      strategicFit: { score: null, justification: "" },
      deliverability: { score: 2, justification: "ok" },
    });
    expect(readScores(null)).toEqual({});
  });

  it("names criteria without a score or without a justification", () => {
    const scores = readScores({ strategicFit: { score: 3, justification: " " }, deliverability: { score: 2, justification: "fine" } });
    expect(missingParts(scores, criteria)).toEqual({
      unscoredCriteria: ["Value for money", "Reuse and openness"],
      unjustifiedCriteria: ["Strategic fit"],
    });
  });
});
