import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { navigationFor } from "~/auth/roles.ts";
import { db } from "~/db/database.server.ts";
import { UPLOAD_BODY_LIMIT } from "~/forms/limits.ts";
import { londonToday } from "~/utils/dates.ts";
import { presentEvidenceKeys } from "~/projects/evidence.server.ts";
import { loader as projectLoader } from "~/routes/projects.$id.tsx";
import { loader as documentLoader } from "~/routes/projects.$id_.documents.$documentId.tsx";
import { action as evaluationAction, loader as evaluationLoader } from "~/routes/projects.$id_.evaluation.tsx";
import { action as evidenceAction } from "~/routes/projects.$id_.evidence.tsx";
import { action as gateAction } from "~/routes/projects.$id_.gate.tsx";
import { action as metricsAction } from "~/routes/projects.$id_.metrics.tsx";
import { action as milestonesAction, loader as milestonesLoader } from "~/routes/projects.$id_.milestones.tsx";
import { action as spendAction } from "~/routes/projects.$id_.spend.tsx";
import { loader as listLoader } from "~/routes/projects._index.tsx";
import { localDiskStorage, setStorage } from "~/storage/storage.server.ts";
import { formatDate } from "~/utils/format.ts";
import { useTestDatabase } from "../support/database.ts";
import { createFundedProject, createOrganisation } from "../../bench/support/fixtures.ts";
import { context, createUser, get, post, run, signedInBrowser, type Browser } from "../../bench/support/requests.ts";

useTestDatabase();

beforeAll(() => setStorage(localDiskStorage(mkdtempSync(path.join(tmpdir(), "springboard-project-uploads-")))));
afterAll(() => setStorage(undefined));

type User = { id: string };
const as = (user: User) => signedInBrowser(user.id);
const call = (fn: (args: never) => Promise<unknown>, request: Request, params: Record<string, string>) =>
  run(() => fn({ request, context: context(), params } as never));
const page = async (user: User, id: string) => call(projectLoader, get(`/projects/${id}`, await as(user)), { id });
const send = async (fn: (args: never) => Promise<unknown>, user: User, url: string, id: string, fields: Record<string, string>) =>
  call(fn, post(url, await as(user), fields), { id });

const dateFields = (name: string, iso: string) => {
  const [y, m, d] = iso.split("-");
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y! };
};
/** Moves the day the project started back, so dates before today are within the project. */
const startedDaysAgo = (id: string, days: number) => db().project.update({ where: { id }, data: { createdAt: new Date(Date.now() - days * 86_400_000) } });
const daysFromToday = (days: number) => new Date(Date.parse(`${londonToday()}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe("who sees a project", () => {
  it("lists projects for their councils, and every project for the fund team and gate approvers", async () => {
    const f = await createFundedProject();
    const other = await createFundedProject();
    const list = async (user: User) => ((await call(listLoader, get("/projects", await as(user)), {})).data.projects as { id: string }[]).map((p) => p.id);
    expect(await list(f.officer)).toEqual([f.project.id]);
    expect(await list(f.partnerOfficer)).toEqual([f.project.id]);
    expect(await list(f.certifier)).toEqual([f.project.id]);
    expect(await list(f.fundTeam)).toEqual(expect.arrayContaining([f.project.id, other.project.id]));
    expect(await list(f.approver)).toEqual(expect.arrayContaining([f.project.id, other.project.id]));

    expect((await page(other.officer, f.project.id)).status).toBe(404);
    expect((await page(f.partnerOfficer, f.project.id)).status).toBe(200);
    expect((await page(f.approver, f.project.id)).status).toBe(200);
    const outsider = await createUser("councilOfficer", (await createOrganisation()).id);
    expect((await page(outsider, f.project.id)).status).toBe(404);
    // A partner council's officer sees the project but does not keep its records.
    expect((await call(milestonesLoader, get(`/projects/${f.project.id}/milestones`, await as(f.partnerOfficer)), { id: f.project.id })).status).toBe(403);
    expect(
      (await send(evaluationAction, other.officer, `/projects/${f.project.id}/evaluation`, f.project.id, { intent: "save-evaluation", evaluation: "Not ours" }))
        .status,
    ).toBe(404);
  });

  it("puts Projects in the navigation of the roles that have projects", () => {
    for (const role of ["councilOfficer", "certifier", "fundTeam", "gateApprover"] as const) {
      expect(navigationFor(role).map((n) => n.href)).toContain("/projects");
    }
    expect(navigationFor("assessor").map((n) => n.href)).not.toContain("/projects");
  });
});

describe("the project page", () => {
  it("shows the councils, team, stage and the governance tier with its reason and what it requires", async () => {
    const f = await createFundedProject({ awardPence: 150_000_00 });
    const { data } = await page(f.partnerOfficer, f.project.id);
    expect(data.project).toMatchObject({
      reference: f.project.reference,
      title: f.project.title,
      stageLabel: "Scan",
      stateLabel: "Scan: delivering",
      tag: "blue",
    });
    expect(data.project.lead).toBe(f.lead.name);
    expect(data.project.partners).toEqual(expect.arrayContaining([f.partnerA.name, f.partnerB.name]));
    expect(data.team).toEqual([f.officer.name]);
    expect(data.tier).toMatchObject({
      tier: 2,
      reason: "Tier 2 because cumulative funding of £150,000 is above £100,000 and up to £500,000.",
      requirement:
        "A gate review needs 2 gate approvers, one of them senior. Evidence needed at the gate: Evaluation summary; Spend to date; Metrics against baseline and target; Data protection impact assessment.",
    });
    expect(data.evidence.every((e: { present: boolean }) => !e.present)).toBe(true);
    expect(data.canEdit).toBe(false);
    expect((await page(f.officer, f.project.id)).data.canEdit).toBe(true);
    expect(data.timeline.map((t: { title: string }) => t.title)).toEqual(["Created"]);
  });
});

describe("the project team's records", () => {
  it("adds milestones with GOV.UK validation, shows overdue ones, and marks them done", async () => {
    const f = await createFundedProject();
    await startedDaysAgo(f.project.id, 30);
    const url = `/projects/${f.project.id}/milestones`;
    const missing = await send(milestonesAction, f.officer, url, f.project.id, {
      intent: "add",
      title: "",
      "dueOn-day": "31",
      "dueOn-month": "2",
      "dueOn-year": "2027",
    });
    expect(missing.status).toBe(400);
    expect(missing.data.errors).toEqual({ title: "Enter what the milestone is", "dueOn-day": "The due date must be a real date" });
    expect(missing.data.values["dueOn-day"]).toBe("31");
    const noDate = await send(milestonesAction, f.officer, url, f.project.id, { intent: "add", title: "Research" });
    expect(noDate.data.errors["dueOn-day"]).toBe("Enter the due date");

    expect(
      (await send(milestonesAction, f.officer, url, f.project.id, { intent: "add", title: "User research", ...dateFields("dueOn", daysFromToday(-3)) })).status,
    ).toBe(302);
    expect(
      (await send(milestonesAction, f.officer, url, f.project.id, { intent: "add", title: "Alpha", ...dateFields("dueOn", daysFromToday(20)) })).status,
    ).toBe(302);
    let milestones = (await page(f.officer, f.project.id)).data.milestones as { id: string; title: string; overdue: boolean; status: string }[];
    expect(milestones.map((m) => [m.title, m.overdue])).toEqual([
      ["User research", true],
      ["Alpha", false],
    ]);
    expect((await send(milestonesAction, f.officer, url, f.project.id, { intent: "status", milestoneId: milestones[0]!.id, status: "done" })).status).toBe(302);
    milestones = (await page(f.officer, f.project.id)).data.milestones;
    expect(milestones[0]).toMatchObject({ status: "done", overdue: false });
  });

  it("records metrics and actuals, which count as metrics against baseline, and draws them", async () => {
    const f = await createFundedProject();
    await startedDaysAgo(f.project.id, 60);
    const url = `/projects/${f.project.id}/metrics`;
    const bad = await send(metricsAction, f.officer, url, f.project.id, { intent: "metric", name: "", baseline: "thirty", target: "" });
    expect(bad.data.errors).toEqual({
      name: "Enter the name of the metric",
      baseline: "The baseline must be a number, like 42 or 12.5",
      target: "Enter the target",
    });
    expect(
      (await send(metricsAction, f.officer, url, f.project.id, { intent: "metric", name: "Days to assess", unit: "days", baseline: "30", target: "10" }))
        .status,
    ).toBe(302);
    const metric = await db().metric.findFirstOrThrow({ where: { projectId: f.project.id } });
    expect(await presentEvidenceKeys(f.project.id, "scan")).not.toContain("metricsAgainstBaseline");
    const future = await send(metricsAction, f.officer, url, f.project.id, {
      intent: "actual",
      metricId: metric.id,
      value: "20",
      ...dateFields("recordedOn", daysFromToday(5)),
    });
    expect(future.data.errors["recordedOn-day"]).toBe(`The date must be on or before today (${formatDate(londonToday())})`);
    for (const [value, days] of [
      ["24", -40],
      ["18", -5],
    ] as const) {
      const ok = await send(metricsAction, f.officer, url, f.project.id, {
        intent: "actual",
        metricId: metric.id,
        value,
        ...dateFields("recordedOn", daysFromToday(days)),
      });
      expect(ok.status).toBe(302);
    }
    expect(await presentEvidenceKeys(f.project.id, "scan")).toContain("metricsAgainstBaseline");
    const { data } = await page(f.partnerOfficer, f.project.id);
    expect(data.metrics[0]).toMatchObject({ name: "Days to assess", baseline: 30, target: 10 });
    expect(data.metrics[0].actuals.map((a: { value: number }) => a.value)).toEqual([24, 18]);
  });

  it("reports spend against the money released, as a percentage, and counts it as spend to date for this stage", async () => {
    const f = await createFundedProject({ awardPence: 80_000_00 });
    await startedDaysAgo(f.project.id, 30);
    const url = `/projects/${f.project.id}/spend`;
    const bad = await send(spendAction, f.officer, url, f.project.id, { amount: "lots", ...dateFields("periodEnd", daysFromToday(-1)) });
    expect(bad.data.errors.amount).toBe("The amount spent must be an amount of money, like 12,500 or 12,500.50");
    expect(
      (await send(spendAction, f.officer, url, f.project.id, { amount: "20,000", note: "First quarter", ...dateFields("periodEnd", daysFromToday(-1)) }))
        .status,
    ).toBe(302);
    const { data } = await page(f.officer, f.project.id);
    expect(data.spend).toMatchObject({ latestPence: 20_000_00, percentOfFunding: 25 });
    expect(await presentEvidenceKeys(f.project.id, "scan")).toContain("spendToDate");
    expect(await presentEvidenceKeys(f.project.id, "pilot")).not.toContain("spendToDate");
  });

  it("saves the written evaluation, which counts as the evaluation summary", async () => {
    const f = await createFundedProject();
    const url = `/projects/${f.project.id}/evaluation`;
    expect((await send(evaluationAction, f.officer, url, f.project.id, { intent: "save-evaluation", evaluation: "   " })).status).toBe(302);
    expect(await presentEvidenceKeys(f.project.id, "scan")).not.toContain("evaluationSummary");
    expect((await send(evaluationAction, f.officer, url, f.project.id, { intent: "save-evaluation", evaluation: "Assessments are 40% quicker." })).status).toBe(
      302,
    );
    expect(await presentEvidenceKeys(f.project.id, "scan")).toContain("evaluationSummary");
    const form = await call(evaluationLoader, get(url, await as(f.officer)), { id: f.project.id });
    expect(form.data.evaluation).toBe("Assessments are 40% quicker.");
    // A request that is not the form (no box at all) is refused; it does not clear what was written.
    const notTheForm = await send(evaluationAction, f.officer, url, f.project.id, { reason: "x" });
    expect(notTheForm.status).toBe(400);
    expect((await call(evaluationLoader, get(url, await as(f.officer)), { id: f.project.id })).data.evaluation).toBe("Assessments are 40% quicker.");
    // Clearing the box on the page still clears it.
    expect((await send(evaluationAction, f.officer, url, f.project.id, { intent: "save-evaluation", evaluation: "" })).status).toBe(302);
    expect(await presentEvidenceKeys(f.project.id, "scan")).not.toContain("evaluationSummary");
  });

  it("uploads typed evidence for the current stage, judged by its content, and lets the project's councils download it", async () => {
    const f = await createFundedProject();
    const upload = async (browser: Browser, type: string, file: { name: string; bytes: Uint8Array } | null) => {
      const form = new FormData();
      form.set("csrf", browser.csrf);
      form.set("type", type);
      if (file) form.set("file", new File([Buffer.from(file.bytes)], file.name));
      const request = new Request(`http://localhost:3000/projects/${f.project.id}/evidence`, {
        method: "POST",
        headers: { Cookie: browser.cookie },
        body: form,
      });
      return call(evidenceAction, request, { id: f.project.id });
    };
    const browser = await as(f.officer);
    const pdf = new TextEncoder().encode("%PDF-1.4\ndpia\n%%EOF");
    const noType = await upload(browser, "businessCase", { name: "dpia.pdf", bytes: pdf });
    expect(noType.data.errors.type).toBe("Select the type of evidence");
    const exe = await upload(browser, "dataProtectionImpactAssessment", { name: "dpia.pdf", bytes: new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0]) });
    expect(exe.data.errors.file).toMatch(/The file you chose is a Windows program$/);
    const tooBig = await upload(browser, "dataProtectionImpactAssessment", { name: "big.txt", bytes: new Uint8Array(10 * 1024 * 1024 + 1).fill(0x41) });
    expect(tooBig.status).toBe(413);
    // Refused for its size, the file is chosen again; the type chosen beside it is kept.
    expect(tooBig.data).toEqual({ errors: { file: "The file must be smaller than 10MB" }, values: { type: "dataProtectionImpactAssessment" } });
    // Far over the limit, the body is not read past the type: refused beside the file box all the same, the type kept.
    const farTooBig = await upload(browser, "dataProtectionImpactAssessment", { name: "huge.txt", bytes: new Uint8Array(UPLOAD_BODY_LIMIT + 1).fill(0x41) });
    expect(farTooBig.status).toBe(413);
    expect(farTooBig.data).toEqual({ errors: { file: "The file must be smaller than 10MB" }, values: { type: "dataProtectionImpactAssessment" } });
    expect((await upload(browser, "dataProtectionImpactAssessment", { name: "dpia.pdf", bytes: pdf })).status).toBe(302);
    const row = await db().projectDocument.findFirstOrThrow({ where: { projectId: f.project.id } });
    expect(row).toMatchObject({ stage: "scan", type: "dataProtectionImpactAssessment", mimeType: "application/pdf" });
    expect(await presentEvidenceKeys(f.project.id, "scan")).toContain("dataProtectionImpactAssessment");

    const download = await call(documentLoader, get(`/projects/${f.project.id}/documents/${row.id}`, await as(f.partnerOfficer)), {
      id: f.project.id,
      documentId: row.id,
    });
    expect(download.status).toBe(200);
    expect(new Uint8Array(await download.response!.arrayBuffer())).toEqual(pdf);
    const stranger = await createUser("councilOfficer", (await createOrganisation()).id);
    expect(
      (await call(documentLoader, get(`/projects/${f.project.id}/documents/${row.id}`, await as(stranger)), { id: f.project.id, documentId: row.id })).status,
    ).toBe(404);

    const { data } = await page(f.officer, f.project.id);
    expect(data.documents.map((d: { type: string; current: boolean }) => [d.type, d.current])).toEqual([["Data protection impact assessment", true]]);
  });

  it("lets the team set when the next gate review is due, not a date already gone", async () => {
    const f = await createFundedProject();
    const past = await send(gateAction, f.officer, `/projects/${f.project.id}/gate`, f.project.id, {
      intent: "due",
      ...dateFields("nextGateDueOn", daysFromToday(-1)),
    });
    expect(past.status).toBe(400);
    expect(past.data.errors).toEqual({ "nextGateDueOn-day": `The date of the next gate review must be on or after today (${formatDate(londonToday())})` });
    expect(past.data.values["nextGateDueOn-year"]).toBe(daysFromToday(-1).slice(0, 4));
    const due = daysFromToday(40);
    const saved = await send(gateAction, f.officer, `/projects/${f.project.id}/gate`, f.project.id, { intent: "due", ...dateFields("nextGateDueOn", due) });
    expect(saved.status).toBe(302);
    expect((await db().project.findUniqueOrThrow({ where: { id: f.project.id } })).nextGateDueOn?.toISOString().slice(0, 10)).toBe(due);
    const partner = await send(gateAction, f.partnerOfficer, `/projects/${f.project.id}/gate`, f.project.id, {
      intent: "due",
      ...dateFields("nextGateDueOn", due),
    });
    expect(partner.status).toBe(403);
  });
});
