import type { Page } from "@playwright/test";
import { eicar } from "../support/clamd.ts";
import { expect, signIn, test } from "./fixtures.ts";

/**
 * An upload that holds a virus: the server (with CLAMD_URL pointing at the private clamd
 * from tests/e2e/global-setup.ts) refuses it beside the file box with the type still
 * chosen, keeps a clean file, and the fund team finds the refusal on its list.
 */

const officer = "officer@birmingham.example";
const fundTeam = "fund.team@mhclg.example";

const infected = () => ({ name: "interview notes.txt", mimeType: "text/plain", buffer: Buffer.from(`Notes from the user research\n${eicar()}\n`) });
const clean = { name: "interview notes.txt", mimeType: "text/plain", buffer: Buffer.from("Notes from the user research: six interviews.\n") };
const refusal =
  "The file contains a virus (Eicar-Test-Signature), so it was not uploaded. Ask your IT team to check the computer it came from, then upload a copy without the virus";

async function openEvidence(page: Page, title: string) {
  await signIn(page, officer);
  await page.goto("/rounds/pilot-2026");
  await page.getByRole("button", { name: "Start a bid" }).click();
  await page.getByLabel("Name of the bid").fill(title);
  await page.getByRole("button", { name: "Start the bid" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await page.getByRole("link", { name: "Upload evidence" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Evidence" })).toBeVisible();
}

test("a file with a virus is refused beside the file box, a clean one is kept, and the fund team sees the refusal", async ({ page }) => {
  await openEvidence(page, "Scanned uploads");
  await page.getByLabel("Type of document").selectOption({ label: "User research" });
  await page.getByLabel("Upload a file").setInputFiles(infected());
  await page.getByRole("button", { name: "Upload", exact: true }).click();

  await expect(page.getByRole("alert").getByText("There is a problem")).toBeVisible();
  await expect(page.getByRole("link", { name: refusal })).toBeVisible();
  await expect(page.locator("#file-error")).toContainText(refusal);
  await expect(page.getByLabel("Type of document")).toHaveValue("userResearch");

  await page.getByLabel("Upload a file").setInputFiles(clean);
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(page.getByText("Your document has been uploaded.")).toBeVisible();
  await expect(page.getByRole("link", { name: "interview notes.txt" })).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  await signIn(page, fundTeam);
  await page.goto("/home");
  await page.getByRole("link", { name: "View files refused because of a virus" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Files refused because of a virus" })).toBeVisible();
  const row = page.getByRole("row").filter({ hasText: "Scanned uploads" });
  await expect(row).toContainText("interview notes.txt");
  await expect(row).toContainText("Priya Shah");
  await expect(row).toContainText("Eicar-Test-Signature");
});
