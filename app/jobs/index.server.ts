import type { PrismaClient } from "~/generated/prisma/client.ts";
import { auditSealJob } from "./audit-seal.server.ts";
import { digestJob } from "./digest.server.ts";
import { embeddedMaintenanceJob } from "./embedded-maintenance.server.ts";
import { interruptedChangesJob } from "./interrupted-changes.server.ts";
import { conditionReminderJob, gateReviewReminderJob, milestoneReminderJob } from "./project-reminders.server.ts";
import { roundDeadlineJob } from "./round-deadline.server.ts";
import { startJobLoop, type Job } from "./scheduler.server.ts";

export function scheduledJobs(): Job[] {
  return [
    auditSealJob,
    digestJob(),
    roundDeadlineJob,
    gateReviewReminderJob,
    milestoneReminderJob,
    conditionReminderJob,
    interruptedChangesJob,
    embeddedMaintenanceJob,
  ];
}

/** Started next to the delivery loop, in the app (RUN_WORKER=true) and in `npm run worker`. */
export function startScheduledJobs(prisma: PrismaClient) {
  return startJobLoop(prisma, scheduledJobs());
}
