// Small parsers for the project forms, shared by the routes and kept pure for tests.

export type DateParts = { day: string; month: string; year: string };

export function datePartsFrom(form: FormData, name: string): DateParts {
  return {
    day: String(form.get(`${name}-day`) ?? "").trim(),
    month: String(form.get(`${name}-month`) ?? "").trim(),
    year: String(form.get(`${name}-year`) ?? "").trim(),
  };
}

export const datePartsOf = (iso: string | null | undefined): DateParts =>
  iso ? { year: iso.slice(0, 4), month: String(Number(iso.slice(5, 7))), day: String(Number(iso.slice(8, 10))) } : { day: "", month: "", year: "" };

/**
 * A GOV.UK date input's three boxes as YYYY-MM-DD, or the message to show. `what` names the
 * date in messages ("The due date").
 */
export function parseDateParts(parts: DateParts, what: string): { ok: true; date: string } | { ok: false; message: string } {
  const missing = (["day", "month", "year"] as const).filter((p) => !parts[p]);
  if (missing.length === 3) return { ok: false, message: `Enter ${what.toLowerCase()}` };
  if (missing.length) return { ok: false, message: `${what} must include a ${missing.join(" and ")}` };
  if (!/^\d{1,2}$/.test(parts.day) || !/^\d{1,2}$/.test(parts.month) || !/^\d{4}$/.test(parts.year)) {
    return { ok: false, message: `${what} must be a real date` };
  }
  const [y, m, d] = [Number(parts.year), Number(parts.month), Number(parts.day)];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d || y < 2000 || y > 2100) {
    return { ok: false, message: `${what} must be a real date` };
  }
  return { ok: true, date: date.toISOString().slice(0, 10) };
}

export const isoDay = (date: Date | null | undefined) => (date ? date.toISOString().slice(0, 10) : null);

export const milestoneStatuses = [
  { value: "notStarted", text: "Not started" },
  { value: "inProgress", text: "In progress" },
  { value: "done", text: "Done" },
] as const;
export const milestoneStatusLabel = (status: string) => milestoneStatuses.find((s) => s.value === status)?.text ?? status;
