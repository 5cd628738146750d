/**
 * Every table and column named inside an SQL string in the tree exists in the schema as
 * migrated. Prisma checks the names its API uses when the code is type-checked; nothing
 * else reads the names inside SQL strings. See docs/decisions/0015-data-access.md.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../support/database.ts";
import { checkSql, readSchema, sqlStringsIn, sqlStringsUnder, type Schema } from "../support/sql-schema.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));

describe("the SQL strings of the tree", () => {
  const database = useTestDatabase();
  let schema: Schema;

  beforeAll(async () => {
    schema = await readSchema((text) => database().sql(text));
  });

  it("name only tables and columns the migrated schema has", () => {
    const strings = sqlStringsUnder(root, ["app", "server", "scripts", "bench"]);
    // The tree's SQL is spread over a few dozen files; finding none means the finder broke.
    expect(new Set(strings.map((s) => s.file)).size).toBeGreaterThan(15);
    const problems = strings.flatMap((s) => checkSql(s.text, schema).map((p) => `${path.normalize(s.file)}:${s.line}: ${p.why}`));
    expect(problems, problems.join("\n")).toEqual([]);
  });

  describe("the checker", () => {
    it("refuses a misspelt table", () => {
      expect(checkSql(`SELECT id FROM "Bids" WHERE id = $1`, schema).map((p) => p.name)).toEqual(["Bids"]);
    });

    it("refuses a misspelt column, qualified by an alias, bare, in an INSERT's list or an UPDATE's SET", () => {
      expect(checkSql(`SELECT b."leadOrganisationID" FROM "Bid" b WHERE b.id = $1`, schema).map((p) => p.name)).toEqual(["leadOrganisationID"]);
      expect(checkSql(`SELECT "roundID" FROM "Bid" WHERE id = $1`, schema).map((p) => p.name)).toEqual(["roundID"]);
      expect(checkSql(`INSERT INTO "RateLimit" (key, counts, "resetAt") VALUES ($1, 1, now())`, schema).map((p) => p.name)).toEqual(["counts"]);
      expect(checkSql(`UPDATE "Project" p SET state = $2 WHERE p.stat = $1`, schema).map((p) => p.name)).toEqual(["stat"]);
      expect(checkSql(`UPDATE "Project" SET stat = $2, "updatedAt" = now() WHERE id = $1`, schema).map((p) => p.name)).toEqual(["stat"]);
    });

    it("refuses a type the migrations never made", () => {
      expect(checkSql(`UPDATE "ProjectTranche" SET stage = $2::"Stag" WHERE id = $1`, schema).map((p) => p.name)).toEqual(["Stag"]);
    });

    it("refuses a column of another table than the ones named", () => {
      expect(checkSql(`SELECT "amountPence" FROM "Bid" WHERE id = $1`, schema).map((p) => p.name)).toEqual(["amountPence"]);
      expect(checkSql(`SELECT id FROM "Bid" ORDER BY "Bids"."createdAt"`, schema).map((p) => p.name)).toEqual(["Bids"]);
    });

    it("accepts CTE names, output names, functions, catalogs and interpolated pieces", () => {
      const sql = `WITH moved AS (UPDATE "Bid" SET version = version + 1 WHERE id = $1 RETURNING id, "roundId")
        SELECT m."roundId" AS "round", count(*)::int AS "n", s.x
        FROM moved m JOIN generate_series(1, 3) s(x) ON true, unnest($2::text[]) AS u(v)
        WHERE EXTRACT(EPOCH FROM now()) > 0 AND (SELECT reltuples FROM pg_class WHERE oid = 1) > 0 ORDER BY "round", "n"`;
      expect(checkSql(sql, schema)).toEqual([]);
      const [found] = sqlStringsIn("x.ts", 'const where = "";\nawait sql(`SELECT id FROM "Bid" WHERE ${where}`, []);');
      expect(found).toMatchObject({ line: 2 });
      expect(checkSql(found!.text, schema)).toEqual([]);
    });

    it("finds SQL in driver calls, Prisma's raw templates, and constants that read as SQL, but not in sentences", () => {
      const source = [
        'const LOAD = `SELECT id FROM "Bid"`;',
        'await tx.$queryRaw`SELECT id FROM "Round" WHERE id = ${id} FOR UPDATE`;',
        'await database.exec("TRUNCATE x");',
        'const message = "Select a council from the list";',
      ].join("\n");
      expect(sqlStringsIn("x.ts", source).map((s) => s.line)).toEqual([1, 2, 3]);
    });
  });
});
