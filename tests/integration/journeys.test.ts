/**
 * What councils met when they walked their journeys: invitations that say where they stand,
 * sign-off refusals one rule at a time, a submitted bid that says so, and a home page for
 * each role that lists what is waiting, oldest first.
 */
import { describe, expect, it } from "vitest";
import { db } from "~/db/database.server.ts";
import { waitingFor } from "~/home/waiting.server.ts";
import { getUser } from "~/auth/session.server.ts";
import { action as bidAction, loader as bidLoader } from "~/routes/bids.$id.tsx";
import { action as certifyAction } from "~/routes/bids.$id_.certify.tsx";
import { action as checkAction } from "~/routes/bids.$id_.check.tsx";
import { action as partnersAction, loader as partnersLoader } from "~/routes/bids.$id_.partners.tsx";
import { loader as homeLoader } from "~/routes/home.tsx";
import { useTestDatabase } from "../support/database.ts";
import { createOrganisation, createPartnershipBid } from "../../bench/support/fixtures.ts";
import { context, createUser, get, post, run, signedInBrowser, type Browser } from "../../bench/support/requests.ts";

useTestDatabase();

const call = <T>(fn: (args: any) => Promise<T>, request: Request, params: Record<string, string> = {}) =>
  run(() => fn({ request, context: context(), params }));
const as = (user: { id: string }) => signedInBrowser(user.id);
const version = async (id: string) => String((await db().bid.findUniqueOrThrow({ where: { id } })).version);
const home = async (browser: Browser) => (await call(homeLoader, get("/home", browser))).data;
const userOf = async (browser: Browser) => (await getUser(get("/home", browser)))!;

async function send(bidId: string, officer: Browser) {
  const sent = await call(checkAction, post(`/bids/${bidId}/check`, officer, { version: await version(bidId) }), { id: bidId });
  expect(sent.status).toBe(302);
}

async function certify(bidId: string, certifier: Browser) {
  const done = await call(certifyAction, post(`/bids/${bidId}/certify`, certifier, { decision: "approve", version: await version(bidId) }), { id: bidId });
  expect(done.location).toBe(`/bids/${bidId}/confirmation`);
}

describe("inviting a council that has not signed the Local Digital Declaration", () => {
  it("says so at once, with what it means and what can be done, and the panel counts the invitation", async () => {
    const { bid, officer } = await createPartnershipBid();
    const unsigned = await createOrganisation({ signed: false });
    const lead = await as(officer);
    const invited = await call(partnersAction, post(`/bids/${bid.id}/partners`, lead, { intent: "invite", partner: unsigned.code }), { id: bid.id });
    expect(invited.location).toBe(`/bids/${bid.id}/partners?invited=${encodeURIComponent(unsigned.name)}`);
    const page = await call(partnersLoader, get(invited.location!, lead), { id: bid.id });
    expect(page.data.invited).toEqual({ name: unsigned.name, unsigned: true });
    expect(page.data.declarationRequired).toBe(true);

    const bidPage = await call(bidLoader, get(`/bids/${bid.id}`, lead), { id: bid.id });
    const declaration = bidPage.data.eligibility.rules.find((r: { key: string }) => r.key === "declaration");
    // The accepted partners all signed, so the rule passes today; the invitation is named anyway.
    expect(declaration.passes).toBe(true);
    expect(declaration.explanation).toContain(
      `${unsigned.name} has been invited but has not signed the Local Digital Declaration: if it accepts, the bid cannot be sent for sign-off until it signs, or until you remove it from the partnership.`,
    );
  });

  it("names only a council in the partnership in its banner, never the address's text", async () => {
    const { bid, officer } = await createPartnershipBid();
    const page = await call(partnersLoader, get(`/bids/${bid.id}/partners?invited=Anything%20you%20like`, await as(officer)), { id: bid.id });
    expect(page.data.invited).toBeNull();
  });
});

describe("answering an invitation", () => {
  async function invitedCouncil() {
    const setup = await createPartnershipBid();
    const council = await createOrganisation();
    const councilOfficer = await createUser("councilOfficer", council.id);
    const lead = await as(setup.officer);
    await call(partnersAction, post(`/bids/${setup.bid.id}/partners`, lead, { intent: "invite", partner: council.code }), { id: setup.bid.id });
    return { ...setup, lead, council, councilOfficer, invitee: await as(councilOfficer) };
  }

  it("shows the invitation waiting on the partner officer's home page", async () => {
    const { bid, invitee } = await invitedCouncil();
    const data = await home(invitee);
    expect(data.home.bids).toEqual([expect.objectContaining({ id: bid.id, stateLabel: "Invitation waiting for your answer" })]);
    expect(data.waiting).toEqual([expect.objectContaining({ action: `Accept or decline the invitation to join “${bid.title}”`, href: `/bids/${bid.id}` })]);
  });

  it("ends access with a decline, answers only once, and lets the lead invite again on purpose", async () => {
    const { bid, lead, council, councilOfficer, invitee } = await invitedCouncil();
    const declined = await call(bidAction, post(`/bids/${bid.id}`, invitee, { intent: "decline" }), { id: bid.id });
    expect(declined.location).toBe("/home?notice=declined");
    // The lead's officers are told, by email.
    const leadOfficer = await db().user.findFirstOrThrow({ where: { organisationId: bid.leadOrganisationId, role: "councilOfficer" } });
    const told = await db().notification.findMany({ where: { template: "bid-partner-answered", toEmail: leadOfficer.email } });
    expect(told.map((n) => n.subject)).toEqual([`${council.name} declined your invitation: ${bid.title} (${bid.reference})`]);
    expect(told[0]!.text).toContain(`${councilOfficer.name} of ${council.name} declined your invitation`);
    // Declined: the bid and its evidence are gone from the council's view, and from its home page.
    expect((await call(bidLoader, get(`/bids/${bid.id}`, invitee), { id: bid.id })).status).toBe(404);
    expect((await call(bidAction, post(`/bids/${bid.id}`, invitee, { intent: "accept" }), { id: bid.id })).status).toBe(404);
    expect((await home(invitee)).home.bids).toEqual([]);

    // The lead asks again: a new invitation, a new email, and it can be answered.
    const before = await db().notification.count({ where: { template: "bid-partner-invited", toEmail: councilOfficer.email } });
    const again = await call(partnersAction, post(`/bids/${bid.id}/partners`, lead, { intent: "invite", partner: council.code }), { id: bid.id });
    expect(again.status).toBe(302);
    expect(await db().notification.count({ where: { template: "bid-partner-invited", toEmail: councilOfficer.email } })).toBe(before + 1);
    const accepted = await call(bidAction, post(`/bids/${bid.id}`, invitee, { intent: "accept" }), { id: bid.id });
    expect(accepted.location).toBe(`/bids/${bid.id}?notice=accepted`);
    expect(
      await db().notification.count({
        where: { template: "bid-partner-answered", toEmail: leadOfficer.email, subject: { startsWith: `${council.name} accepted` } },
      }),
    ).toBe(1);
    const twice = await call(bidAction, post(`/bids/${bid.id}`, invitee, { intent: "decline" }), { id: bid.id });
    expect(twice.status).toBe(400);
    expect(twice.data.errors.respond).toMatch(/^Your council already accepted this invitation on /);
    expect((await db().bidPartner.findFirstOrThrow({ where: { bidId: bid.id, organisationId: council.id } })).status).toBe("accepted");
    // A refused second answer sends nothing.
    expect(await db().notification.count({ where: { template: "bid-partner-answered", toEmail: leadOfficer.email } })).toBe(2);
  });

  it("does not hold up submission when never answered, and lapses when the bid is sent", async () => {
    const { bid, lead, certifier, invitee, council } = await invitedCouncil();
    await send(bid.id, lead);
    // Waiting for sign-off, the invitee still reads the bid but can no longer answer.
    const waiting = await call(bidLoader, get(`/bids/${bid.id}`, invitee), { id: bid.id });
    expect(waiting.data.relation).toBe("invitedOfficer");
    expect(waiting.data.can.respond).toBe(false);
    await certify(bid.id, await as(certifier));
    expect((await db().bid.findUniqueOrThrow({ where: { id: bid.id } })).state).toBe("submitted");
    expect((await call(bidLoader, get(`/bids/${bid.id}`, invitee), { id: bid.id })).status).toBe(404);
    expect((await home(invitee)).home.bids).toEqual([]);
    expect((await home(invitee)).waiting).toEqual([]);
    expect((await db().bidPartner.findFirstOrThrow({ where: { bidId: bid.id, organisationId: council.id } })).status).toBe("invited");
  });
});

describe("sign-off refused by the eligibility rules", () => {
  it("names each broken rule as its own error, linked to its row in the panel", async () => {
    const { bid, officer, certifier, partnerA, partnerB } = await createPartnershipBid();
    await send(bid.id, await as(officer));
    // While the certifier considers it, a partner's declaration is withdrawn from the register
    // and another partner is found to be a kind that may not take part.
    await db().organisation.update({ where: { id: partnerA.id }, data: { declarationSignedAt: null } });
    await db().organisation.update({ where: { id: partnerB.id }, data: { kind: "ministry" } });
    const refused = await call(certifyAction, post(`/bids/${bid.id}/certify`, await as(certifier), { decision: "approve", version: await version(bid.id) }), {
      id: bid.id,
    });
    expect(refused.status).toBe(400);
    expect(Object.keys(refused.data.errors).sort()).toEqual(["decision", "rule-declaration", "rule-kinds"]);
    expect(refused.data.errors["rule-declaration"]).toBe(`Local Digital Declaration: ${partnerA.name} has not signed the Local Digital Declaration.`);
    expect(refused.data.errors["rule-kinds"]).toMatch(new RegExp(`^Types of organisation: ${partnerB.name} is a government department`));
    expect((await db().bid.findUniqueOrThrow({ where: { id: bid.id } })).state).toBe("awaitingCertification");
  });
});

describe("a submitted bid says so", () => {
  it("gives the lead's officers its reference and submitted time on the bid page and home, as soon as it is signed", async () => {
    const { bid, officer, certifier } = await createPartnershipBid();
    const lead = await as(officer);
    await send(bid.id, lead);
    await certify(bid.id, await as(certifier));
    const page = await call(bidLoader, get(`/bids/${bid.id}`, lead), { id: bid.id });
    expect(page.data.bid.reference).toBe(bid.reference);
    expect(page.data.bid.submittedAt).toEqual(expect.any(String));
    expect(page.data.bid.stateLabel).toBe("Submitted");
    const data = await home(lead);
    expect(data.home.bids).toEqual([expect.objectContaining({ reference: bid.reference, stateLabel: "Submitted" })]);
  });
});

describe("what is waiting, on each role's home page", () => {
  it("lists a council's drafts, changes asked for and invitations, oldest first", async () => {
    const first = await createPartnershipBid();
    const officerBrowser = await as(first.officer);
    // A second draft of the same council, started a day later.
    const later = await db().bid.create({
      data: {
        reference: `LDF-LATER-${first.bid.id.slice(0, 8)}`,
        roundId: first.round.id,
        leadOrganisationId: first.lead.id,
        createdById: first.officer.id,
        title: "Later draft",
        state: "draft",
        snapshot: first.bid.snapshot as object,
        machineVersion: first.bid.machineVersion,
        createdAt: new Date(first.bid.createdAt.getTime() + 86_400_000),
      },
    });
    const items = await waitingFor(await userOf(officerBrowser));
    expect(items.map((i) => i.href)).toEqual([`/bids/${first.bid.id}`, `/bids/${later.id}`]);
    expect(items[0]!.action).toBe(`Finish “${first.bid.title}” and send it for sign-off`);
  });

  it("lists the certifier's bids to sign off, the fund team's checks and failed emails", async () => {
    const { bid, officer, certifier, fundTeam } = await createPartnershipBid();
    await send(bid.id, await as(officer));
    const certifierItems = await waitingFor(await userOf(await as(certifier)));
    expect(certifierItems).toEqual([expect.objectContaining({ action: `Sign off or decline “${bid.title}”`, href: `/bids/${bid.id}/certify` })]);

    await certify(bid.id, await as(certifier));
    await db().notification.updateMany({ where: { template: "bid-confirmation" }, data: { status: "failed" } });
    const fundItems = await waitingFor(await userOf(await as(fundTeam)));
    const round = await db().round.findFirstOrThrow({ where: { id: bid.roundId } });
    expect(fundItems.map((i) => i.href)).toEqual(expect.arrayContaining([`/rounds/${round.slug}/eligibility`, "/notifications?status=failed"]));
    expect(fundItems.find((i) => i.href.endsWith("/eligibility"))!.action).toBe(`Check the eligibility of 1 bid in ${round.name}`);
    const since = fundItems.map((i) => i.since);
    expect(since).toEqual([...since].sort());
  });
});
