import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "~/generated/prisma/client.ts";
import { logger } from "~/log/log.server.ts";
import type { Database, SqlQuery } from "./database.server.ts";
import { lockEmbeddedDatabase } from "./embedded-lock.server.ts";
import { pgliteExtensions } from "./pglite-extensions.ts";

// Opening a database is for the server entry, the worker and tests. Route code reaches
// the open database through db() in database.server.ts, which keeps Prisma's runtime out
// of the Remix bundle.

// Each PostgreSQL database's pool, for its metrics (poolUse); keyed by its Prisma client.
const pools = new WeakMap<object, pg.Pool>();

/** How busy a PostgreSQL database's pool is; undefined for the embedded database, which has none. */
export function poolUse(database: Database): { total: number; idle: number; waiting: number } | undefined {
  const pool = pools.get(database.prisma);
  return pool ? { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount } : undefined;
}

export async function openPostgres(connectionString: string): Promise<Database> {
  // No parallel query: the service's statements are short, index-led reads, and a parallel
  // plan starts worker processes for each (milliseconds) that then compete with the other
  // requests for the same cores. The ranked list's first hundred bids at 1,000,000 took
  // 9.8 ms with two workers and 0.97 ms without (EXPLAIN ANALYZE, docs/performance.md;
  // docs/decisions/0017-database-housekeeping.md).
  const pool = new pg.Pool({
    connectionString,
    options: "-c TimeZone=UTC -c max_parallel_workers_per_gather=0",
    max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
    // Each connection is renewed after an hour (when next released, or idle). The dashboards'
    // statements are prepared once per connection for the day's date and for each round
    // (app/db/literals.server.ts), and a busy connection would otherwise keep every day's for
    // as long as it lives, in the server's memory as in the driver's.
    maxLifetimeSeconds: 3600,
  });
  // A connection that loses its server (a restart, a failover, a terminated backend) emits
  // `error`; with no listener Node ends the process. The pool listens only while a client is
  // idle, so every client gets a listener of its own for its whole life, covering the time it
  // is checked out (our transactions, Prisma's). The query in flight fails on its own; the
  // pool drops a client that is no longer queryable when it comes back, and opens new ones
  // when the server answers again.
  pool.on("connect", (client) => {
    client.on("error", (error: Error & { code?: string }) => {
      logger().warn({ code: error.code, error: error.message }, "PostgreSQL connection lost");
    });
  });
  // The same error reaches the pool for an idle client: already logged above.
  pool.on("error", () => undefined);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  pools.set(prisma, pool);
  return {
    engine: "postgres",
    prisma,
    async exec(sql) {
      // A dedicated client, destroyed on failure, so that a script that failed inside its
      // own BEGIN never hands an aborted transaction back to the pool.
      const client = await pool.connect();
      try {
        await client.query(sql);
      } catch (error) {
        client.release(true);
        throw error;
      }
      client.release();
    },
    sql: (async (text: string, params?: unknown[], name?: string) => {
      const result = await pool.query(name ? { name, text, values: params } : { text, values: params });
      return { rows: result.rows, rowCount: result.rowCount ?? 0 };
    }) as SqlQuery,
    async sqlTransaction(fn) {
      const client = await pool.connect();
      const query = (async (text: string, params?: unknown[], name?: string) => {
        const result = await client.query(name ? { name, text, values: params } : { text, values: params });
        return { rows: result.rows, rowCount: result.rowCount ?? 0 };
      }) as SqlQuery;
      try {
        await client.query("BEGIN");
        const value = await fn(query);
        await client.query("COMMIT");
        client.release();
        return value;
      } catch (error) {
        // A connection whose ROLLBACK fails is broken: destroy it rather than reuse it.
        await client.query("ROLLBACK").then(
          () => client.release(),
          () => client.release(true),
        );
        throw error;
      }
    },
    async withStartupLock(fn) {
      const client = await pool.connect();
      let unlocked = false;
      try {
        await client.query("SELECT pg_advisory_lock(727073)");
        try {
          return await fn();
        } finally {
          await client.query("SELECT pg_advisory_unlock(727073)");
          unlocked = true;
        }
      } finally {
        // The lock belongs to the session: a client still holding it (its unlock failed) is
        // destroyed, which ends the session and frees the lock, rather than pooled.
        client.release(!unlocked);
      }
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/** Embedded PostgreSQL (WASM). `dataDir` undefined keeps it in memory (tests). */
export async function openPGlite(dataDir?: string): Promise<Database> {
  if (!dataDir) return wrapPGlite(await readyPGlite(new PGlite({ extensions: pgliteExtensions })));
  mkdirSync(dataDir, { recursive: true });
  const unlock = lockEmbeddedDatabase(dataDir);
  try {
    const database = wrapPGlite(await readyPGlite(new PGlite(dataDir, { extensions: pgliteExtensions })));
    return {
      ...database,
      async close() {
        await database.close();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}

async function readyPGlite(pglite: PGlite): Promise<PGlite> {
  await pglite.waitReady;
  // Prisma stores naive UTC timestamps; SQL that compares them with now() must agree.
  await pglite.exec("SET TIME ZONE 'UTC'");
  return pglite;
}

export function wrapPGlite(pglite: PGlite): Database {
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    engine: "pglite",
    prisma,
    async exec(sql) {
      await pglite.exec(sql);
    },
    sql: (async (text: string, params?: unknown[]) => {
      const result = await pglite.query(text, params);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    }) as SqlQuery,
    sqlTransaction: (fn) =>
      pglite.transaction((tx) =>
        fn((async (text: string, params?: unknown[]) => {
          const result = await tx.query(text, params);
          return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
        }) as SqlQuery),
      ),
    // PGlite lives inside this one process, so there is no one else to wait for.
    withStartupLock: (fn) => fn(),
    async close() {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}

export async function openDatabase(options: { url?: string; dataDir?: string }): Promise<Database> {
  return options.url ? openPostgres(options.url) : openPGlite(options.dataDir);
}
