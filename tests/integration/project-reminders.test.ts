import { describe, expect, it } from "vitest";
import { db } from "~/db/database.server.ts";
import { scheduledJobs } from "~/jobs/index.server.ts";
import { sendConditionReminders, sendGateReviewReminders, sendMilestoneReminders } from "~/jobs/project-reminders.server.ts";
import { runDueJobs } from "~/jobs/scheduler.server.ts";
import { londonToday } from "~/utils/dates.ts";
import { applyWorkflowEvent } from "~/engine/apply-event.server.ts";
import { defaultFundRules } from "../../workflows/index.ts";
import { useTestDatabase } from "../support/database.ts";
import { actor, createFundedProject } from "../../bench/support/fixtures.ts";
import { createUser } from "../../bench/support/requests.ts";

const database = useTestDatabase();

const day = (days: number, from = new Date()) => new Date(Date.parse(`${londonToday(from)}T00:00:00Z`) + days * 86_400_000);
const iso = (date: Date) => date.toISOString().slice(0, 10);
const emailsFor = (template: string, userId: string) => db().notification.findMany({ where: { template, toUserId: userId } });

describe("project reminders", () => {
  it("reminds the lead council's officers once when a gate review is due within 14 days, and once when it has passed", async () => {
    const f = await createFundedProject();
    const secondOfficer = await createUser("councilOfficer", f.lead.id);
    const now = new Date();
    await db().project.update({ where: { id: f.project.id }, data: { nextGateDueOn: day(20, now) } });
    await sendGateReviewReminders(database().prisma, now);
    expect(await emailsFor("project-gate-review-due", f.officer.id)).toHaveLength(0);

    await db().project.update({ where: { id: f.project.id }, data: { nextGateDueOn: day(10, now) } });
    await sendGateReviewReminders(database().prisma, now);
    await sendGateReviewReminders(database().prisma, now);
    const soon = await emailsFor("project-gate-review-due", f.officer.id);
    expect(soon).toHaveLength(1);
    expect(soon[0]!.subject).toBe(`The scan gate review for ${f.project.title} (${f.project.reference}) is due in 10 days`);
    expect(await emailsFor("project-gate-review-due", secondOfficer.id)).toHaveLength(1);
    expect(await emailsFor("project-gate-review-due", f.partnerOfficer.id)).toHaveLength(0);

    const later = new Date(now.getTime() + 12 * 86_400_000);
    await sendGateReviewReminders(database().prisma, later);
    await sendGateReviewReminders(database().prisma, later);
    const all = await emailsFor("project-gate-review-due", f.officer.id);
    expect(all).toHaveLength(2);
    expect(all.map((e) => e.subject)).toContain(
      `The scan gate review for ${f.project.title} (${f.project.reference}) was due on ${new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", day: "numeric", month: "long", year: "numeric" }).format(day(10, now))}`,
    );
  });

  it("sends no gate reminder once the review has been asked for", async () => {
    const f = await createFundedProject({ awardPence: 20_000_00 });
    await db().project.update({ where: { id: f.project.id }, data: { nextGateDueOn: day(3) } });
    await db().projectEvaluation.create({ data: { projectId: f.project.id, stage: "scan", text: "Going well." } });
    await db().spendReport.create({ data: { projectId: f.project.id, stage: "scan", amountPence: 1_000_00, periodEnd: day(-1), reportedById: f.officer.id } });
    const requested = await applyWorkflowEvent("project", f.project.id, {
      type: "REQUEST_GATE_REVIEW",
      actor: actor(f.officer),
      at: new Date().toISOString(),
      facts: { rules: defaultFundRules, cumulativeFundingPence: 30_000_00, evidenceKeys: ["evaluationSummary", "spendToDate"] },
    });
    expect(requested.ok).toBe(true);
    await sendGateReviewReminders(database().prisma);
    expect(await emailsFor("project-gate-review-due", f.officer.id)).toHaveLength(0);
  });

  it("tells the team once about each overdue milestone, and never about one that is done", async () => {
    const f = await createFundedProject();
    const overdue = await db().milestone.create({ data: { projectId: f.project.id, stage: "scan", title: "User research", dueOn: day(-2) } });
    await db().milestone.create({
      data: { projectId: f.project.id, stage: "scan", title: "Discovery report", dueOn: day(-5), status: "done", completedOn: day(-6) },
    });
    await db().milestone.create({ data: { projectId: f.project.id, stage: "scan", title: "Alpha", dueOn: day(5) } });
    await db().milestone.create({ data: { projectId: f.project.id, stage: "scan", title: "Due today", dueOn: day(0) } });
    await sendMilestoneReminders(database().prisma);
    await sendMilestoneReminders(database().prisma);
    const emails = await emailsFor("project-milestone-overdue", f.officer.id);
    expect(emails).toHaveLength(1);
    expect(emails[0]!.text).toContain(`The milestone "User research" was due on`);
    expect(await db().sentReminder.findUnique({ where: { key: `milestone-overdue:${overdue.id}:${iso(day(-2))}` } })).not.toBeNull();
  });

  it("reminds the team of a gate condition due within 7 days, and again once it has passed unmet, each once", async () => {
    const f = await createFundedProject({ awardPence: 20_000_00 });
    const now = new Date();
    const at = () => new Date().toISOString();
    const facts = { rules: defaultFundRules, cumulativeFundingPence: 30_000_00, evidenceKeys: ["evaluationSummary", "spendToDate"] };
    expect((await applyWorkflowEvent("project", f.project.id, { type: "REQUEST_GATE_REVIEW", actor: actor(f.officer), at: at(), facts })).ok).toBe(true);
    expect((await applyWorkflowEvent("project", f.project.id, { type: "OPEN_REVIEW", actor: actor(f.fundTeam), at: at() })).ok).toBe(true);
    const voted = await applyWorkflowEvent("project", f.project.id, {
      type: "VOTE",
      actor: actor(f.approver),
      at: at(),
      outcome: "conditionalGo",
      reason: "Nearly there.",
      conditions: [
        { text: "Publish the DPIA", dueDate: iso(day(5, now)) },
        { text: "Recruit a service owner", dueDate: iso(day(30, now)) },
      ],
    });
    expect(voted.ok).toBe(true);

    await sendConditionReminders(database().prisma, now);
    await sendConditionReminders(database().prisma, now);
    let emails = await emailsFor("project-condition-due", f.officer.id);
    expect(emails).toHaveLength(1);
    expect(emails[0]!.text).toContain("Publish the DPIA");

    const later = new Date(now.getTime() + 8 * 86_400_000);
    await sendConditionReminders(database().prisma, later);
    await sendConditionReminders(database().prisma, later);
    emails = await emailsFor("project-condition-due", f.officer.id);
    expect(emails).toHaveLength(2);
    expect(emails.map((e) => e.subject)).toContain(`A gate condition for ${f.project.title} (${f.project.reference}) is overdue`);
  });

  it("runs as scheduled jobs held in the database", async () => {
    const names = scheduledJobs().map((j) => j.name);
    expect(names).toEqual(expect.arrayContaining(["project-gate-review-reminders", "project-milestone-reminders", "project-condition-reminders"]));
    const f = await createFundedProject();
    await db().milestone.create({ data: { projectId: f.project.id, stage: "scan", title: "Kick-off", dueOn: day(-1) } });
    const jobs = scheduledJobs().filter((j) => j.name.startsWith("project-"));
    const start = new Date();
    await runDueJobs(database().prisma, jobs, start);
    const ran = await runDueJobs(database().prisma, jobs, new Date(start.getTime() + 2 * 3600_000));
    expect(ran).toEqual(["project-gate-review-reminders", "project-milestone-reminders", "project-condition-reminders"]);
    expect(await emailsFor("project-milestone-overdue", f.officer.id)).toHaveLength(1);
  });
});
