import { describe, expect, it } from "vitest";
import { db } from "~/db/database.server.ts";
import { demoRoundBids, demoRoundSlug, seedDemoRound } from "~/seed/demo/round.server.ts";
import { seedDemo } from "~/seed/demo/fund.server.ts";
import { useTestDatabase } from "../support/database.ts";
import { inconsistentBids } from "../../bench/support/rush.ts";

useTestDatabase({ referenceData: true });

describe("the demo round", () => {
  it("has three partnership bids submitted through the workflow, waiting for the eligibility check", async () => {
    await seedDemo(db());
    await seedDemoRound(db());
    const round = await db().round.findUniqueOrThrow({ where: { slug: demoRoundSlug }, include: { bids: { include: { partners: true } } } });
    expect(round.closesAt.getTime()).toBeLessThan(Date.now());
    expect(round.bids.map((b) => b.title).sort()).toEqual(demoRoundBids.map((b) => b.title).sort());
    expect(round.bids.every((b) => b.state === "submitted" && b.partners.length === 2)).toBe(true);
    // References come from the same counter as every other bid's.
    expect(round.bids.every((b) => /^LDF-\d{4}-\d{4}$/.test(b.reference))).toBe(true);
    expect(new Set(round.bids.map((b) => b.reference)).size).toBe(3);
    expect(await inconsistentBids(db(), round.id)).toEqual([]);
    // Every step is on the timeline, signed off before the deadline.
    const certified = await db().transitionHistory.findMany({ where: { event: "CERTIFY", recordId: { in: round.bids.map((b) => b.id) } } });
    expect(certified).toHaveLength(3);
    expect(certified.every((h) => h.at < round.closesAt)).toBe(true);
    // An assessor who works for a partner council, for the conflict rule.
    const leeds = await db().user.findUniqueOrThrow({ where: { email: "assessor@leeds.example" }, include: { organisation: true } });
    expect(leeds.role).toBe("assessor");
    expect(round.bids.some((b) => b.partners.some((p) => p.organisationId === leeds.organisationId))).toBe(true);
  });
});
