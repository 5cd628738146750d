import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import type { Database } from "~/db/database.server.ts";
import { migrate } from "~/db/migrate.server.ts";
import { openPGlite, openPostgres } from "~/db/open.server.ts";

/**
 * A freshly migrated, throwaway database for the tests and the benchmarks (kept here, where
 * both may import it, and out of the service): an in-memory PGlite,
 * or (given a server's URL) a new database on that server, dropped again on close.
 * `namePrefix` lets a caller find and drop its databases later, even if it died first; `keep`
 * leaves the database on the server at close (to look into a benchmark's data afterwards).
 * `onDisk` keeps a PGlite in a temporary data folder, as `npm start` keeps it, instead of in
 * memory: what a benchmark of the embedded default should measure.
 */
export async function createScratchDatabase(
  serverUrl?: string,
  options: { namePrefix?: string; keep?: boolean; onDisk?: boolean } = {},
): Promise<Database & { url?: string }> {
  if (!serverUrl) {
    const dataDir = options.onDisk ? mkdtempSync(path.join(tmpdir(), "springboard-scratch-")) : undefined;
    const database = await openPGlite(dataDir);
    await migrate(database);
    if (!dataDir) return database;
    return {
      ...database,
      async close() {
        await database.close();
        if (!options.keep) rmSync(dataDir, { recursive: true, force: true });
      },
    };
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
      if (options.keep) return;
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
