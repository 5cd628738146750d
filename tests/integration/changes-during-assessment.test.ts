import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db/database.server.ts";
import { roundProgress } from "~/assessment/progress.server.ts";
import { roundRules } from "~/rounds/rules.ts";
import { action as assessmentAction, loader as assessmentLoader } from "~/routes/assessments.$id.tsx";
import { action as scoreAction, loader as scoreLoader } from "~/routes/assessments.$id_.score.tsx";
import { loader as bidLoader } from "~/routes/bids.$id.tsx";
import { action as assignmentsAction, loader as assignmentsLoader } from "~/routes/bids.$id_.assignments.tsx";
import { action as checkAction } from "~/routes/bids.$id_.check.tsx";
import { action as sectionAction } from "~/routes/bids.$id_.sections.$section.tsx";
import { action as withdrawAction } from "~/routes/bids.$id_.withdraw.tsx";
import { loader as assignmentsListLoader } from "~/routes/assessments._index.tsx";
import { loader as homeLoader } from "~/routes/home.tsx";
import { finishInterruptedChanges } from "~/assessment/changes.server.ts";
import { startAssessmentFacts } from "~/assessment/assessments.server.ts";
import { scheduledJobs } from "~/jobs/index.server.ts";
import { applyWorkflowEvent } from "~/engine/apply-event.server.ts";
import { timelineFor } from "~/engine/timeline.server.ts";
import { defaultFundRules } from "../../workflows/index.ts";
import { useTestDatabase } from "../support/database.ts";
import { createBidsInAssessment } from "../../bench/support/fixtures.ts";
import { context, createUser, get, post, run, signedInBrowser, type Browser } from "../../bench/support/requests.ts";

useTestDatabase();

// One journey through the file, in order: a bid in assessment is sent back to its council,
// its assessments pause with their scores kept, the council changes one section and
// resubmits, and the bid comes back to the same assessors, who see their earlier scores and
// the section that changed.

const call = <T>(fn: (args: any) => Promise<T>, request: Request, params: Record<string, string> = {}) =>
  run(() => fn({ request, context: context(), params }));
const criteria = defaultFundRules.assessment.criteria;
const REASON = "The costs leave out the partners' staff time, and the summary should say which services go first.";

const scoreForm = (scores: number[], intent: "submit" | "draft" = "submit") => ({
  intent,
  ...Object.fromEntries(
    criteria.flatMap((c, i) => [
      [`score-${c.key}`, String(scores[i])],
      [`justification-${c.key}`, `${c.label}: ${scores[i]} on the evidence.`],
    ]),
  ),
});

let setup: Awaited<ReturnType<typeof createBidsInAssessment>>;
let bid: { id: string; title: string };
let mine: { id: string; assessorUserId: string }[];
let outsider: { assessorUserId: string; assessmentId: string };
let fundTeam: Browser;
let officer: Browser;
const assessors: Record<string, Browser> = {};

const stateOf = async (id: string) => (await db().assessment.findUniqueOrThrow({ where: { id }, select: { state: true } })).state;
const bidState = async () => (await db().bid.findUniqueOrThrow({ where: { id: bid.id }, select: { state: true } })).state;
const emails = (template: string) =>
  db().notification.findMany({ where: { template }, select: { toUserId: true, subject: true }, orderBy: { toUserId: "asc" } });
const bidVersion = async () => (await db().bid.findUniqueOrThrow({ where: { id: bid.id }, select: { version: true } })).version;
const bidRow = async () => {
  const round = await db().round.findUniqueOrThrow({ where: { id: setup.round.id }, include: { fund: true } });
  const progress = await roundProgress({ id: round.id, assessmentDueAt: round.assessmentDueAt, ruleSet: roundRules(round) });
  return progress.bids.find((b) => b.id === bid.id)!;
};

beforeAll(async () => {
  // Three assessors for two bids of two assessors each: one of them is not on the first bid.
  setup = await createBidsInAssessment(2, 3);
  bid = setup.bids[0]!.bid;
  mine = await db().assessment.findMany({
    where: { bidId: bid.id },
    select: { id: true, assessorUserId: true },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  const other = await db().assessment.findFirstOrThrow({
    where: { bidId: setup.bids[1]!.bid.id, assessorUserId: { notIn: mine.map((a) => a.assessorUserId) } },
    select: { id: true, assessorUserId: true },
  });
  outsider = { assessorUserId: other.assessorUserId, assessmentId: other.id };
  fundTeam = await signedInBrowser(setup.fundTeam.id);
  officer = await signedInBrowser(setup.bids[0]!.officer.id);
  for (const a of [...mine, other]) assessors[a.assessorUserId] = await signedInBrowser(a.assessorUserId);
  // One assessor has submitted; the other has a draft.
  const [first, second] = mine;
  expect(
    (await call(scoreAction, post(`/assessments/${first!.id}/score`, assessors[first!.assessorUserId]!, scoreForm([4, 4, 3, 2])), { id: first!.id })).status,
  ).toBe(302);
  expect(
    (
      await call(scoreAction, post(`/assessments/${second!.id}/score`, assessors[second!.assessorUserId]!, scoreForm([3, 2, 2, 2], "draft")), {
        id: second!.id,
      })
    ).status,
  ).toBe(302);
  expect(await stateOf(first!.id)).toBe("submitted");
  expect(await stateOf(second!.id)).toBe("scoring");
});

const ask = (browser: Browser, fields: Record<string, string | string[]>) =>
  call(assignmentsAction, post(`/bids/${bid.id}/assignments`, browser, { intent: "changes", ...fields }), { id: bid.id });

describe("asking for changes while a bid is in assessment", () => {
  it("is offered to the fund team on the bid's assessors page, and the bid page links to it", async () => {
    const page = await call(assignmentsLoader, get(`/bids/${bid.id}/assignments`, fundTeam), { id: bid.id });
    expect(page.data.canAskForChanges).toBe(true);
    expect(page.data.sections.map((s: { value: string }) => s.value)).toContain("costs");
    const bidPage = await call(bidLoader, get(`/bids/${bid.id}`, fundTeam), { id: bid.id });
    expect(bidPage.data.changesHref).toBe(`/bids/${bid.id}/assignments#changes`);
  });

  it("is for the fund team only: councils and assessors are refused, and nothing changes", async () => {
    const certifier = await signedInBrowser(setup.bids[0]!.certifier.id);
    for (const browser of [officer, certifier, assessors[mine[0]!.assessorUserId]!]) {
      const refused = await ask(browser, { sections: "costs", changesReason: REASON, version: String(await bidVersion()) });
      expect(refused.status).toBe(403);
    }
    const admin = await signedInBrowser((await createUser("admin")).id);
    expect((await ask(admin, { sections: "costs", changesReason: REASON })).status).toBe(403);
    expect(await bidState()).toBe("inAssessment");
    // The council sees no such link on its bid page.
    expect((await call(bidLoader, get(`/bids/${bid.id}`, officer), { id: bid.id })).data.changesHref).toBeNull();
  });

  it("needs the sections and a reason, each said beside its field, keeping what was typed", async () => {
    const noSections = await ask(fundTeam, { changesReason: REASON });
    expect(noSections.status).toBe(400);
    expect(noSections.data.errors).toEqual({ sections: "Select the sections the council needs to change" });
    expect(noSections.data.values.changesReason).toBe(REASON);

    const noReason = await ask(fundTeam, { sections: ["costs", "summary"], changesReason: "  " });
    expect(noReason.status).toBe(400);
    expect(noReason.data.errors).toEqual({ changesReason: "Enter what the council needs to change, and why" });
    expect(noReason.data.sections).toEqual(["costs", "summary"]);

    // A section the bid does not have is not a section.
    const madeUp = await ask(fundTeam, { sections: "budget", changesReason: REASON });
    expect(madeUp.data.errors).toEqual({ sections: "Select the sections the council needs to change" });
    expect(await bidState()).toBe("inAssessment");
    expect(await emails("assessment-paused")).toEqual([]);
  });

  it("refuses a page that is out of date, saying so", async () => {
    const stale = await ask(fundTeam, { sections: "costs", changesReason: REASON, version: String((await bidVersion()) - 1) });
    expect(stale.status).toBe(400);
    expect(stale.data.errors.changesReason).toMatch(/changed by someone else/);
    expect(await bidState()).toBe("inAssessment");
  });

  it("sends the bid to the council, pauses every assessment with its scores kept, and emails the council and the bid's assessors", async () => {
    const scoresBefore = await db().assessment.findMany({ where: { bidId: bid.id }, select: { id: true, scores: true } });
    const done = await ask(fundTeam, { sections: ["costs", "summary"], changesReason: REASON, version: String(await bidVersion()) });
    expect(done.status).toBe(302);
    expect(done.location).toBe(`/bids/${bid.id}/assignments?notice=changes`);
    expect(await bidState()).toBe("changesRequested");
    for (const a of mine) expect(await stateOf(a.id)).toBe("paused");
    expect(await db().assessment.findMany({ where: { bidId: bid.id }, select: { id: true, scores: true } })).toEqual(scoresBefore);
    // The other bid and its assessments carry on.
    expect(await stateOf(outsider.assessmentId)).toBe("scoring");

    expect((await emails("bid-changes-requested")).map((e) => e.toUserId)).toEqual([setup.bids[0]!.officer.id]);
    const paused = await emails("assessment-paused");
    expect(paused.map((e) => e.toUserId).sort()).toEqual(mine.map((a) => a.assessorUserId).sort());
    expect(paused.map((e) => e.toUserId)).not.toContain(outsider.assessorUserId);
    expect(paused[0]!.subject).toBe(`Paused for changes: ${bid.title} (${(await db().bid.findUniqueOrThrow({ where: { id: bid.id } })).reference})`);

    const page = await call(assignmentsLoader, get(`/bids/${bid.id}/assignments`, fundTeam), { id: bid.id });
    expect(page.data.canAskForChanges).toBe(false);
    expect(page.data.pausedForChanges).toEqual({ reason: REASON, sections: ["Costs", "Summary"] });
    expect(page.data.assessments.map((a: { stateLabel: string }) => a.stateLabel)).toEqual(["Paused for changes", "Paused for changes"]);
  });

  it("tells the assessor on their page, and refuses scoring while paused with the reason why", async () => {
    const [first, second] = mine;
    const browser = assessors[second!.assessorUserId]!;
    const page = await call(assessmentLoader, get(`/assessments/${second!.id}`, browser), { id: second!.id });
    expect(page.data.assessment.paused).toMatchObject({ reason: REASON, sections: ["Costs", "Summary"] });
    expect(page.data.assessment.stateLabel).toBe("Paused for changes");

    const score = await call(scoreLoader, get(`/assessments/${second!.id}/score`, browser), { id: second!.id });
    expect(score.status).toBe(200);
    expect(score.data.assessment.editable).toBe(false);
    expect(score.data.assessment.paused.sections).toEqual(["Costs", "Summary"]);
    // The draft is shown, not lost.
    expect(score.data.own.strategicFit).toEqual({ score: 3, justification: "Strategic fit: 3 on the evidence." });

    const refused = await call(scoreAction, post(`/assessments/${second!.id}/score`, browser, scoreForm([5, 5, 5, 5])), { id: second!.id });
    expect(refused.status).toBe(400);
    expect(refused.data.errors.form).toBe("This assessment is paused while the council changes the bid, so it cannot be submitted.");
    expect(refused.data.values["score-strategicFit"]).toBe("5");
    const kept = await db().assessment.findUniqueOrThrow({ where: { id: second!.id }, select: { scores: true, state: true } });
    expect(kept.state).toBe("paused");
    expect((kept.scores as Record<string, { score: number }>).strategicFit!.score).toBe(3);

    // Nothing waits for either assessor on this bid meanwhile.
    for (const a of [first!, second!]) {
      const home = await call(homeLoader, get("/home", assessors[a.assessorUserId]!));
      expect(home.data.waiting.map((w: { href: string }) => w.href).filter((href: string) => href.startsWith(`/assessments/${a.id}`))).toEqual([]);
    }
  });

  it("counts paused assessments as not finished, and never as overdue", async () => {
    const row = await bidRow();
    expect(row).toMatchObject({ state: "changesRequested", done: 0, pending: 2, overdue: 0 });
  });

  it("shows nothing of the bid to an assessor of another bid", async () => {
    const browser = assessors[outsider.assessorUserId]!;
    for (const a of mine) {
      expect((await call(assessmentLoader, get(`/assessments/${a.id}`, browser), { id: a.id })).status).toBe(404);
      expect((await call(scoreLoader, get(`/assessments/${a.id}/score`, browser), { id: a.id })).status).toBe(404);
      expect((await call(assessmentAction, post(`/assessments/${a.id}`, browser, { intent: "accept" }), { id: a.id })).status).toBe(404);
    }
    expect((await call(bidLoader, get(`/bids/${bid.id}`, browser), { id: bid.id })).status).toBe(403);
    expect(
      await db().notification.count({ where: { toUserId: outsider.assessorUserId, template: { in: ["assessment-paused", "assessment-reopened"] } } }),
    ).toBe(0);
  });
});

describe("the council's changes, and the bid back with its assessors", () => {
  it("lets the council change only the reopened sections, then resubmit", async () => {
    const summary = await call(
      sectionAction,
      post(`/bids/${bid.id}/sections/summary`, officer, {
        title: bid.title,
        summary: "A shared front door for council services, starting with parking permits and bulky waste.",
        complete: "yes",
        version: "0",
      }),
      { id: bid.id, section: "summary" },
    );
    expect(summary.status).toBe(302);
    // Risks were not reopened: the section is not open to the council.
    const risks = await call(sectionAction, post(`/bids/${bid.id}/sections/risks`, officer, { complete: "yes", version: "0" }), {
      id: bid.id,
      section: "risks",
    });
    expect(risks.status).toBe(302);
    expect(risks.location).toBe(`/bids/${bid.id}`);

    // Assessment comes after the deadline: the bid met it when it was submitted, which is what counts.
    const { snapshot } = await db().bid.findUniqueOrThrow({ where: { id: bid.id }, select: { snapshot: true } });
    const submittedAt = Date.parse((snapshot as { context: { submitted: { at: string } } }).context.submitted.at);
    await db().round.update({ where: { id: setup.round.id }, data: { closesAt: new Date(submittedAt + 1) } });
    const bidPage = await call(bidLoader, get(`/bids/${bid.id}`, officer), { id: bid.id });
    expect(bidPage.data.eligibility.rules.find((r: { key: string }) => r.key === "deadline")).toMatchObject({ passes: true });
    const resubmitted = await call(checkAction, post(`/bids/${bid.id}/check`, officer, { intent: "resubmit", version: String(await bidVersion()) }), {
      id: bid.id,
    });
    expect(resubmitted.status).toBe(302);
    expect(resubmitted.location).toBe(`/bids/${bid.id}?notice=resubmitted`);
  });

  it("goes straight back into assessment, with the request and the return on its timeline", async () => {
    expect(await bidState()).toBe("inAssessment");
    const timeline = await timelineFor("bid", bid.id, "staff");
    const recent = timeline.slice(0, 3).map((t) => [t.title, t.actor.split(",")[0], t.from, t.to]);
    expect(recent).toEqual([
      ["Assessment started", "Springboard", "Resubmitted", "In assessment"],
      ["Resubmitted", setup.bids[0]!.officer.name, "Changes requested", "Resubmitted"],
      ["Changes requested", setup.fundTeam.name, "In assessment", "Changes requested"],
    ]);
    expect(timeline[2]!.reason).toBe(REASON);
    expect(timeline[2]!.details).toEqual(["Sections reopened: Costs, Summary"]);
    // The council sees the request and the resubmission too.
    const council = await timelineFor("bid", bid.id, "applicant");
    expect(council.map((t) => t.title)).toEqual(expect.arrayContaining(["Changes requested", "Resubmitted"]));
  });

  it("reopens every assessment for the same assessor, says which section changed, and emails them", async () => {
    for (const a of mine) expect(await stateOf(a.id)).toBe("scoring");
    const reopened = await emails("assessment-reopened");
    expect(reopened.map((e) => e.toUserId).sort()).toEqual(mine.map((a) => a.assessorUserId).sort());
    const history = await timelineFor("assessment", mine[0]!.id, "staff");
    expect(history[0]).toMatchObject({
      title: "Reopened after the council's changes",
      from: "Paused for changes",
      to: "Scoring",
      details: ["Sections changed: Summary"],
    });
    expect(history[1]).toMatchObject({ title: "Paused while the council changes the bid", from: "Submitted", to: "Paused for changes", reason: REASON });
  });

  it("shows each assessor their earlier scores, editable, with the changed section marked", async () => {
    const [first] = mine;
    const browser = assessors[first!.assessorUserId]!;
    const score = await call(scoreLoader, get(`/assessments/${first!.id}/score`, browser), { id: first!.id });
    expect(score.data.assessment.editable).toBe(true);
    expect(score.data.assessment.changed).toEqual(["Summary"]);
    expect(score.data.own.strategicFit).toEqual({ score: 4, justification: "Strategic fit: 4 on the evidence." });
    expect(score.data.own.reuseAndOpenness).toEqual({ score: 2, justification: "Reuse and openness: 2 on the evidence." });
    // Their own scores are being looked at again: the others' stay hidden until they are in.
    expect(score.data.assessment.submitted).toBe(false);
    expect(score.data.others).toEqual([]);
    const summary = score.data.sections.find((s: { key: string }) => s.key === "summary");
    expect(summary.rows.map((r: { value: string }) => r.value)).toContain(
      "A shared front door for council services, starting with parking permits and bulky waste.",
    );

    const page = await call(assessmentLoader, get(`/assessments/${first!.id}`, browser), { id: first!.id });
    expect(page.data.assessment.changed).toEqual(["Summary"]);
    expect(page.data.assessment.next.text).toBe("Look at the changed sections and submit your scores again");

    const home = await call(homeLoader, get("/home", browser));
    expect(home.data.waiting).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          href: `/assessments/${first!.id}/score`,
          action: `Look at the changed sections and submit your scores again: “${bid.title}”`,
        }),
      ]),
    );
  });

  it("counts the reopened assessments as not finished until they are submitted again, then moderates", async () => {
    expect(await bidRow()).toMatchObject({ state: "inAssessment", done: 0, pending: 2 });
    const [first, second] = mine;
    const again = await call(scoreAction, post(`/assessments/${first!.id}/score`, assessors[first!.assessorUserId]!, scoreForm([4, 4, 4, 2])), {
      id: first!.id,
    });
    expect(again.status).toBe(302);
    expect(await stateOf(first!.id)).toBe("resubmitted");
    expect(await bidState()).toBe("inAssessment");
    expect(await bidRow()).toMatchObject({ done: 1, pending: 1 });
    // The other assessor had only a draft: theirs is a first submission.
    const firstTime = await call(scoreAction, post(`/assessments/${second!.id}/score`, assessors[second!.assessorUserId]!, scoreForm([3, 3, 3, 3])), {
      id: second!.id,
    });
    expect(firstTime.status).toBe(302);
    expect(await stateOf(second!.id)).toBe("submitted");
    expect(await bidState()).toBe("moderation");
  });
});

describe("a bid withdrawn while it is back with the council", () => {
  it("tells its paused assessors they need not wait for it", async () => {
    const other = setup.bids[1]!;
    const theirs = await db().assessment.findMany({ where: { bidId: other.bid.id }, select: { id: true, assessorUserId: true } });
    const version = (await db().bid.findUniqueOrThrow({ where: { id: other.bid.id }, select: { version: true } })).version;
    const asked = await call(
      assignmentsAction,
      post(`/bids/${other.bid.id}/assignments`, fundTeam, {
        intent: "changes",
        sections: "risks",
        changesReason: "Name an owner for each risk.",
        version: String(version),
      }),
      { id: other.bid.id },
    );
    expect(asked.status).toBe(302);
    for (const a of theirs) expect(await stateOf(a.id)).toBe("paused");

    const lead = await signedInBrowser(other.officer.id);
    const withdrawn = await call(withdrawAction, post(`/bids/${other.bid.id}/withdraw`, lead, { reason: "A partner has left the partnership." }), {
      id: other.bid.id,
    });
    expect(withdrawn.status).toBe(302);
    const told = await db().notification.findMany({ where: { template: "bid-withdrawn-assessor" }, select: { toUserId: true } });
    expect(told.map((t) => t.toUserId).sort()).toEqual(theirs.map((a) => a.assessorUserId).sort());

    const list = await call(assignmentsListLoader, get("/assessments", assessors[outsider.assessorUserId]!));
    const row = list.data.assignments.find((a: { id: string }) => a.id === outsider.assessmentId);
    expect(row.next).toEqual({ text: "Nothing: the council withdrew the bid", href: null });
  });
});

describe("a request for changes that stopped half-way", () => {
  it("is finished by the scheduled job: the assessments paused, then reopened once the bid is back in assessment", async () => {
    const fresh = await createBidsInAssessment(1, 2);
    const { bid: theBid, officer: lead } = fresh.bids[0]!;
    const ids = (await db().assessment.findMany({ where: { bidId: theBid.id }, select: { id: true } })).map((a) => a.id);
    const at = () => new Date().toISOString();
    const team = { userId: fresh.fundTeam.id, role: "fundTeam" as const, organisationId: fresh.fundTeam.organisationId };
    const stateOfBid = async () => (await db().bid.findUniqueOrThrow({ where: { id: theBid.id }, select: { state: true } })).state;

    // The bid's own transition only, as if the process had stopped before pausing its assessments.
    expect(
      await applyWorkflowEvent("bid", theBid.id, {
        type: "REQUEST_CHANGES",
        actor: team,
        at: at(),
        reason: "Name an owner for each risk.",
        sections: ["Risks"],
      }),
    ).toMatchObject({ ok: true });
    for (const id of ids) expect(await stateOf(id)).not.toBe("paused");
    expect(await finishInterruptedChanges()).toEqual([theBid.id]);
    for (const id of ids) expect(await stateOf(id)).toBe("paused");
    expect(await finishInterruptedChanges()).toEqual([]);

    // Resubmitted and back in assessment, stopped before the assessments reopened.
    const officerActor = { userId: lead.id, role: "councilOfficer" as const, organisationId: lead.organisationId };
    expect(await applyWorkflowEvent("bid", theBid.id, { type: "RESUBMIT", actor: officerActor, at: at() })).toMatchObject({ ok: true });
    const facts = await startAssessmentFacts(db(), theBid.id);
    expect(await applyWorkflowEvent("bid", theBid.id, { type: "START_ASSESSMENT", actor: team, at: at(), facts })).toMatchObject({ ok: true });
    expect(await stateOfBid()).toBe("inAssessment");
    for (const id of ids) expect(await stateOf(id)).toBe("paused");
    expect(await finishInterruptedChanges()).toEqual([theBid.id]);
    for (const id of ids) expect(await stateOf(id)).not.toBe("paused");
    expect(await db().notification.count({ where: { template: "assessment-reopened", toUserId: { in: fresh.assessors.map((a) => a.id) } } })).toBe(2);
    expect(await finishInterruptedChanges()).toEqual([]);
    expect(scheduledJobs().map((j) => j.name)).toContain("interrupted-changes");
  });
});
