import { describe, expect, it } from "vitest";
import { db } from "~/db/database.server.ts";
import { action as checkAction, loader as checkLoader } from "~/routes/bids.$id_.eligibility.tsx";
import { loader as queueLoader } from "~/routes/rounds.$slug_.eligibility.tsx";
import { loader as roundLoader } from "~/routes/rounds.$slug.tsx";
import { CHANGED_BY_SOMEONE_ELSE, applyWorkflowEvent } from "~/engine/apply-event.server.ts";
import { bidSubmissionFacts } from "~/bids/facts.server.ts";
import { contextOf, type PersistedSnapshot } from "../../workflows/index.ts";
import { useTestDatabase } from "../support/database.ts";
import { actor, createPartnershipBid } from "../../bench/support/fixtures.ts";
import { context, createUser, get, post, run, signedInBrowser, type Browser } from "../../bench/support/requests.ts";

useTestDatabase();

const call = <T>(fn: (args: any) => Promise<T>, request: Request, params: Record<string, string>) => run(() => fn({ request, context: context(), params }));

/** A partnership bid, certified: submitted and waiting for the fund team. */
async function submittedBid() {
  const setup = await createPartnershipBid();
  const { bid, officer, certifier } = setup;
  const facts = async () => bidSubmissionFacts(db(), bid.id);
  await applyWorkflowEvent("bid", bid.id, { type: "REQUEST_CERTIFICATION", actor: actor(officer), at: new Date().toISOString(), facts: await facts() });
  const certified = await applyWorkflowEvent("bid", bid.id, { type: "CERTIFY", actor: actor(certifier), at: new Date().toISOString(), facts: await facts() });
  expect(certified.ok).toBe(true);
  return { ...setup, browser: await signedInBrowser(setup.fundTeam.id) };
}

const page = (browser: Browser, id: string) => call(checkLoader, get(`/bids/${id}/eligibility`, browser), { id });
const send = (browser: Browser, id: string, fields: Record<string, string | string[]>) =>
  call(checkAction, post(`/bids/${id}/eligibility`, browser, fields), { id });
const stateOf = async (id: string) => (await db().bid.findUniqueOrThrow({ where: { id }, select: { state: true } })).state;
const versionOf = async (id: string) => String((await db().bid.findUniqueOrThrow({ where: { id }, select: { version: true } })).version);

async function begun() {
  const setup = await submittedBid();
  const started = await send(setup.browser, setup.bid.id, { intent: "begin", version: await versionOf(setup.bid.id) });
  expect(started.status).toBe(302);
  return setup;
}

describe("the eligibility queue", () => {
  it("lists the round's submitted bids with the automatic checks and counts by state", async () => {
    const { round, bid, browser } = await submittedBid();
    const queue = await call(queueLoader, get(`/rounds/${round.slug}/eligibility`, browser), { slug: round.slug });
    expect(queue.status).toBe(200);
    expect(queue.data.waiting).toBe(1);
    expect(queue.data.byState).toEqual({ submitted: 1, resubmitted: 0, eligibilityCheck: 0, ineligible: 0 });
    expect(queue.data.bids).toHaveLength(1);
    expect(queue.data.bids[0]).toMatchObject({ id: bid.id, state: "submitted", passes: true, failures: [] });

    // A draft is not in the queue.
    const round2 = await createPartnershipBid();
    const other = await call(queueLoader, get(`/rounds/${round2.round.slug}/eligibility`, browser), { slug: round2.round.slug });
    expect(other.data.bids).toEqual([]);

    const roundPage = await call(roundLoader, get(`/rounds/${round.slug}`, browser), { slug: round.slug });
    expect(roundPage.data.fundTeam).toEqual({ waiting: 1 });
  });

  it("shows the rule a bid fails, in the same words the council saw", async () => {
    const { round, bid, partnerA, browser } = await submittedBid();
    // The partner's declaration was withdrawn after submission.
    await db().organisation.update({ where: { id: partnerA.id }, data: { declarationSignedAt: null } });
    const queue = await call(queueLoader, get(`/rounds/${round.slug}/eligibility`, browser), { slug: round.slug });
    expect(queue.data.bids[0].passes).toBe(false);
    expect(queue.data.bids[0].failures).toEqual([
      { title: "Local Digital Declaration", explanation: expect.stringContaining(`${partnerA.name} has not signed the Local Digital Declaration`) },
    ]);
    const check = await page(browser, bid.id);
    expect(check.data.checks.rules.find((r: { key: string }) => r.key === "declaration").passes).toBe(false);
    // Judged as at submission, the deadline passes.
    expect(check.data.checks.rules.find((r: { key: string }) => r.key === "deadline").passes).toBe(true);
  });
});

describe("checking a bid", () => {
  it("does not change anything on opening the page; the check starts with the button", async () => {
    const { bid, browser } = await submittedBid();
    const opened = await page(browser, bid.id);
    expect(opened.status).toBe(200);
    expect(opened.data.bid.state).toBe("submitted");
    expect(await stateOf(bid.id)).toBe("submitted");
    const started = await send(browser, bid.id, { intent: "begin", version: String(opened.data.bid.version) });
    expect(started.status).toBe(302);
    expect(started.location).toBe(`/bids/${bid.id}/eligibility?notice=begin`);
    expect(await stateOf(bid.id)).toBe("eligibilityCheck");
  });

  it("confirms a bid eligible", async () => {
    const { bid, browser } = await begun();
    const done = await send(browser, bid.id, { intent: "eligible", version: await versionOf(bid.id) });
    expect(done.status).toBe(302);
    expect(await stateOf(bid.id)).toBe("eligible");
    expect((await page(browser, bid.id)).data.bid.state).toBe("eligible");
  });

  it("says the queue is empty because every bid passed, not because none was sent", async () => {
    const { round, bid, browser } = await begun();
    const before = await call(queueLoader, get(`/rounds/${round.slug}/eligibility`, browser), { slug: round.slug });
    expect(before.data.checked).toBe(0);
    await send(browser, bid.id, { intent: "eligible", version: await versionOf(bid.id) });
    const after = await call(queueLoader, get(`/rounds/${round.slug}/eligibility`, browser), { slug: round.slug });
    expect(after.data.bids).toEqual([]);
    expect(after.data.checked).toBe(1);
  });

  it("marks a bid ineligible only with a reason, then reinstates it only with a reason", async () => {
    const { bid, browser, officer } = await begun();
    const noReason = await send(browser, bid.id, { intent: "ineligible", ineligibleReason: "  ", version: await versionOf(bid.id) });
    expect(noReason.status).toBe(400);
    expect(noReason.data.errors).toEqual({ ineligibleReason: "Enter why the bid is not eligible" });
    expect(await stateOf(bid.id)).toBe("eligibilityCheck");

    const marked = await send(browser, bid.id, {
      intent: "ineligible",
      ineligibleReason: "The lead council already leads two bids.",
      version: await versionOf(bid.id),
    });
    expect(marked.status).toBe(302);
    expect(await stateOf(bid.id)).toBe("ineligible");
    const history = await db().transitionHistory.findFirstOrThrow({ where: { recordId: bid.id, event: "MARK_INELIGIBLE" } });
    expect(history.reason).toBe("The lead council already leads two bids.");
    expect(await db().notification.count({ where: { template: "bid-ineligible", toUserId: officer.id } })).toBe(1);
    expect((await page(browser, bid.id)).data.ineligibility.reason).toBe("The lead council already leads two bids.");

    const noReinstateReason = await send(browser, bid.id, { intent: "reinstate", reinstateReason: "", version: await versionOf(bid.id) });
    expect(noReinstateReason.status).toBe(400);
    expect(noReinstateReason.data.errors).toEqual({ reinstateReason: "Enter why the bid is being reinstated" });

    const reinstated = await send(browser, bid.id, {
      intent: "reinstate",
      reinstateReason: "One of the other bids was withdrawn.",
      version: await versionOf(bid.id),
    });
    expect(reinstated.status).toBe(302);
    expect(await stateOf(bid.id)).toBe("eligible");
  });

  it("asks for changes to chosen sections, needing a reason and at least one section", async () => {
    const { bid, browser } = await begun();
    const version = await versionOf(bid.id);
    const nothing = await send(browser, bid.id, { intent: "changes", changesReason: "", version });
    expect(nothing.status).toBe(400);
    expect(nothing.data.errors).toEqual({
      changesReason: "Enter what the council needs to change, and why",
      sections: "Select the sections the council needs to change",
    });
    const noSections = await send(browser, bid.id, { intent: "changes", changesReason: "Break the costs down.", sections: ["not-a-section"], version });
    expect(noSections.data.errors).toEqual({ sections: "Select the sections the council needs to change" });
    expect(noSections.data.values.changesReason).toBe("Break the costs down.");

    const asked = await send(browser, bid.id, { intent: "changes", changesReason: "Break the costs down by role.", sections: ["costs", "risks"], version });
    expect(asked.status).toBe(302);
    const after = await db().bid.findUniqueOrThrow({ where: { id: bid.id } });
    expect(after.state).toBe("changesRequested");
    expect(contextOf("bid", after.snapshot as unknown as PersistedSnapshot).changeRequest).toMatchObject({
      reason: "Break the costs down by role.",
      sections: ["costs", "risks"],
      during: "eligibilityCheck",
    });
  });

  it("offers the check again when the council resubmits", async () => {
    const { bid, browser, officer, round } = await begun();
    await send(browser, bid.id, { intent: "changes", changesReason: "Fix the costs.", sections: ["costs"], version: await versionOf(bid.id) });
    const resubmitted = await applyWorkflowEvent("bid", bid.id, { type: "RESUBMIT", actor: actor(officer), at: new Date().toISOString() });
    expect(resubmitted.ok).toBe(true);
    const queue = await call(queueLoader, get(`/rounds/${round.slug}/eligibility`, browser), { slug: round.slug });
    expect(queue.data.byState.resubmitted).toBe(1);
    expect((await page(browser, bid.id)).data.backToAssessment).toBe(false);
    expect((await send(browser, bid.id, { intent: "begin", version: await versionOf(bid.id) })).status).toBe(302);
    expect(await stateOf(bid.id)).toBe("eligibilityCheck");
  });

  it("refuses a decision made on a stale page, and says so", async () => {
    const { bid, browser } = await begun();
    const stale = await versionOf(bid.id);
    const colleague = await signedInBrowser((await createUser("fundTeam")).id);
    expect((await send(colleague, bid.id, { intent: "eligible", version: stale })).status).toBe(302);
    const late = await send(browser, bid.id, { intent: "ineligible", ineligibleReason: "Too late.", version: stale });
    expect(late.status).toBe(400);
    expect(late.data.errors).toEqual({ ineligibleReason: CHANGED_BY_SOMEONE_ELSE });
    expect(late.data.values.ineligibleReason).toBe("Too late.");
    expect(await stateOf(bid.id)).toBe("eligible");
  });

  it("shows the machine's refusal when the bid is not in a state for the action", async () => {
    const { bid, browser } = await submittedBid();
    const refused = await send(browser, bid.id, { intent: "eligible", version: await versionOf(bid.id) });
    expect(refused.status).toBe(400);
    expect(refused.data.errors.actions).toMatch(/marked eligible/);
    expect((await send(browser, bid.id, { intent: "dance" })).data.errors).toEqual({ actions: "Choose what to do with this bid" });
  });

  it("refuses council users and assessors, and is 404 for an unknown bid", async () => {
    const { bid, round, officer, certifier, browser } = await submittedBid();
    for (const user of [officer, certifier, await createUser("assessor")]) {
      const other = await signedInBrowser(user.id);
      expect((await page(other, bid.id)).status).toBe(403);
      expect((await send(other, bid.id, { intent: "begin", version: await versionOf(bid.id) })).status).toBe(403);
      expect((await call(queueLoader, get(`/rounds/${round.slug}/eligibility`, other), { slug: round.slug })).status).toBe(403);
    }
    expect(await stateOf(bid.id)).toBe("submitted");
    expect((await page(browser, "no-such-bid")).status).toBe(404);
    expect((await call(queueLoader, get("/rounds/nope/eligibility", browser), { slug: "nope" })).status).toBe(404);
  });
});
