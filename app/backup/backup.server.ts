import { cp, mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { isStorageKey } from "~/storage/store.ts";
import type { SqlQuery } from "~/db/database.server.ts";
import { lockEmbeddedDatabase } from "~/db/embedded-lock.server.ts";
import { pgliteExtensions } from "~/db/pglite-extensions.ts";
import { latestMigration } from "~/db/schema-version.server.ts";

/**
 * Backups of an installation on the embedded database: the database folder, taken whole
 * (PGlite's own dump of its data folder, so it is consistent: the database is opened, not
 * copied from under a running service), and the uploaded files. PostgreSQL installations
 * use pg_dump and their own storage's copies instead (README, Operations).
 *
 * A backup is a folder: database.tar.gz, uploads/ (content-addressed files, as stored) and
 * backup.json saying what it holds. The session secret is left out on purpose: a backup
 * should not carry a key, and without it people simply sign in again.
 */
export interface BackupManifest {
  format: 1;
  createdAt: string;
  latestMigration: string | null;
  rows: Record<string, number>;
  uploads: number;
}

const DATABASE_FILE = "database.tar.gz";
const MANIFEST_FILE = "backup.json";
// Counted into the manifest, so that a person restoring can see it is the backup they meant.
const countedTables = ["Organisation", "User", "Round", "Bid", "Project", "Notification"];

export async function backupEmbedded(options: { databaseDir: string; uploadDir: string; to: string }): Promise<BackupManifest> {
  await mkdir(options.to, { recursive: true });
  if ((await readdir(options.to)).length) throw new Error(`${options.to} is not empty: choose a new folder for the backup.`);
  const unlock = lockEmbeddedDatabase(options.databaseDir);
  let manifest: BackupManifest;
  try {
    const pglite = new PGlite(options.databaseDir, { extensions: pgliteExtensions });
    try {
      manifest = { format: 1, createdAt: new Date().toISOString(), ...(await describe(pglite)), uploads: 0 };
      const dump = await pglite.dumpDataDir("gzip");
      await writeFile(path.join(options.to, DATABASE_FILE), new Uint8Array(await dump.arrayBuffer()));
    } finally {
      await pglite.close();
    }
  } finally {
    unlock();
  }
  manifest.uploads = await copyFiles(options.uploadDir, path.join(options.to, "uploads"));
  await writeFile(path.join(options.to, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + "\n");
  return manifest;
}

/**
 * Restores a backup into `databaseDir`, which must not hold a database already (restore
 * into a new data folder, or move the old one aside first: a restore never overwrites).
 * Uploaded files are added to `uploadDir`; files already there are the same bytes (the
 * name is their SHA-256), so they are left as they are.
 */
export async function restoreEmbedded(options: { from: string; databaseDir: string; uploadDir: string }): Promise<BackupManifest> {
  const manifest = JSON.parse(await readFile(path.join(options.from, MANIFEST_FILE), "utf8")) as BackupManifest;
  if (manifest.format !== 1) throw new Error(`${options.from} is a backup in a format this version cannot read (${manifest.format}).`);
  if (await holdsDatabase(options.databaseDir)) {
    throw new Error(`${options.databaseDir} already holds a database. Restore into a new data folder (DATA_DIR), or move this one aside first.`);
  }
  const bytes = await readFile(path.join(options.from, DATABASE_FILE));
  // Loaded into a folder beside the target and renamed into place, so that a restore that
  // is stopped half-way leaves no half-restored database where the service would open it.
  const loading = `${options.databaseDir}.restoring`;
  const unlock = lockEmbeddedDatabase(options.databaseDir);
  try {
    await rm(loading, { recursive: true, force: true });
    const pglite = new PGlite(loading, { loadDataDir: new Blob([bytes]), extensions: pgliteExtensions });
    try {
      const found = await describe(pglite);
      const differs = countedTables.filter((t) => found.rows[t] !== manifest.rows[t]);
      if (differs.length) throw new Error(`The restored database does not match the backup's record (${differs.join(", ")}): the backup may be damaged.`);
    } finally {
      await pglite.close();
    }
    await rm(options.databaseDir, { recursive: true, force: true });
    await rename(loading, options.databaseDir);
  } finally {
    unlock();
  }
  await copyFiles(path.join(options.from, "uploads"), options.uploadDir);
  return manifest;
}

async function describe(pglite: PGlite): Promise<Pick<BackupManifest, "latestMigration" | "rows">> {
  const sql = ((text: string, params?: unknown[]) =>
    pglite.query(text, params).then((r) => ({ rows: r.rows, rowCount: r.affectedRows ?? r.rows.length }))) as SqlQuery;
  // A database that has never been migrated has no bookkeeping table: no migration, as when empty.
  const latest = await latestMigration(sql).catch(() => null);
  const rows: Record<string, number> = {};
  for (const table of countedTables) {
    rows[table] = await pglite.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}"`).then(
      (r) => r.rows[0]!.n,
      () => 0,
    );
  }
  return { latestMigration: latest, rows };
}

async function holdsDatabase(dir: string): Promise<boolean> {
  return stat(path.join(dir, "PG_VERSION")).then(
    () => true,
    () => false,
  );
}

/** Copies the stored files (two-letter folders of SHA-256-named files); returns how many. */
async function copyFiles(from: string, to: string): Promise<number> {
  let copied = 0;
  const folders = await readdir(from, { withFileTypes: true }).catch(() => []);
  for (const folder of folders) {
    if (!folder.isDirectory()) continue;
    for (const file of await readdir(path.join(from, folder.name))) {
      if (!isStorageKey(file)) continue;
      await mkdir(path.join(to, folder.name), { recursive: true });
      await cp(path.join(from, folder.name, file), path.join(to, folder.name, file), { force: false, errorOnExist: false });
      copied++;
    }
  }
  return copied;
}
