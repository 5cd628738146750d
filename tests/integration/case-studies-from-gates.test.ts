import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db/database.server.ts";
import { createTransport } from "~/mail/delivery.server.ts";
import { londonToday } from "~/utils/dates.ts";
import { loader as fundedIndexLoader } from "~/routes/funded._index.tsx";
import { loader as fundedLoader } from "~/routes/funded.$reference.tsx";
import { loader as publicDocumentLoader } from "~/routes/hub.$slug_.documents.$documentId.tsx";
import { loader as publicCaseStudyLoader } from "~/routes/hub.$slug.tsx";
import { loader as hubLoader } from "~/routes/hub._index.tsx";
import { loader as reviewLoader } from "~/routes/hub.review.tsx";
import { action as caseStudyAction, loader as caseStudyLoader } from "~/routes/projects.$id_.case-study.tsx";
import { action as evidenceAction, loader as evidenceLoader } from "~/routes/projects.$id_.evidence.tsx";
import { action as gateAction, loader as gateLoader } from "~/routes/projects.$id_.gate.tsx";
import { localDiskStorage, setStorage, storage } from "~/storage/storage.server.ts";
import { useTestDatabase } from "../support/database.ts";
import { drain } from "../support/delivery.ts";
import { createFundedProject, createOrganisation } from "../../bench/support/fixtures.ts";
import { startSmtpSink } from "../support/smtp.ts";
import { anonymousBrowser, context, createUser, get, post, run, signedInBrowser, type Browser } from "../../bench/support/requests.ts";

useTestDatabase();

beforeAll(() => setStorage(localDiskStorage(mkdtempSync(path.join(tmpdir(), "springboard-case-studies-")))));
afterAll(() => setStorage(undefined));

type Funded = Awaited<ReturnType<typeof createFundedProject>>;
type User = { id: string };

const call = (fn: (args: any) => Promise<unknown>, request: Request, params: Record<string, string> = {}) =>
  run(() => fn({ request, context: context(), params }));
const as = (user: User) => signedInBrowser(user.id);
const day = (offset = 0) => {
  const date = new Date(`${londonToday()}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + offset);
  return date.toISOString().slice(0, 10);
};
const utc = (iso: string) => new Date(`${iso}T00:00:00Z`);

async function gate(user: User, projectId: string, fields: Record<string, string>) {
  const { version } = await db().project.findUniqueOrThrow({ where: { id: projectId }, select: { version: true } });
  const result = await call(gateAction, post(`/projects/${projectId}/gate`, await as(user), { version: String(version), ...fields }), { id: projectId });
  expect(result.status, JSON.stringify(result.data)).toBe(302);
  return result;
}

/** Records whatever evidence the gate's checklist still lacks, straight into the tables it is derived from. */
async function attachEvidence(f: Funded, stage: "pilot" | "scale") {
  const page = await call(gateLoader, get(`/projects/${f.project.id}/gate`, await as(f.officer)), { id: f.project.id });
  for (const item of page.data.checklist as { key: string; present: boolean }[]) {
    if (item.present) continue;
    if (item.key === "evaluationSummary") {
      await db().projectEvaluation.create({ data: { projectId: f.project.id, stage, text: `The ${stage} stage went as planned.` } });
    } else if (item.key === "spendToDate") {
      await db().spendReport.create({ data: { projectId: f.project.id, stage, amountPence: 10_000_00, periodEnd: utc(day(-1)), reportedById: f.officer.id } });
    } else if (item.key === "metricsAgainstBaseline") {
      await db().metric.create({
        data: {
          projectId: f.project.id,
          name: "Calls",
          unit: "",
          baseline: 100,
          target: 50,
          actuals: { create: [{ stage, value: 80, recordedOn: utc(day(-1)) }] },
        },
      });
    } else {
      await document(f, stage, `${item.key}.pdf`, item.key);
    }
  }
}

async function document(f: Funded, stage: "pilot" | "scale", fileName: string, type = "other") {
  const bytes = new TextEncoder().encode(`%PDF-1.4 ${fileName}`);
  const { key, sha256 } = await storage().put(bytes);
  return db().projectDocument.create({
    data: {
      projectId: f.project.id,
      stage,
      type,
      fileName,
      size: bytes.length,
      mimeType: "application/pdf",
      sha256,
      storageKey: key,
      uploadedById: f.officer.id,
    },
  });
}

/** One gate through the real pages: the lead asks, the fund team opens, one approver decides (tier 1). */
async function decide(f: Funded, stage: "pilot" | "scale", vote: Record<string, string>, nextTranche?: string) {
  await attachEvidence(f, stage);
  await gate(f.officer, f.project.id, { intent: "request", ...(nextTranche ? { nextTranche } : {}) });
  await gate(f.fundTeam, f.project.id, { intent: "open" });
  await gate(f.approver, f.project.id, { intent: "vote", ...vote });
}

const snapshotOf = async (f: Funded) =>
  (await db().project.findUniqueOrThrow({ where: { id: f.project.id }, select: { snapshot: true } })).snapshot as unknown as {
    context: { conditions: { id: string; met: { at: string } | null }[] };
  };

/** A stage's measurement, evaluation and spend report, each with a note that must never be published. */
async function recordStage(f: Funded, stage: "pilot" | "scale", record: { actual: number; actualOn: string; spentPence: number; spentTo: string }) {
  const metric = await db().metric.findFirstOrThrow({ where: { projectId: f.project.id } });
  await db().metricActual.create({
    data: { metricId: metric.id, stage, value: record.actual, recordedOn: utc(record.actualOn), note: "Counted by hand by Sam Patel" },
  });
  await db().projectEvaluation.create({ data: { projectId: f.project.id, stage, text: `The ${stage} stage cut waiting times.` } });
  await db().spendReport.create({
    data: {
      projectId: f.project.id,
      stage,
      amountPence: record.spentPence,
      periodEnd: utc(record.spentTo),
      note: "Includes the confidential settlement",
      reportedById: f.officer.id,
    },
  });
}

const caseStudyFields = {
  title: "Faster assessments for home adaptations",
  serviceArea: "Adult social care",
  problem: "Residents waited a month for an assessment.",
  approach: "A shared triage service.",
  evidence: "Days to assess fell from 30 to 12.",
  outcome: "Every partner uses the triage service.",
  lessons: "Start with the occupational therapists' own list.",
  reusableOutputs: "The triage form and its data model.",
};

async function caseStudyPage(user: User, projectId: string) {
  return call(caseStudyLoader, get(`/projects/${projectId}/case-study`, await as(user)), { id: projectId });
}

async function caseStudyForm(user: User, projectId: string, fields: Record<string, string | string[]>) {
  return call(caseStudyAction, post(`/projects/${projectId}/case-study`, await as(user), fields), { id: projectId });
}

async function review(f: Funded, intent: "publish" | "return", reviewNote = "") {
  const page = await caseStudyPage(f.fundTeam, f.project.id);
  const result = await caseStudyForm(f.fundTeam, f.project.id, { intent, reviewNote, updatedAt: page.data.caseStudy.updatedAt });
  expect(result.status, JSON.stringify(result.data)).toBe(302);
}

const publicPage = (slug: string) => call(publicCaseStudyLoader, get(`/hub/${slug}`, anonymousBrowser()), { slug });
const download = (slug: string, documentId: string, browser: Browser = anonymousBrowser()) =>
  call(publicDocumentLoader, get(`/hub/${slug}/documents/${documentId}`, browser), { slug, documentId });

describe("a case study drawn from the project's gates", () => {
  let f: Funded;
  let publicDoc: { id: string };
  let internalDoc: { id: string };
  let slug: string;
  let metOn: string;
  const conditionDue = day(20);

  beforeAll(async () => {
    f = await createFundedProject({ stage: "pilot", awardPence: 20_000_00, title: "Home adaptations triage" });
    await db().metric.create({
      data: {
        projectId: f.project.id,
        name: "Days to assess",
        unit: "days",
        baseline: 30,
        target: 10,
      },
    });
    await recordStage(f, "pilot", { actual: 20, actualOn: day(-40), spentPence: 15_000_00, spentTo: day(-30) });
    const [y, m, d] = conditionDue.split("-");
    await decide(
      f,
      "pilot",
      {
        outcome: "conditionalGo",
        voteReason: "Waiting times fell by a third.",
        "condition-1-text": "Publish the triage form under an open licence",
        "condition-1-due-day": String(Number(d)),
        "condition-1-due-month": String(Number(m)),
        "condition-1-due-year": y!,
      },
      "50000",
    );
    const conditionId = (await snapshotOf(f)).context.conditions[0]!.id;
    await gate(f.fundTeam, f.project.id, { intent: "conditionMet", conditionId, conditionNote: "Checked on the call with the director" });
    metOn = (await snapshotOf(f)).context.conditions[0]!.met!.at.slice(0, 10);
    // The scale stage's own record, before its gate.
    await recordStage(f, "scale", { actual: 12, actualOn: day(-2), spentPence: 52_500_00, spentTo: day(-1) });
    await decide(f, "scale", { outcome: "go", voteReason: "Two more councils are ready to adopt it." });
    expect((await db().project.findUniqueOrThrow({ where: { id: f.project.id } })).state).toBe("completed");

    publicDoc = await document(f, "scale", "evaluation-report.pdf");
    internalDoc = await document(f, "scale", "staff-interviews.pdf");
  });

  it("lets the lead council choose the public documents, after the project has finished, and nobody else", async () => {
    const lead = await as(f.officer);
    const page = await call(evidenceLoader, get(`/projects/${f.project.id}/evidence`, lead), { id: f.project.id });
    expect(page.status).toBe(200);
    // Finished: no uploads, but every stage's documents can be made public.
    expect(page.data.uploads).toBe(false);
    expect(page.data.allDocuments.map((d: { isPublic: boolean }) => d.isPublic).every((p: boolean) => !p)).toBe(true);
    expect(page.data.allDocuments.map((d: { id: string }) => d.id)).toEqual(expect.arrayContaining([publicDoc.id, internalDoc.id]));

    const partner = await call(
      evidenceAction,
      post(`/projects/${f.project.id}/evidence`, await as(f.partnerOfficer), { intent: "public", isPublic: [internalDoc.id] }),
      { id: f.project.id },
    );
    expect(partner.status).toBe(403);
    const upload = await call(evidenceAction, post(`/projects/${f.project.id}/evidence`, lead, { intent: "remove", documentId: internalDoc.id }), {
      id: f.project.id,
    });
    expect(upload.status).toBe(403);

    const saved = await call(evidenceAction, post(`/projects/${f.project.id}/evidence`, lead, { intent: "public", isPublic: [publicDoc.id] }), {
      id: f.project.id,
    });
    expect(saved.location).toBe(`/projects/${f.project.id}/evidence?notice=public`);
    const stored = await db().projectDocument.findMany({ where: { projectId: f.project.id }, select: { id: true, isPublic: true, reusable: true } });
    expect(stored.filter((d) => d.isPublic).map((d) => d.id)).toEqual([publicDoc.id]);
    // Public is its own choice: nothing was offered to adopting councils by it.
    expect(stored.some((d) => d.reusable)).toBe(false);
  });

  it("shows nothing, and serves no document, until the case study is published", async () => {
    expect((await caseStudyForm(f.officer, f.project.id, { intent: "review", ...caseStudyFields })).status).toBe(302);
    slug = (await db().caseStudy.findUniqueOrThrow({ where: { projectId: f.project.id } })).slug;
    expect((await publicPage(slug)).status).toBe(404);
    expect((await download(slug, publicDoc.id)).status).toBe(404);

    // The project's own page shows the team and the fund team what will be published.
    const preview = await caseStudyPage(f.fundTeam, f.project.id);
    expect(preview.data.evidence.documents.map((d: { fileName: string }) => d.fileName)).toEqual(["evaluation-report.pdf"]);
    await review(f, "publish");
  });

  it("shows each gate's outcome and reasons, the metrics against baseline and target, the conditions and spend against the award", async () => {
    const page = await publicPage(slug);
    expect(page.status).toBe(200);
    const { evidence } = page.data;
    expect(evidence.gates.map((g: any) => [g.stage, g.outcome, g.outcomeLabel, g.reasons])).toEqual([
      ["Pilot", "conditionalGo", "Conditional go", [{ outcomeLabel: "Conditional go", text: "Waiting times fell by a third." }]],
      ["Scale", "go", "Go", [{ outcomeLabel: "Go", text: "Two more councils are ready to adopt it." }]],
    ]);
    expect(evidence.metrics).toEqual([
      {
        id: expect.any(String),
        name: "Days to assess",
        unit: "days",
        baseline: 30,
        target: 10,
        actuals: [
          { value: 20, recordedOn: day(-40) },
          { value: 12, recordedOn: day(-2) },
        ],
        latest: 12,
      },
    ]);
    expect(evidence.conditions).toEqual([
      { key: expect.any(String), text: "Publish the triage form under an open licence", setAt: "Pilot", dueDate: conditionDue, metOn },
    ]);
    // £20,000 awarded, then the £50,000 the pilot gate released; the latest report is cumulative.
    expect(evidence.spend).toMatchObject({ awardedPence: 70_000_00, spentPence: 52_500_00, spentTo: day(-1), percent: 75 });
    expect(evidence.spend.tranches.map((t: any) => [t.stage, t.amountPence])).toEqual([
      ["Pilot", 20_000_00],
      ["Scale", 50_000_00],
    ]);
    expect(evidence.documents.map((d: any) => d.fileName)).toEqual(["evaluation-report.pdf"]);

    // Nothing personal and no notes: not the approver, not the officers, not a note of any kind.
    const sent = JSON.stringify(page.data);
    const people = await db().user.findMany({ where: { id: { in: [f.approver.id, f.officer.id, f.fundTeam.id] } }, select: { name: true, email: true } });
    for (const text of [
      ...people.flatMap((p) => [p.name, p.email]),
      "Sam Patel",
      "confidential settlement",
      "call with the director",
      "staff-interviews.pdf",
      internalDoc.id,
    ]) {
      expect(sent, text).not.toContain(text);
    }
  });

  it("reads the evidence live: a metric recorded after publishing shows at once", async () => {
    const metric = await db().metric.findFirstOrThrow({ where: { projectId: f.project.id } });
    await db().metricActual.create({ data: { metricId: metric.id, stage: "scale", value: 9, recordedOn: utc(day(0)) } });
    const page = await publicPage(slug);
    expect(page.data.evidence.metrics[0].latest).toBe(9);
  });

  it("lets anyone download the public documents and no other", async () => {
    const got = await download(slug, publicDoc.id);
    expect(got.status).toBe(200);
    expect(got.response!.headers.get("Content-Disposition")).toContain("evaluation-report.pdf");
    expect(new TextDecoder().decode(await got.response!.arrayBuffer())).toBe("%PDF-1.4 evaluation-report.pdf");

    expect((await download(slug, internalDoc.id)).status).toBe(404);
    // Signed in makes no difference to this route: its own project's officers use the project's route.
    expect((await download(slug, internalDoc.id, await as(f.officer))).status).toBe(404);

    // Another project's public document is not served under this case study's address.
    const other = await createFundedProject({ stage: "scale" });
    const elsewhere = await document(other, "scale", "elsewhere.pdf");
    await db().projectDocument.update({ where: { id: elsewhere.id }, data: { isPublic: true } });
    expect((await download(slug, elsewhere.id)).status).toBe(404);

    // Made private again: gone at once.
    await call(evidenceAction, post(`/projects/${f.project.id}/evidence`, await as(f.officer), { intent: "public" }), { id: f.project.id });
    expect((await download(slug, publicDoc.id)).status).toBe(404);
    expect((await publicPage(slug)).data.evidence.documents).toEqual([]);
  });
});

describe("a stopped pilot's lessons", () => {
  let f: Funded;
  const reason = "Residents would not use a chatbot to describe their care needs.";

  beforeAll(async () => {
    f = await createFundedProject({ stage: "pilot", awardPence: 20_000_00, title: "Care needs chatbot" });
    await decide(f, "pilot", { outcome: "stop", voteReason: reason }, "50000");
  });

  it("are drafted from the stop decision in the same change and sent to the fund team, telling the lead council", async () => {
    const project = await db().project.findUniqueOrThrow({ where: { id: f.project.id }, include: { caseStudy: true } });
    expect(project.state).toBe("stopped");
    const caseStudy = project.caseStudy!;
    expect(caseStudy).toMatchObject({ status: "inReview", stage: "pilot", title: "Care needs chatbot", lessons: reason });
    expect(caseStudy.outcome).toMatch(/^Stopped at the pilot gate on \d+ \w+ \d{4}\.$/);

    const history = await db().transitionHistory.findMany({ where: { recordType: "caseStudy", recordId: caseStudy.id }, orderBy: { at: "asc" } });
    expect(history.map((h) => [h.event, h.fromState, h.toState, h.actorUserId])).toEqual([
      ["CREATE", "", "draft", null],
      ["DRAFT_FROM_STOP", "draft", "inReview", null],
    ]);
    const page = await caseStudyPage(f.officer, f.project.id);
    expect(page.data.timeline.map((t: { title: string; actor: string }) => [t.title, t.actor])[0]).toEqual([
      "Drafted from the stop decision and sent to the fund team for review",
      "Springboard",
    ]);
    // With the fund team now: the lead council reads it but cannot change it until it is returned.
    expect(page.data.canWrite).toBe(false);

    const emails = await db().notification.findMany({ where: { template: "case-study-drafted-from-stop" } });
    const recipients = await db().user.findMany({
      where: { email: { in: emails.map((e) => e.toEmail) } },
      select: { id: true, role: true, organisationId: true },
    });
    // The fund team, and the lead council's officers; not the partners, not the approver.
    expect(recipients.map((r) => r.id)).toEqual(expect.arrayContaining([f.officer.id, f.fundTeam.id]));
    expect(recipients.every((r) => r.role === "fundTeam" || (r.role === "councilOfficer" && r.organisationId === f.lead.id))).toBe(true);
    expect(new Set(emails.map((e) => e.subject))).toEqual(new Set([`Lessons case study drafted: Care needs chatbot (${f.project.reference})`]));

    // And they arrive: through the outbox, over SMTP.
    const sink = await startSmtpSink();
    const transport = createTransport(sink.url);
    try {
      await drain(db(), transport);
      const arrived = sink.messages.filter((m) => m.subject?.startsWith("Lessons case study drafted: Care needs chatbot"));
      expect(arrived).toHaveLength(emails.length);
      expect(arrived[0]!.text).toContain("drafted from the reasons the gate gave");
    } finally {
      transport.close();
      await sink.close();
    }
  });

  it("stays out of the hub until the fund team publishes it, and then is found as a stopped project's lessons", async () => {
    const { slug } = await db().caseStudy.findUniqueOrThrow({ where: { projectId: f.project.id } });
    const hub = (query: string) => call(hubLoader, get(`/hub${query}`, anonymousBrowser()));
    expect((await hub("?q=chatbot")).data.total).toBe(0);
    expect((await publicPage(slug)).status).toBe(404);

    const queue = await call(reviewLoader, get("/hub/review", await as(f.fundTeam)));
    expect(queue.data.rows.map((r: { projectId: string; stopped: boolean }) => [r.projectId, r.stopped])).toContainEqual([f.project.id, true]);

    // Returned, the lead council adds to it, and sends it again.
    await review(f, "return", "Say what you would do differently.");
    const returned = await caseStudyPage(f.officer, f.project.id);
    expect(returned.data.canWrite).toBe(true);
    expect(returned.data.values.lessons).toBe(reason);
    const resent = await caseStudyForm(f.officer, f.project.id, {
      intent: "review",
      ...caseStudyFields,
      title: "A care needs chatbot residents did not use",
      lessons: `${reason}\n\nTest the words with residents first.`,
      updatedAt: returned.data.caseStudy.updatedAt,
    });
    expect(resent.status).toBe(302);
    expect((await hub("?q=chatbot")).data.total).toBe(0);

    await review(f, "publish");
    const found = await hub("?q=chatbot&outcome=stopped");
    expect(found.data.rows.map((r: { slug: string; stopped: boolean }) => [r.slug, r.stopped])).toEqual([[slug, true]]);
    const page = await publicPage(slug);
    expect(page.data.project.stopped).toBe(true);
    expect(page.data.evidence.gates.map((g: any) => [g.stage, g.outcome, g.reasons.map((r: any) => r.text)])).toEqual([["Pilot", "stop", [reason]]]);
  });
});

describe("the public funded-project pages", () => {
  it("show gate outcomes and adopting councils, and nothing restricted", async () => {
    const f = await createFundedProject({ stage: "pilot", awardPence: 20_000_00, title: "Shared bulky waste booking" });
    const [y, m, d] = day(30).split("-");
    await decide(
      f,
      "pilot",
      {
        outcome: "conditionalGo",
        voteReason: "Strong results; the contract needs a break clause.",
        "condition-1-text": "Add a break clause to the supplier contract",
        "condition-1-due-day": String(Number(d)),
        "condition-1-due-month": String(Number(m)),
        "condition-1-due-year": y!,
      },
      "50000",
    );
    const adopter = await createOrganisation({ name: "Adopting Borough Council" });
    const stopped = await createOrganisation({ name: "Former Adopter Council" });
    await db().adoption.createMany({
      data: [
        {
          projectId: f.project.id,
          organisationId: adopter.id,
          status: "live",
          goLiveOn: utc(day(-10)),
          savingsPence: 12_345_00,
          note: "Our finance director is sceptical",
        },
        { projectId: f.project.id, organisationId: stopped.id, status: "stopped", savingsPence: 0 },
      ],
    });

    const page = await call(fundedLoader, get(`/funded/${f.project.reference}`, anonymousBrowser()), { reference: f.project.reference });
    expect(page.status).toBe(200);
    expect(page.data.project.gates).toEqual([{ stage: "Pilot", outcome: "conditionalGo", outcomeLabel: "Conditional go", at: expect.any(String) }]);
    expect(page.data.project.adoptions.map((a: { name: string; status: string }) => [a.name, a.status])).toEqual([
      ["Adopting Borough Council", "live"],
      ["Former Adopter Council", "stopped"],
    ]);
    const sent = JSON.stringify(page.data);
    const approver = await db().user.findUniqueOrThrow({ where: { id: f.approver.id } });
    for (const text of ["break clause", "Strong results", approver.name, approver.email, "finance director", "12345", "1234500", "snapshot", "votes"]) {
      expect(sent, text).not.toContain(text);
    }

    const index = await call(fundedIndexLoader, get(`/funded?q=${encodeURIComponent("Shared bulky waste")}`, anonymousBrowser()));
    expect(index.data.rows.map((r: any) => [r.reference, r.latestGate?.outcome, r.latestGate?.stage, r.adopters])).toEqual([
      [f.project.reference, "conditionalGo", "Pilot", 1],
    ]);
    expect(JSON.stringify(index.data)).not.toContain("break clause");

    // A council officer of an unrelated council sees the same, and no more.
    const stranger = await createUser("councilOfficer", (await createOrganisation()).id);
    const signedIn = await call(fundedLoader, get(`/funded/${f.project.reference}`, await as(stranger)), { reference: f.project.reference });
    expect(signedIn.data).toEqual(page.data);
  });
});
