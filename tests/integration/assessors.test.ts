import { describe, expect, it } from "vitest";
import { assignAutomatically } from "~/assessment/assessments.server.ts";
import { db } from "~/db/database.server.ts";
import { action as assessmentAction, loader as assessmentLoader } from "~/routes/assessments.$id.tsx";
import { loader as assessmentsLoader } from "~/routes/assessments._index.tsx";
import { loader as homeLoader } from "~/routes/home.tsx";
import { action as assignmentsAction, loader as assignmentsLoader } from "~/routes/bids.$id_.assignments.tsx";
import { action as poolAction, loader as poolLoader } from "~/routes/rounds.$slug_.assessors.tsx";
import { useTestDatabase } from "../support/database.ts";
import { createEligibleBids, createOrganisation } from "../../bench/support/fixtures.ts";
import { context, createUser, get, post, run, signedInBrowser } from "../../bench/support/requests.ts";

useTestDatabase();

const call = <T>(fn: (args: any) => Promise<T>, request: Request, params: Record<string, string>) => run(() => fn({ request, context: context(), params }));

/**
 * Three partnership bids and four assessors in the round's pool, one of whom works for a
 * partner council of the first bid.
 */
async function roundWithPool() {
  const setup = await createEligibleBids(3);
  const body = await createOrganisation({ kind: "assessorBody" });
  const assessors = [
    await createUser("assessor", body.id),
    await createUser("assessor", body.id),
    await createUser("assessor"),
    await createUser("assessor", setup.bids[0]!.partnerA.id),
  ];
  const fundTeam = await signedInBrowser(setup.fundTeam.id);
  for (const a of assessors) {
    const added = await call(poolAction, post(`/rounds/${setup.round.slug}/assessors`, fundTeam, { intent: "add", userId: a.id }), { slug: setup.round.slug });
    expect(added.status).toBe(200);
  }
  return { ...setup, assessors, conflicted: assessors[3]!, fundTeamBrowser: fundTeam };
}

const activeOf = (bidId: string) => db().assessment.findMany({ where: { bidId, state: { notIn: ["declined", "unassigned"] } }, orderBy: { createdAt: "asc" } });

describe("the round's pool", () => {
  it("adds and removes assessors, showing each one's organisation and load, and refuses anyone who is not an assessor", async () => {
    const { round, assessors, fundTeamBrowser } = await roundWithPool();
    const page = await call(poolLoader, get(`/rounds/${round.slug}/assessors`, fundTeamBrowser), { slug: round.slug });
    expect(page.data.pool).toHaveLength(4);
    const conflicted = page.data.pool.find((p: { userId: string }) => p.userId === assessors[3]!.id);
    expect(conflicted.organisationName).toMatch(/Council$/);
    expect(conflicted.load).toBe(0);

    const officer = await createUser("councilOfficer");
    const refused = await call(poolAction, post(`/rounds/${round.slug}/assessors`, fundTeamBrowser, { intent: "add", userId: officer.id }), {
      slug: round.slug,
    });
    expect(refused.status).toBe(400);
    expect(refused.data.errors.userId).toBe("Choose an assessor to add");

    const extra = await createUser("assessor");
    await call(poolAction, post(`/rounds/${round.slug}/assessors`, fundTeamBrowser, { intent: "add", userId: extra.id }), { slug: round.slug });
    await call(poolAction, post(`/rounds/${round.slug}/assessors`, fundTeamBrowser, { intent: "remove", userId: extra.id }), { slug: round.slug });
    expect(await db().roundAssessor.count({ where: { roundId: round.id } })).toBe(4);
  });

  it("is only for the fund team", async () => {
    const { round } = await roundWithPool();
    const assessor = await signedInBrowser((await createUser("assessor")).id);
    const refused = await call(poolLoader, get(`/rounds/${round.slug}/assessors`, assessor), { slug: round.slug });
    expect(refused.status).toBe(403);
  });
});

describe("automatic assignment", () => {
  it("never gives a bid to an assessor from its partnership, balances the load, and emails each invitation", async () => {
    const { round, bids, conflicted, fundTeamBrowser } = await roundWithPool();
    const done = await call(poolAction, post(`/rounds/${round.slug}/assessors`, fundTeamBrowser, { intent: "assign" }), { slug: round.slug });
    expect(done.status).toBe(200);
    expect(done.data.shortfalls).toEqual([]);
    const all = await db().assessment.findMany({ where: { bid: { roundId: round.id } } });
    expect(all).toHaveLength(6);
    expect(all.every((a) => a.state === "invited" && a.assignmentReason === null)).toBe(true);
    expect(all.filter((a) => a.bidId === bids[0]!.bid.id).map((a) => a.assessorUserId)).not.toContain(conflicted.id);
    for (const { bid } of bids) expect(new Set(all.filter((a) => a.bidId === bid.id).map((a) => a.assessorUserId)).size).toBe(2);
    const loads = new Map<string, number>();
    for (const a of all) loads.set(a.assessorUserId, (loads.get(a.assessorUserId) ?? 0) + 1);
    expect(Math.max(...loads.values()) - Math.min(...loads.values())).toBeLessThanOrEqual(1);
    expect(loads.size).toBe(4);
    const invitations = await db().notification.findMany({ where: { template: "assessment-invited" } });
    expect(invitations.map((n) => n.toUserId).sort()).toEqual(all.map((a) => a.assessorUserId).sort());

    const page = await call(poolLoader, get(`/rounds/${round.slug}/assessors`, fundTeamBrowser), { slug: round.slug });
    expect(page.data.pool.map((p: { load: number }) => p.load).reduce((x: number, y: number) => x + y, 0)).toBe(6);
  });

  it("says, per bid, why it could not find enough assessors", async () => {
    const setup = await createEligibleBids(1);
    const fundTeam = await signedInBrowser(setup.fundTeam.id);
    const only = await createUser("assessor");
    const insider = await createUser("assessor", setup.bids[0]!.lead.id);
    for (const a of [only, insider]) {
      await call(poolAction, post(`/rounds/${setup.round.slug}/assessors`, fundTeam, { intent: "add", userId: a.id }), { slug: setup.round.slug });
    }
    const done = await call(poolAction, post(`/rounds/${setup.round.slug}/assessors`, fundTeam, { intent: "assign" }), { slug: setup.round.slug });
    expect(done.data.shortfalls).toEqual([
      `${setup.bids[0]!.bid.reference} (Eligible bid 1) needs 1 more assessor: 1 assessor is assigned from a pool of 2 and 1 works for a council in its partnership. Add assessors to the round's pool.`,
    ]);
    expect((await activeOf(setup.bids[0]!.bid.id)).map((a) => a.assessorUserId)).toEqual([only.id]);
  });

  it("gives one set of assignments when two people press the button at once", async () => {
    const { round, fundTeam, bids } = await roundWithPool();
    const someoneElse = await createUser("fundTeam");
    const as = (u: { id: string; organisationId: string; name: string }) => ({
      userId: u.id,
      role: "fundTeam" as const,
      organisationId: u.organisationId,
      name: u.name,
    });
    const results = await Promise.all([assignAutomatically(round.id, as(fundTeam)), assignAutomatically(round.id, as(someoneElse))]);
    expect(results.map((r) => r.created).sort()).toEqual([0, 6]);
    // Six assessments shared by a pool of four: the assessors are counted apart.
    const made = results.find((r) => r.created === 6)!;
    const assigned = await db().assessment.findMany({ where: { bid: { roundId: round.id } }, select: { assessorUserId: true } });
    expect(made.assessors).toBe(new Set(assigned.map((a) => a.assessorUserId)).size);
    expect(made.assessors).toBeLessThan(made.created);
    for (const { bid } of bids) expect(await activeOf(bid.id)).toHaveLength(2);
  });
});

describe("the assessor's answer", () => {
  it("shows only the partnership before interests are declared, and a decline brings in a replacement at once", async () => {
    const { round, bids, fundTeamBrowser } = await roundWithPool();
    await call(poolAction, post(`/rounds/${round.slug}/assessors`, fundTeamBrowser, { intent: "assign" }), { slug: round.slug });
    const bid = bids[1]!.bid;
    const [first] = await activeOf(bid.id);
    const browser = await signedInBrowser(first!.assessorUserId);

    const list = await call(assessmentsLoader, get("/assessments", browser), {});
    expect(list.data.assignments.find((a: { id: string }) => a.id === first!.id).next.text).toBe("Accept or decline the invitation");
    const home = await call(homeLoader, get("/home", browser), {});
    expect(home.data.home.assignments.map((a: { id: string; state: string }) => [a.id, a.state])).toEqual(
      list.data.assignments.map((a: { id: string; state: string }) => [a.id, a.state]),
    );
    const page = await call(assessmentLoader, get(`/assessments/${first!.id}`, browser), { id: first!.id });
    expect(page.data.assessment.lead).toBe(bids[1]!.lead.name);
    expect(page.data.assessment.partners.sort()).toEqual([bids[1]!.partnerA.name, bids[1]!.partnerB.name].sort());
    expect(JSON.stringify(page.data)).not.toContain("A shared front door for council services.");

    const blank = await call(assessmentAction, post(`/assessments/${first!.id}`, browser, { intent: "decline", reason: " ", version: "0" }), { id: first!.id });
    expect(blank.status).toBe(400);
    expect(blank.data.errors.reason).toBe("Enter why you are declining");

    const declined = await call(
      assessmentAction,
      post(`/assessments/${first!.id}`, browser, { intent: "decline", reason: "On leave all month", version: "0" }),
      { id: first!.id },
    );
    expect(declined.status).toBe(302);
    const active = await activeOf(bid.id);
    expect(active).toHaveLength(2);
    expect(active.map((a) => a.assessorUserId)).not.toContain(first!.assessorUserId);
    expect(await db().notification.count({ where: { template: "assessment-declined" } })).toBeGreaterThan(0);

    const fundView = await call(assignmentsLoader, get(`/bids/${bid.id}/assignments`, fundTeamBrowser), { id: bid.id });
    expect(fundView.data.assessments.find((a: { id: string }) => a.id === first!.id).declinedReason).toBe("On leave all month");
  });

  it("gives each assignment the round's due date, and shows it overdue once passed", async () => {
    const { round, fundTeamBrowser } = await roundWithPool();
    const due = new Date(Date.now() - 24 * 3600_000);
    await db().round.update({ where: { id: round.id }, data: { assessmentDueAt: due } });
    await call(poolAction, post(`/rounds/${round.slug}/assessors`, fundTeamBrowser, { intent: "assign" }), { slug: round.slug });
    const one = await db().assessment.findFirstOrThrow({ where: { bid: { roundId: round.id } } });
    expect(one.dueAt?.toISOString()).toBe(due.toISOString());
    const list = await call(assessmentsLoader, get("/assessments", await signedInBrowser(one.assessorUserId)), {});
    expect(list.data.assignments[0]).toMatchObject({ dueAt: due.toISOString(), overdue: true });
  });

  it("never lets another assessor see, or act on, someone else's assessment", async () => {
    const { round, bids, fundTeamBrowser } = await roundWithPool();
    await call(poolAction, post(`/rounds/${round.slug}/assessors`, fundTeamBrowser, { intent: "assign" }), { slug: round.slug });
    const [mine] = await activeOf(bids[0]!.bid.id);
    const stranger = await signedInBrowser((await createUser("assessor")).id);
    expect((await call(assessmentLoader, get(`/assessments/${mine!.id}`, stranger), { id: mine!.id })).status).toBe(404);
    expect((await call(assessmentAction, post(`/assessments/${mine!.id}`, stranger, { intent: "accept" }), { id: mine!.id })).status).toBe(404);
    const council = await signedInBrowser(bids[0]!.officer.id);
    expect((await call(assessmentLoader, get(`/assessments/${mine!.id}`, council), { id: mine!.id })).status).toBe(403);
  });
});

describe("changing assignments by hand", () => {
  it("needs a reason, refuses a conflicted assessor with a sentence, and keeps the reason", async () => {
    const { round, bids, conflicted, assessors, fundTeamBrowser } = await roundWithPool();
    const bid = bids[0]!.bid;
    const path = `/bids/${bid.id}/assignments`;
    const noReason = await call(assignmentsAction, post(path, fundTeamBrowser, { intent: "assign", assessorUserId: assessors[0]!.id, assignReason: "" }), {
      id: bid.id,
    });
    expect(noReason.status).toBe(400);
    expect(noReason.data.errors.assignReason).toBe("Enter why you are assigning this assessor by hand");
    expect(noReason.data.values.assessorUserId).toBe(assessors[0]!.id);

    const conflict = await call(
      assignmentsAction,
      post(path, fundTeamBrowser, { intent: "assign", assessorUserId: conflicted.id, assignReason: "Knows the area" }),
      { id: bid.id },
    );
    expect(conflict.status).toBe(400);
    expect(conflict.data.errors.assessorUserId).toBe(
      `${conflicted.name} cannot assess this bid because they work for ${bids[0]!.partnerA.name}, which is a partner in its partnership.`,
    );

    const assigned = await call(
      assignmentsAction,
      post(path, fundTeamBrowser, { intent: "assign", assessorUserId: assessors[0]!.id, assignReason: "Specialist in front-door services" }),
      { id: bid.id },
    );
    expect(assigned.status).toBe(302);
    const [row] = await activeOf(bid.id);
    expect(row).toMatchObject({ assessorUserId: assessors[0]!.id, assignmentReason: "Specialist in front-door services", state: "invited" });

    const unassignBlank = await call(assignmentsAction, post(path, fundTeamBrowser, { intent: "unassign", assessmentId: row!.id, unassignReason: "" }), {
      id: bid.id,
    });
    expect(unassignBlank.status).toBe(400);
    expect(unassignBlank.data.errors.unassignReason).toBe("Enter why you are unassigning this assessor");
    const unassigned = await call(
      assignmentsAction,
      post(path, fundTeamBrowser, { intent: "unassign", assessmentId: row!.id, unassignReason: "Workload", versions: `${row!.id}:${row!.version}` }),
      { id: bid.id },
    );
    expect(unassigned.status).toBe(302);
    expect(await db().assessment.findUniqueOrThrow({ where: { id: row!.id } })).toMatchObject({ state: "unassigned" });
    expect(await db().notification.count({ where: { template: "assessment-unassigned", toUserId: assessors[0]!.id } })).toBe(1);

    const again = await call(
      assignmentsAction,
      post(path, fundTeamBrowser, { intent: "assign", assessorUserId: assessors[0]!.id, assignReason: "Back from leave" }),
      { id: bid.id },
    );
    expect(again.data.errors.assessorUserId).toBe(`${assessors[0]!.name} has already been taken off this bid, so cannot be assigned it again.`);
    void round;
  });
});

describe("starting assessment", () => {
  it("starts a bid once it has enough assessors, one at a time or all ready bids together", async () => {
    const { round, bids, fundTeamBrowser } = await roundWithPool();
    const early = await call(assignmentsAction, post(`/bids/${bids[0]!.bid.id}/assignments`, fundTeamBrowser, { intent: "start" }), { id: bids[0]!.bid.id });
    expect(early.status).toBe(400);
    expect(early.data.errors.start).toBe("Assessment cannot start because 0 assessors are assigned and this fund needs 2.");

    await call(poolAction, post(`/rounds/${round.slug}/assessors`, fundTeamBrowser, { intent: "assign" }), { slug: round.slug });
    const page = await call(assignmentsLoader, get(`/bids/${bids[0]!.bid.id}/assignments`, fundTeamBrowser), { id: bids[0]!.bid.id });
    expect(page.data.canStart).toBe(true);
    const one = await call(
      assignmentsAction,
      post(`/bids/${bids[0]!.bid.id}/assignments`, fundTeamBrowser, { intent: "start", version: String(page.data.bid.version) }),
      { id: bids[0]!.bid.id },
    );
    expect(one.status).toBe(302);
    const all = await call(poolAction, post(`/rounds/${round.slug}/assessors`, fundTeamBrowser, { intent: "start-all" }), { slug: round.slug });
    expect(all.data.notice).toBe("Assessment started for 2 bids.");
    const states = await db().bid.findMany({ where: { roundId: round.id }, select: { state: true } });
    expect(states.map((s) => s.state)).toEqual(["inAssessment", "inAssessment", "inAssessment"]);
  });
});
