// Small helpers for the project forms, shared by the routes and kept pure for tests.

import type { DateParts } from "~/forms/fields.ts";
import type { FormErrors, TypedValues } from "~/forms/parse.server.ts";

export const datePartsOf = (iso: string | null | undefined): DateParts =>
  iso ? { year: iso.slice(0, 4), month: String(Number(iso.slice(5, 7))), day: String(Number(iso.slice(8, 10))) } : { day: "", month: "", year: "" };

/** Rows offered for a conditional go's conditions at a gate; blank rows are ignored. */
export const CONDITION_ROWS = 3;

export const milestoneStatuses = [
  { value: "notStarted", text: "Not started" },
  { value: "inProgress", text: "In progress" },
  { value: "done", text: "Done" },
] as const;
export const milestoneStatusLabel = (status: string) => milestoneStatuses.find((s) => s.value === status)?.text ?? status;

/**
 * parseForm keys a date's error by the date's name (its three boxes are one field). The
 * pages and the error summary link to the first box, `<name>-day`, as the GOV.UK date input
 * asks, so the error is moved there.
 */
export function atDayBoxes<T extends { errors: FormErrors; values: TypedValues }>(failure: T, dates: string[]): T {
  const errors: FormErrors = {};
  for (const [name, message] of Object.entries(failure.errors)) errors[dates.includes(name) ? `${name}-day` : name] = message;
  return { ...failure, errors };
}
