import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Page } from "@playwright/test";
import { expect, signIn, test } from "./fixtures.ts";

/**
 * Uploading evidence that is refused: a file too large is refused beside the file box with
 * the type chosen beside it still chosen (without JavaScript, by the server as soon as it
 * knows the size; with it, before the file is sent), and a file that is not what its type
 * says is refused with the type's rule.
 */

const officer = "officer@birmingham.example";

/** An 11 MB file of zeros called a PDF, made for the test: over the 10 MB limit. */
function tooBigFile(): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "springboard-e2e-upload-")), "scanned-letters.pdf");
  writeFileSync(file, Buffer.alloc(11 * 1024 * 1024));
  return file;
}

const png = {
  name: "costs.png",
  mimeType: "image/png",
  buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]),
};

/** Starts a bid in the open round and opens its evidence page. */
async function openEvidence(page: Page, title: string) {
  await signIn(page, officer);
  await page.goto("/rounds/pilot-2026");
  await page.getByRole("button", { name: "Start a bid" }).click();
  await page.getByLabel("Name of the bid").fill(title);
  await page.getByRole("button", { name: "Start the bid" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await page.getByRole("link", { name: "Upload evidence" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Evidence" })).toBeVisible();
  // The hint beside the type says which files fit each type.
  await expect(page.getByText("Cost breakdown: a spreadsheet (Excel, OpenDocument or CSV) or a PDF")).toBeVisible();
}

async function refusedAsNotFitting(page: Page) {
  await page.getByLabel("Type of document").selectOption({ label: "Cost breakdown" });
  await page.getByLabel("Upload a file").setInputFiles(png);
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  const sentence = "A cost breakdown must be a spreadsheet (Excel, OpenDocument or CSV) or a PDF. The file you chose is a PNG image";
  await expect(page.getByRole("link", { name: sentence })).toBeVisible();
  await expect(page.locator("#file-error")).toContainText(sentence);
  await expect(page.getByLabel("Type of document")).toHaveValue("costBreakdown");
}

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a file too large is refused beside the file box, with the type still chosen, and a file of the wrong kind with its rule", async ({ page }) => {
    await openEvidence(page, "Uploads without scripts");
    await page.getByLabel("Type of document").selectOption({ label: "Letter of support" });
    await page.getByLabel("Upload a file").setInputFiles(tooBigFile());
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    await expect(page.getByRole("alert").getByText("There is a problem")).toBeVisible();
    await expect(page.getByRole("link", { name: "The file must be smaller than 10MB" })).toBeVisible();
    await expect(page.locator("#file-error")).toContainText("The file must be smaller than 10MB");
    await expect(page.getByLabel("Type of document")).toHaveValue("letterOfSupport");

    await refusedAsNotFitting(page);
  });
});

test.describe("with JavaScript", () => {
  test("a file too large is refused as soon as it is chosen, and not sent; a file of the wrong kind is refused with its rule", async ({ page }) => {
    await openEvidence(page, "Uploads with scripts");
    await page.getByLabel("Type of document").selectOption({ label: "Letter of support" });
    const posts: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST") posts.push(request.url());
    });
    await page.getByLabel("Upload a file").setInputFiles(tooBigFile());
    await expect(page.locator("#file-error")).toContainText("The file must be smaller than 10MB");
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    await expect(page.locator("#file-error")).toContainText("The file must be smaller than 10MB");
    await expect(page.getByLabel("Type of document")).toHaveValue("letterOfSupport");
    expect(posts).toEqual([]);

    await refusedAsNotFitting(page);
  });
});
