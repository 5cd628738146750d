/**
 * npm run backup [-- <folder>]
 *
 * Backs up an installation on the embedded database (no DATABASE_URL): the database and
 * the uploaded files, into a new folder (default backups/springboard-<date and time>).
 * Stop the service first: the embedded database can be open in one process at a time, and
 * this says so if it is in use. For PostgreSQL, see the README's Operations section.
 */
import path from "node:path";
import { backupEmbedded } from "~/backup/backup.server.ts";
import { env } from "~/env.server.ts";

const config = env();
if (config.DATABASE_URL) {
  console.error(
    "DATABASE_URL is set: back up PostgreSQL with pg_dump, as the README's Operations section describes. npm run backup is for the embedded database.",
  );
  process.exit(1);
}
const stamp = new Date().toISOString().replace(/\..*$/, "").replace(/[-:]/g, "").replace("T", "-");
const to = path.resolve(process.argv[2] ?? path.join("backups", `springboard-${stamp}`));
try {
  const manifest = await backupEmbedded({
    databaseDir: path.resolve(config.DATA_DIR, "pglite"),
    uploadDir: path.resolve(config.UPLOAD_DIR ?? path.join(config.DATA_DIR, "uploads")),
    to,
  });
  console.log(`Backed up to ${to}`);
  console.log(
    `  database at migration ${manifest.latestMigration ?? "(none)"}: ${Object.entries(manifest.rows)
      .map(([t, n]) => `${n} ${t}`)
      .join(", ")}`,
  );
  console.log(`  ${manifest.uploads} uploaded files`);
  if (config.S3_BUCKET)
    console.log("  Uploads are on object storage (S3_BUCKET), so none are in this backup: keep copies there with the store's versioning or replication.");
} catch (error) {
  console.error(`No backup made: ${(error as Error).message}`);
  process.exit(1);
}
