import { describe, expect, it } from "vitest";
import { db } from "~/db/database.server.ts";
import { londonToday } from "~/utils/dates.ts";
import { loader as homeLoader } from "~/routes/home.tsx";
import { action as gateAction, loader as gateLoader } from "~/routes/projects.$id_.gate.tsx";
import { useTestDatabase } from "../support/database.ts";
import { createFundedProject, createOrganisation } from "../../bench/support/fixtures.ts";
import { context, createUser, get, post, run, signedInBrowser } from "../../bench/support/requests.ts";

useTestDatabase();

type User = { id: string };
const as = (user: User) => signedInBrowser(user.id);

async function gate(user: User, projectId: string, fields: Record<string, string> = {}) {
  const project = await db().project.findUniqueOrThrow({ where: { id: projectId }, select: { version: true } });
  const browser = await as(user);
  return run(() =>
    gateAction({
      request: post(`/projects/${projectId}/gate`, browser, { version: String(project.version), ...fields }),
      context: context(),
      params: { id: projectId },
    } as never),
  );
}

async function gatePage(user: User, projectId: string) {
  const browser = await as(user);
  return run(() => gateLoader({ request: get(`/projects/${projectId}/gate`, browser), context: context(), params: { id: projectId } } as never));
}

const state = async (id: string) => (await db().project.findUniqueOrThrow({ where: { id }, select: { state: true } })).state;

/** Evidence recorded straight into the tables the derivation reads (the upload pages have their own tests). */
async function attach(projectId: string, stage: "scan" | "pilot" | "scale", keys: string[], uploadedById: string) {
  for (const key of keys) {
    if (key === "evaluationSummary") {
      await db().projectEvaluation.upsert({
        where: { projectId_stage: { projectId, stage } },
        create: { projectId, stage, text: "Residents found the new form quicker." },
        update: { text: "Residents found the new form quicker." },
      });
    } else if (key === "spendToDate") {
      await db().spendReport.create({
        data: { projectId, stage, amountPence: 10_000_00, periodEnd: new Date(`${londonToday()}T00:00:00Z`), reportedById: uploadedById },
      });
    } else if (key === "metricsAgainstBaseline") {
      await db().metric.create({
        data: {
          projectId,
          name: "Days to assess",
          unit: "days",
          baseline: 30,
          target: 10,
          actuals: { create: [{ stage, value: 20, recordedOn: new Date(`${londonToday()}T00:00:00Z`) }] },
        },
      });
    } else {
      await db().projectDocument.create({
        data: {
          projectId,
          stage,
          type: key,
          fileName: `${key}.pdf`,
          size: 10,
          mimeType: "application/pdf",
          sha256: "0".repeat(64),
          storageKey: "0".repeat(64),
          uploadedById,
        },
      });
    }
  }
}

const tier1 = ["evaluationSummary", "spendToDate"];
const tier2 = [...tier1, "metricsAgainstBaseline", "dataProtectionImpactAssessment"];
const tier3 = [...tier2, "independentEvaluation", "valueForMoneyCase"];

async function requestAndOpen(f: Awaited<ReturnType<typeof createFundedProject>>, nextTranche: string) {
  const requested = await gate(f.officer, f.project.id, { intent: "request", nextTranche });
  expect(requested.status, JSON.stringify(requested.data)).toBe(302);
  const opened = await gate(f.fundTeam, f.project.id, { intent: "open" });
  expect(opened.status).toBe(302);
  expect(await state(f.project.id)).toBe(`${f.stage}_inReview`);
}

describe("asking for a gate review", () => {
  it("refuses while evidence is missing, naming what is missing and the tier's reason", async () => {
    const f = await createFundedProject({ awardPence: 60_000_00 });
    const page = await gatePage(f.officer, f.project.id);
    expect(page.data.tier.tier).toBe(1);
    expect(page.data.tier.reason).toBe("Tier 1 because cumulative funding of £60,000 is up to £100,000.");
    expect(page.data.checklist.map((c: { label: string; present: boolean }) => [c.label, c.present])).toEqual([
      ["Evaluation summary", false],
      ["Spend to date", false],
    ]);
    expect(page.data.can.request).toBe(true);

    // £60,000 so far and £250,000 asked for: tier 2, so its evidence is needed too.
    const refused = await gate(f.officer, f.project.id, { intent: "request", nextTranche: "250000" });
    expect(refused.status).toBe(400);
    expect(refused.data.errors.nextTranche).toBe(
      "A gate review cannot be requested until this evidence is attached: Evaluation summary; Spend to date; Metrics against baseline and target; Data protection impact assessment. (Tier 2 because cumulative funding of £310,000 is above £100,000 and up to £500,000.)",
    );
    expect(refused.data.values.nextTranche).toBe("250000");
    expect(await state(f.project.id)).toBe("scan_delivering");

    const blank = await gate(f.officer, f.project.id, { intent: "request", nextTranche: "" });
    expect(blank.data.errors.nextTranche).toBe("Enter how much you are asking for to fund the pilot stage");
    const overCap = await gate(f.officer, f.project.id, { intent: "request", nextTranche: "400000" });
    expect(overCap.data.errors.nextTranche).toBe("The amount must be no more than the pilot stage's cap of £350,000");
  });

  it("lets only the lead council's officers ask, and the fund team return the request with a reason", async () => {
    const f = await createFundedProject({ awardPence: 20_000_00 });
    await attach(f.project.id, "scan", tier1, f.officer.id);
    const partner = await gate(f.partnerOfficer, f.project.id, { intent: "request", nextTranche: "50000" });
    expect(partner.data.errors.nextTranche).toBe("Only an officer of the lead council can request a gate review.");

    expect((await gate(f.officer, f.project.id, { intent: "request", nextTranche: "50000" })).status).toBe(302);
    expect(await state(f.project.id)).toBe("scan_gateRequested");
    const emails = await db().notification.findMany({ where: { template: "project-gate-review-requested", toUserId: f.fundTeam.id } });
    expect(emails).toHaveLength(1);

    const noReason = await gate(f.fundTeam, f.project.id, { intent: "return", reason: " " });
    expect(noReason.data.errors.reason).toBe("Enter why you are returning the request");
    expect((await gate(f.fundTeam, f.project.id, { intent: "return", reason: "Attach the latest spend figures." })).status).toBe(302);
    expect(await state(f.project.id)).toBe("scan_delivering");
    const history = await db().transitionHistory.findFirstOrThrow({ where: { recordId: f.project.id, event: "RETURN_GATE_REQUEST" } });
    expect(history.reason).toBe("Attach the latest spend figures.");
  });

  it("refuses a stale page", async () => {
    const f = await createFundedProject({ awardPence: 20_000_00 });
    await attach(f.project.id, "scan", tier1, f.officer.id);
    const browser = await as(f.officer);
    const stale = await run(() =>
      gateAction({
        request: post(`/projects/${f.project.id}/gate`, browser, { version: "7", intent: "request", nextTranche: "5000" }),
        context: context(),
        params: { id: f.project.id },
      } as never),
    );
    expect(stale.status).toBe(400);
    expect(stale.data.errors.nextTranche).toMatch(/changed by someone else/);
  });
});

describe("deciding a gate by the tier's quorum", () => {
  it("tier 1: one approver's go moves the project to pilot and releases the tranche asked for", async () => {
    const f = await createFundedProject({ awardPence: 20_000_00 });
    await attach(f.project.id, "scan", tier1, f.officer.id);
    await db().project.update({ where: { id: f.project.id }, data: { nextGateDueOn: new Date(`${londonToday()}T00:00:00Z`) } });
    await requestAndOpen(f, "50000");

    const approverHome = await run(async () => homeLoader({ request: get("/home", await as(f.approver)), context: context(), params: {} } as never));
    expect(approverHome.data.waiting.map((r: { href: string }) => r.href)).toContain(`/projects/${f.project.id}/gate`);

    const page = await gatePage(f.approver, f.project.id);
    expect(page.data.can.vote).toBe(true);
    expect(page.data.gate.review.tier).toBe(1);
    expect(page.data.gate.review.requirement).toBe("A gate review needs 1 gate approver. Evidence needed at the gate: Evaluation summary; Spend to date.");

    const noReason = await gate(f.approver, f.project.id, { intent: "vote", outcome: "go", voteReason: "" });
    expect(noReason.data.errors.voteReason).toBe("Enter the reason for your decision");
    const voted = await gate(f.approver, f.project.id, { intent: "vote", outcome: "go", voteReason: "Clear evidence of savings." });
    expect(voted.status).toBe(302);
    expect(await state(f.project.id)).toBe("pilot_delivering");
    const tranches = await db().projectTranche.findMany({ where: { projectId: f.project.id }, orderBy: { createdAt: "asc" } });
    expect(tranches.map((t) => [t.stage, t.amountPence])).toEqual([
      ["scan", 20_000_00],
      ["pilot", 50_000_00],
    ]);
    expect(tranches[1]!.reason).toBe("Released at the scan gate (go)");
    // The planned date belonged to the scan gate; the pilot stage needs its own.
    expect((await db().project.findUniqueOrThrow({ where: { id: f.project.id } })).nextGateDueOn).toBeNull();
    const after = await run(async () => homeLoader({ request: get("/home", await as(f.approver)), context: context(), params: {} } as never));
    expect(after.data.waiting.map((r: { href: string }) => r.href)).not.toContain(`/projects/${f.project.id}/gate`);
  });

  it("tier 2: needs two approvers, one of them senior", async () => {
    const f = await createFundedProject({ awardPence: 60_000_00 });
    await attach(f.project.id, "scan", tier2, f.officer.id);
    await requestAndOpen(f, "300000");

    expect((await gate(f.approver, f.project.id, { intent: "vote", outcome: "go", voteReason: "Good results." })).status).toBe(302);
    let page = await gatePage(f.fundTeam, f.project.id);
    expect(page.data.gate.review.waitingFor).toBe("Waiting for 1 more vote from a senior approver.");
    const again = await gate(f.approver, f.project.id, { intent: "vote", outcome: "go", voteReason: "Again." });
    expect(again.status).toBe(400);

    expect((await gate(f.secondApprover, f.project.id, { intent: "vote", outcome: "go", voteReason: "Agreed." })).status).toBe(302);
    expect(await state(f.project.id)).toBe("scan_inReview");
    page = await gatePage(f.fundTeam, f.project.id);
    expect(page.data.gate.review.waitingFor).toBe("Waiting for a vote from a senior approver.");
    expect(page.data.gate.review.votes.map((v: { outcome: string; reason: string }) => [v.outcome, v.reason])).toEqual([
      ["go", "Good results."],
      ["go", "Agreed."],
    ]);

    expect((await gate(f.seniorApprover, f.project.id, { intent: "vote", outcome: "go", voteReason: "Senior approval." })).status).toBe(302);
    expect(await state(f.project.id)).toBe("pilot_delivering");
    const released = await db().projectTranche.aggregate({ where: { projectId: f.project.id }, _sum: { amountPence: true } });
    expect(released._sum.amountPence).toBe(360_000_00);
  });

  it("tier 3: needs three approvers and finance sign-off from the fund team; approvers never vote on their own council's project", async () => {
    const f = await createFundedProject({ stage: "pilot", awardPence: 300_000_00 });
    await attach(f.project.id, "pilot", tier3, f.officer.id);
    await requestAndOpen(f, "300000");

    const ownCouncilApprover = await createUser("gateApprover", f.lead.id);
    const own = await gate(ownCouncilApprover, f.project.id, { intent: "vote", outcome: "go", voteReason: "Ours." });
    expect(own.data.errors.outcome).toBe("You cannot vote on a gate review for your own council's project.");

    const early = await gate(f.fundTeam, f.project.id, { intent: "finance" });
    expect(early.status).toBe(302);
    const twice = await gate(f.fundTeam, f.project.id, { intent: "finance" });
    expect(twice.data.errors.financeNote).toBe("Finance has already signed off this gate review.");

    for (const approver of [f.approver, f.secondApprover]) {
      expect((await gate(approver, f.project.id, { intent: "vote", outcome: "go", voteReason: "Strong case." })).status).toBe(302);
    }
    expect(await state(f.project.id)).toBe("pilot_inReview");
    const page = await gatePage(f.seniorApprover, f.project.id);
    expect(page.data.gate.review.requirement).toMatch(/^A gate review needs 3 gate approvers and finance sign-off from the fund team\./);
    expect((await gate(f.seniorApprover, f.project.id, { intent: "vote", outcome: "go", voteReason: "Strong case." })).status).toBe(302);
    expect(await state(f.project.id)).toBe("scale_delivering");
  });

  it("tier 3: the decision waits for finance sign-off after the third vote", async () => {
    const f = await createFundedProject({ stage: "pilot", awardPence: 300_000_00 });
    await attach(f.project.id, "pilot", tier3, f.officer.id);
    await requestAndOpen(f, "300000");
    for (const approver of [f.approver, f.secondApprover, f.seniorApprover]) {
      expect((await gate(approver, f.project.id, { intent: "vote", outcome: "go", voteReason: "Strong case." })).status).toBe(302);
    }
    const page = await gatePage(f.fundTeam, f.project.id);
    expect(page.data.gate.review.waitingFor).toBe("Waiting for finance sign-off.");
    expect(page.data.can.signOff).toBe(true);
    expect((await gate(f.fundTeam, f.project.id, { intent: "finance", financeNote: "Budget confirmed." })).status).toBe(302);
    expect(await state(f.project.id)).toBe("scale_delivering");
  });
});

describe("stop and conditions", () => {
  it("a stop closes the project only once its lessons are recorded", async () => {
    const f = await createFundedProject({ awardPence: 20_000_00 });
    await attach(f.project.id, "scan", tier1, f.officer.id);
    await requestAndOpen(f, "50000");
    expect((await gate(f.approver, f.project.id, { intent: "vote", outcome: "stop", voteReason: "No measurable benefit." })).status).toBe(302);
    expect(await state(f.project.id)).toBe("stopped");
    expect(await db().projectTranche.count({ where: { projectId: f.project.id } })).toBe(1);

    const page = await gatePage(f.officer, f.project.id);
    expect(page.data.can.lessons).toBe(true);
    const blank = await gate(f.officer, f.project.id, { intent: "lessons", lessons: "" });
    expect(blank.data.errors.lessons).toBe("Write down what this project taught");
    const partner = await gate(f.partnerOfficer, f.project.id, { intent: "lessons", lessons: "Ours to tell." });
    expect(partner.data.errors.lessons).toBe("Only an officer of the lead council or the fund team can record the lessons learned.");
    const recorded = await gate(f.officer, f.project.id, { intent: "lessons", lessons: "Residents would not use a chatbot for care needs." });
    expect(recorded.location).toBe(`/projects/${f.project.id}?notice=lessons`);
    expect(await state(f.project.id)).toBe("closed");
  });

  it("a conditional go sets conditions that must be met before the next gate", async () => {
    const f = await createFundedProject({ awardPence: 20_000_00 });
    await attach(f.project.id, "scan", tier1, f.officer.id);
    await requestAndOpen(f, "50000");
    const noConditions = await gate(f.approver, f.project.id, { intent: "vote", outcome: "conditionalGo", voteReason: "Nearly there." });
    expect(noConditions.data.errors["condition-1-text"]).toBe("Set at least one condition, with a due date, for a conditional go");
    const due = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const [y, m, d] = due.split("-");
    const badDate = await gate(f.approver, f.project.id, {
      intent: "vote",
      outcome: "conditionalGo",
      voteReason: "Nearly there.",
      "condition-1-text": "Publish the DPIA",
      "condition-1-due-day": "31",
      "condition-1-due-month": "2",
      "condition-1-due-year": y!,
    });
    expect(badDate.data.errors["condition-1-due-day"]).toBe("The due date of condition 1 must be a real date");
    expect(badDate.data.values["condition-1-text"]).toBe("Publish the DPIA");
    const voted = await gate(f.approver, f.project.id, {
      intent: "vote",
      outcome: "conditionalGo",
      voteReason: "Nearly there.",
      "condition-1-text": "Publish the DPIA",
      "condition-1-due-day": String(Number(d)),
      "condition-1-due-month": String(Number(m)),
      "condition-1-due-year": y!,
    });
    expect(voted.status).toBe(302);
    expect(await state(f.project.id)).toBe("pilot_delivering");
    expect(await db().projectTranche.count({ where: { projectId: f.project.id, stage: "pilot" } })).toBe(1);

    // The pilot gate weighs the pilot stage's own evaluation; the scan stage's does not count.
    await attach(f.project.id, "pilot", ["evaluationSummary", "spendToDate"], f.officer.id);
    const blocked = await gate(f.officer, f.project.id, { intent: "request", nextTranche: "10000" });
    expect(blocked.data.errors.nextTranche).toMatch(/^A gate review cannot be requested until this condition is met: Publish the DPIA \(due /);

    const page = await gatePage(f.fundTeam, f.project.id);
    expect(page.data.gate.conditions).toHaveLength(1);
    expect(page.data.can.conditionMet).toBe(true);
    const officerTries = await gate(f.officer, f.project.id, { intent: "conditionMet", conditionId: page.data.gate.conditions[0].id });
    expect(officerTries.status).toBe(400);
    expect((await gate(f.fundTeam, f.project.id, { intent: "conditionMet", conditionId: page.data.gate.conditions[0].id })).status).toBe(302);
    const twice = await gate(f.fundTeam, f.project.id, { intent: "conditionMet", conditionId: page.data.gate.conditions[0].id });
    expect(twice.data.errors.conditions).toBe("That condition has already been met.");

    expect((await gate(f.officer, f.project.id, { intent: "request", nextTranche: "10000" })).status).toBe(302);
    expect(await state(f.project.id)).toBe("pilot_gateRequested");
  });

  it("hides the project from a council officer of another council", async () => {
    const f = await createFundedProject();
    const other = await createUser("councilOfficer", (await createOrganisation()).id);
    expect((await gatePage(other, f.project.id)).status).toBe(404);
    expect((await gate(other, f.project.id, { intent: "request", nextTranche: "1" })).status).toBe(404);
  });
});
