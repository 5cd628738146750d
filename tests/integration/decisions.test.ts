import { describe, expect, it } from "vitest";
import { db } from "~/db/database.server.ts";
import { loader as bidLoader } from "~/routes/bids.$id.tsx";
import { action as decisionsAction, loader as decisionsLoader } from "~/routes/rounds.$slug_.decisions.tsx";
import { action as moveAction, loader as moveLoader } from "~/routes/rounds.$slug_.decisions_.$bidId.tsx";
import { action as messageAction } from "~/routes/rounds.$slug_.decisions_.publish.tsx";
import { action as confirmAction, loader as confirmLoader } from "~/routes/rounds.$slug_.decisions_.publish_.confirm.tsx";
import { startSnapshot, workflows } from "../../workflows/index.ts";
import { useTestDatabase } from "../support/database.ts";
import { createModeratedRound } from "../../bench/support/fixtures.ts";
import { context, createUser, get, post, run, signedInBrowser, type Browser } from "../../bench/support/requests.ts";

useTestDatabase();

const call = <T>(fn: (args: any) => Promise<T>, request: Request, params: Record<string, string>) => run(() => fn({ request, context: context(), params }));
const k = (pounds: number) => pounds * 1000 * 100;

/**
 * Budget £800k. A scores 100 and B 80, each asking £350k (both fit); C scores 60 and asks
 * £300k (only £100k left: it draws the line); D scores 46 and asks £50k (would fit, but is
 * not skipped ahead). D's assessors disagree on strategic fit by 4 points, with no consensus yet.
 */
async function round() {
  const made = await createModeratedRound({
    budgetPence: k(800),
    bids: [
      {
        title: "A: shared front door",
        amountPence: k(350),
        scores: [
          [5, 5, 5, 5],
          [5, 5, 5, 5],
        ],
      },
      {
        title: "B: care data",
        amountPence: k(350),
        scores: [
          [4, 4, 4, 4],
          [4, 4, 4, 4],
        ],
      },
      {
        title: "C: planning alerts",
        amountPence: k(300),
        scores: [
          [3, 3, 3, 3],
          [3, 3, 3, 3],
        ],
      },
      {
        title: "D: waste routes",
        amountPence: k(50),
        scores: [
          [5, 2, 2, 2],
          [1, 2, 2, 2],
        ],
      },
    ],
  });
  const browser = await signedInBrowser(made.fundTeam.id);
  const [a, b, c, d] = made.bids;
  return { ...made, browser, a: a!, b: b!, c: c!, d: d!, slug: made.round.slug };
}

const stateOf = async (id: string) => (await db().bid.findUniqueOrThrow({ where: { id }, select: { state: true } })).state;
const draw = (slug: string, browser: Browser) => call(decisionsAction, post(`/rounds/${slug}/decisions`, browser, { intent: "draw" }), { slug });

describe("the decisions page", () => {
  it("ranks the bids, draws the line where the budget runs out, and shows unresolved moderation", async () => {
    const { slug, browser } = await round();
    const page = await call(decisionsLoader, get(`/rounds/${slug}/decisions`, browser), { slug });
    expect(page.status).toBe(200);
    expect(page.data.rows.map((r: any) => r.title)).toEqual(["A: shared front door", "B: care data", "C: planning alerts", "D: waste routes"]);
    expect(page.data.rows.map((r: any) => r.score)).toEqual([100, 80, 60, 46]);
    expect(page.data.rows.map((r: any) => r.placement)).toEqual(["above", "above", "below", "below"]);
    expect(page.data.rows.map((r: any) => r.cumulativePence)).toEqual([k(350), k(700), k(700), k(700)]);
    expect(page.data.lineIndex).toBe(2);
    expect(page.data.firstBelow.explanation).toMatch(/^£100,000 left; LDF-TEST-\S+ asks for £300,000\.$/);
    expect(page.data.totals).toEqual({ budget: k(800), allocated: k(700), left: k(100) });
    expect(page.data.unresolved).toHaveLength(1);
    expect(page.data.rows[3].explanation).toContain("would fit in the £100,000 left");
  });

  it("holds the decisions it draws, skips bids with unresolved disagreements and tells the user", async () => {
    const { slug, browser, a, b, c, d } = await round();
    const drawn = await draw(slug, browser);
    expect(drawn.data.outcome.drawn).toHaveLength(3);
    expect(drawn.data.outcome.skipped).toEqual([d.bid.reference]);
    expect([await stateOf(a.bid.id), await stateOf(b.bid.id), await stateOf(c.bid.id), await stateOf(d.bid.id)]).toEqual([
      "recommended",
      "recommended",
      "notRecommended",
      "moderation",
    ]);
    // Bidders see "Decision pending" while it is held, and no decision.
    const bidPage = await call(bidLoader, get(`/bids/${a.bid.id}`, await signedInBrowser(a.officer.id)), { id: a.bid.id });
    expect(bidPage.data.bid.stateLabel).toBe("Decision pending");
    expect(bidPage.data.decision).toBeNull();
    // Nothing is published while a bid is still in moderation.
    await call(messageAction, post(`/rounds/${slug}/decisions/publish`, browser, { message: "Thank you all." }), { slug });
    const check = await call(confirmLoader, get(`/rounds/${slug}/decisions/publish/confirm`, browser), { slug });
    expect(check.data.blockers.join(" ")).toContain(`in moderation and not yet placed against the funding line: ${d.bid.reference}`);
    const refused = await call(confirmAction, post(`/rounds/${slug}/decisions/publish/confirm`, browser), { slug });
    expect(refused.status).toBe(400);
    expect(await stateOf(a.bid.id)).toBe("recommended");
  });

  it("moves the line for a bid only with a reason, and funds the bid on the line at what is left", async () => {
    const { slug, browser, c, d, fundTeam } = await round();
    await db().consensusScore.create({
      data: { bidId: d.bid.id, criterionKey: "strategicFit", score: 3, rationale: "Both views weighed", byUserId: fundTeam.id },
    });
    await draw(slug, browser);
    const form = await call(moveLoader, get(`/rounds/${slug}/decisions/${c.bid.id}`, browser), { slug, bidId: c.bid.id });
    const version = String(form.data.bid.version);
    const noReason = await call(moveAction, post(`/rounds/${slug}/decisions/${c.bid.id}`, browser, { direction: "include", reason: " ", version }), {
      slug,
      bidId: c.bid.id,
    });
    expect(noReason.status).toBe(400);
    expect(noReason.data.errors.reason).toBe("Enter why you are moving the funding line for this bid");
    expect(noReason.data.values.direction).toBe("include");
    expect(await db().fundingLineAdjustment.count()).toBe(0);

    const moved = await call(
      moveAction,
      post(`/rounds/${slug}/decisions/${c.bid.id}`, browser, { direction: "include", reason: "Strong partnership; can phase the work", version }),
      {
        slug,
        bidId: c.bid.id,
      },
    );
    expect(moved.status).toBe(302);
    expect(moved.location).toBe(`/rounds/${slug}/decisions?notice=moved`);
    expect(await stateOf(c.bid.id)).toBe("recommended");
    expect(await stateOf(d.bid.id)).toBe("notRecommended");
    const history = await db().transitionHistory.findMany({
      where: { recordId: c.bid.id, event: { in: ["REDRAW_FUNDING_LINE", "DRAW_FUNDING_LINE"] } },
      orderBy: { at: "asc" },
    });
    expect(history.map((h) => h.event)).toEqual(["DRAW_FUNDING_LINE", "REDRAW_FUNDING_LINE", "DRAW_FUNDING_LINE"]);
    expect(history[1]!.reason).toBe("Strong partnership; can phase the work");
    // The reason stays with the fund team: the bidders' timeline does not show it.
    const bidPage = await call(bidLoader, get(`/bids/${c.bid.id}`, await signedInBrowser(c.officer.id)), { id: c.bid.id });
    expect(JSON.stringify(bidPage.data.timeline)).not.toContain("Strong partnership");

    const page = await call(decisionsLoader, get(`/rounds/${slug}/decisions`, browser), { slug });
    const row = page.data.rows.find((r: any) => r.id === c.bid.id);
    expect([row.placement, row.partial, row.awardPence, row.moved]).toEqual(["above", true, k(100), "include"]);
    expect(page.data.totals.left).toBe(0);

    // A stale form is refused.
    const stale = await call(
      moveAction,
      post(`/rounds/${slug}/decisions/${c.bid.id}`, browser, { direction: "exclude", reason: "Changed our minds", version }),
      { slug, bidId: c.bid.id },
    );
    expect(stale.status).toBe(400);
    expect(stale.data.errors.direction).toContain("changed by someone else");
  });

  it("publishes every held decision with the message and feedback, starts projects, and is harmless to run again", async () => {
    const { slug, browser, a, b, c, d, fundTeam, assessors } = await round();
    await db().consensusScore.create({
      data: { bidId: d.bid.id, criterionKey: "strategicFit", score: 3, rationale: "Both views weighed", byUserId: fundTeam.id },
    });
    await draw(slug, browser);
    const form = await call(moveLoader, get(`/rounds/${slug}/decisions/${c.bid.id}`, browser), { slug, bidId: c.bid.id });
    await call(
      moveAction,
      post(`/rounds/${slug}/decisions/${c.bid.id}`, browser, { direction: "include", reason: "Can phase the work", version: String(form.data.bid.version) }),
      {
        slug,
        bidId: c.bid.id,
      },
    );

    const blank = await call(messageAction, post(`/rounds/${slug}/decisions/publish`, browser, { message: "" }), { slug });
    expect(blank.status).toBe(400);
    expect(blank.data.errors.message).toBe("Enter the message for every bidder");
    const saved = await call(
      messageAction,
      post(`/rounds/${slug}/decisions/publish`, browser, { message: "Thank you for bidding. Funded projects start in May." }),
      { slug },
    );
    expect(saved.location).toBe(`/rounds/${slug}/decisions/publish/confirm`);

    const check = await call(confirmLoader, get(`/rounds/${slug}/decisions/publish/confirm`, browser), { slug });
    expect(check.data.blockers).toEqual([]);
    expect(check.data.funded.map((r: any) => [r.reference, r.awardPence, r.partial])).toEqual([
      [a.bid.reference, k(350), false],
      [b.bid.reference, k(350), false],
      [c.bid.reference, k(100), true],
    ]);
    expect(check.data.notFunded.map((r: any) => r.reference)).toEqual([d.bid.reference]);

    const published = await call(confirmAction, post(`/rounds/${slug}/decisions/publish/confirm`, browser), { slug });
    expect(published.status).toBe(302);
    expect(published.location).toBe(`/rounds/${slug}/decisions?notice=published`);
    expect([await stateOf(a.bid.id), await stateOf(b.bid.id), await stateOf(c.bid.id), await stateOf(d.bid.id)]).toEqual([
      "funded",
      "funded",
      "funded",
      "notFunded",
    ]);

    const projects = await db().project.findMany({
      where: { bidId: { in: [a.bid.id, c.bid.id] } },
      include: { tranches: true },
      orderBy: { awardPence: "desc" },
    });
    expect(projects.map((p) => [p.bidId, p.reference, p.awardPence, p.state, p.leadOrganisationId])).toEqual([
      [a.bid.id, `P-${a.bid.reference}`, k(350), "pilot_delivering", a.lead.id],
      [c.bid.id, `P-${c.bid.reference}`, k(100), "pilot_delivering", c.lead.id],
    ]);
    expect(projects[1]!.tranches.map((t) => [t.stage, t.amountPence])).toEqual([["pilot", k(100)]]);
    expect(projects[1]!.tranches[0]!.reason).toContain("where the bid asked for £300,000");
    expect(await db().transitionHistory.count({ where: { recordType: "project", event: "CREATE" } })).toBe(3);
    const round1 = await db().round.findUniqueOrThrow({ where: { slug } });
    expect(round1.decisionsPublishedAt).not.toBeNull();

    // The partner council's officers hear too, with the message and the anonymised feedback.
    const partnerEmail = await db().notification.findFirstOrThrow({ where: { template: "bid-decision-funded", toUserId: a.partnerOfficer.id } });
    expect(partnerEmail.text).toContain("Thank you for bidding. Funded projects start in May.");
    expect(partnerEmail.text).toContain("Assessor 1 on strategic fit (5 out of 5):");
    expect(partnerEmail.text).toContain("Assessor 2 on reuse and openness (5 out of 5):");
    expect(partnerEmail.text).toContain("Strategic fit earns 5 because the evidence supports it.");
    for (const assessor of assessors) expect(partnerEmail.text).not.toContain(assessor.name);
    const notFunded = await db().notification.findFirstOrThrow({ where: { template: "bid-decision-not-funded", toUserId: d.officer.id } });
    expect(notFunded.text).toContain("Agreed score on strategic fit after moderation (3 out of 5): Both views weighed");
    expect(await db().notification.count({ where: { template: "project-started", toUserId: a.officer.id } })).toBe(1);

    // The bidders' page shows the decision.
    const bidPage = await call(bidLoader, get(`/bids/${c.bid.id}`, await signedInBrowser(c.officer.id)), { id: c.bid.id });
    expect(bidPage.data.bid.stateLabel).toBe("Funded");
    expect(bidPage.data.decision).toMatchObject({
      funded: true,
      message: "Thank you for bidding. Funded projects start in May.",
      project: { awardPence: k(100) },
    });
    expect(bidPage.data.decision.feedback.length).toBeGreaterThan(4);

    // Running it again publishes nothing more and sends nothing more.
    const emails = await db().notification.count();
    const again = await call(confirmAction, post(`/rounds/${slug}/decisions/publish/confirm`, browser), { slug });
    expect(again.status).toBe(302);
    expect(await db().notification.count()).toBe(emails);
    expect(await db().project.count({ where: { bidId: { in: [a.bid.id, b.bid.id, c.bid.id, d.bid.id] } } })).toBe(3);
  });

  it("picks up where it left off when publishing fails part-way, each bid all or nothing", async () => {
    const { slug, browser, a, b, c, d, fundTeam } = await round();
    await db().consensusScore.create({
      data: { bidId: d.bid.id, criterionKey: "strategicFit", score: 3, rationale: "Both views weighed", byUserId: fundTeam.id },
    });
    await draw(slug, browser);
    await call(messageAction, post(`/rounds/${slug}/decisions/publish`, browser, { message: "Thank you." }), { slug });
    // Something already holds B's project reference, so B's project cannot be made.
    const snapshot = startSnapshot("project", { projectId: "blocker", bidId: d.bid.id, leadOrganisationId: d.lead.id });
    await db().project.create({
      data: {
        id: "blocker",
        bidId: d.bid.id,
        leadOrganisationId: d.lead.id,
        title: "Blocker",
        reference: `P-${b.bid.reference}`,
        awardPence: 1,
        state: String(snapshot.value),
        snapshot: snapshot as never,
        machineVersion: workflows.project.version,
      },
    });
    await expect(call(confirmAction, post(`/rounds/${slug}/decisions/publish/confirm`, browser), { slug })).rejects.toThrow();
    expect([await stateOf(a.bid.id), await stateOf(b.bid.id), await stateOf(c.bid.id)]).toEqual(["funded", "recommended", "notRecommended"]);
    expect(await db().notification.count({ where: { template: "bid-decision-funded", toUserId: b.officer.id } })).toBe(0);
    expect((await db().round.findUniqueOrThrow({ where: { slug } })).decisionsPublishedAt).toBeNull();

    await db().project.delete({ where: { id: "blocker" } });
    const aEmails = await db().notification.count({ where: { toUserId: a.officer.id } });
    const again = await call(confirmAction, post(`/rounds/${slug}/decisions/publish/confirm`, browser), { slug });
    expect(again.status).toBe(302);
    expect([await stateOf(a.bid.id), await stateOf(b.bid.id), await stateOf(c.bid.id), await stateOf(d.bid.id)]).toEqual([
      "funded",
      "funded",
      "notFunded",
      "notFunded",
    ]);
    expect(await db().notification.count({ where: { toUserId: a.officer.id } })).toBe(aEmails);
    expect(await db().project.count({ where: { bidId: a.bid.id } })).toBe(1);
    expect((await db().round.findUniqueOrThrow({ where: { slug } })).decisionsPublishedAt).not.toBeNull();
  });

  it("is for the fund team only", async () => {
    const { slug, a } = await round();
    const officer = await signedInBrowser(a.officer.id);
    expect((await call(decisionsLoader, get(`/rounds/${slug}/decisions`, officer), { slug })).status).toBe(403);
    const assessor = await signedInBrowser((await createUser("assessor")).id);
    expect((await call(confirmAction, post(`/rounds/${slug}/decisions/publish/confirm`, assessor), { slug })).status).toBe(403);
    const fundTeam = await signedInBrowser((await createUser("fundTeam")).id);
    expect((await call(decisionsLoader, get(`/rounds/nowhere/decisions`, fundTeam), { slug: "nowhere" })).status).toBe(404);
  });
});
