import type { Prisma as PrismaTypes, PrismaClient } from "~/generated/prisma/client.ts";

export type Prisma = PrismaClient;

/**
 * One database, whichever engine holds it. Prisma does the application's queries; `exec`
 * runs multi-statement SQL (migrations), which Prisma's prepared statements cannot.
 */
/**
 * Parameterised SQL ($1, $2, …) straight to the driver. A `name` makes it a prepared
 * statement on PostgreSQL (parsed and planned once per connection): give one only to
 * statements whose text depends on nothing but the name.
 */
export type SqlQuery = <Row = Record<string, unknown>>(text: string, params?: unknown[], name?: string) => Promise<{ rows: Row[]; rowCount: number }>;

export interface Database {
  engine: "pglite" | "postgres";
  prisma: PrismaClient;
  exec(sql: string): Promise<void>;
  /**
   * Direct SQL, for the few hot paths where Prisma's per-query cost matters (the workflow
   * engine's writes; see docs/decisions/0007-workflow-engine.md). Everything else uses Prisma.
   */
  sql: SqlQuery;
  /** Runs fn in one transaction on one connection: committed if it returns, rolled back if it throws. */
  sqlTransaction<T>(fn: (sql: SqlQuery) => Promise<T>): Promise<T>;
  /** Runs fn while holding a cluster-wide lock, so that several processes starting at once take turns. */
  withStartupLock<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// The Remix build and the server entry are separate module graphs; the process-wide
// database lives on globalThis so both see the same one.
const holder = globalThis as unknown as { __springboardDatabase?: Database };

export function setDatabase(database: Database | undefined) {
  holder.__springboardDatabase = database;
}

export function database(): Database {
  const current = holder.__springboardDatabase;
  if (!current) throw new Error("The database has not been opened yet (see server/index.ts).");
  return current;
}

/** The Prisma client for the process's database. */
export function db(): PrismaClient {
  return database().prisma;
}

/**
 * The SQL of a unit of work that Prisma's interactive transaction holds (a row lock, a
 * workflow record's creation beside the Prisma writes that made it), on that transaction's
 * connection. The one place that calls Prisma's raw query: it costs about three times the
 * driver's per statement (docs/decisions/0015-data-access.md), so hot paths use `sql` or
 * `sqlTransaction` instead.
 */
export function sqlIn(tx: PrismaTypes.TransactionClient | PrismaClient): SqlQuery {
  return (async (text: string, params: unknown[] = []) => {
    const rows = await tx.$queryRawUnsafe<Record<string, unknown>[]>(text, ...params);
    return { rows, rowCount: rows.length };
  }) as SqlQuery;
}
