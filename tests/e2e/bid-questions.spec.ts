import { expect, signIn, test } from "./fixtures.ts";

/**
 * A round's own bid questions: the fund team adds one to an open round, with its mistakes
 * refused beside the fields, previews it as councils will see it, and a council officer
 * answers it in a bid, within its word limit. Without JavaScript throughout.
 */
test.use({ javaScriptEnabled: false });

const question = "How will residents be involved?";

test("the fund team adds a question to an open round and previews it, then a council answers it in a bid", async ({ page }) => {
  await signIn(page, "fund.team@mhclg.example");
  await page.goto("/rounds/pilot-2026");
  await page.getByRole("link", { name: "Bid questions" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /^Bid questions for / })).toBeVisible();
  await expect(page.getByRole("heading", { level: 3, name: "Name of the bid" })).toBeVisible();

  // A mistake first: the error is beside its field and what was typed is kept.
  await page.getByLabel("Section").selectOption({ label: "Approach, reuse and openness" });
  await page.getByLabel("Question", { exact: true }).fill(question);
  await page.getByLabel("Long text").check();
  await page.getByLabel("Limit").fill("fifty");
  await page.getByRole("button", { name: "Add question" }).click();
  await expect(page.getByRole("alert").getByRole("link", { name: "The limit must be a whole number, like 250" })).toBeVisible();
  await expect(page.getByRole("alert").getByRole("link", { name: "Select whether councils must answer the question" })).toBeVisible();
  await expect(page.getByLabel("Question", { exact: true })).toHaveValue(question);

  await page.getByLabel("Limit").fill("12");
  await page.getByLabel("Yes").check();
  await page.getByLabel("Score criterion this answer is evidence for (optional)").selectOption({ label: "Deliverability" });
  await page.getByRole("button", { name: "Add question" }).click();
  await expect(page.getByText("Question added")).toBeVisible();
  const card = page.getByTestId("question-howWillResidentsBeInvolved");
  await expect(card.getByText("Long text, up to 12 words")).toBeVisible();
  await expect(card.getByText("Deliverability")).toBeVisible();

  // Previewed as councils will see it.
  await page.getByRole("link", { name: "Preview the round and its questions as councils see them" }).click();
  const approach = page.getByTestId("preview-approach");
  await expect(approach.getByText(question)).toBeVisible();
  await expect(approach.getByText("Up to 12 words.")).toBeVisible();
  await expect(approach.getByText("Assessors read it for: Deliverability")).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();

  // A council officer answers it.
  await signIn(page, "officer@leeds.example");
  await page.goto("/rounds/pilot-2026");
  await page.getByRole("button", { name: "Start a bid" }).click();
  await page.getByLabel("Name of the bid").fill("Residents shape the front door");
  await page.getByRole("button", { name: "Start the bid" }).click();
  await page.getByRole("link", { name: "Approach, reuse and openness", exact: true }).click();
  await page.getByLabel("Approach", { exact: true }).fill("Discovery, alpha and a pilot with real users.");
  await page.getByLabel("Reuse", { exact: true }).fill("GOV.UK Notify.");
  await page.getByLabel("Openness", { exact: true }).fill("Code in the open.");
  await page.getByLabel(question).fill("Monthly panels in every partner council, run with local voluntary groups and libraries, through the whole pilot");
  await page.getByLabel("Yes, I've completed this section").check();
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page.getByRole("alert").getByRole("link", { name: "How will residents be involved must be 12 words or fewer" })).toBeVisible();
  await page.getByLabel(question).fill("Monthly panels in every partner council.");
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Your answers" })).toBeVisible();
  // The answer is part of the bid, under its question, when the officer checks the answers.
  await page.goto(`${new URL(page.url()).pathname}/check`);
  const answers = page.locator(".govuk-summary-card", { has: page.getByRole("heading", { name: "Approach, reuse and openness" }) });
  await expect(answers.getByText(question)).toBeVisible();
  await expect(answers.getByText("Monthly panels in every partner council.")).toBeVisible();
});
