import { finishInterruptedChanges } from "~/assessment/changes.server.ts";
import type { Job } from "./scheduler.server.ts";

/** Every minute: assessments paused or reopened where a request for changes stopped half-way (app/assessment/changes.server.ts). */
export const interruptedChangesJob: Job = {
  name: "interrupted-changes",
  nextRunAfter: (now) => new Date(now.getTime() + 60_000),
  run: () => finishInterruptedChanges(),
};
