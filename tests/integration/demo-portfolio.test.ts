import { describe, expect, it } from "vitest";
import { db } from "~/db/database.server.ts";
import { demoPortfolioProjects, demoPortfolioRounds, seedDemoPortfolio } from "~/seed/demo/portfolio.server.ts";
import { seedDemoProjects } from "~/seed/demo/projects.server.ts";
import { seedDemoRound } from "~/seed/demo/round.server.ts";
import { seedDemo } from "~/seed/demo/fund.server.ts";
import { searchHub } from "~/hub/hub.server.ts";
import { scaleFigures } from "~/portfolio/scale.server.ts";
import { draftQuery, findSimilarWork } from "~/reuse/similar.server.ts";
import { contextOf, type PersistedSnapshot } from "../../workflows/index.ts";
import { useTestDatabase } from "../support/database.ts";
import { inconsistentBids } from "../../bench/support/rush.ts";

useTestDatabase({ referenceData: true });

/** Projects whose stored state and version disagree with the chain of their history. */
async function inconsistentProjects(ids: string[]) {
  const projects = await db().project.findMany({ where: { id: { in: ids } }, select: { id: true, state: true, version: true } });
  const history = await db().transitionHistory.findMany({
    where: { recordType: "project", recordId: { in: ids } },
    orderBy: [{ at: "asc" }, { id: "asc" }],
    select: { recordId: true, fromState: true, toState: true },
  });
  return projects.flatMap((project) => {
    const rows = history.filter((h) => h.recordId === project.id);
    let state = "";
    for (const row of rows) {
      if (row.fromState !== state) return [project.id];
      state = row.toState;
    }
    return state === project.state && rows.length - 1 === project.version ? [] : [project.id];
  });
}

describe("the demo portfolio", () => {
  it("holds earlier rounds' projects in every stage, each with its history, gates, adoptions and case studies", async () => {
    await seedDemo(db());
    await seedDemoRound(db());
    await seedDemoProjects(db());
    const started = performance.now();
    await seedDemoPortfolio(db());
    console.info(`The demo portfolio step took ${Math.round(performance.now() - started)} ms`);

    const rounds = await db().round.findMany({
      where: { slug: { in: demoPortfolioRounds.map((r) => r.slug) } },
      include: {
        bids: {
          include: {
            partners: true,
            project: { include: { tranches: true, adoptions: true, caseStudy: true, metrics: { include: { actuals: true } }, spendReports: true } },
          },
        },
      },
    });
    expect(rounds).toHaveLength(demoPortfolioRounds.length);
    for (const round of rounds) {
      expect(round.closesAt.getTime()).toBeLessThan(Date.now());
      expect(round.decisionsPublishedAt!.getTime()).toBeLessThan(Date.now());
      expect(round.bids.every((b) => b.state === "funded" && b.project)).toBe(true);
      expect(await inconsistentBids(db(), round.id)).toEqual([]);
    }
    const projects = rounds.flatMap((r) => r.bids.map((b) => b.project!));
    expect(projects).toHaveLength(demoPortfolioProjects.length);
    expect(projects.length).toBeGreaterThanOrEqual(18);

    // Every stage, and the ends: completed, and stopped (closed once its lessons are written).
    const states = projects.map((p) => p.state);
    for (const stage of ["scan", "pilot", "scale"]) expect(states.filter((s) => s.startsWith(`${stage}_`)).length).toBeGreaterThanOrEqual(1);
    expect(states.filter((s) => s === "completed").length).toBeGreaterThanOrEqual(3);
    expect(states.filter((s) => s === "stopped" || s === "closed").length).toBeGreaterThanOrEqual(2);
    expect(states).toContain("scan_gateRequested");
    expect(states).toContain("scan_inReview");

    // Each project's every step went through the engine: its history ends where it is.
    expect(await inconsistentProjects(projects.map((p) => p.id))).toEqual([]);
    const history = await db().transitionHistory.findMany({ where: { recordType: "project", recordId: { in: projects.map((p) => p.id) } } });
    for (const project of projects) {
      const context = contextOf("project", project.snapshot as unknown as PersistedSnapshot);
      const votes = history.filter((h) => h.recordId === project.id && h.event === "VOTE");
      expect(votes).toHaveLength(context.decisions.length);
      // Every gate weighed the stage's evidence, and each tranche released is on record.
      for (const decision of context.decisions) expect(decision.evidenceKeys).toEqual(expect.arrayContaining(["evaluationSummary", "spendToDate"]));
      const released = project.tranches.reduce((sum, t) => sum + t.amountPence, 0);
      expect(project.tranches[0]!.amountPence).toBe(project.awardPence);
      expect(released).toBeLessThanOrEqual(100_000_00);
      expect(project.metrics.length).toBeGreaterThan(0);
      expect(project.metrics.every((m) => m.baseline !== m.target)).toBe(true);
      expect(project.spendReports.every((s) => s.amountPence <= released)).toBe(true);
      if (context.decisions.length) expect(project.metrics.some((m) => m.actuals.length > 0)).toBe(true);
      for (const h of history.filter((h) => h.recordId === project.id)) expect(h.at.getTime()).toBeLessThan(Date.now());
    }

    // The stops, with the decision's reasons.
    const stopped = projects.filter((p) => p.state === "stopped" || p.state === "closed");
    for (const project of stopped) {
      const decision = contextOf("project", project.snapshot as unknown as PersistedSnapshot).decisions.at(-1)!;
      expect(decision.outcome).toBe("stop");
      expect(decision.votes.every((v) => v.reason.length > 20)).toBe(true);
      expect(project.caseStudy).not.toBeNull();
    }
    expect(states).toContain("closed");

    // Conditions were set at some gates, and met.
    const conditions = projects.flatMap((p) => contextOf("project", p.snapshot as unknown as PersistedSnapshot).conditions);
    expect(conditions.length).toBeGreaterThanOrEqual(2);
    expect(conditions.every((c) => c.met !== null)).toBe(true);

    // Adoptions of the products in Scale or completed, in every status.
    const adoptions = projects.flatMap((p) => p.adoptions.map((a) => ({ ...a, state: p.state })));
    expect(adoptions.every((a) => a.state.startsWith("scale_") || a.state === "completed")).toBe(true);
    expect(new Set(adoptions.map((a) => a.status))).toEqual(new Set(["registered", "planning", "live", "stopped"]));
    const live = adoptions.filter((a) => a.status === "live");
    expect(live.every((a) => a.goLiveOn !== null && a.goLiveOn.getTime() < Date.now())).toBe(true);
    expect(live.filter((a) => a.savingsPence > 0).length).toBeGreaterThanOrEqual(10);

    // Case studies: published for most that finished, and one waiting for the fund team.
    const caseStudies = projects.flatMap((p) => (p.caseStudy ? [{ ...p.caseStudy, state: p.state }] : []));
    const published = caseStudies.filter((c) => c.status === "published");
    expect(published.length).toBeGreaterThanOrEqual(8);
    expect(published.every((c) => c.publishedAt !== null && c.lessons.trim() !== "")).toBe(true);
    expect(caseStudies.filter((c) => c.status === "inReview")).toHaveLength(1);
    const finished = projects.filter((p) => ["completed", "stopped", "closed"].includes(p.state));
    expect(published.filter((c) => ["completed", "stopped", "closed"].includes(c.state)).length).toBeGreaterThan(finished.length / 2);

    // Every council in these partnerships and adoptions has signed the declaration.
    const councils = new Set([
      ...rounds.flatMap((r) => r.bids.flatMap((b) => [b.leadOrganisationId, ...b.partners.map((p) => p.organisationId)])),
      ...adoptions.map((a) => a.organisationId),
    ]);
    const unsigned = await db().organisation.count({ where: { id: { in: [...councils] }, declarationSignedAt: null } });
    expect(unsigned).toBe(0);

    // What a newcomer looks at first shows them: the hub's stopped work, scale's totals, and
    // the similar work a council drafting a bid about missed bins is shown.
    const stoppedWork = await searchHub({ q: "", serviceArea: "", stage: "", outcome: "stopped", page: 1 });
    expect(stoppedWork.total).toBeGreaterThanOrEqual(2);
    const scale = await scaleFigures({ fund: "", round: "", councilType: "" });
    expect(scale.adoptions.live).toBe(live.length);
    expect(scale.savingsPence).toBeGreaterThan(0);
    expect(scale.share.scaledPence).toBeGreaterThan(0);
    const similar = await findSimilarWork(
      draftQuery({
        title: "Reporting missed bins",
        answers: { sections: { problem: { problem: "Residents phone us when their bin collection is missed, and crews hear about it days later." } } },
      }),
    );
    expect(similar.slice(0, 3).map((m) => m.title)).toContain("Missed bin collection reports");
  });
});
