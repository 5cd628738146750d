// Plain-English formatting shared by the refusal messages and tier reasons. The sentences
// reach people (GOV.UK style: "£420,000"), so they live with the rules that produce them
// rather than in the UI; the pages and emails use the same (app/utils/format.ts re-exports it).

/** "£80,000" for whole pounds, "£100,000.01" otherwise. */
export function formatPence(pence: number): string {
  const negative = pence < 0;
  const abs = Math.abs(Math.round(pence));
  const pounds = Math.floor(abs / 100);
  const remainder = abs % 100;
  const grouped = pounds.toLocaleString("en-GB");
  const text = remainder === 0 ? `£${grouped}` : `£${grouped}.${String(remainder).padStart(2, "0")}`;
  return negative ? `-${text}` : text;
}

const londonDate = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", day: "numeric", month: "long", year: "numeric" });

/** "3 March 2025" for a calendar date (YYYY-MM-DD) or a date-time. */
export function formatDate(isoDate: string): string {
  return londonDate.format(new Date(isoDate.length === 10 ? `${isoDate}T12:00:00Z` : isoDate));
}

const londonTime = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", hour: "numeric", minute: "2-digit", hourCycle: "h12" });

/**
 * GOV.UK style, in UK time whatever the offset given: "midday on 21 December 2026",
 * "midnight on 4 July 2025", "9:30am on 1 May 2026". Used by the pages, the emails and the
 * workflow machines' sentences alike.
 */
export function formatDateTime(value: Date | string | null | undefined): string {
  if (!value) return "";
  const date = new Date(value);
  const parts = londonTime.formatToParts(date);
  const hour = parts.find((p) => p.type === "hour")?.value ?? "";
  const minute = parts.find((p) => p.type === "minute")?.value ?? "00";
  const period = (parts.find((p) => p.type === "dayPeriod")?.value ?? "").toLowerCase().replace(/\./g, "").replace(/\s/g, "");
  const time =
    hour === "12" && minute === "00"
      ? period === "pm" ? "midday" : "midnight"
      : `${hour}${minute === "00" ? "" : `:${minute}`}${period}`;
  return `${time} on ${londonDate.format(date)}`;
}

/** "A", "A and B", "A, B and C". */
export function joinList(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function isBlank(text: string | undefined | null): boolean {
  return text === undefined || text === null || text.trim() === "";
}
