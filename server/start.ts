import path from "node:path";
import { setDatabase, type Database } from "~/db/database.server.ts";
import { EmbeddedDatabaseInUse } from "~/db/embedded-lock.server.ts";
import { migrate } from "~/db/migrate.server.ts";
import { openDatabase, poolUse } from "~/db/open.server.ts";
import { seedIfEmpty } from "~/seed/seed.server.ts";
import { isDatabaseUnavailable } from "~/db/unavailable.server.ts";
import { env } from "~/env.server.ts";
import { startScheduledJobs } from "~/jobs/index.server.ts";
import { createTransport, defaultDeliveryOptions, startDeliveryLoop } from "~/mail/delivery.server.ts";
import { logger, refuseToStart } from "~/log/log.server.ts";
import { startMetrics, watchPool } from "~/observability/metrics.server.ts";

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
  }).catch((error: unknown) => {
    // A second process on the same embedded database: say so plainly rather than with a trace.
    if (!(error instanceof EmbeddedDatabaseInUse)) throw error;
    refuseToStart(error.message);
  });
  // Set first: the demo seed records its workflow history through the engine, like a person would.
  setDatabase(database);
  startMetrics();
  watchPool(() => poolUse(database));
  // A database that is away (restarting, failing over) is waited for, not a reason to stop:
  // whatever the last try did is in the database, and the next one carries on from there.
  for (let waited = false; ;) {
    try {
      await database.withStartupLock(async () => {
        const applied = await migrate(database);
        if (applied.length) logger().info({ migrations: applied }, `Applied migrations: ${applied.join(", ")}`);
        const seeded = await seedIfEmpty(database, { demo: config.SEED_DEMO === "true" });
        if (seeded !== "skipped") logger().info("Seeded reference data" + (config.SEED_DEMO === "true" ? " and the demo fund." : "."));
      });
      break;
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      if (!waited) logger().warn({ error: (error as Error).message }, "The database cannot be reached: trying again every second");
      waited = true;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  return database;
}

/**
 * The background work every app process (RUN_WORKER=true) and every `npm run worker` does:
 * deliver the outbox, and run the scheduled jobs (digests, reminders). Their state is in
 * the database, so any number of processes can run them and each due run happens once.
 */
export function startBackgroundWork(database: Database): { stop: () => Promise<void> } {
  const config = env();
  const delivery = startDeliveryLoop(database.prisma, createTransport(config.SMTP_URL), {
    ...defaultDeliveryOptions,
    from: config.MAIL_FROM,
  });
  const jobs = startScheduledJobs(database.prisma);
  return {
    async stop() {
      await delivery.stop();
      await jobs.stop();
    },
  };
}
