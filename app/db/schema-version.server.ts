import { database, type SqlQuery } from "./database.server.ts";

/**
 * The newest migration applied: what /status and /service-status report, and what a backup
 * records (over the database it opened itself). Reads exactly one row, which is what makes
 * those routes the benchmarks' trivial baseline. Throws when the database does not answer.
 */
export async function latestMigration(sql: SqlQuery = database().sql): Promise<string | null> {
  const { rows } = await sql<{ migration_name: string }>(
    `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY migration_name DESC LIMIT 1`,
    [],
    "status_last_migration",
  );
  return rows[0]?.migration_name ?? null;
}

/**
 * The migrations recorded as applied, finished and not rolled back: what readiness compares
 * with the ones this code was built with, and what migrating skips. `name` prepares the
 * statement, for callers that ask often (probes).
 */
export async function appliedMigrations(sql: SqlQuery, name?: string): Promise<{ migration_name: string; checksum: string }[]> {
  const { rows } = await sql<{ migration_name: string; checksum: string }>(
    `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    [],
    name,
  );
  return rows;
}
