import { describe, expect, it } from "vitest";
import { MAX_SECTION_ROWS, parseSection, rowsToShow, sectionFieldNames } from "~/bid-form/sections.ts";

describe("a bid section's repeating rows", () => {
  it("shows the stored rows and a few blank ones, or up to the last row typed in", () => {
    expect(rowsToShow("line", 2, 3)).toBe(5);
    expect(rowsToShow("line", 0, 3, { "line-9-description": "Designer" })).toBe(10);
    // A chosen category alone is not typing: the select always has one.
    expect(rowsToShow("line", 0, 3, { "line-9-who": "supplier" })).toBe(3);
    expect(rowsToShow("metric", 1, 2, { "metric-4-unit": "days" })).toBe(5);
  });

  it("is never sized by a name beyond the form's rows, or one that is not a column", () => {
    expect(rowsToShow("line", 0, 3, { "line-99999-description": "x", "line-150-amount": "1", "line-4-colour": "red" })).toBe(3);
    expect(rowsToShow("line", 500, 3)).toBe(MAX_SECTION_ROWS);
  });

  it("reads only the rows sent, each below the cap", () => {
    const parsed = parseSection(
      "costs",
      { "line-3-who": "lead", "line-3-description": "Manager", "line-3-amount": "£1,000", "line-120-description": "x" },
      { complete: false, capPence: 1e9, formatMoney: String },
    );
    expect(parsed.stored.lines).toEqual([{ who: "lead", description: "Manager", amountPence: 100_000 }]);
    expect(
      Object.keys(parsed.values)
        .filter((k) => k.startsWith("line-"))
        .sort(),
    ).toEqual(["line-3-amount", "line-3-description", "line-3-who"]);
  });

  it("declares the form's own fields for keeping, rows up to the cap and no further", () => {
    const names = sectionFieldNames("costs");
    expect(names).toContain(`line-${MAX_SECTION_ROWS - 1}-amount`);
    expect(names).not.toContain(`line-${MAX_SECTION_ROWS}-amount`);
    expect(sectionFieldNames("approach")).toEqual(["version", "complete", "intent", "approach", "reuse", "openness"]);
  });
});
