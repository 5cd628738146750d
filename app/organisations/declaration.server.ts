import { z } from "zod";
import { parseForm, typedValues, type TypedValues } from "~/forms/parse.server.ts";
import { isCalendarDate } from "~/utils/dates.ts";
import { recordDeclaration } from "./directory.server.ts";

/**
 * Checking the date an organisation signed the Local Digital Declaration, typed into a
 * GOV.UK date input (day, month, year), with the design system's error messages.
 */
export const DECLARATION_PUBLISHED = "2018-07-04";

export type DatePart = "day" | "month" | "year";

export type DateCheck = { ok: true; date: string } | { ok: false; message: string; fields: DatePart[] };

const months = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

/** "3", "03", "March" and "Mar" are all March; anything else is not a month. */
function monthNumber(value: string): number | null {
  if (/^\d{1,2}$/.test(value)) return Number(value);
  const lower = value.toLowerCase();
  const index = months.findIndex((m) => m === lower || (lower.length >= 3 && m.startsWith(lower)));
  return index >= 0 ? index + 1 : null;
}

const label = "Date signed";

export function checkDeclarationDate(input: Record<DatePart, string>, today: string): DateCheck {
  const parts = { day: input.day.trim(), month: input.month.trim(), year: input.year.trim() };
  const missing = (["day", "month", "year"] as const).filter((p) => !parts[p]);
  if (missing.length === 3) {
    return { ok: false, message: "Enter the date the Local Digital Declaration was signed", fields: ["day", "month", "year"] };
  }
  if (missing.length) {
    return { ok: false, message: `${label} must include a ${missing.join(" and ")}`, fields: [...missing] };
  }
  const invalid: DatePart[] = [];
  const day = /^\d{1,2}$/.test(parts.day) ? Number(parts.day) : NaN;
  if (!(day >= 1 && day <= 31)) invalid.push("day");
  const month = monthNumber(parts.month);
  if (month === null || month < 1 || month > 12) invalid.push("month");
  if (!/^\d+$/.test(parts.year)) invalid.push("year");
  else if (parts.year.length !== 4) {
    if (!invalid.length) return { ok: false, message: "Year must include 4 numbers", fields: ["year"] };
    invalid.push("year");
  }
  if (invalid.length) return { ok: false, message: `${label} must be a real date`, fields: invalid };
  const iso = `${parts.year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  if (!isCalendarDate(iso)) {
    return { ok: false, message: `${label} must be a real date`, fields: ["day", "month", "year"] };
  }
  if (iso > today) return { ok: false, message: `${label} must be today or in the past`, fields: ["day", "month", "year"] };
  if (iso < DECLARATION_PUBLISHED) {
    return {
      ok: false,
      message: `${label} must be on or after 4 July 2018, when the declaration was published`,
      fields: ["day", "month", "year"],
    };
  }
  return { ok: true, date: iso };
}

const part = z.string().optional().default("");

/**
 * The organisation page has two forms: save a date, or clear it (which sends nothing but its
 * intent). A form without an intent is the date form, the page's main one.
 */
const intentOf = z.object({ intent: z.enum(["save", "clear"]).catch("save") });
/**
 * The date form: the three boxes, which parseForm gathers under `declaration`. They are
 * checked by checkDeclarationDate rather than the shared govukDate, because the declaration
 * date also understands month names and says which boxes are wrong.
 */
const saveForm = z.object({ declaration: z.object({ day: part, month: part, year: part }).optional() });

export type DeclarationOutcome =
  { ok: true; outcome: "saved" | "cleared" } | { ok: false; errors: Record<string, string>; fields: DatePart[]; values: TypedValues };

/** Records or clears an organisation's declaration date from the posted form. */
export async function changeDeclaration(organisationId: string, form: FormData, today: string): Promise<DeclarationOutcome> {
  const { intent } = intentOf.parse({ intent: typedValues(form).intent });
  if (intent === "clear") {
    await recordDeclaration(organisationId, null);
    return { ok: true, outcome: "cleared" };
  }
  const parsed = parseForm(form, saveForm);
  // The schema takes any text in each box, so it only fails on a form that is not ours.
  if (!parsed.ok) return { ok: false, errors: parsed.errors, fields: [], values: parsed.values };
  const check = checkDeclarationDate(parsed.value.declaration ?? { day: "", month: "", year: "" }, today);
  if (!check.ok) {
    // The message is shown once, against the first wrong box, which the error summary links to.
    return { ok: false, errors: { [`declaration-${check.fields[0]}`]: check.message }, fields: check.fields, values: parsed.values };
  }
  await recordDeclaration(organisationId, check.date);
  return { ok: true, outcome: "saved" };
}
