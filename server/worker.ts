import { envOrExit } from "~/env.server.ts";
import { startBackgroundWork, startDatabase } from "./start.ts";

// A delivery worker on its own, for deployments that run app and worker processes
// separately (set RUN_WORKER=false on the app processes). Any number can run at once.
// It delivers the outbox and runs the scheduled jobs (digests, reminders).
const config = envOrExit();
if (!config.DATABASE_URL) {
  // The embedded database (PGlite) lives inside one process: a second process cannot open
  // it. Without DATABASE_URL the app already delivers email itself (RUN_WORKER=true).
  console.error(
    "npm run worker needs DATABASE_URL (a PostgreSQL database shared with the app).\n" +
      "Without it the app uses its embedded database, which only one process can open, and delivers email itself: run `npm start` alone.",
  );
  process.exit(1);
}
const database = await startDatabase();
const background = startBackgroundWork(database);
console.log(`Springboard worker delivering email (${config.SMTP_URL ? "SMTP" : "dev mailbox"}) and running scheduled jobs.`);

async function shutdown() {
  await background.stop();
  await database.close();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown());
process.on("SIGTERM", () => void shutdown());
