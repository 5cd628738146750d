import { describe, expect, it } from "vitest";
import { formatMoney, joinList, plural } from "../../workflows/format";

// The sentences people read quote money and deadlines; these are the GOV.UK forms.
describe("plain-English formatting", () => {
  it("writes money in pounds, showing pence only when there are some", () => {
    expect(formatMoney(0)).toBe("£0");
    expect(formatMoney(8_000_000)).toBe("£80,000");
    expect(formatMoney(10_000_001)).toBe("£100,000.01");
    expect(formatMoney(250_000_000)).toBe("£2,500,000");
  });

  it("counts things with their noun, grouping thousands", () => {
    expect(plural(1, "bid")).toBe("1 bid");
    expect(plural(0, "bid")).toBe("0 bids");
    expect(plural(1204, "council")).toBe("1,204 councils");
    expect(plural(2, "case study", "case studies")).toBe("2 case studies");
  });

  it("joins lists the way people write them", () => {
    expect(joinList([])).toBe("");
    expect(joinList(["Budget"])).toBe("Budget");
    expect(joinList(["Budget", "Team"])).toBe("Budget and Team");
    expect(joinList(["Budget", "Team", "Risks"])).toBe("Budget, Team and Risks");
  });
});
