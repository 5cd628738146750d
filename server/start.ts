import path from "node:path";
import { setDatabase, type Database } from "~/db/database.server.ts";
import { migrate } from "~/db/migrate.server.ts";
import { openDatabase } from "~/db/open.server.ts";
import { seedIfEmpty } from "~/db/seed.server.ts";
import { env } from "~/env.server.ts";

/**
 * Opens the configured database and brings it up to date: migrations, then reference and
 * demo data on an empty database. Several processes may start at once against one
 * PostgreSQL; they take turns under an advisory lock.
 */
export async function startDatabase(): Promise<Database> {
  const config = env();
  const database = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: path.resolve(config.DATA_DIR, "pglite"),
  });
  await database.withStartupLock(async () => {
    const applied = await migrate(database);
    if (applied.length) console.log(`Applied migrations: ${applied.join(", ")}`);
    const seeded = await seedIfEmpty(database.prisma, { demo: config.SEED_DEMO === "true" });
    if (seeded === "seeded") console.log("Seeded reference data" + (config.SEED_DEMO === "true" ? " and the demo fund." : "."));
  });
  setDatabase(database);
  return database;
}
