import { describe, expect, it } from "vitest";
import { db } from "~/db/database.server.ts";
import { action as assessmentAction } from "~/routes/assessments.$id.tsx";
import { action as scoreAction, loader as scoreLoader } from "~/routes/assessments.$id_.score.tsx";
import { defaultFundRules } from "../../workflows/index.ts";
import { useTestDatabase } from "../support/database.ts";
import { createBidsInAssessment, createEligibleBids } from "../../bench/support/fixtures.ts";
import { context, createUser, get, post, run, signedInBrowser } from "../../bench/support/requests.ts";
import { assignAutomatically } from "~/assessment/assessments.server.ts";

useTestDatabase();

const call = <T>(fn: (args: any) => Promise<T>, request: Request, params: Record<string, string>) => run(() => fn({ request, context: context(), params }));
const criteria = defaultFundRules.assessment.criteria;

/** The score form as a browser sends it: a score and a justification per criterion. */
const scoreForm = (scores: (number | null)[], justify = true, intent = "submit") => ({
  intent,
  ...Object.fromEntries(
    criteria.flatMap((c, i) => [
      [`score-${c.key}`, scores[i] == null ? "" : String(scores[i])],
      [`justification-${c.key}`, justify ? `Scored ${scores[i]} for ${c.label}: the evidence in the bid supports it.` : ""],
    ]),
  ),
});

async function twoAssessorsOnOneBid() {
  const setup = await createBidsInAssessment(1, 2);
  const assessments = await db().assessment.findMany({ where: { bidId: setup.bids[0]!.bid.id }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  const withBrowsers = [];
  for (const a of assessments)
    withBrowsers.push({ assessment: a, browser: await signedInBrowser(a.assessorUserId), assessor: setup.assessors.find((u) => u.id === a.assessorUserId)! });
  return { ...setup, pair: withBrowsers };
}

const version = async (id: string) => String((await db().assessment.findUniqueOrThrow({ where: { id } })).version);

describe("scoring a bid", () => {
  it("needs a score and a justification for every criterion, listing what is missing by each field", async () => {
    const { pair } = await twoAssessorsOnOneBid();
    const { assessment, browser } = pair[0]!;
    const path = `/assessments/${assessment.id}/score`;
    const unjustified = await call(scoreAction, post(path, browser, scoreForm([4, 3, null, 2], false)), { id: assessment.id });
    expect(unjustified.status).toBe(400);
    expect(unjustified.data.errors).toEqual({
      "score-valueForMoney": "Choose a score for value for money",
      ...Object.fromEntries(criteria.map((c) => [`justification-${c.key}`, `Enter a justification for ${c.label.toLowerCase()}`])),
    });
    expect(unjustified.data.values["score-strategicFit"]).toBe("4");
    expect((await db().assessment.findUniqueOrThrow({ where: { id: assessment.id } })).state).toBe("scoring");

    const offScale = await call(scoreAction, post(path, browser, { ...scoreForm([4, 3, 3, 2]), "score-strategicFit": "9" }), { id: assessment.id });
    expect(offScale.status).toBe(400);
    expect(offScale.data.errors["score-strategicFit"]).toBe("Choose a score for strategic fit from 0 to 5");
  });

  it("keeps a draft, unfinished, until the assessor comes back to it", async () => {
    const { pair } = await twoAssessorsOnOneBid();
    const { assessment, browser } = pair[0]!;
    const path = `/assessments/${assessment.id}/score`;
    const draft = { ...scoreForm([3, null, null, null], false, "draft"), "justification-strategicFit": "Fits the council plan." };
    const saved = await call(scoreAction, post(path, browser, { ...draft, version: await version(assessment.id) }), { id: assessment.id });
    expect(saved.status).toBe(302);
    const page = await call(scoreLoader, get(path, browser), { id: assessment.id });
    expect(page.data.own.strategicFit).toEqual({ score: 3, justification: "Fits the council plan." });
    expect(page.data.own.deliverability).toEqual({ score: null, justification: "" });
    expect(page.data.assessment.state).toBe("scoring");
    expect(page.data.total).toBeNull();
    const history = await db().transitionHistory.findMany({ where: { recordId: assessment.id, event: "SAVE_DRAFT" } });
    expect(history).toHaveLength(1);

    const stale = await call(scoreAction, post(path, browser, { ...draft, version: "0" }), { id: assessment.id });
    expect(stale.status).toBe(400);
    expect(stale.data.errors.form).toMatch(/changed by someone else/);
  });

  it("hides the other assessors' scores until the assessor's own are in, then shows them without names", async () => {
    const { pair, bids } = await twoAssessorsOnOneBid();
    const [first, second] = pair;
    const firstPath = `/assessments/${first!.assessment.id}/score`;
    const secondPath = `/assessments/${second!.assessment.id}/score`;
    expect((await call(scoreAction, post(firstPath, first!.browser, scoreForm([5, 4, 3, 2])), { id: first!.assessment.id })).status).toBe(302);

    const secondBefore = await call(scoreLoader, get(secondPath, second!.browser), { id: second!.assessment.id });
    expect(secondBefore.data.others).toEqual([]);
    expect(JSON.stringify(secondBefore.data)).not.toContain("Scored 5 for Strategic fit");

    const firstAfter = await call(scoreLoader, get(firstPath, first!.browser), { id: first!.assessment.id });
    expect(firstAfter.data.assessment.submitted).toBe(true);
    expect(firstAfter.data.others).toEqual([]);
    // (5×30 + 4×30 + 3×25 + 2×15) / 5 = 75
    expect(firstAfter.data.total).toBe(75);

    expect((await call(scoreAction, post(secondPath, second!.browser, scoreForm([1, 1, 1, 1])), { id: second!.assessment.id })).status).toBe(302);
    const firstSees = await call(scoreLoader, get(firstPath, first!.browser), { id: first!.assessment.id });
    expect(firstSees.data.others).toHaveLength(1);
    expect(firstSees.data.others[0].label).toBe("Assessor 1");
    expect(firstSees.data.others[0].scores.strategicFit.score).toBe(1);
    expect(firstSees.data.others[0].total).toBe(20);
    expect(JSON.stringify(firstSees.data)).not.toContain(second!.assessor.name);
    expect(JSON.stringify(firstSees.data)).not.toContain(second!.assessor.email);

    // The last scores in send the bid to moderation by themselves.
    expect((await db().bid.findUniqueOrThrow({ where: { id: bids[0]!.bid.id } })).state).toBe("moderation");
    const history = await db().transitionHistory.findMany({ where: { recordId: bids[0]!.bid.id, event: "BEGIN_MODERATION" } });
    expect(history).toHaveLength(1);
    const submitted = await db().notification.findMany({ where: { template: "assessment-submitted" } });
    expect(submitted.length).toBeGreaterThan(0);
  });

  it("opens the bid's answers only once interests are declared with no conflict", async () => {
    const setup = await createEligibleBids(1);
    const assessor = await createUser("assessor");
    const other = await createUser("assessor");
    await db().roundAssessor.createMany({ data: [assessor, other].map((a) => ({ roundId: setup.round.id, userId: a.id })) });
    await assignAutomatically(setup.round.id, {
      userId: setup.fundTeam.id,
      role: "fundTeam",
      organisationId: setup.fundTeam.organisationId,
      name: setup.fundTeam.name,
    });
    const assessment = await db().assessment.findFirstOrThrow({ where: { assessorUserId: assessor.id } });
    const browser = await signedInBrowser(assessor.id);
    const path = `/assessments/${assessment.id}`;
    const early = await call(scoreLoader, get(`${path}/score`, browser), { id: assessment.id });
    expect(early.status).toBe(302);
    expect(early.location).toBe(path);

    expect((await call(assessmentAction, post(path, browser, { intent: "accept", version: await version(assessment.id) }), { id: assessment.id })).status).toBe(
      302,
    );
    const missing = await call(assessmentAction, post(path, browser, { intent: "declare", interests: "", version: await version(assessment.id) }), {
      id: assessment.id,
    });
    expect(missing.status).toBe(400);
    expect(missing.data.errors).toEqual({
      interests: "Declare your interests, or write ‘None’",
      conflict: "Say whether any of this stops you assessing the bid fairly",
    });
    const declared = await call(
      assessmentAction,
      post(path, browser, { intent: "declare", interests: "None", conflict: "no", version: await version(assessment.id) }),
      { id: assessment.id },
    );
    expect(declared.location).toBe(`${path}/score`);
    const open = await call(scoreLoader, get(`${path}/score`, browser), { id: assessment.id });
    expect(open.status).toBe(200);
    expect(JSON.stringify(open.data.sections)).toContain("A shared front door for council services.");
  });

  it("stops scoring when the assessor declares a conflict, tells the fund team and asks someone else", async () => {
    const setup = await createEligibleBids(1);
    const assessors = [await createUser("assessor"), await createUser("assessor"), await createUser("assessor")];
    await db().roundAssessor.createMany({ data: assessors.map((a) => ({ roundId: setup.round.id, userId: a.id })) });
    await assignAutomatically(setup.round.id, {
      userId: setup.fundTeam.id,
      role: "fundTeam",
      organisationId: setup.fundTeam.organisationId,
      name: setup.fundTeam.name,
    });
    const [assessment] = await db().assessment.findMany({ where: { bidId: setup.bids[0]!.bid.id }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    const browser = await signedInBrowser(assessment!.assessorUserId);
    const path = `/assessments/${assessment!.id}`;
    await call(assessmentAction, post(path, browser, { intent: "accept", version: await version(assessment!.id) }), { id: assessment!.id });
    const declared = await call(
      assessmentAction,
      post(path, browser, { intent: "declare", interests: "My sister leads the project", conflict: "yes", version: await version(assessment!.id) }),
      { id: assessment!.id },
    );
    expect(declared.location).toBe(`${path}?notice=conflict`);
    expect((await call(scoreLoader, get(`${path}/score`, browser), { id: assessment!.id })).status).toBe(302);
    expect(await db().notification.count({ where: { template: "assessment-interests-declared", toUserId: setup.fundTeam.id } })).toBe(1);
    const all = await db().assessment.findMany({ where: { bidId: setup.bids[0]!.bid.id } });
    expect(all).toHaveLength(3);
  });
});
