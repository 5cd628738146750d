import { randomBytes } from "node:crypto";
import pg from "pg";
import type { Database } from "./database.server.ts";
import { migrate } from "./migrate.server.ts";
import { openPGlite, openPostgres } from "./open.server.ts";

/**
 * A freshly migrated, throwaway database for tests and benchmarks: an in-memory PGlite,
 * or (given a server's URL) a new database on that server, dropped again on close.
 * `namePrefix` lets a caller find and drop its databases later, even if it died first.
 */
export async function createScratchDatabase(
  serverUrl?: string,
  options: { namePrefix?: string } = {},
): Promise<Database & { url?: string }> {
  if (!serverUrl) {
    const database = await openPGlite();
    await migrate(database);
    return database;
  }
  const name = `${options.namePrefix ?? "springboard_scratch_"}${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openPostgres(url.toString());
  await migrate(database);
  return {
    ...database,
    url: url.toString(),
    async close() {
      await database.close();
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

/**
 * Empties every table but the migrations' bookkeeping, restarting sequences: the state a
 * freshly migrated database is in (the migrations insert no rows), in tens of milliseconds
 * where opening and migrating a new one takes seconds. For the tests' shared databases, the
 * browser tests' reset route, and a first start that finds its seeding half-made (nothing
 * else can be in the database then); never for a database in use.
 */
export async function emptyDatabase(database: Database): Promise<void> {
  const { rows } = await database.sql<{ tablename: string }>(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
  );
  await database.exec(`TRUNCATE ${rows.map((r) => `"${r.tablename}"`).join(", ")} RESTART IDENTITY CASCADE`);
}
