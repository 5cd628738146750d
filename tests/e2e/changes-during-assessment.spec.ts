import type { Page } from "@playwright/test";
import { expect, signIn, test } from "./fixtures.ts";

// The fund team asks for changes to a bid its assessors are scoring; the council changes a
// section and resubmits; the bid comes back to the same assessor with their earlier scores
// and the changed section marked. Without JavaScript: every step is a plain form.
test.use({ javaScriptEnabled: false });

const round = "/rounds/pilot-2026-spring";
const title = "Council tax discount review";
const fundTeam = "fund.team@mhclg.example";
const council = "digital@camden.example";
const scorer = "assessor@assessors.example";
const reason = "Say which discounts the review covers first, and when.";
const newSummary = "A shared review of single person discounts first, then student exemptions, across three councils.";
const scores = { strategicFit: 4, deliverability: 3, valueForMoney: 4, reuseAndOpenness: 2 };

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
}

async function chooseOption(page: Page, label: string, text: string) {
  const select = page.getByLabel(label, { exact: true });
  const value = await select.locator("option", { hasText: text }).first().getAttribute("value");
  await select.selectOption(value!);
}

/** Opens the newest email to `to` whose subject matches, from the dev mailbox. */
async function openEmail(page: Page, to: string, subject: RegExp) {
  await page.goto(`/dev/mailbox?to=${encodeURIComponent(to)}`);
  await page.getByRole("link", { name: subject }).first().click();
  return page.getByTestId("email-body");
}

test("changes asked for during assessment: the bid goes back to the council, then back to its assessors", async ({ page }) => {
  test.setTimeout(600_000);

  // The fund team finds the bid eligible, gives it two assessors and starts the assessment.
  await signIn(page, fundTeam);
  await page.goto(`${round}/eligibility`);
  const bid = (await page.getByRole("link", { name: title }).first().getAttribute("href"))!.replace(/\/eligibility$/, "");
  await page.goto(`${bid}/eligibility`);
  await page.getByRole("button", { name: "Start the check" }).click();
  await page.getByRole("button", { name: "Confirm the bid is eligible" }).click();
  await page.goto(`${round}/assessors`);
  for (const name of ["Grace Adeyemi", "Femi Adebayo"]) {
    await chooseOption(page, "Add an assessor to the pool", name);
    await page.getByRole("button", { name: "Add to pool" }).click();
    await expect(page.getByRole("cell", { name: new RegExp(name) }).first()).toBeVisible();
  }
  await page.goto(`${bid}/assignments`);
  await page.getByRole("button", { name: "Assign assessors automatically" }).click();
  await page.getByRole("button", { name: "Start assessment" }).click();
  await expect(page.getByText("Assessment has started.")).toBeVisible();
  await signOut(page);

  // One assessor accepts, declares no interests and submits scores.
  await signIn(page, scorer);
  await page.goto("/assessments");
  const href = (await page.getByRole("main").locator("tr").filter({ hasText: title }).locator('a[href^="/assessments/"]').first().getAttribute("href"))!;
  const assessment = href.replace(/\/score$/, "");
  await page.goto(assessment);
  await page.getByRole("button", { name: "Accept invitation" }).click();
  await page.getByLabel("Your interests in this bid").fill("None.");
  await page.locator('input[name="conflict"][value="no"]').check();
  await page.getByRole("button", { name: "Declare interests" }).click();
  for (const [key, score] of Object.entries(scores)) {
    await page.locator(`input[name="score-${key}"][value="${score}"]`).check();
    await page.locator(`[name="justification-${key}"]`).fill(`First look: ${score} for ${key}.`);
  }
  await page.getByRole("button", { name: "Submit scores" }).click();
  await expect(page.getByText("Your scores have been submitted.")).toBeVisible();
  await signOut(page);

  // The fund team asks for changes from the bid's page: the form says what is missing, then sends it back.
  await signIn(page, fundTeam);
  await page.goto(bid);
  await page.getByRole("link", { name: "Ask the council for changes" }).click();
  await expect(page.getByRole("heading", { name: "Ask the council for changes" })).toBeVisible();
  await page.getByRole("button", { name: "Ask for changes" }).click();
  const summary = page.getByRole("alert");
  await expect(summary).toContainText("Select the sections the council needs to change");
  await expect(summary).toContainText("Enter what the council needs to change, and why");
  await page.getByLabel("What needs to change, and why?").fill(reason);
  await page.getByRole("button", { name: "Ask for changes" }).click();
  // The reason typed is kept beside the one error left.
  await expect(page.getByRole("alert")).toContainText("Select the sections the council needs to change");
  await expect(page.getByLabel("What needs to change, and why?")).toHaveValue(reason);
  await page.getByLabel("Summary", { exact: true }).check();
  await page.getByRole("button", { name: "Ask for changes" }).click();
  await expect(page.getByText("The bid has gone back to the council for changes.")).toBeVisible();
  await expect(page.getByText("Its assessments are paused with their scores kept")).toBeVisible();
  await signOut(page);

  // The assessor is told, and cannot score while the bid is with the council.
  let body = await openEmail(page, scorer, new RegExp(`Paused for changes: ${title}`));
  await expect(body).toContainText(reason);
  await signIn(page, scorer);
  await page.goto(assessment);
  await expect(page.getByText("This bid is back with the council for changes")).toBeVisible();
  await page.goto(`${assessment}/score`);
  await expect(page.getByTestId("paused")).toContainText("You cannot change your scores while the bid is back with the council");
  await expect(page.getByRole("button", { name: "Submit scores" })).toHaveCount(0);
  await expect(page.getByText("First look: 4 for strategicFit.")).toBeVisible();
  await signOut(page);

  // The council changes the summary and resubmits.
  body = await openEmail(page, council, new RegExp(`Changes requested: ${title}`));
  await expect(body).toContainText(reason);
  await signIn(page, council);
  await page.goto(bid);
  await expect(page.getByText("The fund team asked for changes to: Summary.")).toBeVisible();
  await page.goto(`${bid}/sections/summary`);
  await page.getByLabel("Summary", { exact: true }).fill(newSummary);
  await page.getByLabel("Yes, I've completed this section").check();
  await page.getByRole("button", { name: "Save and continue" }).click();
  await page.goto(`${bid}/check`);
  await page.getByRole("button", { name: "Resubmit the bid" }).click();
  await expect(page.getByText("The bid has been resubmitted.")).toBeVisible();
  // The bid's timeline shows the request and the return.
  const timeline = page.getByRole("main");
  await expect(timeline).toContainText("Changes requested");
  await expect(timeline).toContainText("Resubmitted");
  await signOut(page);

  // The assessor is told it is back, and finds it waiting with their earlier scores and the changed section marked.
  body = await openEmail(page, scorer, new RegExp(`Back for assessment: ${title}`));
  await expect(body).toContainText("Sections changed: Summary");
  await signIn(page, scorer);
  await page
    .getByRole("region", { name: "Waiting for you" })
    .getByRole("link", { name: `Look at the changed sections and submit your scores again: “${title}”` })
    .click();
  await expect(page.getByTestId("changed")).toContainText("Changed since you scored it: Summary.");
  const card = page.locator(".govuk-summary-card").filter({ has: page.getByRole("heading", { name: /^Summary/ }) });
  await expect(card.getByText("Changed since you scored it")).toBeVisible();
  await expect(card).toContainText(newSummary);
  await expect(
    page
      .locator(".govuk-summary-card")
      .filter({ has: page.getByRole("heading", { name: /^Costs/ }) })
      .getByText("Changed since you scored it"),
  ).toHaveCount(0);
  for (const [key, score] of Object.entries(scores)) {
    await expect(page.locator(`input[name="score-${key}"][value="${score}"]`)).toBeChecked();
    await expect(page.locator(`[name="justification-${key}"]`)).toHaveValue(`First look: ${score} for ${key}.`);
  }
  await page.locator('input[name="score-strategicFit"][value="5"]').check();
  await page.locator('[name="justification-strategicFit"]').fill("Clearer now: the order of the review is set out.");
  await page.getByRole("button", { name: "Submit scores" }).click();
  await expect(page.getByText("Your scores have been submitted.")).toBeVisible();
  await expect(page.getByText("Resubmitted", { exact: true })).toBeVisible();
});
