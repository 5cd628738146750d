// Plain-English formatting shared by the refusal messages and tier reasons. The sentences
// reach people (GOV.UK style: "£420,000", "12pm on 3 March 2025"), so they live with the
// rules that produce them rather than in the UI.

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

const londonParts = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "numeric",
  minute: "2-digit",
  hourCycle: "h23",
});

/** "12pm on 3 March 2025", "5:30pm on 3 July 2025", in UK time whatever the offset given. */
export function formatDateTime(iso: string): string {
  const parts = Object.fromEntries(
    londonParts.formatToParts(new Date(iso)).map((part) => [part.type, part.value]),
  ) as Record<string, string>;
  const hour = Number(parts.hour);
  const minute = Number(parts.minute);
  let time: string;
  if (hour === 0 && minute === 0) time = "midnight";
  else if (hour === 12 && minute === 0) time = "midday";
  else {
    const clock = hour % 12 === 0 ? 12 : hour % 12;
    time = `${clock}${minute === 0 ? "" : `:${String(minute).padStart(2, "0")}`}${hour < 12 ? "am" : "pm"}`;
  }
  return `${time} on ${parts.day} ${parts.month} ${parts.year}`;
}

const londonDate = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", day: "numeric", month: "long", year: "numeric" });

/** "3 March 2025" for a calendar date (YYYY-MM-DD) or a date-time. */
export function formatDate(isoDate: string): string {
  return londonDate.format(new Date(isoDate.length === 10 ? `${isoDate}T12:00:00Z` : isoDate));
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
