import { database } from "./database.server.ts";

/**
 * The newest migration applied: what /status and /service-status report. Reads exactly one
 * row, which is what makes those routes the benchmarks' trivial baseline. Throws when the
 * database does not answer.
 */
export async function latestMigration(): Promise<string | null> {
  const { rows } = await database().sql<{ migration_name: string }>(
    `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY migration_name DESC LIMIT 1`,
    [],
    "status_last_migration",
  );
  return rows[0]?.migration_name ?? null;
}
