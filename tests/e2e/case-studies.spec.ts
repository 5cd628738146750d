import type { Page } from "@playwright/test";
import { expect, signIn, test } from "./fixtures.ts";

/**
 * A stopped pilot's lessons reach the knowledge hub with the evidence its gate collected, on
 * the demo's repairs pilot (app/seed/demo/projects.server.ts): the gate stops it, the lessons
 * case study is drafted from the stop decision, the team makes one document public, the fund
 * team publishes, and a visitor reads the gate's decision and downloads the public document.
 */

const repairs = "Housing repairs reporting";
const reason = "Second visits did not fall: photos alone did not describe the faults.";

const pdf = (name: string, text: string) => ({ name, mimeType: "application/pdf", buffer: Buffer.from(`%PDF-1.4\n${text}\n%%EOF\n`) });

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
}

async function openProject(page: Page) {
  await page.goto("/projects");
  await page.getByRole("link", { name: repairs }).click();
  await expect(page.getByRole("heading", { level: 1, name: repairs })).toBeVisible();
}

async function uploadEvidence(page: Page, type: string, file: ReturnType<typeof pdf>) {
  await page.getByRole("link", { name: "Upload evidence" }).click();
  await page.getByLabel("Type of evidence").selectOption({ label: type });
  await page.getByLabel("Upload a file").setInputFiles(file);
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(page.getByText("Your document has been uploaded.")).toBeVisible();
}

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a stopped pilot's case study, drafted from its gate, is published with the gate's evidence and its public document", async ({ page }) => {
    test.setTimeout(300_000);

    await signIn(page, "officer@manchester.example");
    await openProject(page);
    await uploadEvidence(page, "Evaluation summary", pdf("repairs-evaluation.pdf", "Repairs pilot evaluation"));
    await uploadEvidence(page, "Spend to date", pdf("repairs-spend.pdf", "Repairs spend to date"));
    await page.getByRole("link", { name: "Gate review for the pilot stage" }).click();
    await page.getByLabel("How much are you asking for to fund the scale stage, in pounds?").fill("20000");
    await page.getByRole("button", { name: "Ask for a gate review" }).click();
    await expect(page.getByText("You have asked for a gate review. The fund team has been told.")).toBeVisible();
    await signOut(page);

    await signIn(page, "fund.team@mhclg.example");
    await openProject(page);
    await page.getByRole("link", { name: "Gate review for the pilot stage" }).click();
    await page.getByRole("button", { name: "Open the review" }).click();
    await expect(page.getByText("The gate review is open. The gate approvers have been asked to vote.")).toBeVisible();
    await signOut(page);

    await signIn(page, "approver2@mhclg.example");
    await page.goto("/home");
    await page.getByRole("link", { name: repairs }).click();
    await page.getByRole("group", { name: "What do you decide?" }).getByLabel("Stop", { exact: true }).check();
    await page.getByLabel("Reason for your decision").fill(reason);
    await page.getByRole("button", { name: "Record your vote" }).click();
    await expect(page.getByText("Stopped: lessons to record").first()).toBeVisible();
    await signOut(page);

    // The team makes the evaluation public (not the spend report) for the case study.
    await signIn(page, "officer@manchester.example");
    await page.goto("/projects");
    await page.getByRole("link", { name: repairs }).click();
    const projectUrl = page.url();
    await page.goto(`${projectUrl}/evidence`);
    await page
      .getByRole("group", { name: "Which documents can anyone download with the case study?" })
      .getByLabel(/repairs-evaluation\.pdf/)
      .check();
    await page.getByRole("button", { name: "Save public documents" }).click();
    await expect(page.getByText("The public documents have been saved")).toBeVisible();
    await signOut(page);

    // The draft waits for the fund team, who publish it.
    await page.goto("/hub?q=repairs");
    await expect(page.getByRole("link", { name: repairs })).toHaveCount(0);
    await signIn(page, "fund.team@mhclg.example");
    await page.goto("/hub/review");
    await page.getByRole("link", { name: repairs }).click();
    await expect(page.getByRole("table", { name: /Each gate review's decision/ })).toContainText(reason);
    await page.getByRole("button", { name: "Publish case study" }).click();
    await expect(page.getByText("The case study has been published in the knowledge hub")).toBeVisible();
    await signOut(page);

    // Anyone finds it, reads the gate's decision and downloads the public document only.
    await page.goto("/hub");
    await page.getByLabel("How the project ended").selectOption({ label: "Stopped" });
    await page.getByLabel("Search case studies").fill("repairs");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByRole("link", { name: repairs }).click();
    await expect(page.getByRole("heading", { level: 1, name: repairs })).toBeVisible();
    const gates = page.getByRole("table", { name: /Each gate review's decision/ });
    await expect(gates.getByRole("row", { name: /Pilot gate\s+Stop/ })).toContainText(reason);
    await expect(page.getByRole("heading", { name: "Spend against award" })).toBeVisible();
    await expect(page.getByRole("link", { name: "repairs-spend.pdf" })).toHaveCount(0);
    const link = page.getByRole("link", { name: "repairs-evaluation.pdf" });
    const response = await page.request.get((await link.getAttribute("href"))!);
    expect(response.status()).toBe(200);
    expect((await response.body()).toString()).toContain("Repairs pilot evaluation");
  });
});
