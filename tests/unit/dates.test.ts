import { describe, expect, it } from "vitest";
import {
  addDays,
  calendarDate,
  daysBetween,
  endOfLondonDay,
  formatDate,
  formatDateTime,
  isCalendarDate,
  isoDay,
  isPastInLondon,
  londonClock,
  londonNoonInDays,
  londonOffsetMinutes,
  londonTime,
  londonToday,
  londonYear,
  nextLondonHour,
  startOfLondonDay,
  yearsAfter,
} from "~/utils/dates.ts";

// In 2026 the clocks go forward at 01:00 UTC on Sunday 29 March (01:00 GMT becomes 02:00 BST)
// and back at 01:00 UTC on Sunday 25 October (02:00 BST becomes 01:00 GMT).
const at = (iso: string) => new Date(iso);
const hours = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 3_600_000;

describe("calendar dates", () => {
  it("reads a date column as the day it holds, and writes a day back the same way", () => {
    expect(isoDay(at("2026-07-01T00:00:00Z"))).toBe("2026-07-01");
    expect(isoDay(null)).toBeNull();
    expect(calendarDate("2026-07-01").toISOString()).toBe("2026-07-01T00:00:00.000Z");
    expect(calendarDate(null)).toBeNull();
    expect(() => calendarDate("1 July 2026")).toThrow(/Not a calendar date/);
  });

  it("knows a real date from one that only looks like a date", () => {
    expect(isCalendarDate("2028-02-29")).toBe(true);
    expect(isCalendarDate("2026-02-29")).toBe(false);
    expect(isCalendarDate("2026-13-01")).toBe(false);
    expect(isCalendarDate("2026-04-31")).toBe(false);
    expect(isCalendarDate("2026-4-01")).toBe(false);
  });

  it("counts days across months, years and the clock changes, which do not move a calendar day", () => {
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2028-03-01", -1)).toBe("2028-02-29");
    expect(addDays("2026-03-28", 2)).toBe("2026-03-30");
    expect(daysBetween("2026-03-28", "2026-03-30")).toBe(2);
    expect(daysBetween("2026-10-24", "2026-10-26")).toBe(2);
    expect(daysBetween("2026-07-10", "2026-07-01")).toBe(-9);
    expect(daysBetween("2026-07-01", "2026-07-01")).toBe(0);
  });

  it("counts years on from a date, 29 February giving 28 February", () => {
    expect(yearsAfter("2026-12-06", 5)).toBe("2031-12-06");
    expect(yearsAfter("2028-02-29", 5)).toBe("2033-02-28");
    expect(yearsAfter("2028-02-29", 4)).toBe("2032-02-29");
  });
});

describe("London's clock", () => {
  it("is an hour ahead of UTC in summer, changing at 1am UTC on the last Sundays of March and October", () => {
    expect(londonOffsetMinutes(at("2026-01-15T12:00:00Z"))).toBe(0);
    expect(londonOffsetMinutes(at("2026-07-15T12:00:00Z"))).toBe(60);
    expect(londonOffsetMinutes(at("2026-03-29T00:59:00Z"))).toBe(0);
    expect(londonOffsetMinutes(at("2026-03-29T01:00:00Z"))).toBe(60);
    expect(londonOffsetMinutes(at("2026-10-25T00:59:00Z"))).toBe(60);
    expect(londonOffsetMinutes(at("2026-10-25T01:00:00Z"))).toBe(0);
  });

  it("shows what the clocks on the wall show, midnight as hour 0", () => {
    expect(londonClock(at("2026-03-29T01:00:00Z"))).toEqual({ year: 2026, month: 3, day: 29, hour: 2, minute: 0 });
    expect(londonClock(at("2026-10-25T00:30:00Z"))).toMatchObject({ day: 25, hour: 1, minute: 30 });
    expect(londonClock(at("2026-10-25T01:30:00Z"))).toMatchObject({ day: 25, hour: 1, minute: 30 });
    expect(londonClock(at("2026-06-30T23:00:00Z"))).toEqual({ year: 2026, month: 7, day: 1, hour: 0, minute: 0 });
  });

  it("gives today's date in London, which in summer starts an hour before UTC's", () => {
    expect(londonToday(at("2026-06-30T22:59:00Z"))).toBe("2026-06-30");
    expect(londonToday(at("2026-06-30T23:00:00Z"))).toBe("2026-07-01");
    expect(londonToday(at("2026-12-31T23:30:00Z"))).toBe("2026-12-31");
    expect(londonToday(at("2026-03-29T00:30:00Z"))).toBe("2026-03-29");
  });

  it("gives the year in London", () => {
    expect(londonYear(at("2025-12-31T23:59:59Z"))).toBe(2025);
    expect(londonYear(at("2026-01-01T00:00:00Z"))).toBe(2026);
  });

  it("says a date is past once London's day after it has begun", () => {
    expect(isPastInLondon("2026-06-30", at("2026-06-30T22:59:00Z"))).toBe(false);
    expect(isPastInLondon("2026-06-30", at("2026-06-30T23:00:00Z"))).toBe(true);
    expect(isPastInLondon("2026-12-31", at("2026-12-31T23:59:00Z"))).toBe(false);
    expect(isPastInLondon("2027-01-01", at("2026-12-31T23:59:00Z"))).toBe(false);
  });
});

describe("a London time as an instant", () => {
  it("reads a wall-clock time in winter and in summer", () => {
    expect(londonTime(2027, 1, 15, 12, 0).toISOString()).toBe("2027-01-15T12:00:00.000Z");
    expect(londonTime(2027, 7, 15, 12, 0).toISOString()).toBe("2027-07-15T11:00:00.000Z");
    expect(londonTime(2027, 7, 15).toISOString()).toBe("2027-07-14T23:00:00.000Z");
  });

  it("reads the hour the clocks skip in March as the hour after", () => {
    expect(londonTime(2026, 3, 29, 0, 30).toISOString()).toBe("2026-03-29T00:30:00.000Z");
    expect(londonTime(2026, 3, 29, 1, 30).toISOString()).toBe("2026-03-29T01:30:00.000Z");
    expect(londonTime(2026, 3, 29, 2, 30).toISOString()).toBe("2026-03-29T01:30:00.000Z");
    expect(londonTime(2026, 3, 29, 3, 0).toISOString()).toBe("2026-03-29T02:00:00.000Z");
  });

  it("reads the hour the clocks show twice in October as the first", () => {
    expect(londonTime(2026, 10, 25, 0, 30).toISOString()).toBe("2026-10-24T23:30:00.000Z");
    expect(londonTime(2026, 10, 25, 1, 30).toISOString()).toBe("2026-10-25T00:30:00.000Z");
    expect(londonTime(2026, 10, 25, 2, 0).toISOString()).toBe("2026-10-25T02:00:00.000Z");
  });

  it("starts and ends a London day at its midnights: 24 hours, 23 in March and 25 in October", () => {
    expect(startOfLondonDay("2026-07-01").toISOString()).toBe("2026-06-30T23:00:00.000Z");
    expect(endOfLondonDay("2026-07-01").toISOString()).toBe("2026-07-01T23:00:00.000Z");
    expect(startOfLondonDay("2026-12-01").toISOString()).toBe("2026-12-01T00:00:00.000Z");
    expect(hours(startOfLondonDay("2026-07-01"), endOfLondonDay("2026-07-01"))).toBe(24);
    expect(startOfLondonDay("2026-03-29").toISOString()).toBe("2026-03-29T00:00:00.000Z");
    expect(hours(startOfLondonDay("2026-03-29"), endOfLondonDay("2026-03-29"))).toBe(23);
    expect(startOfLondonDay("2026-10-25").toISOString()).toBe("2026-10-24T23:00:00.000Z");
    expect(hours(startOfLondonDay("2026-10-25"), endOfLondonDay("2026-10-25"))).toBe(25);
  });

  it("finds midday in London some days on, counting from London's date", () => {
    expect(londonNoonInDays(1, at("2026-03-28T12:00:00Z")).toISOString()).toBe("2026-03-29T11:00:00.000Z");
    expect(londonNoonInDays(1, at("2026-10-24T11:00:00Z")).toISOString()).toBe("2026-10-25T12:00:00.000Z");
    expect(londonNoonInDays(0, at("2026-06-30T23:30:00Z")).toISOString()).toBe("2026-07-01T11:00:00.000Z");
    expect(londonNoonInDays(-1, at("2026-01-10T09:00:00Z")).toISOString()).toBe("2026-01-09T12:00:00.000Z");
  });

  it("finds the next time London's clocks show an hour, across the clock changes", () => {
    expect(nextLondonHour(at("2026-07-01T06:00:00Z"), 8).toISOString()).toBe("2026-07-01T07:00:00.000Z");
    expect(nextLondonHour(at("2026-07-01T07:00:00Z"), 8).toISOString()).toBe("2026-07-02T07:00:00.000Z");
    expect(nextLondonHour(at("2026-12-01T09:00:00Z"), 8).toISOString()).toBe("2026-12-02T08:00:00.000Z");
    expect(nextLondonHour(at("2026-03-28T12:00:00Z"), 8).toISOString()).toBe("2026-03-29T07:00:00.000Z");
    expect(nextLondonHour(at("2026-10-24T12:00:00Z"), 8).toISOString()).toBe("2026-10-25T08:00:00.000Z");
    expect(nextLondonHour(at("2026-06-30T23:30:00Z"), 0).toISOString()).toBe("2026-07-01T23:00:00.000Z");
  });
});

describe("dates as people read them", () => {
  it("writes a calendar date as that day, and an instant as its day in London", () => {
    expect(formatDate("2026-03-29")).toBe("29 March 2026");
    expect(formatDate(calendarDate("2026-10-25"))).toBe("25 October 2026");
    expect(formatDate(at("2026-06-30T23:30:00Z"))).toBe("1 July 2026");
    expect(formatDate("2026-06-30T23:30:00Z")).toBe("1 July 2026");
    expect(formatDate(null)).toBe("");
  });

  it("writes every hour of two years, across both clock changes, as Intl's London calendar does", () => {
    const london = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", day: "numeric", month: "long", year: "numeric" });
    const start = Date.UTC(2026, 0, 1);
    for (let hour = 0; hour < 2 * 366 * 24; hour++) {
      const instant = new Date(start + hour * 3_600_000 + 59 * 60_000);
      expect(formatDate(instant)).toBe(london.format(instant));
      expect(formatDate(instant.toISOString())).toBe(london.format(instant));
    }
    for (const day of ["2027-02-28", "2028-02-29", "2026-01-01", "2026-12-31", "2026-03-29", "2026-10-25"]) {
      expect(formatDate(day)).toBe(london.format(new Date(`${day}T12:00:00Z`)));
    }
    // Not calendar dates: rolled over or refused, as Intl did with them.
    expect(formatDate("2026-02-30")).toBe("2 March 2026");
    expect(() => formatDate("2026-13-01")).toThrow(RangeError);
    expect(() => formatDate("not a date")).toThrow(RangeError);
  });

  it("writes midnight as midnight on the day it starts, in either season", () => {
    expect(formatDateTime("2026-12-21T00:00:00Z")).toBe("midnight on 21 December 2026");
    expect(formatDateTime("2026-06-30T23:00:00Z")).toBe("midnight on 1 July 2026");
    expect(formatDateTime(startOfLondonDay("2026-10-25"))).toBe("midnight on 25 October 2026");
    expect(formatDateTime("2026-12-21T00:01:00Z")).toBe("12:01am on 21 December 2026");
  });

  it("writes midday and other times GOV.UK's way, in London time", () => {
    expect(formatDateTime(londonTime(2026, 7, 1, 12, 0))).toBe("midday on 1 July 2026");
    expect(formatDateTime("2026-12-21T12:30:00Z")).toBe("12:30pm on 21 December 2026");
    expect(formatDateTime("2026-03-29T01:00:00Z")).toBe("2am on 29 March 2026");
    expect(formatDateTime("2026-10-25T00:30:00Z")).toBe("1:30am on 25 October 2026");
    expect(formatDateTime("2026-10-25T01:30:00Z")).toBe("1:30am on 25 October 2026");
    expect(formatDateTime(null)).toBe("");
  });
});
