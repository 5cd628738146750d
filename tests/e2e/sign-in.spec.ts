import { expect, signIn, test } from "./fixtures.ts";

const demoRoles = [
  { email: "officer@birmingham.example", caption: "Council officer, Birmingham", section: "Your council's bids" },
  { email: "certifier@birmingham.example", caption: "Council certifier, Birmingham", section: "Waiting for you" },
  { email: "assessor@assessors.example", caption: "Assessor, Open Assessment Panel", section: "Your assessments" },
  { email: "fund.team@mhclg.example", caption: "Fund team, MHCLG", section: "Rounds" },
  { email: "approver@mhclg.example", caption: "Gate approver, MHCLG", section: "Waiting for you" },
  { email: "admin@mhclg.example", caption: "Administrator, MHCLG", section: "Users" },
];

test("the start page says what the service is for", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Bid to the Local Digital Innovation Fund" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Pilot round 2026 to 2027" })).toBeVisible();
  await page.getByRole("button", { name: "Start now" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
});

test("the service status page says the service is working, from the footer", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("link", { name: "Service status" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Service status" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Springboard is working normally" })).toBeVisible();
  await expect(page.getByText("Answering")).toBeVisible();
});

for (const role of demoRoles) {
  test(`${role.caption} signs in through the emailed link and lands on their home page`, async ({ page }) => {
    await signIn(page, role.email);
    await expect(page).toHaveURL(/\/home$/);
    await expect(page.getByText(role.caption)).toBeVisible();
    await expect(page.getByText(role.section, { exact: true }).first()).toBeVisible();
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
    await page.goto("/home");
    await expect(page).toHaveURL(/\/sign-in\?returnTo=%2Fhome$/);
  });
}

test("a malformed email address gets a message by the field and is kept", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email address").fill("priya at birmingham");
  await page.getByRole("button", { name: "Send me a sign-in link" }).click();
  await expect(page.getByRole("alert").getByText("There is a problem")).toBeVisible();
  await expect(page.getByRole("link", { name: /Enter an email address in the correct format/ })).toBeVisible();
  await expect(page.getByLabel("Email address")).toHaveValue("priya at birmingham");
});

test("a used link gets a clear page and a way to ask for a new one", async ({ page }) => {
  await signIn(page, "officer@leeds.example");
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.goto("/dev/mailbox?to=officer%40leeds.example");
  await page.getByRole("link", { name: "Your Springboard sign-in link" }).first().click();
  await page.getByTestId("email-body").getByRole("link").first().click();
  await expect(page.getByText("That sign-in link has already been used.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Send me a sign-in link" })).toBeVisible();
});

test("a page that does not exist says so", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  test("a council officer signs in and out", async ({ page }) => {
    await signIn(page, "officer@manchester.example");
    await expect(page).toHaveURL(/\/home$/);
    await expect(page.getByRole("heading", { name: "Welcome, Tom Hughes" })).toBeVisible();
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  });
});
