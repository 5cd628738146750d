import { describe, expect, it } from "vitest";
import { db } from "~/db/database.server.ts";
import { unsubscribeUrl } from "~/mail/unsubscribe.server.ts";
import { action as bidAction, loader as bidLoader } from "~/routes/bids.$id.tsx";
import { action as partnersAction } from "~/routes/bids.$id_.partners.tsx";
import { loader as templatesLoader } from "~/routes/notifications.templates.tsx";
import { action as adoptionAction, loader as adoptionLoader } from "~/routes/projects.$id_.adoptions_.$adoptionId.tsx";
import { action as adoptionsAction } from "~/routes/projects.$id_.adoptions.tsx";
import { action as caseStudyAction, loader as caseStudyLoader } from "~/routes/projects.$id_.case-study.tsx";
import { templates } from "../../emails/index.ts";
import type { LifecycleKind } from "../../workflows/lifecycles.ts";
import { notificationsFor, type RecipientRole } from "../../workflows/notification-matrix.ts";
import { useTestDatabase } from "../support/database.ts";
import { createFundedProject, createOrganisation, createPartnershipBid } from "../../bench/support/fixtures.ts";
import { completedProject } from "../support/project-journeys.ts";
import { context, createUser, get, post, run, signedInBrowser, type Browser } from "../../bench/support/requests.ts";

useTestDatabase();

const call = (fn: (args: any) => Promise<unknown>, request: Request, params: Record<string, string>) => run(() => fn({ request, context: context(), params }));

/** Who a role means for a record, worked out here independently of the server's own code. */
interface People {
  leadOrganisationId: string;
  invitedOrganisationId?: string;
  authorUserId?: string;
}
async function peopleIn(role: RecipientRole, who: People): Promise<string[]> {
  const officers = async (organisationId: string) =>
    (await db().user.findMany({ where: { role: "councilOfficer", organisationId }, select: { email: true } })).map((u) => u.email);
  if (role === "councilOfficer") return officers(who.leadOrganisationId);
  if (role === "invitedOfficer") return officers(who.invitedOrganisationId!);
  if (role === "fundTeam") return (await db().user.findMany({ where: { role: "fundTeam" }, select: { email: true } })).map((u) => u.email);
  if (role === "author") return (await db().user.findMany({ where: { id: who.authorUserId! }, select: { email: true } })).map((u) => u.email);
  throw new Error(`no such role here: ${role}`);
}

/** The newest history rows of a record (the change just made) and the emails they sent. */
async function lastChange(kind: LifecycleKind, recordId: string, count = 1) {
  const history = await db().transitionHistory.findMany({ where: { recordType: kind, recordId }, orderBy: [{ at: "desc" }, { id: "desc" }], take: count });
  const emails = await db().notification.findMany({ where: { transitionId: { in: history.map((h) => h.id) } } });
  return { history, emails };
}

/** The emails the matrix says the change's rows send, one per person per template. */
async function expectedEmails(kind: LifecycleKind, history: { fromState: string; toState: string; event: string }[], who: People) {
  const expected = new Set<string>();
  for (const h of history) {
    const from = h.fromState === "" ? null : h.fromState;
    for (const row of notificationsFor(kind, from, h.toState, from === null ? null : h.event)) {
      for (const email of await peopleIn(row.role, who)) expected.add(`${row.template} ${email} ${row.essential ? "essential" : "not essential"}`);
    }
  }
  return [...expected].sort();
}

const sent = (emails: { template: string; toEmail: string; essential: boolean }[]) =>
  emails.map((e) => `${e.template} ${e.toEmail} ${e.essential ? "essential" : "not essential"}`).sort();

describe("a council's place in a bid's partnership", () => {
  it("asks the invited council, tells the lead of each answer, and puts the answers on the bid's timeline", async () => {
    const f = await createPartnershipBid();
    const invited = await createOrganisation({ name: "Invited Borough" });
    const invitedOfficers = [await createUser("councilOfficer", invited.id), await createUser("councilOfficer", invited.id)];
    const secondLeadOfficer = await createUser("councilOfficer", f.lead.id);
    const who = { leadOrganisationId: f.lead.id, invitedOrganisationId: invited.id };
    const lead = await signedInBrowser(f.officer.id);
    const params = { id: f.bid.id };

    expect((await call(partnersAction, post(`/bids/${f.bid.id}/partners`, lead, { partner: invited.name }), params)).status).toBe(302);
    let change = await lastChange("partnership", f.bid.id);
    expect(change.history.map((h) => [h.fromState, h.toState, h.event])).toEqual([["", "invited", "CREATE"]]);
    expect(sent(change.emails)).toEqual(await expectedEmails("partnership", change.history, who));
    expect(change.emails.map((e) => e.toEmail).sort()).toEqual(invitedOfficers.map((u) => u.email).sort());

    // Declining matters to the lead (it needs another partner), so it is essential.
    const answerer = await signedInBrowser(invitedOfficers[0]!.id);
    expect((await call(bidAction, post(`/bids/${f.bid.id}`, answerer, { intent: "decline" }), params)).status).toBe(302);
    change = await lastChange("partnership", f.bid.id);
    expect(sent(change.emails)).toEqual(await expectedEmails("partnership", change.history, who));
    expect(sent(change.emails)).toEqual([f.officer.email, secondLeadOfficer.email].sort().map((e) => `bid-partner-answered ${e} essential`));

    // Invited again, then accepted: the lead officer who chose a daily summary gets it there.
    await db().user.update({ where: { id: secondLeadOfficer.id }, data: { emailPreference: "digest" } });
    await call(partnersAction, post(`/bids/${f.bid.id}/partners`, lead, { partner: invited.name }), params);
    change = await lastChange("partnership", f.bid.id);
    expect(change.history.map((h) => [h.fromState, h.toState, h.event])).toEqual([["declined", "invited", "INVITE"]]);
    expect(sent(change.emails)).toEqual(await expectedEmails("partnership", change.history, who));
    await call(bidAction, post(`/bids/${f.bid.id}`, answerer, { intent: "accept" }), params);
    change = await lastChange("partnership", f.bid.id);
    expect(sent(change.emails)).toEqual(await expectedEmails("partnership", change.history, who));
    const held = change.emails.find((e) => e.toEmail === secondLeadOfficer.email)!;
    expect(held).toMatchObject({ status: "held", essential: false });
    expect(held.text).toContain(unsubscribeUrl(secondLeadOfficer.id));
    // Partners that had already joined hear nothing of another council's answer.
    expect(change.emails.map((e) => e.toEmail)).not.toContain(f.partnerOfficer.email);

    const page = await call(bidLoader, get(`/bids/${f.bid.id}`, lead), params);
    const titles = (page.data.timeline as { title: string; actor: string }[]).map((t) => t.title);
    expect(titles.slice(0, 4)).toEqual([
      "Invited Borough accepted the invitation",
      "Invited Borough invited again",
      "Invited Borough declined the invitation",
      "Invited Borough invited to be a partner",
    ]);
    expect(page.data.timeline[0].actor).toBe(`${invitedOfficers[0]!.name}, Invited Borough`);

    // Taking a council off the bid is silent on purpose, but kept on the timeline.
    expect((await call(partnersAction, post(`/bids/${f.bid.id}/partners`, lead, { intent: "remove", organisationId: invited.id }), params)).status).toBe(302);
    change = await lastChange("partnership", f.bid.id);
    expect(change.history.map((h) => [h.fromState, h.toState, h.event])).toEqual([["accepted", "removed", "REMOVE"]]);
    expect(change.emails).toEqual([]);
    const after = await call(bidLoader, get(`/bids/${f.bid.id}`, lead), params);
    expect(after.data.timeline[0]).toMatchObject({ title: "Invited Borough taken off the bid", from: "Partner", to: "Removed" });
  });
});

describe("a council adopting a product", () => {
  async function adopting() {
    const f = await createFundedProject({ stage: "scale", title: "Shared waste booking" });
    const adopterCouncil = await createOrganisation({ name: "Adopting Borough" });
    const adopter = await createUser("councilOfficer", adopterCouncil.id);
    await createUser("councilOfficer", adopterCouncil.id);
    const browser = await signedInBrowser(adopter.id);
    await call(adoptionsAction, post(`/projects/${f.project.id}/adoptions`, browser, { intent: "register" }), { id: f.project.id });
    const adoption = await db().adoption.findFirstOrThrow({ where: { projectId: f.project.id } });
    return { ...f, adopterCouncil, adopter, browser, adoption, who: { leadOrganisationId: f.lead.id } };
  }

  const adopterAndPartners = async (f: Awaited<ReturnType<typeof adopting>>) =>
    (await db().user.findMany({ where: { organisationId: { in: [f.adopterCouncil.id, f.partnerA.id, f.partnerB.id] } }, select: { email: true } })).map(
      (u) => u.email,
    );

  it("tells the lead council and the fund team of registration and of each change, never the adopting council", async () => {
    const f = await adopting();
    let change = await lastChange("adoption", f.adoption.id);
    expect(sent(change.emails)).toEqual(await expectedEmails("adoption", change.history, f.who));
    expect(change.emails.map((e) => e.template)).toContain("adoption-registered");

    const url = `/projects/${f.project.id}/adoptions/${f.adoption.id}`;
    const params = { id: f.project.id, adoptionId: f.adoption.id };
    const form = await call(adoptionLoader, get(url, f.browser), params);
    const saved = await call(
      adoptionAction,
      post(url, f.browser, {
        updatedAt: form.data.adoption.updatedAt,
        status: "live",
        "goLiveOn-day": "3",
        "goLiveOn-month": "2",
        "goLiveOn-year": "2027",
        savings: "12,500",
        note: "",
      }),
      params,
    );
    expect(saved.status).toBe(302);
    // One save, three changes: each on the timeline, one email per person listing all three.
    change = await lastChange("adoption", f.adoption.id, 3);
    expect(change.history.map((h) => h.event).sort()).toEqual(["CHANGE_GO_LIVE_DATE", "CHANGE_SAVINGS", "MARK_LIVE"]);
    expect(sent(change.emails)).toEqual(await expectedEmails("adoption", change.history, f.who));
    const toLead = change.emails.find((e) => e.toEmail === f.officer.email)!;
    expect(toLead.subject).toBe(`Adopting Borough is live with Shared waste booking (${f.project.reference})`);
    expect(toLead.text).toContain("Status: Registered to Live");
    expect(toLead.text).toContain("Go-live date: 3 February 2027 (was not set)");
    expect(toLead.text).toContain("Savings so far: £12,500 (was £0)");
    const outsiders = await adopterAndPartners(f);
    expect(change.emails.filter((e) => outsiders.includes(e.toEmail))).toEqual([]);

    // A note alone is the adopting council's working record: on the timeline, in no email.
    const again = await call(adoptionLoader, get(url, f.browser), params);
    await call(
      adoptionAction,
      post(url, f.browser, {
        updatedAt: again.data.adoption.updatedAt,
        status: "live",
        "goLiveOn-day": "3",
        "goLiveOn-month": "2",
        "goLiveOn-year": "2027",
        savings: "12,500",
        note: "Two depots.",
      }),
      params,
    );
    change = await lastChange("adoption", f.adoption.id);
    expect(change.history.map((h) => h.event)).toEqual(["EDIT_NOTE"]);
    expect(change.emails).toEqual([]);

    const lead = await call(adoptionLoader, get(url, await signedInBrowser(f.officer.id)), params);
    const timeline = lead.data.timeline as { title: string; actor: string; from: string | null; to: string; details: string[] }[];
    expect(timeline.map((t) => t.title)).toEqual(
      expect.arrayContaining(["Note changed", "Went live", "Savings changed", "Go-live date changed", "Registered to adopt"]),
    );
    const wentLive = timeline.find((t) => t.title === "Went live")!;
    expect(wentLive).toMatchObject({ from: "Registered", to: "Live", actor: `${f.adopter.name}, Adopting Borough` });
  });
});

describe("a case study's review", () => {
  it("asks the fund team to review, and tells only its author when it is returned or published", async () => {
    const f = await completedProject({ title: "Bulky waste booking" });
    const otherLeadOfficer = await createUser("councilOfficer", f.lead.id);
    const author = await signedInBrowser(f.officer.id);
    const fundTeam = await signedInBrowser(f.fundTeam.id);
    const params = { id: f.project.id };
    const fields = {
      title: "Booking bulky waste online",
      serviceArea: "Waste",
      problem: "Residents waited on hold.",
      approach: "A shared booking service.",
      evidence: "Calls fell by a third.",
      outcome: "Every partner books online.",
      lessons: "Start with the contact centre data.",
      reusableOutputs: "The code.",
    };
    const send = async (browser: Browser, intent: string, extra: Record<string, string> = {}) => {
      const page = await call(caseStudyLoader, get(`/projects/${f.project.id}/case-study`, browser), params);
      const updatedAt = page.data.caseStudy?.updatedAt;
      return call(caseStudyAction, post(`/projects/${f.project.id}/case-study`, browser, { intent, ...extra, ...(updatedAt ? { updatedAt } : {}) }), params);
    };

    expect((await send(author, "review", fields)).status).toBe(302);
    const caseStudy = await db().caseStudy.findUniqueOrThrow({ where: { projectId: f.project.id } });
    const who = { leadOrganisationId: f.lead.id, authorUserId: f.officer.id };
    let change = await lastChange("caseStudy", caseStudy.id, 2);
    expect(change.history.map((h) => h.event).sort()).toEqual(["CREATE", "SUBMIT_FOR_REVIEW"]);
    expect(sent(change.emails)).toEqual(await expectedEmails("caseStudy", change.history, who));
    expect(new Set(change.emails.map((e) => e.template))).toEqual(new Set(["case-study-submitted"]));

    expect((await send(fundTeam, "return", { reviewNote: "Say what the savings were measured against." })).status).toBe(302);
    change = await lastChange("caseStudy", caseStudy.id);
    expect(sent(change.emails)).toEqual([`case-study-returned ${f.officer.email} essential`]);
    expect(change.emails[0]!.text).toContain("Say what the savings were measured against.");

    // The other lead officer sends it back, so becomes the author the fund team answers.
    expect((await send(await signedInBrowser(otherLeadOfficer.id), "review", fields)).status).toBe(302);
    expect((await send(fundTeam, "publish")).status).toBe(302);
    change = await lastChange("caseStudy", caseStudy.id);
    expect(sent(change.emails)).toEqual(await expectedEmails("caseStudy", change.history, { ...who, authorUserId: otherLeadOfficer.id }));
    expect(sent(change.emails)).toEqual([`case-study-published ${otherLeadOfficer.email} not essential`]);
    expect(change.emails[0]!.text).toContain(unsubscribeUrl(otherLeadOfficer.id));

    const page = await call(caseStudyLoader, get(`/projects/${f.project.id}/case-study`, author), params);
    const timeline = page.data.timeline as { title: string; actor: string; reason: string | null }[];
    expect(timeline.map((t) => t.title)).toEqual([
      "Published in the knowledge hub",
      "Sent to the fund team for review",
      "Returned to the project team",
      "Sent to the fund team for review",
      "Case study started",
    ]);
    expect(timeline[2]).toMatchObject({
      reason: "Say what the savings were measured against.",
      actor: `${f.fundTeam.name}, ${(await db().organisation.findUniqueOrThrow({ where: { id: f.fundTeam.organisationId } })).name}`,
    });
  });
});

describe("the notification matrix page", () => {
  it("lists every email the service can send, grouped, with who gets it, whether it is essential, and a preview", async () => {
    const browser = await signedInBrowser((await createUser("fundTeam")).id);
    const page = await call(templatesLoader, get("/notifications/templates", browser), {});
    expect(page.status).toBe(200);
    const groups = page.data.groups as { group: string; emails: { name: string; when: string[]; recipients: string[] }[] }[];
    const listed = groups.flatMap((g) => g.emails.map((e) => e.name));
    expect(listed.sort()).toEqual(Object.keys(templates).sort());
    expect(groups.map((g) => g.group)).not.toContain("Other");
    for (const email of groups.flatMap((g) => g.emails)) {
      expect(email.recipients.length, email.name).toBeGreaterThan(0);
      for (const r of email.recipients) expect(r, email.name).toMatch(/\((essential|not essential)\)$/);
    }
    const byName = new Map(groups.flatMap((g) => g.emails.map((e) => [e.name, { ...e, group: g.group }] as const)));
    expect(byName.get("sign-in-link")).toMatchObject({ group: "Signing in and access", recipients: ["The person signing in (essential)"] });
    expect(byName.get("bid-partner-answered")?.recipients).toEqual(["Lead council officers (not essential)", "Lead council officers (essential)"]);
    expect(byName.get("case-study-returned")).toMatchObject({ group: "Case studies", recipients: ["The case study's author (essential)"] });
    expect(byName.get("daily-digest")?.group).toBe("Digests and feedback");
    expect((page.data.silent as { reason: string }[]).length).toBeGreaterThan(0);
  });
});
