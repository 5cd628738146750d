import type { PrismaClient } from "~/generated/prisma/client.ts";

export type Prisma = PrismaClient;

/**
 * One database, whichever engine holds it. Prisma does the application's queries; `exec`
 * runs multi-statement SQL (migrations), which Prisma's prepared statements cannot.
 */
export interface Database {
  engine: "pglite" | "postgres";
  prisma: PrismaClient;
  exec(sql: string): Promise<void>;
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
