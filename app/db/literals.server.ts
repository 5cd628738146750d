// Values written into a statement's text instead of sent as parameters: only the day's date,
// fixed lists of names, ids the database made and counts, each checked against a strict
// pattern here, so nothing a person typed can reach a statement's text this way.
//
// Why: a prepared statement with parameters is planned again on every execution when
// PostgreSQL judges a plan made for the values at hand cheaper than one for any values, as it
// does for the dashboards' reads (for a round's ranking the plan for any round took 8 times
// as long to run): the portfolio's reads took 5 to 8 ms to plan on every view, more than to
// run, and the ranked list's 1.7 ms (docs/performance.md). With the values in the text, each
// statement is planned once per connection: one a day for the date, one per round for its id.

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const NAME = /^[A-Za-z][A-Za-z0-9]*$/;

/** A calendar date ("2026-12-07") as SQL text: `'2026-12-07'`. Throws on anything else. */
export function dateLiteral(isoDate: string): string {
  if (!ISO_DATE.test(isoDate)) throw new Error(`Not a date: ${JSON.stringify(isoDate)}`);
  return `'${isoDate}'`;
}

/** Names made of letters and digits (enum values from the code) as a SQL text array. Throws on anything else. */
export function namesLiteral(names: readonly string[]): string {
  for (const name of names) if (!NAME.test(name)) throw new Error(`Not a name: ${JSON.stringify(name)}`);
  return `ARRAY[${names.map((n) => `'${n}'`).join(", ")}]::text[]`;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * A record's id (a UUID or cuid the database made) as SQL text. For a read whose plan depends
 * on which record it is for, planned once per record rather than on every view; throws on
 * anything but letters, digits, `-` and `_`.
 */
export function idLiteral(id: string): string {
  if (!ID.test(id)) throw new Error(`Not an id: ${JSON.stringify(id)}`);
  return `'${id}'`;
}

/** A whole number of zero or more as SQL text (a LIMIT or OFFSET); throws on anything else. */
export function countLiteral(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`Not a count: ${JSON.stringify(n)}`);
  return String(n);
}
