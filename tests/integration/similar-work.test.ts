import { createTransport } from "nodemailer";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { bidSections } from "~/bid-form/sections.ts";
import { database, db } from "~/db/database.server.ts";
import { emptyDatabase } from "~/db/empty.server.ts";
import { metricsResponse } from "~/observability/metrics.server.ts";
import { MESSAGES_PER_HOUR } from "~/reuse/contact.ts";
import { findSimilarWork, rebuildSimilarWork } from "~/reuse/similar.server.ts";
import { loader as scoreLoader } from "~/routes/assessments.$id_.score.tsx";
import { loader as bidLoader } from "~/routes/bids.$id.tsx";
import { loader as eligibilityLoader } from "~/routes/bids.$id_.eligibility.tsx";
import { loader as sectionLoader } from "~/routes/bids.$id_.sections.$section.tsx";
import { action as similarAction, loader as similarLoader } from "~/routes/bids.$id_.similar.$projectId.tsx";
import { useTestDatabase } from "../support/database.ts";
import { drain } from "../support/delivery.ts";
import { createBidsInAssessment, createOrganisation, createPartnershipBid } from "../../bench/support/fixtures.ts";
import { context, createUser, get, post, run, signedInBrowser } from "../../bench/support/requests.ts";
import { createPastWork, type PastWork } from "../support/similar-work.ts";
import { startSmtpSink } from "../support/smtp.ts";
import { labelledDrafts, labelledWork, unrelatedDraft, type LabelledDraft } from "./similar-work.labelled.ts";

useTestDatabase();

const queryOf = (d: { title: string; summary: string; problem: string; approach: string }) => ({
  text: [d.title, d.summary, d.problem, d.approach].join("\n"),
  title: d.title,
});

// The precision of the top three, averaged over the labelled drafts, must reach this.
const TOP3_PRECISION = 0.85;

describe("ranking similar work on a labelled set", () => {
  let ids: Map<string, string>;
  let keyOf: Map<string, string>;
  beforeAll(async () => {
    ({ ids } = await createPastWork(labelledWork));
    keyOf = new Map([...ids].map(([key, id]) => [id, key]));
  });

  it(`puts relevant work in the top three (precision at 3 of at least ${TOP3_PRECISION}, averaged)`, async () => {
    const report: string[] = [];
    let total = 0;
    for (const draft of labelledDrafts) {
      const found = await findSimilarWork(queryOf(draft));
      const top = found.slice(0, 3).map((m) => keyOf.get(m.projectId)!);
      const precision = top.filter((k) => draft.relevant.includes(k)).length / 3;
      total += precision;
      report.push(`${draft.name}: ${precision.toFixed(2)} (${found.map((m) => `${keyOf.get(m.projectId)} ${m.score.toFixed(3)}/${m.shared}`).join(", ")})`);
    }
    const average = total / labelledDrafts.length;
    expect(average, report.join("\n")).toBeGreaterThanOrEqual(TOP3_PRECISION);
  });

  it("shows nothing for a draft that no past work resembles", async () => {
    expect(await findSimilarWork(queryOf(unrelatedDraft))).toEqual([]);
  });

  it("finds the same after the rows are made again from the records", async () => {
    const before = await findSimilarWork(queryOf(labelledDrafts[0]!));
    await database().exec(`TRUNCATE "SimilarWork"`);
    expect(await findSimilarWork(queryOf(labelledDrafts[0]!))).toEqual([]);
    expect(await rebuildSimilarWork()).toBe(labelledWork.length);
    expect(await findSimilarWork(queryOf(labelledDrafts[0]!))).toEqual(before);
  });

  it("ranks a draft once, then answers from the kept ranking until the draft or the funded work changes, reading what it shows afresh", async () => {
    const draft = labelledDrafts[1]!;
    const first = await findSimilarWork(queryOf(draft));
    expect(first.length).toBeGreaterThan(0);
    const before = await searchCounts();

    // The same draft against the same funded work: the ranking is kept, the answer the same.
    expect(await findSimilarWork(queryOf(draft))).toEqual(first);
    expect(await searchCounts()).toEqual({ ranked: before.ranked, kept: before.kept + 1 });

    // A change that is not what the work is ranked by (its stage) shows at once, from the kept ranking.
    const top = first[0]!;
    const state = top.state === "scale" ? "pilot" : "scale";
    await db().project.update({ where: { id: top.projectId }, data: { state } });
    const restaged = await findSimilarWork(queryOf(draft));
    expect(restaged.map((m) => m.projectId)).toEqual(first.map((m) => m.projectId));
    expect(restaged[0]!.state).toBe(state);
    expect(await searchCounts()).toEqual({ ranked: before.ranked, kept: before.kept + 2 });

    // A changed draft is searched afresh.
    await findSimilarWork({ ...queryOf(draft), text: `${queryOf(draft).text}\nAnd one more sentence.` });
    expect((await searchCounts()).ranked).toBe(before.ranked + 1);

    // So is the same draft once the funded work searched has changed: the top match renamed
    // to words the draft does not use drops down, as a fresh ranking says.
    await db().project.update({ where: { id: top.projectId }, data: { title: "Quarterly stationery order", summary: "" } });
    const after = await findSimilarWork(queryOf(draft));
    expect((await searchCounts()).ranked).toBe(before.ranked + 2);
    expect(after[0]?.projectId).not.toBe(top.projectId);
    await db().project.update({
      where: { id: top.projectId },
      data: { title: top.title, summary: labelledWork.find((w) => ids.get(w.key) === top.projectId)!.summary },
    });
    expect(await findSimilarWork(queryOf(draft))).toEqual(restaged);
  });

  it("leaves out the projects it is told to", async () => {
    const draft = labelledDrafts[0]!;
    const excluded = ids.get(draft.relevant[0]!)!;
    const found = await findSimilarWork(queryOf(draft), { exclude: [excluded] });
    expect(found.length).toBeGreaterThan(0);
    expect(found.map((m) => m.projectId)).not.toContain(excluded);
    expect(await db().project.count({ where: { id: excluded } })).toBe(1);
  });
});

/** How many similar-work answers this process has given, ranked afresh and from a kept ranking (its metrics). */
async function searchCounts() {
  const body = (await metricsResponse("Bearer counts", "counts"))!.body;
  const count = (answer: string) => Number(new RegExp(`^springboard_similar_work_searches_total\\{answer="${answer}"\\} (\\d+)`, "m").exec(body)?.[1] ?? 0);
  return { ranked: count("ranked"), kept: count("kept") };
}

// ---------------------------------------------------------------- the panel, its privacy and its actions

const call = <T>(fn: (args: any) => Promise<T>, request: Request, params: Record<string, string>) => run(() => fn({ request, context: context(), params }));

/** Council B's draft bid, written as `draft` says: the council that looks for similar work. */
async function draftBid(draft: Pick<LabelledDraft, "title" | "summary" | "problem" | "approach">) {
  const made = await createPartnershipBid();
  await db().bid.update({
    where: { id: made.bid.id },
    data: {
      title: draft.title,
      answers: {
        completed: bidSections.map((s) => s.key),
        sections: {
          summary: { title: draft.title, summary: draft.summary },
          problem: { problem: draft.problem, users: "" },
          approach: { approach: draft.approach, reuse: "", openness: "" },
        },
      },
    },
  });
  return made;
}

const repairsDraft = labelledDrafts.find((d) => d.name === "repairs")!;
const repairsWork = labelledWork.filter((w) => repairsDraft.relevant.includes(w.key));
const panelOf = async (bidId: string, userId: string) =>
  (await call(bidLoader, get(`/bids/${bidId}`, await signedInBrowser(userId)), { id: bidId })).data.similar;

// The fields a panel item may carry: nothing else of another council's records reaches the page.
const VIEW_MODEL_KEYS = [
  "adoptionHref",
  "canAdopt",
  "canContact",
  "caseStudy",
  "href",
  "lead",
  "projectId",
  "reference",
  "scale",
  "serviceArea",
  "sharedWords",
  "snippet",
  "stage",
  "title",
];

// Each test below starts from an empty database, so that only its own past work can be found.
const emptied = () => beforeEach(() => emptyDatabase(database()));

describe("the similar-work panel", () => {
  emptied();
  it("shows the bid's own council the funded work like its draft, as view models with the shared words marked", async () => {
    await createPastWork(repairsWork);
    const { bid, officer } = await draftBid(repairsDraft);
    const similar = await panelOf(bid.id, officer.id);
    expect(similar.map((i: { title: string }) => i.title).sort()).toEqual(repairsWork.map((w) => w.title).sort());
    for (const item of similar) expect(Object.keys(item).sort()).toEqual(VIEW_MODEL_KEYS);
    const online = similar.find((i: { title: string }) => i.title === "Housing repairs reporting");
    expect(online.stage).toEqual({ text: "Scale", tag: "turquoise" });
    expect(online.scale).toEqual({ adopters: 0 });
    expect(online.sharedWords).toEqual(expect.arrayContaining(["repairs", "tenants", "photos"]));
    expect(online.snippet.filter((p: { mark: boolean }) => p.mark).map((p: { text: string }) => p.text.toLowerCase())).toContain("photos");
    expect(online.snippet.map((p: { text: string }) => p.text).join("")).toBe(repairsWork[0]!.summary);
    const triage = similar.find((i: { title: string }) => i.title === "Right first time responsive maintenance");
    expect(triage.caseStudy).toEqual({ href: expect.stringMatching(/^\/hub\/repairs-triage-/), title: "Right first time responsive maintenance" });
    expect(triage.stage).toEqual({ text: "Completed", tag: "green" });
    // Adoption is open only in scale; writing to the lead is open for any of them.
    expect(similar.map((i: { title: string; canAdopt: boolean }) => [i.title, i.canAdopt])).toEqual(
      expect.arrayContaining([
        ["Housing repairs reporting", true],
        ["Damp and mould reports from tenants", false],
      ]),
    );
    expect(similar.every((i: { canContact: boolean }) => i.canContact)).toBe(true);
  });

  it("sits beside the problem and approach questions, and not the others", async () => {
    await createPastWork(repairsWork);
    const { bid, officer } = await draftBid(repairsDraft);
    const browser = await signedInBrowser(officer.id);
    for (const [section, shown] of [
      ["problem", true],
      ["approach", true],
      ["summary", false],
      ["costs", false],
    ] as const) {
      const page = await call(sectionLoader, get(`/bids/${bid.id}/sections/${section}`, browser), { id: bid.id, section });
      expect(page.status, section).toBe(200);
      expect(page.data.similar === null, section).toBe(!shown);
      if (shown) expect(page.data.similar.length, section).toBe(3);
    }
  });

  it("is for the bid's own councils while they write it: not the fund team's bid page, and gone once the bid is sent", async () => {
    await createPastWork(repairsWork);
    const { bid, officer, certifier, partnerOfficer, fundTeam } = await draftBid(repairsDraft);
    expect((await panelOf(bid.id, certifier.id)).length).toBe(3);
    expect((await panelOf(bid.id, partnerOfficer.id)).length).toBe(3);
    // A certifier sees it, but adopting and writing are for officers.
    expect((await panelOf(bid.id, certifier.id)).some((i: { canAdopt: boolean; canContact: boolean }) => i.canAdopt || i.canContact)).toBe(false);
    expect(await panelOf(bid.id, fundTeam.id)).toBeNull();
    await db().bid.update({ where: { id: bid.id }, data: { state: "submitted" } });
    expect(await panelOf(bid.id, officer.id)).toBeNull();
  });

  it("never shows one council's draft bid to another: only funded work is searched", async () => {
    const secret: LabelledDraft = {
      name: "secret",
      title: "Quokka sanctuary volunteer rota",
      summary: "Volunteers at the quokka sanctuary book rota shifts and swap them.",
      problem: "The quokka sanctuary rota is a whiteboard, and volunteers swap shifts by text message.",
      approach: "A rota booking tool for sanctuary volunteers.",
      relevant: [],
    };
    const a = await draftBid(secret);
    const b = await draftBid({
      ...secret,
      title: "Sanctuary volunteer rota booking",
      problem: "Volunteers at the quokka sanctuary swap rota shifts by text message.",
    });
    const panel = await call(bidLoader, get(`/bids/${b.bid.id}`, await signedInBrowser(b.officer.id)), { id: b.bid.id });
    expect(panel.data.similar).toEqual([]);
    expect(JSON.stringify(panel.data)).not.toContain(a.bid.id);
    expect(JSON.stringify(panel.data)).not.toContain("whiteboard");
    // Nor does it show the council its own draft.
    expect(await panelOf(a.bid.id, a.officer.id)).toEqual([]);
    // Once funded, it is past work like any other.
    await createPastWork([{ key: "quokka", title: secret.title, summary: secret.summary, problem: secret.problem, state: "pilot_delivering" }]);
    expect((await panelOf(b.bid.id, b.officer.id)).map((i: { title: string }) => i.title)).toEqual([secret.title]);
  });

  it("never shows a case study that is not published, and stops showing one taken out of the hub", async () => {
    const lessons: PastWork = {
      key: "narwhal",
      title: "Harbour moorings",
      summary: "Moorings for small boats.",
      state: "stopped",
      caseStudy: {
        status: "draft",
        problem: "Narwhal watching trips overbooked the harbour pontoon; skippers queued for berths and ferry passengers waited on the quay.",
        lessons: "Pontoon berth booking needs the harbour master's tide tables.",
      },
    };
    const { ids } = await createPastWork([lessons]);
    const projectId = ids.get("narwhal")!;
    const query = {
      text: "Narwhal watching skippers book pontoon berths by tide, so ferry passengers no longer wait on the quay.",
      title: "Pontoon berth booking",
    };
    for (const status of ["draft", "inReview", "returned"]) {
      await db().caseStudy.update({ where: { projectId }, data: { status } });
      expect(await findSimilarWork(query), status).toEqual([]);
    }
    await db().caseStudy.update({ where: { projectId }, data: { status: "published", publishedAt: new Date() } });
    const found = await findSimilarWork(query);
    expect(found.map((m) => m.projectId)).toEqual([projectId]);
    expect(found[0]!.caseStudySlug).toMatch(/^narwhal-/);
    await db().caseStudy.update({ where: { projectId }, data: { status: "returned", publishedAt: null } });
    expect(await findSimilarWork(query)).toEqual([]);
    await db().caseStudy.update({ where: { projectId }, data: { status: "published", publishedAt: new Date() } });
    await db().caseStudy.delete({ where: { projectId } });
    expect(await findSimilarWork(query)).toEqual([]);
  });

  it("names the funded work a bid resembles on the eligibility check and the assessor's scoring page, without actions", async () => {
    await createPastWork(repairsWork);
    const { bid, fundTeam } = await draftBid(repairsDraft);
    const eligibility = await call(eligibilityLoader, get(`/bids/${bid.id}/eligibility`, await signedInBrowser(fundTeam.id)), { id: bid.id });
    expect(eligibility.status).toBe(200);
    expect(eligibility.data.similar.map((i: { title: string }) => i.title).sort()).toEqual(repairsWork.map((w) => w.title).sort());
    expect(eligibility.data.similar.some((i: { canAdopt: boolean; canContact: boolean }) => i.canAdopt || i.canContact)).toBe(false);

    const assessed = await createBidsInAssessment(1);
    const assessedBid = assessed.bids[0]!.bid;
    const stored = (await db().bid.findUniqueOrThrow({ where: { id: assessedBid.id } })).answers as Record<string, unknown>;
    await db().bid.update({
      where: { id: assessedBid.id },
      data: {
        answers: { ...stored, sections: { summary: { title: repairsDraft.title, summary: repairsDraft.summary }, problem: { problem: repairsDraft.problem } } },
      },
    });
    const assessment = await db().assessment.findFirstOrThrow({ where: { bidId: assessedBid.id } });
    const score = await call(scoreLoader, get(`/assessments/${assessment.id}/score`, await signedInBrowser(assessment.assessorUserId)), { id: assessment.id });
    expect(score.status).toBe(200);
    expect(score.data.similar.length).toBeGreaterThan(0);
    expect(score.data.similar.every((i: { title: string }) => repairsWork.some((w) => w.title === i.title))).toBe(true);
  });
});

describe("asking to adopt, and writing to the lead, from the panel", () => {
  emptied();
  async function setUp() {
    const past = await createPastWork(repairsWork);
    const draft = await draftBid(repairsDraft);
    const inScale = past.ids.get("repairs-online")!;
    const pilot = past.ids.get("repairs-damp")!;
    const leadOf = async (projectId: string) => (await db().project.findUniqueOrThrow({ where: { id: projectId } })).leadOrganisationId;
    return { ...past, ...draft, inScale, pilot, leadOf, browser: await signedInBrowser(draft.officer.id) };
  }

  it("registers the council to adopt a product in scale, tells the lead council's officers by email, and then shows the adoption", async () => {
    const f = await setUp();
    const url = `/bids/${f.bid.id}/similar/${f.inScale}`;
    const params = { id: f.bid.id, projectId: f.inScale };
    const adopted = await call(similarAction, post(url, f.browser, { intent: "adopt" }), params);
    expect(adopted.status).toBe(302);
    const adoption = await db().adoption.findUniqueOrThrow({ where: { projectId_organisationId: { projectId: f.inScale, organisationId: f.lead.id } } });
    expect(adoption.status).toBe("registered");
    expect(adopted.location).toBe(`/projects/${f.inScale}/adoptions/${adoption.id}?notice=registered`);

    const leadOfficers = await db().user.findMany({ where: { organisationId: await f.leadOf(f.inScale), role: "councilOfficer" } });
    const emails = await db().notification.findMany({ where: { template: "adoption-registered" } });
    expect(emails.map((e) => e.toEmail)).toEqual(expect.arrayContaining(leadOfficers.map((o) => o.email)));
    const sink = await startSmtpSink();
    const transport = createTransport(sink.url);
    try {
      await drain(db(), transport);
    } finally {
      transport.close();
      await sink.close();
    }
    const received = sink.messages.find((m) => m.subject?.includes("registered to adopt"));
    expect(received?.subject).toContain(f.lead.name);
    expect(received?.text).toContain("Housing repairs reporting");

    const panel = await panelOf(f.bid.id, f.officer.id);
    const item = panel.find((i: { projectId: string }) => i.projectId === f.inScale);
    expect(item.canAdopt).toBe(false);
    expect(item.adoptionHref).toBe(`/projects/${f.inScale}/adoptions/${adoption.id}`);
    expect(item.scale).toEqual({ adopters: 1 });
  });

  it("refuses to adopt work that is not in scale, saying why", async () => {
    const f = await setUp();
    const refused = await call(similarAction, post(`/bids/${f.bid.id}/similar/${f.pilot}`, f.browser, { intent: "adopt" }), {
      id: f.bid.id,
      projectId: f.pilot,
    });
    expect(refused.status).toBe(400);
    expect(refused.data.errors.adopt).toBe("Councils can register to adopt a product only while it is in its scale stage.");
    expect(await db().adoption.count()).toBe(0);
  });

  it("emails the lead council's officers the message, with who sent it and where to reply", async () => {
    const f = await setUp();
    const url = `/bids/${f.bid.id}/similar/${f.pilot}`;
    const params = { id: f.bid.id, projectId: f.pilot };
    const page = await call(similarLoader, get(url, f.browser), params);
    expect(page.status).toBe(200);
    expect(page.data.project).toMatchObject({ title: "Damp and mould reports from tenants", canContact: true, canAdopt: false });

    const empty = await call(similarAction, post(url, f.browser, { intent: "contact", message: "   " }), params);
    expect(empty.status).toBe(400);
    expect(empty.data.errors.message).toBe("Enter your message to the lead council");
    const long = "x".repeat(2001);
    const tooLong = await call(similarAction, post(url, f.browser, { intent: "contact", message: long }), params);
    expect(tooLong.status).toBe(400);
    expect(tooLong.data.errors.message).toBe("Your message must be 2,000 characters or fewer");
    expect(tooLong.data.values.message).toBe(long);
    expect(await db().notification.count({ where: { template: "similar-work-message" } })).toBe(0);

    const message = "We are planning a repairs service like yours. Could we talk about the photo upload?";
    const sent = await call(similarAction, post(url, f.browser, { intent: "contact", message }), params);
    expect(sent.status).toBe(302);
    expect(sent.location).toBe(`${url}?sent=1`);
    const leadOfficers = await db().user.findMany({ where: { organisationId: await f.leadOf(f.pilot), role: "councilOfficer" } });
    const rows = await db().notification.findMany({ where: { template: "similar-work-message" } });
    expect(rows.map((r) => r.toEmail).sort()).toEqual(leadOfficers.map((o) => o.email).sort());
    expect(rows.every((r) => r.essential && r.status === "pending")).toBe(true);

    const sink = await startSmtpSink();
    const transport = createTransport(sink.url);
    try {
      await drain(db(), transport);
    } finally {
      transport.close();
      await sink.close();
    }
    const mail = sink.messages.find(
      (m) =>
        m.subject ===
        `${f.lead.name} would like to talk about Damp and mould reports from tenants (${rows[0]!.data && (rows[0]!.data as { reference: string }).reference})`,
    );
    expect(mail, sink.messages.map((m) => m.subject).join("\n")).toBeDefined();
    expect(mail!.text).toContain(message);
    expect(mail!.text).toContain(f.officer.name);
    expect(mail!.text).toContain(f.officer.email);
    // Nothing of the sender's bid goes with it.
    expect(mail!.text).not.toContain(repairsDraft.problem);
  });

  it("limits how many messages one person sends in an hour, keeping what they typed", async () => {
    const f = await setUp();
    const url = `/bids/${f.bid.id}/similar/${f.pilot}`;
    const params = { id: f.bid.id, projectId: f.pilot };
    for (let i = 0; i < MESSAGES_PER_HOUR; i++) {
      expect((await call(similarAction, post(url, f.browser, { intent: "contact", message: `Message ${i}` }), params)).status).toBe(302);
    }
    const limited = await call(similarAction, post(url, f.browser, { intent: "contact", message: "One more" }), params);
    expect(limited.status).toBe(429);
    expect(limited.data.errors.message).toMatch(/^You have sent a lot of messages in the last hour\. Wait \d+ minutes? and try again$/);
    expect(limited.data.values.message).toBe("One more");
    // Another officer of the same council has their own allowance.
    const colleague = await signedInBrowser((await createUser("councilOfficer", f.lead.id)).id);
    expect((await call(similarAction, post(url, colleague, { intent: "contact", message: "Hello" }), params)).status).toBe(302);
  });

  it("has no one to write to about the council's own work, and is closed to councils outside the bid", async () => {
    const f = await setUp();
    const ownCouncil = await createPastWork(
      [{ key: "own", title: "Our own repairs pilot", summary: "Tenants report repairs with photos.", state: "scale_delivering" }],
      { leads: [f.lead] },
    );
    const own = ownCouncil.ids.get("own")!;
    const page = await call(similarLoader, get(`/bids/${f.bid.id}/similar/${own}`, f.browser), { id: f.bid.id, projectId: own });
    expect(page.data.project).toMatchObject({ canContact: false, canAdopt: false });
    const refused = await call(similarAction, post(`/bids/${f.bid.id}/similar/${own}`, f.browser, { intent: "contact", message: "Hello" }), {
      id: f.bid.id,
      projectId: own,
    });
    expect(refused.status).toBe(400);

    const outsider = await signedInBrowser((await createUser("councilOfficer", (await createOrganisation()).id)).id);
    const params = { id: f.bid.id, projectId: f.inScale };
    expect((await call(similarLoader, get(`/bids/${f.bid.id}/similar/${f.inScale}`, outsider), params)).status).toBe(404);
    expect((await call(similarAction, post(`/bids/${f.bid.id}/similar/${f.inScale}`, outsider, { intent: "adopt" }), params)).status).toBe(404);
    expect(await db().adoption.count()).toBe(0);
  });
});
