import type { Page } from "@playwright/test";
import { expect, signIn, test } from "./fixtures.ts";

/**
 * Funded pilots through their gates, as the people involved would do it, on the demo
 * projects of last year's round (see app/seed/demo/projects.server.ts): one pilot records its
 * metrics and evidence, passes its pilot gate, scales, is adopted by two other councils,
 * completes, and its case study is published in the knowledge hub; another is stopped at
 * its gate and its lessons are published.
 */

const frontDoor = "Shared adult social care front door";
const repairs = "Housing repairs reporting";

const pdf = (name: string, text: string) => ({ name, mimeType: "application/pdf", buffer: Buffer.from(`%PDF-1.4\n${text}\n%%EOF\n`) });

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
}

async function openProject(page: Page, title: string) {
  await page.goto("/projects");
  await page.getByRole("link", { name: title }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
}

async function openGate(page: Page, title: string, stage: "pilot" | "scale") {
  await openProject(page, title);
  await page.getByRole("link", { name: `Gate review for the ${stage} stage` }).click();
  await expect(page.getByRole("heading", { level: 1, name: `${stage === "pilot" ? "Pilot" : "Scale"} gate review` })).toBeVisible();
}

async function uploadEvidence(page: Page, type: string, file: ReturnType<typeof pdf>) {
  await page.getByRole("link", { name: "Upload evidence" }).click();
  await page.getByLabel("Type of evidence").selectOption({ label: type });
  await page.getByLabel("Upload a file").setInputFiles(file);
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(page.getByText("Your document has been uploaded.")).toBeVisible();
}

/** The fund team opens the review the project team asked for. */
async function fundTeamOpensReview(page: Page, title: string, stage: "pilot" | "scale") {
  await signIn(page, "fund.team@mhclg.example");
  await openGate(page, title, stage);
  await expect(page.getByRole("heading", { name: "The review requested" })).toBeVisible();
  await page.getByRole("button", { name: "Open the review" }).click();
  await expect(page.getByText("The gate review is open. The gate approvers have been asked to vote.")).toBeVisible();
  await signOut(page);
}

/** A gate approver finds the review on their home page and votes. */
async function approverVotes(page: Page, email: string, title: string, outcome: "Go" | "Stop", reason: string) {
  await signIn(page, email);
  await page.goto("/home");
  await page.getByRole("link", { name: title }).click();
  // Tier 1: one approver decides, and the page says so before the vote.
  await expect(page.getByText("Tier 1 because cumulative funding of").first()).toBeVisible();
  await expect(page.getByText("A gate review needs 1 gate approver.").first()).toBeVisible();
  await expect(page.getByText("Waiting for 1 more vote.")).toBeVisible();
  await page.getByRole("group", { name: "What do you decide?" }).getByLabel(outcome, { exact: true }).check();
  await page.getByLabel("Reason for your decision").fill(reason);
  await page.getByRole("button", { name: "Record your vote" }).click();
  await expect(page.getByText("Your vote has been recorded.")).toBeVisible();
}

async function writeCaseStudy(page: Page, fields: Record<string, string>) {
  await page.getByRole("link", { name: "Case study for the knowledge hub" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Case study" })).toBeVisible();
  for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByRole("button", { name: "Send for review" }).click();
  await expect(page.getByText("The case study has been sent to the fund team for review")).toBeVisible();
}

async function fundTeamPublishes(page: Page, title: string) {
  await signIn(page, "fund.team@mhclg.example");
  await page.goto("/hub/review");
  await page.getByRole("link", { name: title }).click();
  await page.getByRole("button", { name: "Publish case study" }).click();
  await expect(page.getByText("The case study has been published in the knowledge hub")).toBeVisible();
  await signOut(page);
}

test("a funded pilot records evidence, passes its gate, scales, is adopted and its case study reaches the hub", async ({ page }) => {
  test.setTimeout(600_000);

  // The lead council's officer records a metric with its baseline and target, and an actual.
  await signIn(page, "officer@birmingham.example");
  await openProject(page, frontDoor);
  await expect(page.locator(".govuk-summary-list__row", { hasText: "Project team" })).toContainText("Priya Shah");
  await expect(page.locator(".govuk-summary-list__row", { hasText: "Partner councils" })).toContainText(/Leeds.*Manchester|Manchester.*Leeds/);
  await expect(page.getByRole("heading", { name: "Governance tier 1" })).toBeVisible();
  await page.getByRole("link", { name: "Add metrics or record actuals" }).click();
  await page.getByLabel("Name", { exact: true }).fill("Contacts resolved without an assessment");
  await page.getByLabel("Unit (optional)").fill("%");
  await page.getByLabel("Baseline").fill("12");
  await page.getByLabel("Target").fill("40");
  await page.getByRole("button", { name: "Add metric" }).click();
  await expect(page.getByText("The metric has been saved.")).toBeVisible();
  await page.getByRole("link", { name: "Add metrics or record actuals" }).click();
  await page.getByLabel("Metric", { exact: true }).selectOption({ label: "Contacts resolved without an assessment" });
  await page.getByLabel("Actual", { exact: true }).fill("31");
  const measured = page.getByRole("group", { name: "Date measured" });
  const today = new Date();
  await measured.getByLabel("Day").fill(String(today.getUTCDate()));
  await measured.getByLabel("Month").fill(String(today.getUTCMonth() + 1));
  await measured.getByLabel("Year").fill(String(today.getUTCFullYear()));
  await page.getByRole("button", { name: "Record actual" }).click();
  await expect(page.getByText("The actual has been recorded.")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Contacts resolved without an assessment" })).toBeVisible();

  // One piece of evidence is attached; the gate review is refused, naming what is missing.
  await uploadEvidence(page, "Evaluation summary", pdf("evaluation-summary.pdf", "Pilot evaluation summary"));
  await page.getByRole("link", { name: "Gate review for the pilot stage" }).click();
  await expect(page.getByRole("row", { name: /Spend to date\s+Missing/ })).toBeVisible();
  await page.getByLabel("How much are you asking for to fund the scale stage, in pounds?").fill("10000");
  await page.getByRole("button", { name: "Ask for a gate review" }).click();
  await expect(page.getByRole("alert").getByText("There is a problem")).toBeVisible();
  await expect(page.getByRole("link", { name: /A gate review cannot be requested until this evidence is attached: Spend to date/ })).toBeVisible();
  await expect(page.getByLabel("How much are you asking for to fund the scale stage, in pounds?")).toHaveValue("10000");

  // With the spend attached, the request goes through.
  await page.getByRole("link", { name: "Back to the project" }).click();
  await uploadEvidence(page, "Spend to date", pdf("spend-to-date.pdf", "Spend to date: 84,000 pounds"));
  await expect(page.getByText("Every item this tier needs is attached.")).toBeVisible();
  await page.getByRole("link", { name: "Gate review for the pilot stage" }).click();
  await page.getByLabel("How much are you asking for to fund the scale stage, in pounds?").fill("10000");
  await page.getByRole("button", { name: "Ask for a gate review" }).click();
  await expect(page.getByText("You have asked for a gate review. The fund team has been told.")).toBeVisible();
  await expect(page.getByText("Pilot: gate review requested")).toBeVisible();
  await signOut(page);

  // The fund team opens it; one approver (tier 1) votes go, and the project moves to scale.
  await fundTeamOpensReview(page, frontDoor, "pilot");
  await approverVotes(page, "approver@mhclg.example", frontDoor, "Go", "The pilot halved repeat contacts; the evidence supports scaling.");
  await expect(page.getByText("Scale: delivering").first()).toBeVisible();
  await expect(page.getByRole("table", { name: /Pilot gate, tier 1: Go/ })).toBeVisible();
  await openProject(page, frontDoor);
  await expect(page.locator(".govuk-summary-list__row", { hasText: "Stage" }).first()).toContainText("Scale");
  await expect(page.locator(".govuk-summary-list__row", { hasText: "Funding so far" })).toContainText("£100,000");
  await signOut(page);

  // The fund team's portfolio board shows it among the projects scaling.
  await signIn(page, "fund.team@mhclg.example");
  await page.goto("/portfolio");
  await page.getByRole("table", { name: "Projects by stage and state" }).getByRole("link", { name: "Scale: delivering" }).click();
  await expect(page.getByRole("link", { name: frontDoor })).toBeVisible();
  await signOut(page);

  // Two other councils register to adopt the product from its public page; one reports progress.
  for (const adopter of [
    { email: "officer@hackney.example", council: "Hackney" },
    { email: "officer@camden.example", council: "Camden" },
  ]) {
    await signIn(page, adopter.email);
    await page.goto("/funded");
    await page.getByRole("link", { name: frontDoor }).click();
    await page.getByRole("link", { name: "See how to adopt this product" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Councils adopting this product" })).toBeVisible();
    await page.getByRole("button", { name: "Register to adopt" }).click();
    await expect(page.getByText(/is registered to adopt this product/)).toBeVisible();
    await expect(page.getByRole("heading", { level: 1 })).toContainText(adopter.council);
    if (adopter.council === "Hackney") {
      await page.getByRole("group", { name: "Status" }).getByLabel("Live").check();
      // Live from the day it registered: a go-live date before that is refused.
      const goLive = page.getByRole("group", { name: "Go-live date" });
      const [year, month, day] = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit" })
        .format(new Date())
        .split("-");
      await goLive.getByLabel("Day").fill(String(Number(day)));
      await goLive.getByLabel("Month").fill(String(Number(month)));
      await goLive.getByLabel("Year").fill(year!);
      await page.getByLabel("Savings so far, in pounds").fill("18500");
      await page.getByRole("button", { name: "Save adoption" }).click();
      await expect(page.getByText("Your adoption has been updated")).toBeVisible();
      await expect(page.locator(".govuk-summary-list__row", { hasText: "Savings reported" })).toContainText("£18,500");
    }
    await signOut(page);
  }

  // The lead council sees both adoptions, then asks for the scale gate with the scale stage's evidence.
  await signIn(page, "officer@birmingham.example");
  await openProject(page, frontDoor);
  await page.getByRole("link", { name: "Councils adopting this product" }).click();
  await expect(page.locator(".govuk-summary-list__row", { hasText: "Councils adopting" })).toContainText("2");
  await expect(page.getByRole("link", { name: /Hackney/ })).toBeVisible();
  await expect(page.getByRole("link", { name: /Camden/ })).toBeVisible();
  await expect(page.locator(".govuk-summary-list__row", { hasText: "Savings reported" })).toContainText("£18,500");
  await openProject(page, frontDoor);
  await uploadEvidence(page, "Evaluation summary", pdf("scale-evaluation.pdf", "Scale evaluation summary"));
  await uploadEvidence(page, "Spend to date", pdf("scale-spend.pdf", "Scale spend to date"));
  await page.getByRole("link", { name: "Gate review for the scale stage" }).click();
  await expect(page.getByText("This is the last gate: a go completes the project.")).toBeVisible();
  await page.getByRole("button", { name: "Ask for a gate review" }).click();
  await expect(page.getByText("You have asked for a gate review. The fund team has been told.")).toBeVisible();
  await signOut(page);

  await fundTeamOpensReview(page, frontDoor, "scale");
  await approverVotes(page, "approver@mhclg.example", frontDoor, "Go", "Adopted by two councils with savings reported: complete.");
  await expect(page.getByText("Completed").first()).toBeVisible();
  await signOut(page);

  // The lead council writes the case study; the fund team publishes it.
  await signIn(page, "officer@birmingham.example");
  await openProject(page, frontDoor);
  await writeCaseStudy(page, {
    "The approach": "A shared online front door, built once and configured by each council.",
    "The evidence": "Contacts resolved without an assessment rose from 12% to 31% in the pilot.",
    "The outcome": "Completed; two more councils adopted the front door and report savings.",
    Lessons: "Agree one triage question set across councils before building anything.",
    "Reusable outputs": "The code and the triage question set are open on GitHub.",
  });
  await signOut(page);
  await fundTeamPublishes(page, frontDoor);

  // Anyone can find it by searching the hub.
  await page.goto("/hub");
  await page.getByLabel("Search case studies").fill("triage front door");
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByRole("link", { name: frontDoor }).click();
  await expect(page.getByRole("heading", { level: 1, name: frontDoor })).toBeVisible();
  await expect(page.getByText("Agree one triage question set across councils before building anything.")).toBeVisible();
});

// The stopped pilot's journey runs with plain HTML forms, as every journey must work.
test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  test("a second pilot is stopped at its gate and its lessons are published in the hub", async ({ page }) => {
    test.setTimeout(600_000);

    await signIn(page, "officer@manchester.example");
    await openProject(page, repairs);
    await uploadEvidence(page, "Evaluation summary", pdf("repairs-evaluation.pdf", "Repairs pilot evaluation"));
    await uploadEvidence(page, "Spend to date", pdf("repairs-spend.pdf", "Repairs spend to date"));
    await page.getByRole("link", { name: "Gate review for the pilot stage" }).click();
    await page.getByLabel("How much are you asking for to fund the scale stage, in pounds?").fill("20000");
    await page.getByRole("button", { name: "Ask for a gate review" }).click();
    await expect(page.getByText("You have asked for a gate review. The fund team has been told.")).toBeVisible();
    await signOut(page);

    await fundTeamOpensReview(page, repairs, "pilot");
    await approverVotes(page, "approver2@mhclg.example", repairs, "Stop", "Second visits did not fall: photos alone did not describe the faults.");
    await expect(page.getByText("Stopped: lessons to record").first()).toBeVisible();
    await signOut(page);

    // The team records what the pilot taught, which closes it.
    await signIn(page, "officer@manchester.example");
    await openProject(page, repairs);
    await page.getByRole("link", { name: "Record the lessons learned" }).click();
    await page.getByLabel("What did this project teach?").fill("Photos do not diagnose faults: a guided question flow is needed before any booking.");
    await page.getByRole("button", { name: "Record lessons and close the project" }).click();
    await expect(page.getByText("The lessons have been recorded and the project is closed.")).toBeVisible();
    await expect(page.getByText("Closed").first()).toBeVisible();

    // The stop drafted the lessons case study from the gate's reasons and sent it to the fund team.
    await page.getByRole("link", { name: "Case study for the knowledge hub" }).click();
    await expect(page.locator(".govuk-summary-list__row", { hasText: "Status" })).toContainText("In review");
    await expect(page.getByText("Second visits did not fall: photos alone did not describe the faults.").first()).toBeVisible();
    await signOut(page);

    // The fund team returns it for the team to add what it recorded; the team finishes it.
    await signIn(page, "fund.team@mhclg.example");
    await page.goto("/hub/review");
    await page.getByRole("link", { name: repairs }).click();
    await page.getByLabel("What needs to change?").fill("Add the lessons the team recorded and how the pilot worked.");
    await page.getByRole("button", { name: "Return to the project team" }).click();
    await expect(page.getByText("The case study has been returned to the project team")).toBeVisible();
    await signOut(page);
    await signIn(page, "officer@manchester.example");
    await openProject(page, repairs);
    await writeCaseStudy(page, {
      "The approach": "Online repair reporting with photos and appointment booking.",
      "The evidence": "Second visits stayed at a quarter of jobs through the pilot.",
      "The outcome": "Stopped at the pilot gate.",
      Lessons: "Photos do not diagnose faults: a guided question flow is needed before any booking.",
      "Reusable outputs": "The user research and the appointment booking component.",
    });
    await signOut(page);
    await fundTeamPublishes(page, repairs);

    await page.goto("/hub");
    await page.getByLabel("How the project ended").selectOption({ label: "Stopped" });
    await page.getByLabel("Search case studies").fill("repairs photos");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page.getByText(/What it taught:.*Photos do not diagnose faults/)).toBeVisible();
    await page.getByRole("link", { name: repairs }).click();
    await expect(page.getByRole("heading", { level: 1, name: repairs })).toBeVisible();
    await expect(page.getByText("Photos do not diagnose faults: a guided question flow is needed before any booking.")).toBeVisible();
  });
});
