/**
 * Page numbers from the address bar (`?page=`, `?assessors=`). Anyone can type anything
 * there: "-1", "abc", "2.5" or a number that overflows the database's OFFSET. Every list
 * reads its page number through pageParam and then clampPage, so whatever is typed lands
 * on a page that exists.
 */

// Far past any list here (100,000 pages of 20 is two million rows), and small enough that
// (page - 1) × page size stays a safe integer and a 32-bit OFFSET.
export const MAX_PAGE = 100_000;

/** The page number asked for: a whole number from 1 to MAX_PAGE; anything else is page 1. */
export function pageParam(value: string | null | undefined): number {
  const page = Number.parseInt(value ?? "", 10);
  if (!Number.isFinite(page) || page < 1) return 1;
  return Math.min(page, MAX_PAGE);
}

/** The page to show: the one asked for, or the last page when it is past the end. */
export function clampPage(page: number, pages: number): number {
  return Math.min(Math.max(1, Math.trunc(page) || 1), Math.max(1, pages));
}
