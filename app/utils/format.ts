// The one formatting module of the pages: what they show is written here, or, for what the
// emails and the workflow machines' sentences also write, in workflows/ (pure, which the app
// imports and which may import nothing of the app), re-exported so a page needs one import.
export { formatDate, formatDateTime } from "../../workflows/dates.ts";
export { capitalise, formatNumber, formatMoney, joinList, plural } from "../../workflows/format.ts";

/** `part` as a percentage of `whole`, to one decimal place (12.5); 0 when there is no whole. */
export const percentOf = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0);

/** A file size as people read it: 512 bytes, 240KB, 3.4MB. */
export const formatSize = (bytes: number) =>
  bytes < 1024 ? `${bytes} bytes` : bytes < 1024 * 1024 ? `${Math.round(bytes / 1024)}KB` : `${(bytes / 1024 / 1024).toFixed(1)}MB`;
