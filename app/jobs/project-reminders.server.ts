import type { Prisma, PrismaClient } from "~/generated/prisma/client.ts";
import { env } from "~/env.server.ts";
import { enqueueEmail } from "~/mail/outbox.server.ts";
import { addDays, calendarDate, daysBetween, isoDay, londonToday } from "~/utils/dates.ts";
import { formatDate } from "~/utils/format.ts";
import type { ProjectConditionDueData } from "../../emails/project-condition-due.ts";
import type { ProjectGateReviewDueData } from "../../emails/project-gate-review-due.ts";
import type { ProjectMilestoneOverdueData } from "../../emails/project-milestone-overdue.ts";
import { contextOf, type PersistedSnapshot } from "../../workflows/index.ts";
import { stageOfState, type ProjectContext } from "../../workflows/project.ts";
import type { Job } from "./scheduler.server.ts";
import { roundRulesOrNull, roundRulesSelect } from "~/rounds/rules.ts";

// The product's reminders for funded projects: gate review due, overdue milestone, and (for
// conditional go) a condition falling due. Each goes to the officers of the project's lead
// council, once: the SentReminder row and the emails are written in one transaction, and
// the key makes a second run (or a second worker) send nothing. Dates are calendar days in
// London, as the team sees them.

export const GATE_REMINDER_DAYS = 14;
export const CONDITION_REMINDER_DAYS = 7;
// The longest window a fund may set (workflows/rules.ts reminders); each project's round's own is applied per project.
const LONGEST_WINDOW_DAYS = 90;
/** A project's reminder windows: its round's copy of the fund's rules, or the service's usual ones. */
const windowsOf = (project: { bid: { round: Parameters<typeof roundRulesOrNull>[0] } }) =>
  roundRulesOrNull(project.bid.round)?.reminders ?? { gateDueDays: GATE_REMINDER_DAYS, conditionDueDays: CONDITION_REMINDER_DAYS };

const link = (path: string) => new URL(path, env().APP_URL).toString();

/** Claims `key` and emails the lead council's officers, in one transaction; 0 if already sent. */
async function remindOnce(
  prisma: PrismaClient,
  key: string,
  leadOrganisationId: string,
  email: (officer: { name: string }) => { template: string; data: object },
): Promise<number> {
  return prisma.$transaction(async (tx: Prisma.TransactionClient) => {
    const fresh = await tx.sentReminder.createMany({ data: [{ key }], skipDuplicates: true });
    if (fresh.count !== 1) return 0;
    const officers = await tx.user.findMany({
      where: { organisationId: leadOrganisationId, role: "councilOfficer" },
      select: { id: true, name: true, email: true },
    });
    for (const officer of officers) {
      const { template, data } = email(officer);
      await enqueueEmail(tx, { template, to: officer.email, userId: officer.id, data: data as Record<string, unknown> });
    }
    return officers.length;
  });
}

/** Gate review due: the date the team set is within the fund's window (usually 14 days), or has passed, and the review is not asked for yet. */
export async function sendGateReviewReminders(prisma: PrismaClient, now = new Date()): Promise<number> {
  const today = londonToday(now);
  const horizon = calendarDate(addDays(today, LONGEST_WINDOW_DAYS));
  const projects = await prisma.project.findMany({
    where: { state: { endsWith: "_delivering" }, nextGateDueOn: { not: null, lte: horizon } },
    select: {
      id: true,
      title: true,
      reference: true,
      state: true,
      leadOrganisationId: true,
      nextGateDueOn: true,
      bid: { select: { round: { select: roundRulesSelect } } },
    },
  });
  let sent = 0;
  for (const project of projects) {
    const dueOn = isoDay(project.nextGateDueOn!);
    const days = daysBetween(today, dueOn);
    if (days > windowsOf(project).gateDueDays) continue;
    const stage = stageOfState(project.state) ?? "scan";
    const key = `gate-due:${project.id}:${stage}:${dueOn}:${days < 0 ? "passed" : "soon"}`;
    sent += await remindOnce(prisma, key, project.leadOrganisationId, (officer) => ({
      template: "project-gate-review-due",
      data: {
        name: officer.name,
        title: project.title,
        reference: project.reference,
        stage,
        dueOn: formatDate(dueOn),
        days,
        link: link(`/projects/${project.id}/gate`),
      } satisfies ProjectGateReviewDueData,
    }));
  }
  return sent;
}

/** Milestone overdue: its due date has passed and it is not done, on a project still under way. */
export async function sendMilestoneReminders(prisma: PrismaClient, now = new Date()): Promise<number> {
  const today = londonToday(now);
  const milestones = await prisma.milestone.findMany({
    where: {
      status: { not: "done" },
      dueOn: { lt: calendarDate(today) },
      project: { state: { notIn: ["stopped", "closed", "completed"] } },
    },
    select: { id: true, title: true, dueOn: true, project: { select: { id: true, title: true, reference: true, leadOrganisationId: true } } },
  });
  let sent = 0;
  for (const milestone of milestones) {
    const dueOn = isoDay(milestone.dueOn);
    const { project } = milestone;
    sent += await remindOnce(prisma, `milestone-overdue:${milestone.id}:${dueOn}`, project.leadOrganisationId, (officer) => ({
      template: "project-milestone-overdue",
      data: {
        name: officer.name,
        title: project.title,
        reference: project.reference,
        milestone: milestone.title,
        dueOn: formatDate(dueOn),
        link: link(`/projects/${project.id}/milestones`),
      } satisfies ProjectMilestoneOverdueData,
    }));
  }
  return sent;
}

/** Condition due: a condition set at a gate, not yet met, is due within the fund's window (usually 7 days) or has passed. */
export async function sendConditionReminders(prisma: PrismaClient, now = new Date()): Promise<number> {
  const today = londonToday(now);
  // Conditions live in the machine's snapshot; only projects still under way can have open ones that matter.
  const projects = await prisma.project.findMany({
    where: { state: { notIn: ["stopped", "closed", "completed"] } },
    select: { id: true, title: true, reference: true, leadOrganisationId: true, snapshot: true, bid: { select: { round: { select: roundRulesSelect } } } },
  });
  let sent = 0;
  for (const project of projects) {
    const window = windowsOf(project).conditionDueDays;
    const context = contextOf("project", project.snapshot as unknown as PersistedSnapshot) as ProjectContext;
    for (const condition of context.conditions ?? []) {
      if (condition.met) continue;
      const days = daysBetween(today, condition.dueDate);
      if (days > window) continue;
      const key = `condition-due:${project.id}:${condition.id}:${days < 0 ? "passed" : "soon"}`;
      sent += await remindOnce(prisma, key, project.leadOrganisationId, (officer) => ({
        template: "project-condition-due",
        data: {
          name: officer.name,
          title: project.title,
          reference: project.reference,
          condition: condition.text,
          dueOn: formatDate(condition.dueDate),
          days,
          link: link(`/projects/${project.id}/gate`),
        } satisfies ProjectConditionDueData,
      }));
    }
  }
  return sent;
}

const hourly = (now: Date) => new Date(now.getTime() + 60 * 60_000);

export const gateReviewReminderJob: Job = {
  name: "project-gate-review-reminders",
  nextRunAfter: hourly,
  run: (prisma, now) => sendGateReviewReminders(prisma, now),
};
export const milestoneReminderJob: Job = {
  name: "project-milestone-reminders",
  nextRunAfter: hourly,
  run: (prisma, now) => sendMilestoneReminders(prisma, now),
};
export const conditionReminderJob: Job = {
  name: "project-condition-reminders",
  nextRunAfter: hourly,
  run: (prisma, now) => sendConditionReminders(prisma, now),
};
