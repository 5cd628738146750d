const LONDON = "Europe/London";

// Formatters are built once: constructing an Intl formatter costs far more than using one,
// and emails and pages format many dates and sums per request.
const dateFormat = new Intl.DateTimeFormat("en-GB", { timeZone: LONDON, day: "numeric", month: "long", year: "numeric" });
const poundsFormat = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP", minimumFractionDigits: 0, maximumFractionDigits: 2 });
const penceFormat = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP", minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function formatDate(value: Date | string | null | undefined): string {
  if (!value) return "";
  return dateFormat.format(new Date(value));
}

// Written once, in workflows/ (pure, imported by the machines' sentences as well as here):
// the pages and the emails print a moment exactly as a refusal does.
export { formatDateTime } from "../../workflows/format.ts";

/** Whole pounds when there are no pence: £350,000; otherwise £1,234.56. */
export function formatMoney(pence: number): string {
  return (pence % 100 === 0 ? poundsFormat : penceFormat).format(pence / 100);
}

/** A file size as people read it: 512 bytes, 240KB, 3.4MB. */
export const formatSize = (bytes: number) =>
  bytes < 1024 ? `${bytes} bytes` : bytes < 1024 * 1024 ? `${Math.round(bytes / 1024)}KB` : `${(bytes / 1024 / 1024).toFixed(1)}MB`;
