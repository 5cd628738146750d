import type { Database } from "./database.server.ts";

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
