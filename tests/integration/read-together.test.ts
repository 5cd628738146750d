import { describe, expect, it } from "vitest";
import { database, type SqlQuery } from "~/db/database.server.ts";
import { readTogether } from "~/db/together.server.ts";
import { useTestDatabase } from "../support/database.ts";

useTestDatabase();

/** The database's `sql`, counting the statements it is given. */
function counting() {
  const texts: string[] = [];
  const sql = ((text: string, params?: unknown[]) => {
    texts.push(text);
    return database().sql(text, params);
  }) as SqlQuery;
  return { sql, texts };
}

const numbers = (sql: SqlQuery, from: number, to: number) =>
  sql<{ n: number; label: string }>(`SELECT n, $3::text || n AS label FROM generate_series($1::int, $2::int) n ORDER BY n DESC`, [from, to, "n"]);

describe("several reads in one statement", () => {
  it("answers each read with its own rows, in its own order, from one statement", async () => {
    const { sql, texts } = counting();
    const [a, b, none] = await readTogether(sql, (together) =>
      Promise.all([numbers(together, 1, 3), numbers(together, 10, 11), together(`SELECT 1 AS one WHERE $1::boolean`, [false])]),
    );
    expect(texts).toHaveLength(1);
    expect(a.rows).toEqual([
      { n: 3, label: "n3" },
      { n: 2, label: "n2" },
      { n: 1, label: "n1" },
    ]);
    expect(b.rows.map((r) => r.n)).toEqual([11, 10]);
    expect(none).toEqual({ rows: [], rowCount: 0 });
    // The same reads again (on PostgreSQL, the statement prepared the first time), other values.
    const [again] = await readTogether(sql, (together) =>
      Promise.all([numbers(together, 4, 5), numbers(together, 1, 1), together(`SELECT 1 AS one WHERE $1::boolean`, [true])]),
    );
    expect(again.rows.map((r) => r.n)).toEqual([5, 4]);
    expect(texts).toHaveLength(2);
  });

  it("runs a single read as it is, and a read started after an await on its own", async () => {
    const { sql, texts } = counting();
    const result = await readTogether(sql, async (together) => {
      const first = await numbers(together, 1, 2);
      const second = await numbers(together, 5, 5);
      return [first.rows.length, second.rows.length];
    });
    expect(result).toEqual([2, 1]);
    expect(texts).toHaveLength(2);
    expect(texts.every((t) => !t.includes("json_agg"))).toBe(true);
  });

  it("fails every read of the statement when one fails", async () => {
    const { sql } = counting();
    const attempt = readTogether(sql, (together) => Promise.all([numbers(together, 1, 2), together(`SELECT 1 / $1::int AS x`, [0])]));
    await expect(attempt).rejects.toThrow(/division by zero/);
  });
});
