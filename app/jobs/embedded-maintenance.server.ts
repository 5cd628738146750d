import { database } from "~/db/database.server.ts";
import { maintainEmbeddedDatabase } from "~/db/maintenance.server.ts";
import type { Job } from "./scheduler.server.ts";

/** Every minute, the embedded database's tables that grew are vacuumed and analysed (app/db/maintenance.server.ts); nothing on PostgreSQL. */
export const embeddedMaintenanceJob: Job = {
  name: "embedded-maintenance",
  nextRunAfter: (now) => new Date(now.getTime() + 60_000),
  run: () => maintainEmbeddedDatabase(database()),
};
