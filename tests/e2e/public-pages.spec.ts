import type { Page } from "@playwright/test";
import { serviceCookies } from "../../app/legal/cookies.ts";
import { expect, signIn, test } from "./fixtures.ts";

/**
 * The pages every public service owes its users, from the footer of every page, and the
 * feedback link in the beta banner reaching the fund team.
 */

const footerPages = [
  { link: "Accessibility statement", title: "Accessibility statement – Springboard", heading: "Accessibility statement for Springboard" },
  { link: "Privacy", title: "Privacy notice – Springboard", heading: "Privacy notice" },
  { link: "Cookies", title: "Cookies – Springboard", heading: "Cookies" },
  { link: "Feedback", title: "Give feedback – Springboard", heading: "Give feedback on Springboard" },
];

const footer = (page: Page) => page.getByRole("contentinfo");

/** What the fund team sees on the feedback page, reached from their home page. */
async function openReceivedFeedback(page: Page) {
  await signIn(page, "fund.team@mhclg.example");
  await page.goto("/home");
  await page.getByRole("link", { name: "Read the feedback people have given about Springboard" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Feedback received" })).toBeVisible();
}

/**
 * Waits for the client app to have started on the page, so that keys pressed next reach
 * the page as it will stay, not the server's HTML while the app takes it over.
 */
async function appStarted(page: Page) {
  await page.waitForFunction(() => (window as unknown as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state.initialized === true);
}

/** Presses Tab until the focused element is the one wanted, as a keyboard user would. */
async function tabTo(page: Page, wanted: (element: { tag: string; id: string; text: string }) => boolean, limit = 40) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return { tag: el?.tagName.toLowerCase() ?? "", id: el?.id ?? "", text: el?.textContent?.trim() ?? "" };
    });
    if (wanted(focused)) return;
  }
  throw new Error(`Nothing wanted was reached in ${limit} presses of Tab`);
}

test("every footer link opens its page, for anyone", async ({ page }) => {
  await page.goto("/funded");
  for (const target of footerPages) {
    await footer(page).getByRole("link", { name: target.link, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: target.heading })).toBeVisible();
    await expect(page).toHaveTitle(target.title);
  }
});

test("the cookies page lists exactly the cookies a signed-in browser holds", async ({ page, context }) => {
  await signIn(page, "officer@birmingham.example");
  // A form sent, so that every cookie a journey uses has been set.
  await page.goto("/account/notifications");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Your email settings have been saved.")).toBeVisible();
  const held = (await context.cookies()).map((c) => c.name).sort();
  expect(held).toEqual(serviceCookies.map((c) => c.name).sort());

  await footer(page).getByRole("link", { name: "Cookies", exact: true }).click();
  const rows = page.getByRole("table").getByRole("row");
  await expect(rows).toHaveCount(serviceCookies.length + 1);
  for (const cookie of serviceCookies) await expect(page.getByRole("rowheader", { name: cookie.name, exact: true })).toBeVisible();
});

test("a visitor gives feedback from the banner and the fund team reads it", async ({ page }) => {
  await page.goto("/hub");
  await page.getByRole("link", { name: "Tell the fund team what you think of it" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Give feedback on Springboard" })).toBeVisible();
  await page.getByLabel("What were you doing? (optional)").fill("Reading the case studies.");
  await page.getByLabel("What went wrong, or what could be better?").fill("I could not filter case studies by council.");
  await page.getByLabel("Email address (optional)").fill("visitor@example.test");
  await page.getByRole("button", { name: "Send feedback" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Thank you for your feedback" })).toBeVisible();
  await page.getByRole("link", { name: "Go back to the page you were on" }).click();
  await expect(page).toHaveURL(/\/hub$/);

  await openReceivedFeedback(page);
  const item = page.getByRole("article").filter({ hasText: "I could not filter case studies by council." });
  await expect(item.getByText("Someone who was not signed in")).toBeVisible();
  await expect(item.getByRole("link", { name: "/hub" })).toBeVisible();
  await expect(item.getByText("Reading the case studies.")).toBeVisible();
  await expect(item.getByRole("link", { name: "visitor@example.test" })).toBeVisible();

  // Each member of the fund team is emailed it too.
  await page.goto("/dev/mailbox?to=fund.team%40mhclg.example");
  await page.getByRole("link", { name: "Feedback on Springboard" }).first().click();
  await expect(page.getByTestId("email-body")).toContainText("I could not filter case studies by council.");
});

test("giving feedback works with only a keyboard", async ({ page }) => {
  await page.goto("/rounds");
  await appStarted(page);
  await tabTo(page, (el) => el.tag === "a" && el.text === "Tell the fund team what you think of it");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Give feedback on Springboard" })).toBeVisible();
  await appStarted(page);
  await tabTo(page, (el) => el.id === "doing");
  await page.keyboard.type("Looking at the open rounds.");
  await page.keyboard.press("Tab");
  await page.keyboard.type("The closing times are easy to find.");
  await tabTo(page, (el) => el.tag === "button" && el.text === "Send feedback");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Thank you for your feedback" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Go back to the page you were on" })).toHaveAttribute("href", "/rounds");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the footer pages open, and a signed-in officer's feedback is refused when too long, kept, then sent with their name", async ({ page }) => {
    await page.goto("/");
    for (const target of footerPages) {
      await footer(page).getByRole("link", { name: target.link, exact: true }).click();
      await expect(page.getByRole("heading", { level: 1, name: target.heading })).toBeVisible();
    }

    await signIn(page, "officer@leeds.example");
    await page.goto("/projects");
    await expect(page.getByText(/You are signed in as/)).toBeVisible();
    await page.getByRole("link", { name: "Give feedback", exact: true }).click();
    await expect(page.getByText("You are signed in, so the fund team will see your name")).toBeVisible();
    const tooLong = "The project list should show each project's next gate. ".repeat(100);
    await page.getByLabel("What went wrong, or what could be better?").fill(tooLong);
    await page.getByRole("button", { name: "Send feedback" }).click();
    await expect(page.getByRole("alert").getByText("There is a problem")).toBeVisible();
    await expect(page.getByRole("link", { name: "What went wrong or what could be better must be 5,000 characters or fewer" })).toBeVisible();
    await expect(page.getByLabel("What went wrong, or what could be better?")).toHaveValue(tooLong);

    await page.getByLabel("What went wrong, or what could be better?").fill("The project list should show each project's next gate.");
    await page.getByRole("button", { name: "Send feedback" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Thank you for your feedback" })).toBeVisible();
    await page.getByRole("link", { name: "Go back to the page you were on" }).click();
    await expect(page).toHaveURL(/\/projects$/);
    await page.getByRole("button", { name: "Sign out" }).click();

    await openReceivedFeedback(page);
    const item = page.getByRole("article").filter({ hasText: "The project list should show each project's next gate." });
    await expect(item.getByText(/^Hannah Wright, council officer at /)).toBeVisible();
    await expect(item.getByText("No reply asked for")).toBeVisible();
  });
});
