import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db/database.server.ts";
import type { Prisma } from "~/generated/prisma/client.ts";
import { COUNT_CAP, LIST_LIMIT } from "~/portfolio/portfolio.server.ts";
import { londonToday } from "~/utils/dates.ts";
import { loader as portfolioLoader } from "~/routes/portfolio.tsx";
import { startSnapshot, workflows } from "../../workflows/index.ts";
import { useTestDatabase } from "../support/database.ts";
import { createFundedProject, createOrganisation, createRound } from "../../bench/support/fixtures.ts";
import { completedProject, decideGate, stoppedPilot } from "../support/project-journeys.ts";
import { anonymousBrowser, context, createUser, get, run, signedInBrowser, type Browser } from "../../bench/support/requests.ts";

useTestDatabase();

const call = (path: string, browser: Browser) => run(() => portfolioLoader({ request: get(path, browser), context: context(), params: {} } as never));

function inDays(days: number) {
  const date = new Date(`${londonToday()}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

let fundTeam: Browser;
let scan: Awaited<ReturnType<typeof createFundedProject>>;
let pilot: Awaited<ReturnType<typeof createFundedProject>>;

beforeAll(async () => {
  await db().councilType.createMany({
    data: [
      { code: "MD", name: "Metropolitan district" },
      { code: "UA", name: "Unitary authority" },
    ],
    skipDuplicates: true,
  });

  // Scan, delivering, with a gate review and a milestone overdue and two spend reports.
  scan = await createFundedProject({ stage: "scan", awardPence: 50_000_00, title: "Scan project" });
  await db().organisation.update({ where: { id: scan.lead.id }, data: { councilTypeCode: "MD" } });
  await db().project.update({ where: { id: scan.project.id }, data: { nextGateDueOn: new Date(`${inDays(-10)}T00:00:00Z`) } });
  await db().milestone.createMany({
    data: [
      { projectId: scan.project.id, stage: "scan", title: "Discovery report", dueOn: new Date(`${inDays(-3)}T00:00:00Z`), status: "inProgress" },
      { projectId: scan.project.id, stage: "scan", title: "Kick-off", dueOn: new Date(`${inDays(-30)}T00:00:00Z`), status: "done" },
      { projectId: scan.project.id, stage: "scan", title: "Prototype", dueOn: new Date(`${inDays(20)}T00:00:00Z`), status: "notStarted" },
    ],
  });
  await db().spendReport.createMany({
    data: [
      { projectId: scan.project.id, stage: "scan", amountPence: 10_000_00, periodEnd: new Date(`${inDays(-60)}T00:00:00Z`), reportedById: scan.officer.id },
      { projectId: scan.project.id, stage: "scan", amountPence: 20_000_00, periodEnd: new Date(`${inDays(-30)}T00:00:00Z`), reportedById: scan.officer.id },
    ],
  });

  // Passed its scan gate with a condition, and was given a pilot tranche.
  pilot = await createFundedProject({ stage: "scan", awardPence: 40_000_00, title: "Pilot project" });
  await db().organisation.update({ where: { id: pilot.lead.id }, data: { councilTypeCode: "UA" } });
  await decideGate(pilot, "scan", "conditionalGo", [{ text: "Publish the code", dueDate: inDays(5) }]);
  await db().projectTranche.create({ data: { projectId: pilot.project.id, stage: "pilot", amountPence: 100_000_00, reason: "Pilot tranche" } });

  const scale = await createFundedProject({ stage: "scale", awardPence: 60_000_00, title: "Scale project" });
  await db().organisation.update({ where: { id: scale.lead.id }, data: { councilTypeCode: "MD" } });
  await completedProject({ title: "Completed project" });
  const stopped = await stoppedPilot({ title: "Stopped project" });
  await db().spendReport.create({
    data: {
      projectId: stopped.project.id,
      stage: "pilot",
      amountPence: 30_000_00,
      periodEnd: new Date(`${inDays(-5)}T00:00:00Z`),
      reportedById: stopped.officer.id,
    },
  });
  // A stopped project's old milestones and dates are not "overdue": it is no longer delivering.
  await db().milestone.create({ data: { projectId: stopped.project.id, stage: "pilot", title: "Abandoned", dueOn: new Date(`${inDays(-3)}T00:00:00Z`) } });

  fundTeam = await signedInBrowser(scan.fundTeam.id);
});

describe("the portfolio", () => {
  it("counts projects, money committed and money spent by stage", async () => {
    const page = await call("/portfolio", fundTeam);
    expect(page.status).toBe(200);
    const byStage = Object.fromEntries(page.data.stages.map((s: any) => [s.stage, [s.projects, s.committedPence, s.spentPence]]));
    expect(byStage).toEqual({
      scan: [1, 50_000_00, 20_000_00],
      pilot: [1, 140_000_00, 0],
      scale: [1, 60_000_00, 0],
      completed: [1, 60_000_00, 0],
      stopped: [1, 60_000_00, 30_000_00],
    });
    expect(page.data.totals).toEqual({ projects: 5, committedPence: 370_000_00, spentPence: 50_000_00 });
    expect(page.data.states.map((s: any) => [s.state, s.projects])).toEqual([
      ["scan_delivering", 1],
      ["pilot_delivering", 1],
      ["scale_delivering", 1],
      ["completed", 1],
      ["stopped", 1],
    ]);
    expect(page.data.board.total).toBe(5);
    expect(page.data.board.rows.map((r: any) => r.title)).toEqual(["Scan project", "Pilot project", "Scale project", "Completed project", "Stopped project"]);
  });

  it("lists overdue gates, overdue milestones and conditions coming due", async () => {
    const page = await call("/portfolio", fundTeam);
    expect(page.data.overdueGates.total).toBe(1);
    expect(page.data.overdueGates.rows.map((r: any) => r.id)).toEqual([scan.project.id]);
    expect(page.data.overdueMilestones.total).toBe(1);
    expect(page.data.overdueMilestones.rows.map((r: any) => r.title)).toEqual(["Discovery report"]);
    expect(page.data.conditions.total).toBe(1);
    expect(page.data.conditions.overdue).toBe(0);
    expect(page.data.conditions.rows[0]).toMatchObject({ projectId: pilot.project.id, text: "Publish the code", dueDate: inDays(5), overdue: false });
  });

  it("filters by fund, round and lead council type", async () => {
    const byType = await call("/portfolio?councilType=MD", fundTeam);
    expect(byType.data.totals).toEqual({ projects: 2, committedPence: 110_000_00, spentPence: 20_000_00 });
    expect(byType.data.conditions.total).toBe(0);

    const byFund = await call(`/portfolio?fund=${pilot.round.fundId}`, fundTeam);
    expect(byFund.data.totals.projects).toBe(1);
    expect(byFund.data.board.rows.map((r: any) => r.id)).toEqual([pilot.project.id]);
    expect(byFund.data.overdueGates.total).toBe(0);

    const byRound = await call(`/portfolio?round=${scan.round.id}`, fundTeam);
    expect(byRound.data.board.rows.map((r: any) => r.id)).toEqual([scan.project.id]);
    expect(byRound.data.overdueMilestones.total).toBe(1);

    const byState = await call("/portfolio?state=completed", fundTeam);
    expect(byState.data.board.rows.map((r: any) => r.title)).toEqual(["Completed project"]);
    expect(byState.data.totals.projects).toBe(5);
    expect(byState.data.options.councilTypes.map((t: any) => t.code)).toEqual(["MD", "UA"]);
  });

  it("is for the fund team and gate approvers only", async () => {
    const approver = await call("/portfolio", await signedInBrowser(scan.approver.id));
    expect(approver.status).toBe(200);
    const otherCouncil = await createUser("councilOfficer", (await createOrganisation()).id);
    expect((await call("/portfolio", await signedInBrowser(otherCouncil.id))).status).toBe(403);
    expect((await call("/portfolio", await signedInBrowser(scan.officer.id))).status).toBe(403);
    expect((await call("/portfolio", await signedInBrowser((await createUser("assessor")).id))).status).toBe(403);
    const visitor = await call("/portfolio", anonymousBrowser());
    expect(visitor.status).toBe(302);
    expect(visitor.location).toMatch(/^\/sign-in/);
  });

  it("pages the board 50 projects at a time", async () => {
    const round = await createRound();
    const lead = await createOrganisation();
    const officer = await createUser("councilOfficer", lead.id);
    const count = 60;
    const bids = Array.from({ length: count }, (_, i) => ({ id: randomUUID(), reference: `BULK-${String(i).padStart(3, "0")}-${randomUUID().slice(0, 4)}` }));
    await db().bid.createMany({
      data: bids.map((b) => ({
        id: b.id,
        reference: b.reference,
        roundId: round.id,
        leadOrganisationId: lead.id,
        createdById: officer.id,
        title: "Bulk",
        state: "draft",
        snapshot: startSnapshot("bid", { bidId: b.id, roundId: round.id, leadOrganisationId: lead.id }) as unknown as Prisma.InputJsonValue,
        machineVersion: workflows.bid.version,
      })),
    });
    await db().project.createMany({
      data: bids.map((b) => {
        const id = randomUUID();
        const snapshot = startSnapshot("project", { projectId: id, bidId: b.id, leadOrganisationId: lead.id, startStage: "scan" });
        return {
          id,
          bidId: b.id,
          leadOrganisationId: lead.id,
          title: `Bulk ${b.reference}`,
          reference: b.reference,
          awardPence: 1_000_00,
          state: String(snapshot.value),
          snapshot: snapshot as unknown as Prisma.InputJsonValue,
          machineVersion: workflows.project.version,
        };
      }),
    });
    const first = await call(`/portfolio?round=${round.id}`, fundTeam);
    expect(first.data.board).toMatchObject({ total: count, page: 1, pages: 2 });
    expect(first.data.board.rows).toHaveLength(50);
    const second = await call(`/portfolio?round=${round.id}&page=2`, fundTeam);
    expect(second.data.board.rows).toHaveLength(10);
    const seen = new Set([...first.data.board.rows, ...second.data.board.rows].map((r: any) => r.id));
    expect(seen.size).toBe(count);
    // A page past the end shows the last page.
    expect((await call(`/portfolio?round=${round.id}&page=99`, fundTeam)).data.board.page).toBe(2);
  });

  it("counts a long list up to a thousand and then says 'more than'", async () => {
    const many = Array.from({ length: COUNT_CAP + 1 }, (_, i) => ({
      projectId: scan.project.id,
      stage: "scan" as const,
      title: `Backlog ${i}`,
      dueOn: new Date(`${inDays(-100)}T00:00:00Z`),
      status: "notStarted",
    }));
    await db().milestone.createMany({ data: many });
    try {
      const page = await call("/portfolio", fundTeam);
      expect(page.data.overdueMilestones).toMatchObject({ total: COUNT_CAP, more: true });
      expect(page.data.overdueMilestones.rows).toHaveLength(LIST_LIMIT);
      expect(page.data.overdueMilestones.rows[0].title).toMatch(/^Backlog/);
    } finally {
      await db().milestone.deleteMany({ where: { title: { startsWith: "Backlog " } } });
    }
    const after = await call("/portfolio", fundTeam);
    expect(after.data.overdueMilestones).toMatchObject({ total: 1, more: false });
  });
});
