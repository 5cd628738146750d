import { describe, expect, it } from "vitest";
import { formatMoney, formatNumber, joinList, plural } from "../../workflows/format";

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

  it("groups whole numbers exactly as Intl does for en-GB, and leaves the rest to it", () => {
    const intl = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 2 });
    const samples = [
      0,
      -0,
      1,
      -1,
      999,
      1000,
      -1000,
      12_500,
      999_999,
      1_000_000,
      -123_456_789,
      Number.MAX_SAFE_INTEGER,
      -Number.MAX_SAFE_INTEGER,
      1e21,
      3.75,
      2.005,
      -0.5,
    ];
    // Every length of number, both signs, from a fixed sequence.
    let n = 7;
    for (let digits = 1; digits <= 16; digits++) {
      for (let k = 0; k < 50; k++) {
        n = (n * 1_103_515_245 + 12_345) % 2_147_483_648;
        const value = Math.floor((n / 2_147_483_648) * 10 ** digits);
        samples.push(value, -value);
      }
    }
    for (const value of samples) expect(formatNumber(value), String(value)).toBe(intl.format(value));
  });

  it("joins lists the way people write them", () => {
    expect(joinList([])).toBe("");
    expect(joinList(["Budget"])).toBe("Budget");
    expect(joinList(["Budget", "Team"])).toBe("Budget and Team");
    expect(joinList(["Budget", "Team", "Risks"])).toBe("Budget, Team and Risks");
  });
});
