// Every London-calendar operation the service needs, written once. The service works in UK
// time: a deadline is "midday on 21 December", a milestone is due on a London date, a digest
// goes out at 8am by London's clocks, whichever side of a clock change they fall.
//
// It lives in workflows/ rather than app/ because the machines (a condition's due date) and
// the email templates (a digest's times) may import nothing of the app, while the app may
// import them; here all three can reach it. The app reaches it by name, as ~/utils/dates.ts,
// beside ~/utils/format.ts (formatting is shared the same way, from ./format.ts).
//
// Pure: no database, no environment. Functions that need the time take it as an argument
// (defaulting to now), so tests can stand on either side of a clock change.
//
// Two kinds of value: an instant (a Date) and a calendar date ("2026-03-29", a London day). A
// calendar date kept in a date column is read back as midnight UTC on that date; isoDay and
// calendarDate convert between the two without any offset moving the day.

const LONDON = "Europe/London";

// Built once: constructing an Intl formatter costs far more than using one.
const isoDateInLondon = new Intl.DateTimeFormat("en-CA", { timeZone: LONDON, year: "numeric", month: "2-digit", day: "2-digit" });
const wallClock = new Intl.DateTimeFormat("en-GB", {
  timeZone: LONDON,
  year: "numeric",
  month: "numeric",
  day: "numeric",
  hour: "numeric",
  minute: "numeric",
  hourCycle: "h23",
});
const dayMonthYear = new Intl.DateTimeFormat("en-GB", { timeZone: LONDON, day: "numeric", month: "long", year: "numeric" });
const clock12 = new Intl.DateTimeFormat("en-GB", { timeZone: LONDON, hour: "numeric", minute: "2-digit", hourCycle: "h12" });

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

function splitIsoDate(isoDate: string): [number, number, number] {
  const match = ISO_DATE.exec(isoDate);
  if (!match) throw new Error(`Not a calendar date (YYYY-MM-DD): ${isoDate}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

// ---------------------------------------------------------------- calendar dates

/** Whether `value` is a real calendar date written YYYY-MM-DD (not 2026-02-30). */
export function isCalendarDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** A date column's value (midnight UTC on the day) as YYYY-MM-DD. */
export function isoDay(date: Date): string;
export function isoDay(date: Date | null | undefined): string | null;
export function isoDay(date: Date | null | undefined): string | null {
  return date ? date.toISOString().slice(0, 10) : null;
}

/** YYYY-MM-DD as a date column stores it (midnight UTC on the day). */
export function calendarDate(isoDate: string): Date;
export function calendarDate(isoDate: string | null | undefined): Date | null;
export function calendarDate(isoDate: string | null | undefined): Date | null {
  if (!isoDate) return null;
  splitIsoDate(isoDate);
  return new Date(`${isoDate}T00:00:00Z`);
}

/** The calendar date `days` after `isoDate` (before, when negative). */
export function addDays(isoDate: string, days: number): string {
  const [y, m, d] = splitIsoDate(isoDate);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Calendar days from `from` to `to` (both YYYY-MM-DD): 0 on the day, negative once `to` has passed. */
export function daysBetween(from: string, to: string): number {
  const [fy, fm, fd] = splitIsoDate(from);
  const [ty, tm, td] = splitIsoDate(to);
  return Math.round((Date.UTC(ty, tm - 1, td) - Date.UTC(fy, fm - 1, fd)) / DAY_MS);
}

/** The calendar date `years` after `isoDate` (29 February gives 28 February in a year without one). */
export function yearsAfter(isoDate: string, years: number): string {
  const [y, m, d] = splitIsoDate(isoDate);
  const later = new Date(Date.UTC(y + years, m - 1, d));
  if (later.getUTCDate() !== d) later.setUTCDate(0);
  return later.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------- London's clock

export interface LondonClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** What London's clocks show at `at`. */
export function londonClock(at: Date): LondonClock {
  const parts: Record<string, number> = {};
  for (const part of wallClock.formatToParts(at)) if (part.type !== "literal") parts[part.type] = Number(part.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute! };
}

/** How far London's clocks are ahead of UTC at `at`, in minutes: 0 in winter, 60 in summer. */
export function londonOffsetMinutes(at: Date): number {
  const c = londonClock(at);
  const wall = Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute);
  return Math.round((wall - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000);
}

/** Today's date in London, as YYYY-MM-DD. */
export function londonToday(now = new Date()): string {
  return isoDateInLondon.format(now);
}

/** The year in London at `at` (just after midnight on 1 January it is already the new year). */
export function londonYear(at = new Date()): number {
  return Number(londonToday(at).slice(0, 4));
}

/** Whether a calendar date (YYYY-MM-DD) is over in London: it is before today there. */
export function isPastInLondon(isoDate: string, now = new Date()): boolean {
  return isoDate < londonToday(now);
}

/**
 * The instant London's clocks show `hour`:`minute` on a calendar day: how a GOV.UK date and
 * a time of day typed by the fund team become a deadline. On the last Sunday of March the
 * clocks skip 1:00 to 1:59, and such a time is read as the hour after (1:30 is 2:30 BST); on
 * the last Sunday of October they show 1:00 to 1:59 twice, and the first is meant.
 */
export function londonTime(year: number, month: number, day: number, hour = 0, minute = 0): Date {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  for (const offset of [60, 0]) {
    const at = new Date(wall - offset * 60_000);
    if (londonOffsetMinutes(at) === offset) return at;
  }
  return new Date(wall);
}

/** The instant a London calendar day (YYYY-MM-DD) begins: midnight there. */
export function startOfLondonDay(isoDate: string): Date {
  const [y, m, d] = splitIsoDate(isoDate);
  return londonTime(y, m, d);
}

/**
 * The instant a London calendar day ends, which is the next day's midnight: use it as an
 * exclusive bound. The day is 23 hours long when the clocks go forward and 25 when they go back.
 */
export function endOfLondonDay(isoDate: string): Date {
  return startOfLondonDay(addDays(isoDate, 1));
}

/** 12:00 in London on the London date `days` after `from`'s, whatever the clocks are doing. */
export function londonNoonInDays(days: number, from = new Date()): Date {
  const [y, m, d] = splitIsoDate(addDays(londonToday(from), days));
  return londonTime(y, m, d, 12);
}

/** The first moment strictly after `after` when London's clocks show `hour`:00. */
export function nextLondonHour(after: Date, hour: number): Date {
  const today = londonToday(after);
  // Two days on at most: today's hour may have passed, and tomorrow's is always later.
  for (let days = 0; days <= 2; days++) {
    const [y, m, d] = splitIsoDate(addDays(today, days));
    const candidate = londonTime(y, m, d, hour);
    if (candidate.getTime() > after.getTime()) return candidate;
  }
  throw new Error(`No ${hour}:00 in London after ${after.toISOString()}`);
}

// ---------------------------------------------------------------- as people read them

/**
 * "3 March 2025". A calendar date (YYYY-MM-DD) is that day; an instant, or a string with a
 * time, is the day it falls on in London. Empty for no date.
 */
export function formatDate(value: Date | string | null | undefined): string {
  if (!value) return "";
  // Midday UTC is the same calendar day in London in every season.
  const at = typeof value === "string" && ISO_DATE.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(value);
  // Written from the UTC figures where they are London's too, as Intl's London formatter costs
  // microseconds a call and the dashboards write dozens a page (docs/performance.md). London
  // is UTC or an hour ahead of it, so before 23:00 UTC it is the same day there (every
  // calendar date, a date column's midnight, most instants); the last hour of a summer day is
  // already the next, and an invalid date (NaN hours) is refused by Intl as before.
  if (at.getUTCHours() < 23) return `${at.getUTCDate()} ${MONTHS[at.getUTCMonth()]} ${at.getUTCFullYear()}`;
  return dayMonthYear.format(at);
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/**
 * GOV.UK style, in UK time whatever the offset given: "midday on 21 December 2026",
 * "midnight on 4 July 2025" (midnight belongs to the day it starts), "9:30am on 1 May 2026".
 * Used by the pages, the emails and the workflow machines' sentences alike.
 */
export function formatDateTime(value: Date | string | null | undefined): string {
  if (!value) return "";
  const date = new Date(value);
  const parts = clock12.formatToParts(date);
  const hour = parts.find((p) => p.type === "hour")?.value ?? "";
  const minute = parts.find((p) => p.type === "minute")?.value ?? "00";
  const period = (parts.find((p) => p.type === "dayPeriod")?.value ?? "").toLowerCase().replace(/\./g, "").replace(/\s/g, "");
  const time = hour === "12" && minute === "00" ? (period === "pm" ? "midday" : "midnight") : `${hour}${minute === "00" ? "" : `:${minute}`}${period}`;
  return `${time} on ${dayMonthYear.format(date)}`;
}
