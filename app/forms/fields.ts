import { z } from "zod";
import { isCalendarDate, yearsAfter } from "~/utils/dates.ts";
import { capitalise, formatNumber, formatDate, formatMoney } from "~/utils/format.ts";
import { PLANNING_HORIZON_YEARS } from "./limits.ts";

/**
 * The field schemas every form shares, so one rule means one thing everywhere: the same
 * money is accepted on the costs page and the spend page, the same date on a milestone and
 * a gate, the same reason rule on a withdrawal and a refusal. Pure: used by the server's
 * parsing and by unit tests.
 *
 * Forms are parsed by Conform (app/forms/parse.server.ts), which turns an empty box into
 * `undefined`; that is why "required" messages are given for a missing value as well as for
 * one that is only spaces.
 */

/** A string the person must give, trimmed, at most `max` characters. */
export function requiredText(options: { missing: string; max: number; label: string }) {
  return z
    .string({ error: options.missing })
    .trim()
    .min(1, options.missing)
    .max(options.max, `${capitalise(options.label)} must be ${formatNumber(options.max)} characters or fewer`);
}

/** A string the person may leave blank (then ""), at most `max` characters. */
export function optionalText(options: { max: number; label: string }) {
  return z
    .string()
    .trim()
    .max(options.max, `${capitalise(options.label)} must be ${formatNumber(options.max)} characters or fewer`)
    .default("");
}

/** Why someone is doing something: required, and at most `max` characters (5,000 unless said). */
export function reason(what: string, max = 5000) {
  return requiredText({ missing: `Enter ${what}`, max, label: "your reason" });
}

/** "£12,500.50", "12500", "12,500.5" -> pence; null when it is not an amount of money. */
export function parseMoney(typed: string): number | null {
  const cleaned = typed.trim().replace(/^£\s*/, "").replace(/,/g, "").trim();
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(cleaned)) return null;
  const [pounds, pence = ""] = cleaned.split(".");
  return Number(pounds) * 100 + Number(pence.padEnd(2, "0"));
}

/** Pence as a money box shows them: "350000", or "1234.50". */
export const penceToInput = (pence: number) => (pence % 100 === 0 ? String(pence / 100) : (pence / 100).toFixed(2));

/** An amount of money in pounds, as pence. `what` names it in messages ("the amount spent"). */
export function money(what: string, options: { min?: number; max?: number } = {}) {
  return z.string({ error: `Enter ${what}` }).transform((typed, ctx) => {
    const pence = parseMoney(typed);
    if (pence === null) {
      ctx.addIssue({ code: "custom", message: `${capitalise(what)} must be an amount of money, like 12,500 or 12,500.50` });
      return z.NEVER;
    }
    if (options.min !== undefined && pence < options.min) {
      ctx.addIssue({ code: "custom", message: `${capitalise(what)} must be ${formatMoney(options.min)} or more` });
      return z.NEVER;
    }
    if (options.max !== undefined && pence > options.max) {
      ctx.addIssue({ code: "custom", message: `${capitalise(what)} must be ${formatMoney(options.max)} or less` });
      return z.NEVER;
    }
    return pence;
  });
}

export type DateParts = { day: string; month: string; year: string };

/**
 * A GOV.UK date input's three boxes as YYYY-MM-DD, or the message to show, worded as the
 * design system's date input asks. `what` names the date ("the due date").
 */
export function checkDateParts(parts: DateParts, what: string): { ok: true; date: string } | { ok: false; message: string } {
  const day = parts.day.trim();
  const month = parts.month.trim();
  const year = parts.year.trim();
  const missing = [!day && "a day", !month && "a month", !year && "a year"].filter(Boolean) as string[];
  if (missing.length === 3) return { ok: false, message: `Enter ${what}` };
  if (missing.length) return { ok: false, message: `${capitalise(what)} must include ${missing.join(" and ")}` };
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) {
    return { ok: false, message: `${capitalise(what)} must be a real date` };
  }
  const date = `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
  if (!isCalendarDate(date)) return { ok: false, message: `${capitalise(what)} must be a real date` };
  const y = Number(year);
  if (y < 2000 || y > 2100) return { ok: false, message: `${capitalise(what)} must be between the years 2000 and 2100` };
  return { ok: true, date };
}

const datePart = z.string().optional().default("");

/**
 * A GOV.UK date input (boxes `<name>-day`, `<name>-month`, `<name>-year`, which parseForm
 * gathers under `<name>`) as YYYY-MM-DD. Optional dates left blank give null.
 */
export function govukDate(
  what: string,
  options: { required?: boolean; notBefore?: string; notBeforeText?: string; notAfter?: string; notAfterText?: string } = {},
) {
  return z
    .object({ day: datePart, month: datePart, year: datePart })
    .optional()
    .transform((parts, ctx) => {
      const p = parts ?? { day: "", month: "", year: "" };
      if (!options.required && !p.day.trim() && !p.month.trim() && !p.year.trim()) return null;
      const checked = checkDateParts(p, what);
      if (!checked.ok) {
        ctx.addIssue({ code: "custom", message: checked.message });
        return z.NEVER;
      }
      if (options.notBefore && checked.date < options.notBefore) {
        ctx.addIssue({ code: "custom", message: `${capitalise(what)} must be on or after ${options.notBeforeText ?? options.notBefore}` });
        return z.NEVER;
      }
      if (options.notAfter && checked.date > options.notAfter) {
        ctx.addIssue({ code: "custom", message: `${capitalise(what)} must be on or before ${options.notAfterText ?? options.notAfter}` });
        return z.NEVER;
      }
      return checked.date;
    });
}

/**
 * The latest a planned date may be (PLANNING_HORIZON_YEARS from today), as govukDate's
 * options: "must be on or before 6 December 2031, 5 years from today".
 */
export function planningHorizon(today: string) {
  const notAfter = yearsAfter(today, PLANNING_HORIZON_YEARS);
  return { notAfter, notAfterText: `${formatDate(notAfter)}, ${PLANNING_HORIZON_YEARS} years from today` };
}

/** The record version a form carried (for compare-and-set), or undefined. */
export const version = z
  .string()
  .regex(/^\d{1,9}$/)
  .transform(Number)
  .optional()
  .catch(undefined);

/** A register code (the organisation's short code), upper-cased. */
export function organisationCode(missing = "Choose an organisation from the list") {
  return z
    .string({ error: missing })
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9]{2,6}$/, missing);
}

export function email(missing = "Enter an email address") {
  return z
    .string({ error: missing })
    .trim()
    .toLowerCase()
    .min(1, missing)
    .max(254, "Email address must be 254 characters or fewer")
    .email("Enter an email address in the correct format, like name@council.gov.uk");
}

/** One of a fixed set of answers (radios, a select). */
export function choice<const T extends readonly [string, ...string[]]>(values: T, missing: string) {
  return z.enum(values, { error: missing });
}

/** A checkbox: "yes" or absent. */
export const checkbox = z
  .string()
  .optional()
  .transform((value) => value !== undefined && value !== "");

/** Checkboxes sharing a name: every value ticked, each one of `values`. */
export function ticked<const T extends readonly [string, ...string[]]>(values: T) {
  return z
    .union([z.enum(values), z.array(z.enum(values))])
    .optional()
    .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]));
}

/** A whole number within bounds, as typed in a box. */
export function wholeNumber(what: string, options: { min: number; max: number }) {
  return z.string({ error: `Enter ${what}` }).transform((typed, ctx) => {
    const cleaned = typed.trim().replace(/,/g, "");
    const n = /^-?\d{1,12}$/.test(cleaned) ? Number(cleaned) : NaN;
    if (!Number.isInteger(n)) {
      ctx.addIssue({ code: "custom", message: `${capitalise(what)} must be a whole number, like 12` });
      return z.NEVER;
    }
    if (n < options.min || n > options.max) {
      ctx.addIssue({ code: "custom", message: `${capitalise(what)} must be between ${formatNumber(options.min)} and ${formatNumber(options.max)}` });
      return z.NEVER;
    }
    return n;
  });
}
