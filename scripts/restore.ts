/**
 * npm run restore -- <backup folder>
 *
 * Restores a backup made by `npm run backup` into DATA_DIR (and UPLOAD_DIR), which must not
 * hold a database already: restore into a new data folder, or move the old one aside.
 */
import path from "node:path";
import { restoreEmbedded } from "~/backup/backup.server.ts";
import { env } from "~/env.server.ts";

const config = env();
const from = process.argv[2];
if (!from) {
  console.error("Say which backup to restore: npm run restore -- backups/springboard-<date and time>");
  process.exit(1);
}
if (config.DATABASE_URL) {
  console.error(
    "DATABASE_URL is set: restore PostgreSQL with pg_restore, as the README's Operations section describes. npm run restore is for the embedded database.",
  );
  process.exit(1);
}
try {
  const databaseDir = path.resolve(config.DATA_DIR, "pglite");
  const manifest = await restoreEmbedded({
    from: path.resolve(from),
    databaseDir,
    uploadDir: path.resolve(config.UPLOAD_DIR ?? path.join(config.DATA_DIR, "uploads")),
  });
  console.log(`Restored the backup of ${manifest.createdAt} into ${databaseDir}`);
  console.log(
    `  ${Object.entries(manifest.rows)
      .map(([t, n]) => `${n} ${t}`)
      .join(", ")}; ${manifest.uploads} uploaded files`,
  );
  console.log("Start the service as usual; it applies any newer migrations first.");
} catch (error) {
  console.error(`Nothing restored: ${(error as Error).message}`);
  process.exit(1);
}
