import { createHash } from "node:crypto";
import type { SqlQuery } from "./database.server.ts";

/**
 * Runs the reads that `read` starts at once (before its first `await`) as one statement, and
 * gives each its own rows back; reads it starts later run on their own, as usual.
 *
 * Why: on the service's machine each statement's round trip costs more CPU than the small
 * indexed reads a dashboard makes (docs/performance.md), so a page that starts five reads at
 * once pays for five round trips where one would do. Each read becomes a subquery,
 * `(SELECT json_agg(q) FROM (<read>) q)`, with its parameters renumbered after those before
 * it: its plan is the one it would have on its own.
 *
 * What changes for the caller: the rows come back as JSON gives them. Every number is a
 * JavaScript number (a `bigint` count too, which the driver would give as text), and a time is
 * text: a read whose caller needs a `Date` must run on its own. The reads' SQL must not hold
 * `$` followed by a digit anywhere but in its parameters (none of the app's does).
 */
export async function readTogether<T>(sql: SqlQuery, read: (sql: SqlQuery) => Promise<T>): Promise<T> {
  const waiting: {
    text: string;
    params: unknown[];
    name?: string;
    resolve: (result: { rows: unknown[]; rowCount: number }) => void;
    reject: (error: unknown) => void;
  }[] = [];
  let started = false;
  const collect = ((text: string, params: unknown[] = [], name?: string) => {
    // A read on its own keeps its name, so a prepared read stays prepared.
    if (started) return sql(text, params, name);
    return new Promise((resolve, reject) =>
      waiting.push({ text, params, name, resolve: resolve as (result: { rows: unknown[]; rowCount: number }) => void, reject }),
    );
  }) as SqlQuery;
  const result = read(collect);
  started = true;
  if (waiting.length === 1) {
    const only = waiting[0]!;
    sql(only.text, only.params, only.name).then(only.resolve, only.reject);
  } else if (waiting.length > 1) {
    const values: unknown[] = [];
    const columns = waiting.map((w, i) => {
      const offset = values.length;
      values.push(...w.params);
      const renumbered = w.text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
      return `(SELECT coalesce(json_agg(q), '[]'::json) FROM (${renumbered}) q) AS r${i}`;
    });
    try {
      const text = `SELECT ${columns.join(",\n")}`;
      // Prepared (on PostgreSQL, once per connection, by a name drawn from its text): planning
      // a statement of several subqueries afresh cost more than running it (3.8 ms against
      // 1.4 ms for the portfolio's counts), and a page makes the same one on every view.
      const { rows } = await sql<Record<string, unknown[]>>(text, values, statementName("together", text));
      waiting.forEach((w, i) => {
        const answer = rows[0]![`r${i}`]!;
        w.resolve({ rows: answer, rowCount: answer.length });
      });
    } catch (error) {
      for (const w of waiting) w.reject(error);
    }
  }
  return result;
}

/** A prepared statement's name drawn from its text: one name for each text, under PostgreSQL's 63 characters. */
export const statementName = (prefix: string, text: string) => `${prefix}_${createHash("sha1").update(text).digest("hex").slice(0, 16)}`;

/**
 * A time as JSON writes it (a reading of readTogether, or a JSON value the SQL built), made the
 * Date the driver or Prisma would give: the columns are stored in UTC without a zone, and JSON
 * writes them without one ("2026-12-07T09:30:00.123"). Null for anything else.
 */
export const timeFromJson = (value: unknown): Date | null => (typeof value === "string" ? new Date(`${value}Z`) : null);
