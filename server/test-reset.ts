import type { Express } from "express";
import type { Database } from "~/db/database.server.ts";
import { emptyDatabase } from "~/db/empty.server.ts";
import { seedIfEmpty } from "~/seed/seed.server.ts";
import { addScaledPilot } from "./test-similar-work.ts";
import { logger } from "~/log/log.server.ts";

/**
 * For the browser tests only: `POST /test-support/reset` empties the database and seeds the
 * demo fund again, so that each spec file starts from the same known data whatever ran
 * before it on this server. Registered only when TEST_SUPPORT_ROUTES=true, which the
 * service refuses in production (server/index.ts); playwright.config.ts sets it.
 */
export function registerTestSupportRoutes(app: Express, database: Database) {
  let resetting: Promise<void> | undefined;
  async function reset() {
    await emptyDatabase(database);
    // Without the earlier rounds' portfolio: it takes seconds, and every spec file resets.
    await seedIfEmpty(database, { demo: true, portfolio: false });
  }
  app.post("/test-support/reset", async (_req, res) => {
    try {
      // One reset at a time: a second request waits for the first rather than racing it.
      resetting ??= reset().finally(() => (resetting = undefined));
      await resetting;
      res.type("text").send("reset");
    } catch (error) {
      logger().error({ err: error }, "Test reset failed");
      res.status(500).type("text").send("reset failed");
    }
  });
  // After a reset: a pilot that went on to scale, for the similar-work journey (server/test-similar-work.ts).
  app.post("/test-support/similar-work", async (_req, res) => {
    try {
      res.json(await addScaledPilot());
    } catch (error) {
      logger().error({ err: error }, "Adding the scaled pilot failed");
      res.status(500).type("text").send("failed");
    }
  });
}
