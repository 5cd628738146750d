import { expect, signIn, test } from "./fixtures.ts";

test("the fund team follows every email in the delivery log and previews every template", async ({ page }) => {
  await signIn(page, "fund.team@mhclg.example");
  await page.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: "Emails" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Emails" })).toBeVisible();
  // The sign-in link that was just used is in the log, delivered.
  await page.getByLabel("Recipient").fill("fund.team@mhclg.example");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByRole("cell", { name: "Your Springboard sign-in link" }).first()).toBeVisible();
  await page.goto("/notifications/templates");
  await expect(page.getByRole("heading", { level: 1, name: "Email templates" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Which transition tells which role with which template" })).toBeVisible();
  await expect(page.getByText("bid-certification-requested").first()).toBeVisible();
  // Every email is listed by group, with who receives it and whether it is essential.
  const caseStudies = page.getByRole("table", { name: "Case studies" });
  await expect(caseStudies.getByRole("row", { name: /case-study-returned/ })).toContainText("The case study's author (essential)");
  await expect(page.getByRole("table", { name: "Signing in and access" }).getByRole("row", { name: /sign-in-link/ })).toContainText(
    "The person signing in (essential)",
  );
  await expect(page.getByRole("table", { name: "Adoptions" }).getByRole("link", { name: "Preview adoption-updated" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Changes that send no email, and why" })).toBeVisible();
  await page.getByRole("link", { name: "See the HTML version of sign-in-link" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Sign in to Springboard" })).toBeVisible();
  await expect(page.getByRole("link", { name: /sign-in\/verify\?token=sample/ })).toBeVisible();
});

test("a council officer chooses a daily summary for emails that are not urgent", async ({ page }) => {
  await signIn(page, "officer@leeds.example");
  await page.getByRole("link", { name: "Email settings" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Email settings" })).toBeVisible();
  await page.getByLabel("Send one summary a day").check();
  await page.getByRole("button", { name: /Save/ }).click();
  await expect(page.getByRole("alert").getByText("Success")).toBeVisible();
  await expect(page.getByLabel("Send one summary a day")).toBeChecked();
});
