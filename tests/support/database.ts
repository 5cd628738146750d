import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { setDatabase, type Database } from "~/db/database.server.ts";
import { migrate } from "~/db/migrate.server.ts";
import { openPGlite, openPostgres } from "~/db/open.server.ts";
import { seedReferenceData } from "~/db/seed.server.ts";

export const engine = (process.env.TEST_DB_ENGINE ?? "pglite") as "pglite" | "postgres";

/**
 * A freshly migrated database of the engine under test, private to the caller: an
 * in-memory PGlite, or a new database on TEST_DATABASE_URL's server that is dropped after.
 */
export async function createTestDatabase(): Promise<Database & { url?: string }> {
  if (engine === "pglite") {
    const database = await openPGlite();
    await migrate(database);
    return database;
  }
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error("TEST_DB_ENGINE=postgres needs TEST_DATABASE_URL");
  const name = `springboard_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openPostgres(url.toString());
  await migrate(database);
  return {
    ...database,
    url: url.toString(),
    async close() {
      await database.close();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

/**
 * Opens a database for this test file and makes it the process's database (what routes
 * and server functions use through db()). Returns a getter, valid inside tests.
 */
export function useTestDatabase(options: { referenceData?: boolean } = {}) {
  let database: Database | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    if (options.referenceData) await seedReferenceData(database.prisma);
    setDatabase(database);
  });
  afterAll(async () => {
    setDatabase(undefined);
    await database?.close();
  });
  return () => {
    if (!database) throw new Error("The test database is only available inside tests");
    return database;
  };
}
