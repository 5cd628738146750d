// Plain-English formatting shared by the refusal messages and tier reasons. The sentences
// reach people (GOV.UK style: "£420,000"), so they live with the rules that produce them
// rather than in the UI; the pages and emails use the same (app/utils/format.ts re-exports it).
// Dates and times are written by ./dates.ts, with the rest of the London calendar.

/** An amount held in pence as GOV.UK writes it: "£80,000" for whole pounds, "£100,000.01" otherwise. */
export function formatMoney(pence: number): string {
  const negative = pence < 0;
  const abs = Math.abs(Math.round(pence));
  const pounds = Math.floor(abs / 100);
  const remainder = abs % 100;
  const grouped = formatNumber(pounds);
  const text = remainder === 0 ? `£${grouped}` : `£${grouped}.${String(remainder).padStart(2, "0")}`;
  return negative ? `-${text}` : text;
}

/** "A", "A and B", "A, B and C". */
export function joinList(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

// Built once: toLocaleString builds a formatter on every call, which a page of a few hundred
// figures (the ranked list's money columns and sentences) pays for each time.
const numbers = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 2 });

/** A number as GOV.UK writes it: thousands grouped, at most two decimal places ("12,500", "3.75"). */
export function formatNumber(value: number): string {
  // Whole numbers, nearly every figure a page shows, are grouped here: a call into Intl costs
  // about four times as much, and the ranked list makes a few thousand of them a view. The
  // result is Intl's own (tests/workflows/format.test.ts compares the two).
  if (!Number.isSafeInteger(value) || Object.is(value, -0)) return numbers.format(value);
  const digits = String(value < 0 ? -value : value);
  let grouped = digits;
  if (digits.length > 3) {
    const head = digits.length % 3 || 3;
    grouped = digits.slice(0, head);
    for (let i = head; i < digits.length; i += 3) grouped += `,${digits.slice(i, i + 3)}`;
  }
  return value < 0 ? `-${grouped}` : grouped;
}

/** "1 bid", "2 bids", "1,204 councils"; `pluralForm` when adding an s will not do ("2 case studies"). */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatNumber(count)} ${count === 1 ? singular : pluralForm}`;
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function isBlank(text: string | undefined | null): boolean {
  return text === undefined || text === null || text.trim() === "";
}
