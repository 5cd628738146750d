import { describe, expect, it } from "vitest";
import { db } from "~/db/database.server.ts";
import { demoPastRoundSlug, demoProjects, seedDemoProjects } from "~/seed/demo/projects.server.ts";
import { seedDemoRound } from "~/seed/demo/round.server.ts";
import { seedDemo } from "~/seed/demo/fund.server.ts";
import { useTestDatabase } from "../support/database.ts";
import { inconsistentBids } from "../../bench/support/rush.ts";

useTestDatabase({ referenceData: true });

describe("the demo projects", () => {
  it("are the funded bids of a past round, made pilots when their decisions were published", async () => {
    await seedDemo(db());
    await seedDemoRound(db());
    await seedDemoProjects(db());
    const round = await db().round.findUniqueOrThrow({
      where: { slug: demoPastRoundSlug },
      include: { bids: { include: { project: { include: { tranches: true, leadOrganisation: true } }, partners: { include: { organisation: true } } } } },
    });
    expect(round.closesAt.getTime()).toBeLessThan(Date.now() - 90 * 86_400_000);
    expect(round.decisionsPublishedAt).not.toBeNull();
    expect(round.bids).toHaveLength(2);
    expect(round.bids.every((b) => b.state === "funded")).toBe(true);
    expect(await inconsistentBids(db(), round.id)).toEqual([]);

    for (const demo of demoProjects) {
      const bid = round.bids.find((b) => b.title === demo.title)!;
      const project = bid.project!;
      expect(project.state).toBe("pilot_delivering");
      expect(project.awardPence).toBe(demo.awardPence);
      expect(project.reference).toBe(`P-${bid.reference}`);
      expect(project.leadOrganisation.code).toBe(demo.lead);
      expect(bid.partners.map((p) => p.organisation.code).sort()).toEqual([...demo.partners].sort());
      expect(project.tranches.map((t) => [t.stage, t.amountPence])).toEqual([["pilot", demo.awardPence]]);
      // The project's history starts with its creation, at the moment the decision was published.
      const published = await db().transitionHistory.findFirstOrThrow({ where: { recordId: bid.id, event: "PUBLISH_DECISION" } });
      const created = await db().transitionHistory.findMany({ where: { recordType: "project", recordId: project.id } });
      expect(created).toHaveLength(1);
      expect(created[0]!.toState).toBe("pilot_delivering");
      expect(created[0]!.at.getTime()).toBe(published.at.getTime());
    }

    // Every step of each bid happened in order, and it was signed off before the deadline.
    const history = await db().transitionHistory.findMany({
      where: { recordType: "bid", recordId: { in: round.bids.map((b) => b.id) } },
      orderBy: [{ at: "asc" }, { id: "asc" }],
    });
    const events = (bidId: string) => history.filter((h) => h.recordId === bidId).map((h) => h.event);
    for (const bid of round.bids) {
      expect(events(bid.id).slice(1)).toEqual([
        "REQUEST_CERTIFICATION",
        "CERTIFY",
        "BEGIN_ELIGIBILITY_CHECK",
        "MARK_ELIGIBLE",
        "START_ASSESSMENT",
        "BEGIN_MODERATION",
        "DRAW_FUNDING_LINE",
        "PUBLISH_DECISION",
      ]);
    }
    expect(history.filter((h) => h.event === "CERTIFY").every((h) => h.at < round.closesAt)).toBe(true);
    // Each bid was scored by two assessors, whose assessments are submitted.
    const assessments = await db().assessment.findMany({ where: { bidId: { in: round.bids.map((b) => b.id) } } });
    expect(assessments).toHaveLength(4);
    expect(assessments.every((a) => a.state === "submitted")).toBe(true);

    // The people the project journeys need: a second (not senior) approver, and officers
    // at councils outside both partnerships to adopt the product.
    const approver2 = await db().user.findUniqueOrThrow({ where: { email: "approver2@mhclg.example" } });
    expect([approver2.role, approver2.senior]).toEqual(["gateApprover", false]);
    for (const email of ["officer@hackney.example", "officer@camden.example"]) {
      const officer = await db().user.findUniqueOrThrow({ where: { email }, include: { organisation: true } });
      expect(officer.role).toBe("councilOfficer");
      expect(officer.organisation.declarationSignedAt).not.toBeNull();
      expect(
        round.bids.some((b) => b.leadOrganisationId === officer.organisationId || b.partners.some((p) => p.organisationId === officer.organisationId)),
      ).toBe(false);
    }
  });
});
