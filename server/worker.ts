import type { Server } from "node:http";
import { readMigrations } from "~/db/migrate.server.ts";
import { envOrExit } from "~/env.server.ts";
import { logger, refuseToStart } from "~/log/log.server.ts";
import { markShuttingDown } from "~/observability/readiness.server.ts";
import { startOpsServer } from "./observability.ts";
import { startBackgroundWork, startDatabase } from "./start.ts";

// A delivery worker on its own, for deployments that run app and worker processes
// separately (set RUN_WORKER=false on the app processes). Any number can run at once.
// It delivers the outbox and runs the scheduled jobs (digests, reminders).
const config = envOrExit();
if (!config.DATABASE_URL) {
  // The embedded database (PGlite) lives inside one process: a second process cannot open
  // it. Without DATABASE_URL the app already delivers email itself (RUN_WORKER=true).
  refuseToStart(
    "npm run worker needs DATABASE_URL (a PostgreSQL database shared with the app).\n" +
      "Without it the app uses its embedded database, which only one process can open, and delivers email itself: run `npm start` alone.",
  );
}
const database = await startDatabase();
const background = startBackgroundWork(database);
// Only with WORKER_PORT: probes and scrapes reach the worker there (server/observability.ts).
let ops: Server | undefined;
if (config.WORKER_PORT) {
  ops = await startOpsServer(config.WORKER_PORT, {
    database,
    migrations: (await readMigrations()).map((m) => m.name),
    metricsToken: config.METRICS_TOKEN,
  });
}
logger().info(
  { port: config.WORKER_PORT },
  `Springboard worker delivering email (${config.SMTP_URL ? "SMTP" : "dev mailbox"}) and running scheduled jobs` +
    (config.WORKER_PORT ? `; /healthz, /readyz and /metrics on port ${config.WORKER_PORT}.` : "."),
);

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  markShuttingDown();
  // Nobody can be probing a worker without WORKER_PORT: nothing to wait for.
  const drain = ops ? config.SHUTDOWN_DRAIN_SECONDS : 0;
  logger().info({ signal, drainSeconds: drain }, `${signal} received: not ready, finishing the work in hand, then stopping.`);
  if (drain > 0) await new Promise((resolve) => setTimeout(resolve, drain * 1000));
  ops?.close();
  await background.stop();
  await database.close();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
