import type { Page } from "@playwright/test";
import { expect, signIn, test } from "./fixtures.ts";

/** Fills one of the round form's dates: day, month, year and time, in UK time. */
async function fillDate(page: Page, name: string, [day, month, year, time]: [string, string, string, string]) {
  await page.locator(`#${name}`).fill(day);
  await page.locator(`#${name}-month`).fill(month);
  await page.locator(`#${name}-year`).fill(year);
  await page.locator(`#${name}-time`).fill(time);
}

const nextYear = String(new Date().getFullYear() + 1);

test("the fund team sets up a fund, sees it, makes a round from it and previews the round", async ({ page }) => {
  // GOV.UK Frontend's buttons ignore a second click within a second of the first (its guard
  // against double submission), and the page is not reloaded between the refused attempt and
  // the corrected one; the page's clock is moved on as a person's pause would.
  await page.clock.install();
  await signIn(page, "fund.team@mhclg.example");
  await page.getByRole("link", { name: "Funds", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Funds" })).toBeVisible();
  await page.getByRole("button", { name: "Set up a fund" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Set up a fund" })).toBeVisible();

  // A mistake first: the top tier given a limit. The error names the rule and keeps what was typed.
  await page.getByLabel("Name of the fund").fill("Digital Inclusion Fund");
  await page.getByLabel("Summary", { exact: true }).fill("Councils working together to close the digital divide.");
  await page.getByLabel("Most a pilot bid can ask for, in pounds").fill("200000");
  await page.locator("#tier-2-upTo").fill("900000");
  await page.getByLabel("Days before a planned gate review to remind the project team").fill("21");
  await page.getByRole("button", { name: "Create the fund" }).click();
  const summary = page.getByRole("alert");
  await expect(
    summary.getByRole("link", { name: "Leave the limit of tier 3 blank: it is the top tier, which covers everything above tier 2's limit" }),
  ).toBeVisible();
  await expect(page.getByLabel("Name of the fund")).toHaveValue("Digital Inclusion Fund");
  await expect(page.getByLabel("Days before a planned gate review to remind the project team")).toHaveValue("21");

  await page.locator("#tier-2-upTo").fill("");
  await page.clock.fastForward(1500);
  await page.getByRole("button", { name: "Create the fund" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Digital Inclusion Fund" })).toBeVisible();
  await expect(page.getByText("The fund has been set up.")).toBeVisible();
  await expect(page.getByRole("heading", { level: 3, name: "Tier 3" })).toBeVisible();
  await expect(page.getByText("21 days, to the project team")).toBeVisible();
  await expect(page.getByText("£200,000")).toBeVisible();

  // The fund is in the list.
  await page.getByRole("link", { name: "Back to funds" }).click();
  await expect(page.getByRole("link", { name: "Digital Inclusion Fund" })).toBeVisible();
  await page.getByRole("link", { name: "Digital Inclusion Fund" }).click();

  // A round made from the fund starts from its rules.
  await page.getByRole("button", { name: "Make a round from this fund" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Set up a round" })).toBeVisible();
  await expect(page.getByText("Fund: Digital Inclusion Fund.")).toBeVisible();
  await expect(page.getByLabel("Most a bid can ask for, in pounds")).toHaveValue("200000");
  await page.getByLabel("Name of the round").fill("Digital inclusion pilots");
  // Open from the start of this year, so a council can bid to it today.
  await fillDate(page, "opensAt", ["1", "1", String(new Date().getFullYear()), "9am"]);
  await fillDate(page, "closesAt", ["30", "4", nextYear, "12pm"]);
  await page.getByLabel("Guidance for applicants").fill("Bid to pilot a shared way of helping residents get online.");
  await page.getByRole("button", { name: "Create the round" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Digital inclusion pilots" })).toBeVisible();
  await expect(page.getByText("Digital Inclusion Fund").first()).toBeVisible();

  // Previewed as applicants will see it.
  await page.getByRole("link", { name: "Edit settings" }).click();
  await page.getByRole("link", { name: "Preview the saved settings as applicants see them" }).click();
  await expect(page.getByText("This is the round's page as applicants see it.")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: "Digital inclusion pilots" })).toBeVisible();
  await expect(page.getByText("Councils working together to close the digital divide.")).toBeVisible();

  // The round asks a question of its own, previewed as councils will see it.
  const question = "How will residents without internet at home take part?";
  await page.goto("/rounds/digital-inclusion-pilots");
  await page.getByRole("link", { name: "Bid questions" }).click();
  await page.getByLabel("Section").selectOption({ label: "Problem and the users affected" });
  await page.getByLabel("Question", { exact: true }).fill(question);
  await page.getByLabel("Long text").check();
  await page.getByLabel("Limit").fill("200");
  await page.getByLabel("Yes").check();
  await page.getByRole("button", { name: "Add question" }).click();
  await expect(page.getByText("Question added")).toBeVisible();
  await page.getByRole("link", { name: "Preview the round and its questions as councils see them" }).click();
  await expect(page.getByTestId("preview-problem").getByText(question)).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();

  // A council bids to the new round and is asked the round's own question.
  await signIn(page, "officer@leeds.example");
  await page.goto("/rounds/digital-inclusion-pilots");
  await page.getByRole("button", { name: "Start a bid" }).click();
  await page.getByLabel("Name of the bid").fill("Libraries as digital help points");
  await page.getByRole("button", { name: "Start the bid" }).click();
  await page.getByRole("link", { name: "Problem and the users affected", exact: true }).click();
  await page.getByLabel("What is the problem?").fill("One in ten residents has no internet at home.");
  await page.getByLabel("Who are the users affected, and how?").fill("Older residents and families on low incomes.");
  await page.getByLabel(question).fill("Help points in every library, with staff trained to help.");
  await page.getByLabel("Yes, I've completed this section").check();
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Your answers" })).toBeVisible();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a fund's settings are changed, and the page says rounds already made keep theirs", async ({ page }) => {
    await signIn(page, "fund.team@mhclg.example");
    await page.goto("/funds");
    await page.getByRole("table").getByRole("link").first().click();
    await page.getByRole("link", { name: "Change the fund's settings" }).click();
    await expect(page.getByText("Rounds already made keep the rules they copied when they were set up")).toBeVisible();
    await page.locator("#tier-0-approvers").fill("0");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByRole("alert").getByRole("link", { name: "The gate approvers at tier 1 must be a whole number from 1 to 10" })).toBeVisible();
    await expect(page.locator("#tier-0-approvers")).toHaveValue("0");
    await page.locator("#tier-0-approvers").fill("2");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByText("The fund's settings have been saved. Rounds already made keep the rules they copied.")).toBeVisible();
    await expect(page.getByText("2 gate approvers").first()).toBeVisible();
  });
});
