import { afterAll, beforeAll } from "vitest";
import { setDatabase, type Database } from "~/db/database.server.ts";
import { createScratchDatabase } from "~/db/scratch.server.ts";
import { seedReferenceData } from "~/db/seed.server.ts";

export const engine = (process.env.TEST_DB_ENGINE ?? "pglite") as "pglite" | "postgres";

/** A freshly migrated database of the engine under test, private to the caller. */
export async function createTestDatabase(): Promise<Database & { url?: string }> {
  if (engine === "postgres" && !process.env.TEST_DATABASE_URL) throw new Error("TEST_DB_ENGINE=postgres needs TEST_DATABASE_URL");
  return createScratchDatabase(engine === "postgres" ? process.env.TEST_DATABASE_URL : undefined);
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
