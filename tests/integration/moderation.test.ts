import { describe, expect, it } from "vitest";
import { bidModeratedScores, unresolvedDisagreements } from "~/assessment/moderation.server.ts";
import { db } from "~/db/database.server.ts";
import { action as scoreAction } from "~/routes/assessments.$id_.score.tsx";
import { action as moderationAction, loader as moderationLoader } from "~/routes/bids.$id_.moderation.tsx";
import { action as roundModerationAction, loader as roundModerationLoader } from "~/routes/rounds.$slug_.moderation.tsx";
import { defaultFundRules } from "../../workflows/index.ts";
import { useTestDatabase } from "../support/database.ts";
import { createBidsInAssessment } from "../../bench/support/fixtures.ts";
import { context, createUser, get, post, run, signedInBrowser, type Browser } from "../../bench/support/requests.ts";

useTestDatabase();

const call = <T>(fn: (args: any) => Promise<T>, request: Request, params: Record<string, string>) => run(() => fn({ request, context: context(), params }));
const criteria = defaultFundRules.assessment.criteria;

const scoreForm = (scores: number[]) => ({
  intent: "submit",
  ...Object.fromEntries(
    criteria.flatMap((c, i) => [
      [`score-${c.key}`, String(scores[i])],
      [`justification-${c.key}`, `${c.label}: ${scores[i]} on the evidence.`],
    ]),
  ),
});

/**
 * One bid, two assessors, scored as given. The default threshold is 2, so with these
 * scores strategic fit (5 vs 2, spread 3) is flagged and deliverability (4 vs 2, spread 2)
 * is not.
 */
async function scoredBid(first = [5, 4, 3, 3], second = [2, 2, 3, 3], submitSecond = true) {
  const setup = await createBidsInAssessment(1, 2);
  const bid = setup.bids[0]!.bid;
  const assessments = await db().assessment.findMany({ where: { bidId: bid.id }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  const browsers: Browser[] = [];
  for (const a of assessments) browsers.push(await signedInBrowser(a.assessorUserId));
  const submit = (i: number, scores: number[]) =>
    call(scoreAction, post(`/assessments/${assessments[i]!.id}/score`, browsers[i]!, scoreForm(scores)), { id: assessments[i]!.id });
  expect((await submit(0, first)).status).toBe(302);
  if (submitSecond) expect((await submit(1, second)).status).toBe(302);
  const moderator = await signedInBrowser(setup.fundTeam.id);
  return { ...setup, bid, assessments, browsers, submit, moderator };
}

describe("flags and the moderated score", () => {
  it("flags a criterion only when the spread is more than the round's threshold", async () => {
    const { bid, moderator } = await scoredBid();
    const page = await call(moderationLoader, get(`/bids/${bid.id}/moderation`, moderator), { id: bid.id });
    expect(page.status).toBe(200);
    const byKey = Object.fromEntries(page.data.criteria.map((c: { key: string }) => [c.key, c]));
    expect(byKey.strategicFit).toMatchObject({ flagged: true, spread: 3 });
    expect(byKey.deliverability).toMatchObject({ flagged: false, spread: 2 });
    expect(byKey.strategicFit.rows.map((r: { score: number; justification: string }) => [r.score, r.justification])).toEqual([
      [5, "Strategic fit: 5 on the evidence."],
      [2, "Strategic fit: 2 on the evidence."],
    ]);
    // Means: 3.5, 3, 3, 3 → (3.5×30 + 3×30 + 3×25 + 3×15) / 5 = 63
    expect(page.data.moderatedScore).toBe(63);
    expect(await unresolvedDisagreements(bid.id)).toBe(1);
  });

  it("lists the round's bids in moderation with what is still to resolve, for the decisions work", async () => {
    const { bid, round, moderator } = await scoredBid();
    expect(await bidModeratedScores(round.id)).toEqual([
      expect.objectContaining({ bidId: bid.id, moderatedScore: 63, unresolved: 1, flagged: 1, state: "moderation" }),
    ]);
    const page = await call(roundModerationLoader, get(`/rounds/${round.slug}/moderation`, moderator), { slug: round.slug });
    expect(page.data.inModeration.map((b: { bidId: string; unresolved: number }) => [b.bidId, b.unresolved])).toEqual([[bid.id, 1]]);
  });
});

describe("consensus", () => {
  it("needs a score on the scale and a rationale, and then replaces the assessors' scores for that criterion", async () => {
    const { bid, moderator } = await scoredBid();
    const path = `/bids/${bid.id}/moderation`;
    const blank = await call(moderationAction, post(path, moderator, { intent: "consensus", criterionKey: "strategicFit", score: "", rationale: " " }), {
      id: bid.id,
    });
    expect(blank.status).toBe(400);
    expect(blank.data.errors).toEqual({
      "strategicFit-score": "Choose a consensus score for strategic fit",
      "strategicFit-rationale": "Enter the rationale for the consensus score for strategic fit",
    });
    const noRationale = await call(moderationAction, post(path, moderator, { intent: "consensus", criterionKey: "strategicFit", score: "4", rationale: "" }), {
      id: bid.id,
    });
    expect(noRationale.status).toBe(400);
    expect(noRationale.data.values["strategicFit-score"]).toBe("4");
    const unflagged = await call(
      moderationAction,
      post(path, moderator, { intent: "consensus", criterionKey: "deliverability", score: "3", rationale: "Split the difference" }),
      { id: bid.id },
    );
    expect(unflagged.data.errors["deliverability-score"]).toBe("The assessors' scores for deliverability do not differ by enough to need a consensus score.");

    const recorded = await call(
      moderationAction,
      post(path, moderator, {
        intent: "consensus",
        criterionKey: "strategicFit",
        score: "4",
        rationale: "The plan fits, but the partners' commitment is thin.",
      }),
      { id: bid.id },
    );
    expect(recorded.status).toBe(302);
    expect(await db().consensusScore.findMany({ where: { bidId: bid.id } })).toEqual([
      expect.objectContaining({ criterionKey: "strategicFit", score: 4, rationale: "The plan fits, but the partners' commitment is thin." }),
    ]);
    expect(await unresolvedDisagreements(bid.id)).toBe(0);
    const page = await call(moderationLoader, get(path, moderator), { id: bid.id });
    // 4, 3, 3, 3 → (4×30 + 3×30 + 3×25 + 3×15) / 5 = 66
    expect(page.data.moderatedScore).toBe(66);
  });
});

describe("returning an assessment for rework", () => {
  it("needs a reason, sends it back to the assessor, and counts as unresolved until it is resubmitted", async () => {
    const { bid, assessments, moderator, submit } = await scoredBid();
    const path = `/bids/${bid.id}/moderation`;
    const target = assessments[0]!;
    const current = await db().assessment.findUniqueOrThrow({ where: { id: target.id } });
    const noReason = await call(moderationAction, post(path, moderator, { intent: "return", assessmentId: target.id, returnReason: "" }), { id: bid.id });
    expect(noReason.status).toBe(400);
    expect(noReason.data.errors.returnReason).toBe("Enter why you are returning the assessment");

    const returned = await call(
      moderationAction,
      post(path, moderator, {
        intent: "return",
        assessmentId: target.id,
        returnReason: "Strategic fit justification does not match the score",
        versions: `${target.id}:${current.version}`,
      }),
      { id: bid.id },
    );
    expect(returned.status).toBe(302);
    expect((await db().assessment.findUniqueOrThrow({ where: { id: target.id } })).state).toBe("returned");
    expect(await db().notification.count({ where: { template: "assessment-returned", toUserId: target.assessorUserId } })).toBe(1);
    expect(await unresolvedDisagreements(bid.id)).toBe(2);

    expect((await submit(0, [3, 3, 3, 3])).status).toBe(302);
    expect((await db().assessment.findUniqueOrThrow({ where: { id: target.id } })).state).toBe("resubmitted");
    const events = await db().transitionHistory.findMany({ where: { recordId: target.id }, orderBy: [{ at: "asc" }, { id: "asc" }], select: { event: true } });
    expect(events.map((e) => e.event).slice(-3)).toEqual(["RETURN_FOR_REWORK", "START_SCORING", "SUBMIT_SCORES"]);
    expect(await unresolvedDisagreements(bid.id)).toBe(0);
  });
});

describe("beginning moderation", () => {
  it("is refused while an assessment is outstanding, and only the fund team moderates", async () => {
    const { bid, round, moderator } = await scoredBid(undefined, undefined, false);
    expect((await db().bid.findUniqueOrThrow({ where: { id: bid.id } })).state).toBe("inAssessment");
    const page = await call(moderationLoader, get(`/bids/${bid.id}/moderation`, moderator), { id: bid.id });
    expect(page.data.readiness).toEqual({ submitted: 1, outstanding: 1 });
    const refused = await call(moderationAction, post(`/bids/${bid.id}/moderation`, moderator, { intent: "begin" }), { id: bid.id });
    expect(refused.status).toBe(400);
    expect(refused.data.errors.begin).toBe("Moderation cannot begin while 1 assessment is still outstanding.");
    const list = await call(roundModerationAction, post(`/rounds/${round.slug}/moderation`, moderator, { bidId: bid.id }), { slug: round.slug });
    expect(list.data.errors.bidId).toBe("Moderation cannot begin while 1 assessment is still outstanding.");

    const assessor = await signedInBrowser((await createUser("assessor")).id);
    expect((await call(moderationLoader, get(`/bids/${bid.id}/moderation`, assessor), { id: bid.id })).status).toBe(403);
    const council = await signedInBrowser((await createUser("councilOfficer")).id);
    expect((await call(roundModerationLoader, get(`/rounds/${round.slug}/moderation`, council), { slug: round.slug })).status).toBe(403);
  });
});
