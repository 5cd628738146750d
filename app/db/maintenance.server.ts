import type { Database } from "./database.server.ts";

// PostgreSQL keeps its own tables in order: autovacuum analyses a table once enough of it has
// changed (so the planner knows its size) and vacuums away the row versions that updates and
// deletes leave behind. The embedded PGlite has no background processes, so nothing does
// either: a table is never analysed, and the planner, believing it small, reads a whole table
// where an index would stop early (the outbox's claim read all 9,800 pending emails to take
// 100: docs/performance.md), while dead rows pile up for good. This does autovacuum's part for
// the embedded database, from a scheduled job (app/jobs/embedded-maintenance.server.ts);
// docs/decisions/0017-database-housekeeping.md.

/**
 * Vacuums and analyses each table of the embedded database that was never analysed or has
 * grown by more than a fifth (plus 8 pages) since it last was; returns their names. Does
 * nothing on PostgreSQL, whose autovacuum does this itself.
 */
export async function maintainEmbeddedDatabase(database: Database): Promise<string[]> {
  if (database.engine !== "pglite") return [];
  const { rows } = await database.sql<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind = 'r' AND pg_relation_size(c.oid) > 0
       AND (c.reltuples < 0 OR pg_relation_size(c.oid) / current_setting('block_size')::int > c.relpages * 1.2 + 8)
     ORDER BY c.relname`,
  );
  for (const { name } of rows) await database.exec(`VACUUM (ANALYZE) "${name.replaceAll('"', '""')}"`);
  return rows.map((r) => r.name);
}
