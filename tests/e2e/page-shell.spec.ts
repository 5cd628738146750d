import type { Page } from "@playwright/test";
import { expect, signIn, test } from "./fixtures.ts";

/**
 * What every page shares, checked where it is easiest to get wrong: titles that name the
 * page's object and start with "Error: " when a form is refused; focus on the error summary
 * after a failed submit (not on a success banner left over from the step before); error
 * links that land on their fields; the error pages' titles; the portfolio's charts. Each
 * refusal is checked with JavaScript on (the client app sends the form) and off (the browser
 * posts it), since the two render the answer by different routes.
 */

const repairs = "Housing repairs reporting";
const pdf = (name: string, text: string) => ({ name, mimeType: "application/pdf", buffer: Buffer.from(`%PDF-1.4\n${text}\n%%EOF\n`) });

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
}

async function openGate(page: Page) {
  await page.goto("/projects");
  await page.getByRole("link", { name: repairs }).click();
  await page.getByRole("link", { name: "Gate review for the pilot stage" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Pilot gate review" })).toBeVisible();
}

/** The element that has the focus, described for a failure message, and whether it is in the error summary. */
function focused(page: Page) {
  return page.evaluate(() => {
    const active = document.activeElement;
    return {
      inErrorSummary: Boolean(active?.closest(".govuk-error-summary")),
      what: active ? `${active.tagName.toLowerCase()}${active.id ? `#${active.id}` : ""}.${active.className}` : "nothing",
    };
  });
}

/**
 * Every link in the error summary goes to a control a person can answer with (for a radio
 * group, its first radio; for a date, its first box), and following it puts the focus there
 * while the errors stay on the page.
 */
async function expectErrorLinksLandOnFields(page: Page) {
  const links = page.locator(".govuk-error-summary__list a");
  const count = await links.count();
  expect(count, "the error summary has links").toBeGreaterThan(0);
  for (let i = 0; i < count; i++) {
    const link = links.nth(i);
    const href = (await link.getAttribute("href")) ?? "";
    expect(href, "a link to an element on the page").toMatch(/^#./);
    const id = decodeURIComponent(href.slice(1));
    const target = await page.evaluate((targetId) => {
      const element = document.getElementById(targetId);
      return element ? element.tagName.toLowerCase() : null;
    }, id);
    expect(target, `the link ${href} ("${await link.textContent()}") lands on a field`).toMatch(/^(input|select|textarea)$/);
    await link.click();
    await expect(page.locator(`[id="${id}"]`), `following ${href} focuses its field`).toBeFocused();
    await expect(page.locator(".govuk-error-summary"), "the errors are still shown").toBeVisible();
  }
}

for (const javaScript of [true, false]) {
  test.describe(javaScript ? "with JavaScript" : "without JavaScript", () => {
    test.use({ javaScriptEnabled: javaScript });

    test("a form refused on a page reached with a success notice: the title says Error, the error summary has the focus, the notice has gone", async ({
      page,
    }) => {
      await signIn(page, "officer@manchester.example");
      await openGate(page);
      await expect(page).toHaveTitle(`Pilot gate review: ${repairs} – Springboard`);

      // Saving the due date returns to the page with ?notice=due and a success banner.
      const due = page.getByRole("group", { name: "Date you expect to ask for the next gate review" });
      const next = new Date(Date.now() + 60 * 86_400_000);
      await due.getByLabel("Day").fill(String(next.getUTCDate()));
      await due.getByLabel("Month").fill(String(next.getUTCMonth() + 1));
      await due.getByLabel("Year").fill(String(next.getUTCFullYear()));
      await page.getByRole("button", { name: "Save the due date" }).click();
      await expect(page.getByText("The date the next gate review is due has been saved.")).toBeVisible();
      expect(new URL(page.url()).searchParams.get("notice")).toBe("due");

      // The same form, refused, posts back to that address.
      await due.getByLabel("Day").fill("32");
      await page.getByRole("button", { name: "Save the due date" }).click();
      await expect(page.locator(".govuk-error-summary")).toBeVisible();
      expect(new URL(page.url()).searchParams.get("notice")).toBe("due");
      await expect(page).toHaveTitle(`Error: Pilot gate review: ${repairs} – Springboard`);
      await expect(page.locator(".govuk-notification-banner--success")).toHaveCount(0);
      await expect(page.getByText("The date the next gate review is due has been saved.")).toHaveCount(0);
      const focus = await focused(page);
      expect(focus.inErrorSummary, `the focus is on the error summary, not on ${focus.what}`).toBe(true);
      await expectErrorLinksLandOnFields(page);
      // What was typed is kept.
      await expect(due.getByLabel("Day")).toHaveValue("32");

      // Put right, the page is no longer an error page.
      await due.getByLabel("Day").fill(String(next.getUTCDate()));
      await page.getByRole("button", { name: "Save the due date" }).click();
      await expect(page.getByText("The date the next gate review is due has been saved.")).toBeVisible();
      await expect(page).toHaveTitle(`Pilot gate review: ${repairs} – Springboard`);
    });

    test("a refused form with radios: every error link lands on its field, the radios' on the first radio", async ({ page }) => {
      await signIn(page, "admin@mhclg.example");
      await page.goto("/admin/users/new");
      await page.getByRole("button", { name: "Send invitation" }).click();
      await expect(page.locator(".govuk-error-summary")).toBeVisible();
      await expect(page).toHaveTitle("Error: Invite a user – Springboard");
      expect((await focused(page)).inErrorSummary).toBe(true);
      await expect(page.locator('.govuk-error-summary__list a[href="#role"]')).toHaveCount(1);
      await expect(page.locator("#role")).toHaveAttribute("type", "radio");
      await expectErrorLinksLandOnFields(page);
    });

    test("the 404 and 403 pages and the email preview have titles that say what they are", async ({ page }) => {
      const missing = await page.goto("/no-such-page");
      expect(missing?.status()).toBe(404);
      await expect(page).toHaveTitle("Page not found – Springboard");
      await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();

      await signIn(page, "officer@manchester.example");
      const refused = await page.goto("/portfolio");
      expect(refused?.status()).toBe(403);
      await expect(page).toHaveTitle("You cannot do that – Springboard");
      await expect(page.getByRole("heading", { level: 1, name: "You cannot do that" })).toBeVisible();
      await signOut(page);

      await signIn(page, "fund.team@mhclg.example");
      await page.goto("/notifications/templates/sign-in-link/preview");
      await expect(page).toHaveTitle("Email preview: Your Springboard sign-in link – Springboard");
    });
  });
}

test("a gate approver's refused vote: every error link lands on its field, the radio group's on its first radio", async ({ page }) => {
  test.setTimeout(300_000);
  // The project team attaches what the pilot gate needs and asks for the review.
  await signIn(page, "officer@manchester.example");
  await page.goto("/projects");
  await page.getByRole("link", { name: repairs }).click();
  for (const [type, file] of [
    ["Evaluation summary", pdf("repairs-evaluation.pdf", "Repairs pilot evaluation")],
    ["Spend to date", pdf("repairs-spend.pdf", "Repairs spend to date")],
  ] as const) {
    await page.getByRole("link", { name: "Upload evidence" }).click();
    await page.getByLabel("Type of evidence").selectOption({ label: type });
    await page.getByLabel("Upload a file").setInputFiles(file);
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    await expect(page.getByText("Your document has been uploaded.")).toBeVisible();
  }
  await page.getByRole("link", { name: "Gate review for the pilot stage" }).click();
  await page.getByLabel("How much are you asking for to fund the scale stage, in pounds?").fill("20000");
  await page.getByRole("button", { name: "Ask for a gate review" }).click();
  await expect(page.getByText("You have asked for a gate review. The fund team has been told.")).toBeVisible();
  await signOut(page);

  await signIn(page, "fund.team@mhclg.example");
  await openGate(page);
  await page.getByRole("button", { name: "Open the review" }).click();
  await expect(page.getByText("The gate review is open. The gate approvers have been asked to vote.")).toBeVisible();
  await signOut(page);

  await signIn(page, "approver2@mhclg.example");
  await openGate(page);
  // Nothing chosen: the decision (a radio group) and the reason are refused.
  await page.getByRole("button", { name: "Record your vote" }).click();
  await expect(page.locator(".govuk-error-summary")).toBeVisible();
  await expect(page).toHaveTitle(`Error: Pilot gate review: ${repairs} – Springboard`);
  await expect(page.locator(".govuk-error-summary__list a").first()).toHaveAttribute("href", "#outcome");
  await expectErrorLinksLandOnFields(page);

  // A conditional go with a condition but a due date that is not a date: the link goes to its first box.
  // (From the page afresh: the vote button ignores a second press within a second of the first, as GOV.UK's does.)
  await openGate(page);
  await page.getByRole("group", { name: "What do you decide?" }).getByLabel("Conditional go").check();
  await page.getByLabel("Reason for your decision").fill("Go on, once the question flow is tested.");
  await page.getByLabel("Condition 1", { exact: true }).fill("Test a guided question flow with tenants");
  await page.getByRole("group", { name: "Condition 1 due date" }).getByLabel("Day").fill("40");
  await page.getByRole("button", { name: "Record your vote" }).click();
  await expect(page.locator(".govuk-error-summary__list a")).toHaveText(["The due date of condition 1 must include a month and a year"]);
  await expect(page.locator(".govuk-error-summary__list a")).toHaveAttribute("href", "#condition-1-due-day");
  await expectErrorLinksLandOnFields(page);
});

test("titles name their object: a round's decisions and progress, a project's case study", async ({ page }) => {
  await signIn(page, "fund.team@mhclg.example");
  await page.goto("/rounds/pilot-2026-spring/decisions");
  await expect(page).toHaveTitle("Decisions: Pilot round spring 2026 – Springboard");
  await page.goto("/rounds/pilot-2026-spring/progress");
  await expect(page).toHaveTitle("Assessment progress: Pilot round spring 2026 – Springboard");
  await page.goto("/projects");
  await page.getByRole("link", { name: repairs }).click();
  await expect(page).toHaveTitle(`${repairs} – Springboard`);
  // The project is still in its pilot, so the page links to no case study yet: the fund team may open it all the same.
  await page.goto(`${new URL(page.url()).pathname}/case-study`);
  await expect(page.getByRole("heading", { level: 1, name: "Case study" })).toBeVisible();
  await expect(page).toHaveTitle(`Case study: ${repairs} – Springboard`);
});

test("the fund team's read-only dashboards come as HTML alone, with GOV.UK Frontend's script; other pages start the client app", async ({ page }) => {
  await signIn(page, "fund.team@mhclg.example");
  const sentAlone = () =>
    page.evaluate(() => ({
      marked: document.documentElement.dataset.htmlOnly === "true",
      remix: "__remixContext" in window,
      govuk: document.body.classList.contains("govuk-frontend-supported"),
    }));
  for (const path of ["/portfolio", "/rounds/pilot-2026-spring/decisions", "/rounds/pilot-2026-spring/progress"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect.poll(sentAlone, { message: path }).toEqual({ marked: true, remix: false, govuk: true });
  }
  // The next page opened from one is a whole document again, and starts the client app.
  await page.getByRole("link", { name: "Back to the round" }).click();
  await expect(page).toHaveURL(/\/rounds\/pilot-2026-spring$/);
  await expect.poll(sentAlone).toEqual({ marked: false, remix: true, govuk: true });
});

test("the portfolio's charts each have a heading, the money charts a legend, and their labels the page's font", async ({ page }) => {
  await signIn(page, "fund.team@mhclg.example");
  await page.goto("/portfolio");
  const charts = page.locator(".app-chart");
  await expect(charts).toHaveCount(3);
  for (const heading of ["Number of projects at each stage", "Money committed by stage", "Money spent by stage"]) {
    const chart = charts.filter({ has: page.getByRole("heading", { level: 3, name: heading }) });
    await expect(chart, `a chart headed "${heading}"`).toHaveCount(1);
    await expect(chart.getByRole("img", { name: heading })).toBeVisible();
  }
  await expect(charts.filter({ hasText: "Money committed by stage" }).locator(".app-chart__legend")).toHaveText("Committed: tranches released");
  await expect(charts.filter({ hasText: "Money spent by stage" }).locator(".app-chart__legend")).toHaveText("Spent: latest reported spend");
  const fonts = await page.locator(".app-bar-chart text").evaluateAll((texts) => [...new Set(texts.map((t) => getComputedStyle(t).fontFamily))]);
  expect(fonts.length).toBeGreaterThan(0);
  for (const font of fonts) {
    expect(font, "chart labels are set in the GOV.UK font stack").toMatch(/GDS Transport|arial/i);
    expect(font).not.toMatch(/^(serif|"?Times)/i);
  }
});
