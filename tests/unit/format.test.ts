import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, formatMoney } from "~/utils/format.ts";

describe("dates and money as GOV.UK writes them", () => {
  it("writes noon as midday, in London time whatever the season", () => {
    expect(formatDateTime("2026-12-21T12:00:00Z")).toBe("midday on 21 December 2026");
    expect(formatDateTime("2026-07-01T11:00:00Z")).toBe("midday on 1 July 2026");
  });

  it("writes other times with am or pm and minutes only when there are some", () => {
    expect(formatDateTime("2026-12-21T09:30:00Z")).toBe("9:30am on 21 December 2026");
    expect(formatDateTime("2026-12-21T17:00:00Z")).toBe("5pm on 21 December 2026");
  });

  it("writes midnight as midnight, on the day it starts", () => {
    expect(formatDateTime("2026-12-21T00:00:00Z")).toBe("midnight on 21 December 2026");
    expect(formatDateTime("2025-07-03T23:00:00Z")).toBe("midnight on 4 July 2025");
    expect(formatDateTime("2026-12-21T00:01:00Z")).toBe("12:01am on 21 December 2026");
  });

  it("reads a time with any offset in UK time", () => {
    expect(formatDateTime("2025-01-10T09:05:00+00:00")).toBe("9:05am on 10 January 2025");
    expect(formatDateTime("2025-07-03T16:30:00+01:00")).toBe("4:30pm on 3 July 2025");
  });

  it("writes dates in full", () => {
    expect(formatDate("2018-07-04")).toBe("4 July 2018");
    expect(formatDate(null)).toBe("");
  });

  it("writes whole pounds without pence and other amounts with them", () => {
    expect(formatMoney(35_000_000)).toBe("£350,000");
    expect(formatMoney(123_456)).toBe("£1,234.56");
    expect(formatMoney(0)).toBe("£0");
  });
});
