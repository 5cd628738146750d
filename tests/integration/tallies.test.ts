import { describe, expect, it } from "vitest";
import { assignAutomatically } from "~/assessment/assessments.server.ts";
import { bidsByState } from "~/dashboards/sql.server.ts";
import { rebuildTallies } from "~/dashboards/tallies.server.ts";
import { database, db } from "~/db/database.server.ts";
import { seedDemoProjects } from "~/seed/demo/projects.server.ts";
import { seedDemoRound } from "~/seed/demo/round.server.ts";
import { seedDemo } from "~/seed/demo/fund.server.ts";
import { portfolioStageOf, portfolioStages } from "~/portfolio/stages.ts";
import { loadDecisionRound } from "~/funding/decisions.server.ts";
import { refreshRoundScores } from "~/assessment/round-scores.server.ts";
import { applyWorkflowEvent } from "~/engine/apply-event.server.ts";
import { statesOf } from "../../workflows/index.ts";
import { useTestDatabase } from "../support/database.ts";
import {
  actor,
  createBidsInAssessment,
  createEligibleBids,
  createFundedProject,
  createModeratedRound,
  createPartnershipBid,
} from "../../bench/support/fixtures.ts";
import { decideGate } from "../support/project-journeys.ts";
import { createUser } from "../../bench/support/requests.ts";

useTestDatabase({ referenceData: true });

// Every tally as rows, without the counters that have come back to zero (a rebuild leaves
// none), in a fixed order.
async function tallies() {
  const sql = database().sql;
  const [bids, assessments, figures, conditions, moderation, projects] = await Promise.all([
    sql(`SELECT "roundId", state, slot, bids FROM "RoundBidTally" WHERE bids <> 0 ORDER BY 1, 2, 3`),
    sql(`SELECT "roundId", "assessorUserId", state, conflict, "dueKey", assessments FROM "AssessmentTally" WHERE assessments <> 0 ORDER BY 1, 2, 3, 4, 5`),
    sql(
      `SELECT "projectId", "roundId", "leadOrganisationId", reference, state, "stageOrder", "nextGateDueOn"::text, "committedPence"::text, "spentPence"::text FROM "ProjectFigures" ORDER BY 1`,
    ),
    sql(`SELECT * FROM "OpenCondition" ORDER BY 1, 2`),
    sql(`SELECT * FROM "RoundModerationTally" WHERE flagged <> 0 OR "flagsOpen" <> 0 OR unresolved <> 0 ORDER BY 1`),
    sql(
      `SELECT "roundId", "leadOrganisationId", state, projects, "committedPence"::text, "spentPence"::text FROM "ProjectTally"
        WHERE projects <> 0 OR "committedPence" <> 0 OR "spentPence" <> 0 ORDER BY 1, 2, 3`,
    ),
  ]);
  return {
    bids: bids.rows,
    assessments: assessments.rows,
    figures: figures.rows,
    conditions: conditions.rows,
    moderation: moderation.rows,
    projects: projects.rows,
  };
}

describe("the dashboards' running counts", () => {
  it("stay equal to a count from scratch through a round's whole life and the projects' gates", async () => {
    // Through the workflow engine: bids drafted, submitted, checked, assessed (one assessor
    // declaring a conflict), moderated, decided and published, and projects started.
    await seedDemo(db());
    await seedDemoRound(db());
    await seedDemoProjects(db());
    await createBidsInAssessment(3, 2);
    // An assessor who declares a conflict on a bid of another round.
    const eligible = await createEligibleBids(1);
    const assessor = await createUser("assessor");
    await db().roundAssessor.create({ data: { roundId: eligible.round.id, userId: assessor.id } });
    await assignAutomatically(eligible.round.id, { ...actor(eligible.fundTeam), role: "fundTeam", name: eligible.fundTeam.name });
    const conflicted = await db().assessment.findFirstOrThrow({ where: { assessorUserId: assessor.id } });
    for (const event of [{ type: "ACCEPT" }, { type: "DECLARE_INTERESTS", interests: "I advise the lead council", conflict: true }]) {
      const result = await applyWorkflowEvent("assessment", conflicted.id, {
        ...event,
        actor: { ...actor(assessor), role: "assessor" },
        at: new Date().toISOString(),
      } as never);
      expect(result.ok, JSON.stringify(result)).toBe(true);
    }
    // A conditional go (an open condition), money released and spend reported, then
    // corrected and withdrawn: every kind of write the figures depend on.
    const funded = await createFundedProject({ stage: "scan", awardPence: 40_000_00 });
    await decideGate(funded, "scan", "conditionalGo", [{ text: "Publish the code", dueDate: "2030-01-31" }]);
    await db().projectTranche.create({ data: { projectId: funded.project.id, stage: "pilot", amountPence: 100_000_00, reason: "Pilot tranche" } });
    const spend = await db().spendReport.create({
      data: { projectId: funded.project.id, stage: "pilot", amountPence: 5_000_00, periodEnd: new Date("2026-06-30"), reportedById: funded.officer.id },
    });
    await db().spendReport.update({ where: { id: spend.id }, data: { amountPence: 6_000_00 } });
    await db().spendReport.create({
      data: { projectId: funded.project.id, stage: "pilot", amountPence: 9_000_00, periodEnd: new Date("2026-09-30"), reportedById: funded.officer.id },
    });
    // An assessment given its own due date, and a draft bid deleted.
    const assessment = await db().assessment.findFirstOrThrow();
    await db().assessment.update({ where: { id: assessment.id }, data: { dueAt: new Date("2026-12-01T17:00:00Z") } });
    // A bid in moderation whose two assessors differ by 4 points on one criterion.
    await createModeratedRound({
      bids: [
        {
          amountPence: 100_000_00,
          scores: [
            [5, 2, 2, 2],
            [1, 2, 2, 2],
          ],
        },
      ],
    });
    const draft = await createPartnershipBid();
    await db().bid.delete({ where: { id: draft.bid.id } });

    // Every round's stored scores worked out, so the moderation tally has flags to count.
    for (const { slug, id } of await db().round.findMany({ select: { slug: true, id: true } })) {
      await refreshRoundScores(id, (await loadDecisionRound(slug)).ruleSet);
    }

    const kept = await tallies();
    expect(kept.moderation.length).toBeGreaterThan(0);
    expect(kept.projects.length).toBeGreaterThan(0);
    expect(kept.bids.length).toBeGreaterThan(0);
    expect(kept.assessments.some((r) => r.conflict === true)).toBe(true);
    expect(kept.assessments.some((r) => r.dueKey === "2026-12-01T17:00:00.000")).toBe(true);
    expect(kept.conditions).toEqual([expect.objectContaining({ projectId: funded.project.id, text: "Publish the code", dueDate: "2030-01-31" })]);
    expect(kept.figures.find((f) => f.projectId === funded.project.id)).toMatchObject({
      state: "pilot_delivering",
      stageOrder: 1,
      committedPence: String(140_000_00),
      spentPence: String(9_000_00),
    });

    await rebuildTallies();
    expect(await tallies()).toEqual(kept);

    // And the tallies agree with the records counted directly.
    const { rows } = await database().sql<{ roundId: string; state: string; count: number }>(
      `SELECT "roundId", state, count(*)::int AS count FROM "Bid" GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    for (const roundId of new Set(rows.map((r) => r.roundId))) {
      expect(await bidsByState(database().sql, roundId)).toEqual(rows.filter((r) => r.roundId === roundId).map((r) => ({ state: r.state, count: r.count })));
    }
  });

  it("put projects in the portfolio's stage order, in the database as in the code", async () => {
    for (const state of statesOf("project")) {
      const { rows } = await database().sql<{ order: number }>(`SELECT springboard_project_stage_order($1) AS order`, [state]);
      expect([state, rows[0]!.order]).toEqual([state, portfolioStages.indexOf(portfolioStageOf(state))]);
    }
  });
});
