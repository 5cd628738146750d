import { describe, expect, it } from "vitest";
import { compareBids, explainPlacement, explainTie, rankAndDrawLine, type RankInput } from "~/funding/ranking.ts";

const pounds = (n: number) => n * 100;

function bid(reference: string, moderatedScore: number, amountPounds: number, extra: Partial<RankInput> = {}): RankInput {
  return {
    bidId: `id-${reference}`,
    reference,
    amountPence: pounds(amountPounds),
    moderatedScore,
    topCriterionScore: 3,
    submittedAt: "2026-05-01T10:00:00.000Z",
    ...extra,
  };
}

const order = (inputs: RankInput[]) => rankAndDrawLine(inputs, pounds(1_000_000)).bids.map((b) => b.reference);

describe("ranking", () => {
  it("orders by moderated weighted score, highest first", () => {
    expect(order([bid("A", 60, 100), bid("B", 80, 100), bid("C", 70, 100)])).toEqual(["B", "C", "A"]);
  });

  it("breaks a tie on the most heavily weighted criterion, and says so", () => {
    const ranking = rankAndDrawLine(
      [bid("A", 70, 100, { topCriterionScore: 3 }), bid("B", 70, 100, { topCriterionScore: 4 })],
      pounds(1_000_000),
      [],
      "Strategic fit",
    );
    expect(ranking.bids.map((b) => b.reference)).toEqual(["B", "A"]);
    expect(ranking.bids[0]!.tie).toBe("B and A have the same moderated score (70); B ranks higher because it scored more on strategic fit (4 against 3).");
    expect(ranking.bids[1]!.tie).toBe(ranking.bids[0]!.tie);
  });

  it("then by the smaller amount asked, then by the earlier submission, then by reference", () => {
    expect(order([bid("A", 70, 200), bid("B", 70, 100)])).toEqual(["B", "A"]);
    expect(order([bid("A", 70, 100, { submittedAt: "2026-05-02T10:00:00.000Z" }), bid("B", 70, 100)])).toEqual(["B", "A"]);
    expect(order([bid("B", 70, 100), bid("A", 70, 100)])).toEqual(["A", "B"]);
    const ranking = rankAndDrawLine([bid("A", 70, 200), bid("B", 70, 100)], pounds(1_000_000));
    expect(ranking.bids[0]!.tie).toContain("B ranks higher because it asks for less (£100 against £200)");
  });

  it("is the same whatever order the bids arrive in", () => {
    const bids = [bid("A", 70, 200), bid("B", 70, 100), bid("C", 90, 50), bid("D", 70, 100, { topCriterionScore: 5 })];
    const forwards = [...bids].sort(compareBids).map((b) => b.reference);
    expect(order([...bids].reverse())).toEqual(forwards);
    expect(forwards).toEqual(["C", "D", "B", "A"]);
  });

  it("leaves untied bids without a tie sentence", () => {
    expect(rankAndDrawLine([bid("A", 70, 100), bid("B", 60, 100)], pounds(1000)).bids.every((b) => b.tie === null)).toBe(true);
  });
});

describe("the funding line", () => {
  it("funds bids in full while the budget lasts and draws the line at the first that does not fit", () => {
    const ranking = rankAndDrawLine([bid("A", 90, 400), bid("B", 80, 400), bid("C", 70, 300), bid("D", 60, 100)], pounds(1000));
    expect(ranking.bids.map((b) => [b.reference, b.placement, b.awardPence, b.cumulativePence])).toEqual([
      ["A", "above", pounds(400), pounds(400)],
      ["B", "above", pounds(400), pounds(800)],
      ["C", "below", 0, pounds(800)],
      ["D", "below", 0, pounds(800)],
    ]);
    expect(ranking.allocatedPence).toBe(pounds(800));
    expect(ranking.leftPence).toBe(pounds(200));
    expect(ranking.lineIndex).toBe(2);
    expect(ranking.firstBelow).toEqual({ bidId: "id-C", reference: "C", explanation: "£200 left; C asks for £300." });
  });

  it("does not fund the last bid in part automatically, and explains how the fund team can", () => {
    const ranking = rankAndDrawLine([bid("A", 90, 800), bid("C", 70, 300)], pounds(1000));
    const c = ranking.bids[1]!;
    expect(c.placement).toBe("below");
    expect(c.partial).toBe(false);
    expect(c.explanation).toContain("£200 left; this bid asks for £300");
    expect(c.explanation).toContain("include it at the £200 left by moving the line");
  });

  it("does not skip a smaller bid ahead of the bid that drew the line", () => {
    const ranking = rankAndDrawLine([bid("A", 90, 800), bid("B", 80, 300), bid("C", 70, 100)], pounds(1000));
    const c = ranking.bids[2]!;
    expect(c.placement).toBe("below");
    expect(c.explanation).toContain("would fit in the £200 left, but it is not moved ahead of higher-ranked bids");
  });

  it("puts the line above every bid when the first one does not fit", () => {
    const ranking = rankAndDrawLine([bid("A", 90, 2000), bid("B", 80, 100)], pounds(1000));
    expect(ranking.lineIndex).toBe(0);
    expect(ranking.bids.map((b) => b.placement)).toEqual(["below", "below"]);
  });

  it("puts the line after the last bid when every bid fits", () => {
    const ranking = rankAndDrawLine([bid("A", 90, 200), bid("B", 80, 100)], pounds(1000));
    expect(ranking.lineIndex).toBe(2);
    expect(ranking.firstBelow).toBeNull();
    expect(ranking.leftPence).toBe(pounds(700));
  });
});

describe("the fund team's adjustments", () => {
  const bids = [bid("A", 90, 800), bid("B", 80, 300), bid("C", 70, 100)];

  it("includes the bid on the line at the amount left, and says it is partly funded", () => {
    const ranking = rankAndDrawLine(bids, pounds(1000), [{ bidId: "id-B", direction: "include", reason: "Strong partnership" }]);
    const b = ranking.bids[1]!;
    expect([b.placement, b.awardPence, b.partial]).toEqual(["above", pounds(200), true]);
    expect(b.explanation).toBe("Included by the fund team at the £200 left of the budget, not the £300 asked: Strong partnership");
    expect(ranking.leftPence).toBe(0);
    expect(ranking.bids[2]!.placement).toBe("below");
    expect(ranking.firstBelow?.explanation).toBe("None of the budget is left; C asks for £100.");
    expect(ranking.lineIndex).toBe(2);
  });

  it("includes a smaller bid below the line in full when it fits", () => {
    const ranking = rankAndDrawLine(bids, pounds(1000), [{ bidId: "id-C", direction: "include", reason: "Fits the money left" }]);
    expect(ranking.bids.map((b) => [b.reference, b.placement, b.awardPence])).toEqual([
      ["A", "above", pounds(800)],
      ["B", "below", 0],
      ["C", "above", pounds(100)],
    ]);
    expect(ranking.bids[2]!.partial).toBe(false);
    expect(ranking.lineIndex).toBe(1);
  });

  it("excludes a bid and passes its money down the ranking", () => {
    const ranking = rankAndDrawLine(bids, pounds(1000), [{ bidId: "id-A", direction: "exclude", reason: "Duplicates existing work" }]);
    expect(ranking.bids.map((b) => [b.reference, b.placement, b.awardPence])).toEqual([
      ["A", "below", 0],
      ["B", "above", pounds(300)],
      ["C", "above", pounds(100)],
    ]);
    expect(ranking.bids[0]!.explanation).toBe("Moved below the line by the fund team: Duplicates existing work");
    expect(ranking.firstBelow).toBeNull();
  });

  it("cannot include a bid once nothing is left", () => {
    const ranking = rankAndDrawLine([bid("A", 90, 1000), bid("B", 80, 300)], pounds(1000), [{ bidId: "id-B", direction: "include", reason: "Please" }]);
    expect(ranking.bids[1]!.placement).toBe("below");
    expect(ranking.bids[1]!.explanation).toContain("none of the budget is left");
  });
});

describe("sentences for only the bids shown", () => {
  // Every kind of placement: in budget, on the line, a smaller bid that would fit below it,
  // included in part, included in full, included with nothing left, excluded, and ties.
  const bids = [
    bid("A", 90, 400),
    bid("B", 90, 300, { topCriterionScore: 4 }),
    bid("C", 80, 500),
    bid("D", 70, 100),
    bid("E", 70, 100, { submittedAt: "2026-04-01T10:00:00.000Z" }),
    bid("F", 60, 250),
    bid("G", 50, 900),
    bid("H", 40, 50),
  ];
  const cases: [string, number, { bidId: string; direction: "include" | "exclude"; reason: string }[]][] = [
    ["no moves", 1000, []],
    ["no budget", 0, []],
    ["every bid fits", 100_000, []],
    ["a bid excluded", 1000, [{ bidId: "id-A", direction: "exclude", reason: "Duplicates existing work" }]],
    ["a bid included in part", 800, [{ bidId: "id-C", direction: "include", reason: "Strong partnership" }]],
    [
      "a bid included in full, another with nothing left",
      1200,
      [
        { bidId: "id-D", direction: "include", reason: "Fits" },
        { bidId: "id-G", direction: "include", reason: "Please" },
      ],
    ],
  ];

  it.each(cases)("writes, for any one bid, the sentence the whole ranking writes (%s)", (_name, budget, moves) => {
    const full = rankAndDrawLine(bids, pounds(budget), moves, "Strategic fit");
    const quiet = rankAndDrawLine(bids, pounds(budget), moves, "Strategic fit", { sentences: false });
    expect(quiet.bids.map((b) => [b.explanation, b.tie])).toEqual(bids.map(() => ["", null]));
    // Everything else is the same, the line's own sentence included.
    const withoutSentences = (r: typeof full) => ({ ...r, bids: r.bids.map(({ explanation: _e, tie: _t, ...rest }) => rest) });
    expect(withoutSentences(quiet)).toEqual(withoutSentences(full));
    quiet.bids.forEach((_, index) => expect(explainPlacement(quiet, index)).toBe(full.bids[index]!.explanation));
    expect(new Set(full.bids.map((b) => b.explanation)).size).toBeGreaterThan(1);
  });

  it("orders bids as the tie sentences say, rule by rule", () => {
    const tied = [
      bid("K", 70, 100),
      bid("J", 70, 100),
      bid("L", 70, 90),
      bid("M", 70, 100, { topCriterionScore: 5 }),
      bid("N", 70, 100, { submittedAt: "2026-01-01T00:00:00.000Z" }),
    ];
    const ranked = [...tied].sort(compareBids).map((b) => b.reference);
    expect(ranked).toEqual(["M", "L", "N", "J", "K"]);
    for (let i = 0; i + 1 < tied.length; i++) {
      const [higher, lower] = [tied.find((b) => b.reference === ranked[i])!, tied.find((b) => b.reference === ranked[i + 1])!];
      expect(compareBids(higher, lower)).toBeLessThan(0);
      expect(compareBids(lower, higher)).toBeGreaterThan(0);
      expect(explainTie(higher, lower, "Strategic fit")).toMatch(new RegExp(`^${higher.reference} and ${lower.reference} have the same moderated score`));
    }
    expect(compareBids(tied[0]!, { ...tied[0]! })).toBe(0);
  });
});
