import { afterAll, beforeAll } from "vitest";
import { setDatabase, type Database } from "~/db/database.server.ts";
import { emptyDatabase } from "~/db/empty.server.ts";
import { createScratchDatabase } from "../../bench/support/scratch.ts";
import { seedReferenceData } from "~/seed/reference.server.ts";
import { scratchPrefix } from "./scratch-names.ts";

export const engine = (process.env.TEST_DB_ENGINE ?? "pglite") as "pglite" | "postgres";

type TestDatabase = Database & { url?: string };

/**
 * A freshly migrated database of the engine under test, private to the caller and closed
 * (and on PostgreSQL dropped) by it. For tests that need a second, independent database;
 * most files use useTestDatabase, which is much cheaper. On PostgreSQL its name carries
 * this run's id, so the run's global teardown drops it even if its worker died.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (engine === "pglite") return createScratchDatabase();
  if (!process.env.TEST_DATABASE_URL) throw new Error("TEST_DB_ENGINE=postgres needs TEST_DATABASE_URL");
  return createScratchDatabase(process.env.TEST_DATABASE_URL, { namePrefix: scratchPrefix(process.env.SPRINGBOARD_TEST_RUN ?? "adhoc") });
}

// Opening PGlite (a WASM PostgreSQL) and migrating costs seconds; emptying a migrated
// database costs a few tens of milliseconds. So each worker process opens one database
// per engine, migrated once, and every test file that uses it starts from it emptied.
// The database lives on globalThis because test files in one worker share it (isolate:
// false in vitest.config.ts) and a module may be evaluated more than once.
const holder = globalThis as unknown as { __springboardTestDatabase?: Promise<TestDatabase> };

/** The worker's database, emptied back to its freshly migrated state. */
async function freshSharedDatabase(): Promise<TestDatabase> {
  holder.__springboardTestDatabase ??= createTestDatabase();
  const database = await holder.__springboardTestDatabase;
  await emptyDatabase(database);
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
