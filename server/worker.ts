import { env } from "~/env.server.ts";
import { createTransport, defaultDeliveryOptions, startDeliveryLoop } from "~/mail/delivery.server.ts";
import { startDatabase } from "./start.ts";

// A delivery worker on its own, for deployments that run app and worker processes
// separately (set RUN_WORKER=false on the app processes). Any number can run at once.
const config = env();
const database = await startDatabase();
const loop = startDeliveryLoop(database.prisma, createTransport(config.SMTP_URL), {
  ...defaultDeliveryOptions,
  from: config.MAIL_FROM,
});
console.log(`Springboard worker delivering email (${config.SMTP_URL ? "SMTP" : "dev mailbox"}).`);

async function shutdown() {
  await loop.stop();
  await database.close();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown());
process.on("SIGTERM", () => void shutdown());
