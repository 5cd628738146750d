import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "~/db/database.server.ts";
import { PAGE_SIZE } from "~/assessment/progress.server.ts";
import { loader as progressLoader } from "~/routes/rounds.$slug_.progress.tsx";
import { applyWorkflowEvent } from "~/engine/apply-event.server.ts";
import { startSnapshot, workflows } from "../../workflows/index.ts";
import { useTestDatabase } from "../support/database.ts";
import { actor, createModeratedRound, createOrganisation } from "../../bench/support/fixtures.ts";
import { context, createUser, get, run, signedInBrowser } from "../../bench/support/requests.ts";

useTestDatabase();

const call = <T>(fn: (args: any) => Promise<T>, request: Request, params: Record<string, string>) => run(() => fn({ request, context: context(), params }));

/** An assessment of the bid by a new assessor, invited and then taken through `events`. */
async function assign(bid: { id: string; leadOrganisationId: string }, events: Record<string, unknown>[], dueAt: Date | null = null) {
  const assessor = await createUser("assessor");
  const id = randomUUID();
  const snapshot = startSnapshot("assessment", {
    assessmentId: id,
    bidId: bid.id,
    assessorUserId: assessor.id,
    partnershipOrganisationIds: [bid.leadOrganisationId],
  });
  await db().assessment.create({
    data: {
      id,
      bidId: bid.id,
      assessorUserId: assessor.id,
      state: String(snapshot.value),
      snapshot: snapshot as never,
      machineVersion: workflows.assessment.version,
      dueAt,
    },
  });
  for (const event of events) {
    const result = await applyWorkflowEvent("assessment", id, { ...event, actor: actor(assessor), at: new Date().toISOString() } as never);
    if (!result.ok) throw new Error(result.reason);
  }
  return assessor;
}

describe("the progress dashboard", () => {
  it("counts assessments done, pending, overdue, declined and conflicted, per assessor and per bid, with moderation flags", async () => {
    const { round, fundTeam, bids, assessors } = await createModeratedRound({
      bids: [
        {
          amountPence: 100_000_00,
          scores: [
            [5, 3, 3, 3],
            [1, 3, 3, 3],
          ],
        },
        {
          amountPence: 100_000_00,
          scores: [
            [4, 4, 4, 4],
            [4, 4, 4, 4],
          ],
        },
      ],
    });
    await db().round.update({ where: { id: round.id }, data: { assessmentDueAt: new Date(Date.now() - 86_400_000) } });
    const second = bids[1]!.bid;
    const late = await assign(second, []); // invited, and the round's due date has passed
    await assign(second, [], new Date(Date.now() + 7 * 86_400_000)); // invited, due next week
    await assign(second, [{ type: "DECLINE", reason: "On leave" }]);
    await assign(second, [{ type: "ACCEPT" }, { type: "DECLARE_INTERESTS", interests: "I advise the lead council", conflict: true }]);

    const browser = await signedInBrowser(fundTeam.id);
    const page = await call(progressLoader, get(`/rounds/${round.slug}/progress`, browser), { slug: round.slug });
    expect(page.status).toBe(200);
    expect(page.data.totals).toEqual({ done: 4, pending: 3, overdue: 2, declined: 1, conflicts: 1 });
    expect(page.data.bidCount).toBe(2);
    expect(page.data.bidStates).toEqual([expect.objectContaining({ state: "moderation", count: 2, label: "Moderation" })]);
    expect(page.data.moderation).toEqual({ flagged: 1, unresolved: 1 });
    expect(page.data.overdue.map((o: any) => o.assessor)).toEqual([expect.any(String), expect.any(String)]);
    expect(page.data.overdue.map((o: any) => o.assessor)).toContain(late.name);

    const byAssessor = Object.fromEntries(page.data.assessors.map((a: any) => [a.id, a]));
    expect(byAssessor[assessors[0]!.id]).toMatchObject({ done: 2, pending: 0, overdue: 0 });
    expect(byAssessor[late.id]).toMatchObject({ done: 0, pending: 1, overdue: 1 });
    expect(page.data.assessors[0].overdue).toBe(1);

    const byBid = Object.fromEntries(page.data.bids.map((b: any) => [b.id, b]));
    expect(byBid[bids[0]!.bid.id]).toMatchObject({ done: 2, pending: 0, flagged: 1, unresolved: 1 });
    expect(byBid[second.id]).toMatchObject({ done: 2, pending: 3, overdue: 2, declined: 1, conflicts: 1, flagged: 0 });

    // A consensus score resolves the flag.
    await db().consensusScore.create({ data: { bidId: bids[0]!.bid.id, criterionKey: "strategicFit", score: 3, rationale: "Agreed", byUserId: fundTeam.id } });
    const after = await call(progressLoader, get(`/rounds/${round.slug}/progress`, browser), { slug: round.slug });
    expect(after.data.moderation).toEqual({ flagged: 1, unresolved: 0 });
  });

  it("pages through the bids by reference, a page at a time", async () => {
    const { round, fundTeam } = await createModeratedRound({ bids: [] });
    const lead = await createOrganisation();
    const officer = await createUser("councilOfficer", lead.id);
    const total = PAGE_SIZE + 7;
    await db().bid.createMany({
      data: Array.from({ length: total }, (_, i) => {
        const id = randomUUID();
        return {
          id,
          reference: `PG-${String(i).padStart(4, "0")}`,
          roundId: round.id,
          leadOrganisationId: lead.id,
          createdById: officer.id,
          title: `Bid ${i}`,
          state: "draft",
          snapshot: startSnapshot("bid", { bidId: id, roundId: round.id, leadOrganisationId: lead.id }) as never,
          machineVersion: workflows.bid.version,
        };
      }),
    });
    const browser = await signedInBrowser(fundTeam.id);
    const first = await call(progressLoader, get(`/rounds/${round.slug}/progress`, browser), { slug: round.slug });
    expect(first.data.bidCount).toBe(total);
    expect(first.data.bids).toHaveLength(PAGE_SIZE);
    expect(first.data.bids[0].reference).toBe("PG-0000");
    expect(first.data.nextAfter).toBe(`PG-${String(PAGE_SIZE - 1).padStart(4, "0")}`);
    const second = await call(progressLoader, get(`/rounds/${round.slug}/progress?after=${first.data.nextAfter}`, browser), { slug: round.slug });
    expect(second.data.bids.map((b: any) => b.reference)).toEqual(Array.from({ length: 7 }, (_, i) => `PG-${String(PAGE_SIZE + i).padStart(4, "0")}`));
    expect(second.data.nextAfter).toBeNull();
  });

  it("is for the fund team only", async () => {
    const { round } = await createModeratedRound({ bids: [] });
    const officer = await signedInBrowser((await createUser("councilOfficer")).id);
    expect((await call(progressLoader, get(`/rounds/${round.slug}/progress`, officer), { slug: round.slug })).status).toBe(403);
    const assessor = await signedInBrowser((await createUser("assessor")).id);
    expect((await call(progressLoader, get(`/rounds/${round.slug}/progress`, assessor), { slug: round.slug })).status).toBe(403);
  });
});
