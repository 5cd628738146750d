import { describe, expect, it } from "vitest";
import { formatDate, formatPence, joinList } from "../../workflows/format";

// The sentences people read quote money and deadlines; these are the GOV.UK forms.
describe("plain-English formatting", () => {
  it("writes money in pounds, showing pence only when there are some", () => {
    expect(formatPence(0)).toBe("£0");
    expect(formatPence(8_000_000)).toBe("£80,000");
    expect(formatPence(10_000_001)).toBe("£100,000.01");
    expect(formatPence(250_000_000)).toBe("£2,500,000");
  });

  it("writes calendar dates in full", () => {
    expect(formatDate("2025-06-01")).toBe("1 June 2025");
  });

  it("joins lists the way people write them", () => {
    expect(joinList([])).toBe("");
    expect(joinList(["Budget"])).toBe("Budget");
    expect(joinList(["Budget", "Team"])).toBe("Budget and Team");
    expect(joinList(["Budget", "Team", "Risks"])).toBe("Budget, Team and Risks");
  });
});
