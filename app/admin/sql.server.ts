import type { SqlQuery } from "~/db/database.server.ts";

// The administration's SQL: a lock Prisma's API has no word for. docs/decisions/0015-data-access.md.

/** Holds the register import's lock until the transaction ends: one import at a time, across every app process. */
export async function holdRegisterImportLock(sql: SqlQuery): Promise<void> {
  // Selected through a subquery so the row has a column (pg_advisory_xact_lock returns void).
  await sql(`SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(727074)) AS lock`);
}
