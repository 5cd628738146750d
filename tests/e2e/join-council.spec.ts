import type { Page } from "@playwright/test";
import { expect, signIn, test } from "./fixtures.ts";

/** Opens the newest email to the address with this subject, then the first link in it. */
async function followEmailLink(page: Page, address: string, subject: string) {
  await page.goto(`/dev/mailbox?to=${encodeURIComponent(address)}`);
  await page.getByRole("link", { name: subject }).first().click();
  await page.getByTestId("email-body").getByRole("link").first().click();
}

test("a new officer asks to join their council, confirms their address, is approved by an existing officer, and signs in", async ({ page }) => {
  const newcomer = "nia.newman@leeds.example";

  // Asking, from the sign-in page.
  await page.goto("/sign-in");
  await page.getByText("I do not have an account").click();
  await page.getByRole("link", { name: "request access" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Request access" })).toBeVisible();
  await page.getByRole("button", { name: "Request access" }).click();
  await expect(page.getByRole("link", { name: "Enter your full name" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Select the role you need" })).toBeVisible();
  await page.getByLabel("Full name").fill("Nia Newman");
  await page.getByLabel("Work email address").fill(newcomer);
  await page.getByLabel("Council officer").check();
  await page.getByLabel("Anything the approver should know (optional)").fill("Digital team, service designer");
  await page.getByRole("button", { name: "Request access" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await expect(page.getByText(`If ${newcomer} is on a council's domain, we have sent you a link to confirm it.`)).toBeVisible();

  // Confirming the address from the emailed link.
  await followEmailLink(page, newcomer, "Confirm your request to join Springboard");
  await expect(page.getByRole("heading", { name: "Confirm your request" })).toBeVisible();
  await expect(page.getByText("Nia Newman, confirm that you want to ask Leeds for access")).toBeVisible();
  await page.getByRole("button", { name: "Confirm and send my request" }).click();
  await expect(page.getByRole("heading", { name: "Request sent" })).toBeVisible();

  // An existing officer of Leeds finds it waiting for them and approves it.
  await signIn(page, "officer@leeds.example");
  await page.getByRole("link", { name: "Approve or decline Nia Newman's request to join Leeds" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Nia Newman's request to join" })).toBeVisible();
  await expect(page.getByText("Digital team, service designer")).toBeVisible();
  // An officer gives the officer role only: the certifier role is not offered.
  await expect(page.getByLabel("Council certifier")).toHaveCount(0);
  await expect(page.getByLabel("Council officer")).toBeChecked();
  await page.getByRole("button", { name: "Approve and give access" }).click();
  await expect(page.getByText("Nia Newman now has access. We have emailed them how to sign in.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Approve and give access" })).toHaveCount(0);
  await page.getByRole("link", { name: "Back to requests to join" }).click();
  await expect(page.getByText("There are no requests waiting for an answer.")).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();

  // The new officer is told, signs in, and lands on their council's home page.
  await page.goto(`/dev/mailbox?to=${encodeURIComponent(newcomer)}`);
  await expect(page.getByRole("link", { name: "You have access to Springboard" })).toBeVisible();
  await signIn(page, newcomer);
  await expect(page).toHaveURL(/\/home$/);
  await expect(page.getByText("Council officer, Leeds")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Welcome, Nia Newman" })).toBeVisible();
});

test("the fund team gives a council an email domain, and is told why a public email service cannot be one", async ({ page }) => {
  await signIn(page, "fund.team@mhclg.example");
  await page.goto("/organisations/KEN");
  await expect(page.getByRole("heading", { level: 2, name: "Email domains" })).toBeVisible();
  await page.getByLabel("Add an email domain").fill("gmail.com");
  await page.getByRole("button", { name: "Add domain" }).click();
  const message =
    "gmail.com is a public email service that anyone can sign up to, so it cannot be an organisation's domain. Enter a domain only its staff have, like leeds.gov.uk";
  await expect(page.getByRole("link", { name: message })).toBeVisible();
  await expect(page.getByLabel("Add an email domain")).toHaveValue("gmail.com");
  await page.getByLabel("Add an email domain").fill("leeds.example");
  await page.getByRole("button", { name: "Add domain" }).click();
  await expect(page.getByRole("link", { name: "leeds.example already belongs to Leeds. A domain can belong to only one organisation" })).toBeVisible();
  await page.getByLabel("Add an email domain").fill("kent.example");
  await page.getByRole("button", { name: "Add domain" }).click();
  await expect(page.getByText("kent.example is now one of")).toBeVisible();
  await expect(page.getByRole("button", { name: "Remove kent.example" })).toBeVisible();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  test("asking for access gives the same answer for an address that already has an account", async ({ page }) => {
    await page.goto("/request-access");
    await page.getByLabel("Full name").fill("Priya Shah");
    await page.getByLabel("Work email address").fill("officer@birmingham.example");
    await page.getByLabel("Council officer").check();
    await page.getByRole("button", { name: "Request access" }).click();
    await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
    await expect(page.getByText("If officer@birmingham.example is on a council's domain, we have sent you a link to confirm it.")).toBeVisible();
    // What arrives is a sign-in link, not a second account.
    await followEmailLink(page, "officer@birmingham.example", "Your Springboard sign-in link");
    await expect(page.getByRole("heading", { name: "Sign in to Springboard" })).toBeVisible();
  });
});
