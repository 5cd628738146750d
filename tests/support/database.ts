import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { setDatabase, type Database } from "~/db/database.server.ts";
import { migrate } from "~/db/migrate.server.ts";
import { openPGlite, openPostgres } from "~/db/open.server.ts";
import { seedReferenceData } from "~/db/seed.server.ts";
import { scratchPrefix } from "./scratch-names.ts";

export const engine = (process.env.TEST_DB_ENGINE ?? "pglite") as "pglite" | "postgres";

type TestDatabase = Database & { url?: string };


function serverUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error("TEST_DB_ENGINE=postgres needs TEST_DATABASE_URL");
  return url;
}

/**
 * A freshly migrated database of the engine under test, private to the caller and closed
 * (and on PostgreSQL dropped) by it. For tests that need a second, independent database;
 * most files use useTestDatabase, which is much cheaper.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (engine === "pglite") {
    const database = await openPGlite();
    await migrate(database);
    return database;
  }
  const name = `${scratchPrefix(process.env.SPRINGBOARD_TEST_RUN ?? "adhoc")}${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  const database = await openPostgres(url.toString());
  await migrate(database);
  return {
    ...database,
    url: url.toString(),
    async close() {
      await database.close();
      const cleanup = new pg.Client({ connectionString: serverUrl() });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

// Opening PGlite (a WASM PostgreSQL) and migrating costs seconds; emptying a migrated
// database costs a few tens of milliseconds. So each worker process opens one database
// per engine, migrated once, and every test file that uses it starts from it emptied:
// the same state as a freshly migrated database, since the migrations insert no rows.
// The database lives on globalThis because test files in one worker share it (isolate:
// false in vitest.config.ts) and a module may be evaluated more than once.
const holder = globalThis as unknown as { __springboardTestDatabase?: Promise<{ database: TestDatabase; tables: string[] }> };

async function openShared() {
  const database = await createTestDatabase();
  const { rows } = await database.sql<{ tablename: string }>(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY tablename`,
  );
  return { database, tables: rows.map((r) => `"${r.tablename}"`) };
}

/** The worker's database, emptied back to its freshly migrated state. */
async function freshSharedDatabase(): Promise<TestDatabase> {
  holder.__springboardTestDatabase ??= openShared();
  const { database, tables } = await holder.__springboardTestDatabase;
  // RESTART IDENTITY resets the audit log's sequence too, so numbering starts at 1 as on
  // a new database.
  await database.exec(`TRUNCATE ${tables.join(", ")} RESTART IDENTITY CASCADE`);
  return database;
}

/**
 * Gives this test file the worker's database, emptied, and makes it the process's database
 * (what routes and server functions use through db()). Returns a getter, valid inside tests.
 */
export function useTestDatabase(options: { referenceData?: boolean } = {}) {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await freshSharedDatabase();
    if (options.referenceData) await seedReferenceData(database.prisma);
    setDatabase(database);
  });
  afterAll(() => {
    // Left open for the next file in this worker, which empties it first.
    setDatabase(undefined);
  });
  return () => {
    if (!database) throw new Error("The test database is only available inside tests");
    return database;
  };
}
