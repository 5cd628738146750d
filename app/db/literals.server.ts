// Values written into a statement's text instead of sent as parameters: only the day's date
// and fixed lists of names, each checked against a strict pattern here, so nothing a person
// typed can reach a statement's text this way.
//
// Why: a prepared statement whose parameters include a date is planned again on every
// execution, as PostgreSQL judges a plan made for the date at hand cheaper than one for any
// date; the portfolio's reads took 5 to 8 ms to plan on every view, more than to run
// (docs/performance.md). The day's date in the text makes one statement a day, planned once
// per connection.

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
