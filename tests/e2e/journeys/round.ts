import type { Page } from "@playwright/test";
import { expect, signIn } from "../fixtures.ts";

/**
 * A whole round, from submitted bids to decision emails, as the fund team, four assessors
 * and the councils would do it (tests/e2e/assessment*.spec.ts run it with JavaScript off and on). The demo round (app/seed/demo/round.server.ts)
 * has three partnership bids submitted and a budget of £600,000. One assessor works for
 * Leeds, a partner in the school transport bid, and must never be given it. The assessors
 * disagree about that bid's strategic fit; the moderator records a consensus; the funding
 * line funds two bids; the decisions are published and the councils read them.
 */

const round = "/rounds/pilot-2026-spring";
const fundTeam = "fund.team@mhclg.example";
const assessors = ["assessor@assessors.example", "assessor2@assessors.example", "assessor3@assessors.example", "assessor@leeds.example"];
const bids = {
  waste: "Bulky waste collection booking",
  transport: "Shared home-to-school transport planning",
  tax: "Council tax discount review",
};
const message = "Thank you for bidding. We had strong bids from across England this round.";

// The scores each assessor gives (0 to 5) by bid; the transport bid's strategic fit is
// where the two assessors disagree (5 and 1), more than the round's threshold of 2.
function scoresFor(title: string, nthOnThisBid: number): Record<string, number> {
  if (title === bids.transport) return { strategicFit: nthOnThisBid === 0 ? 5 : 1, deliverability: 5, valueForMoney: 5, reuseAndOpenness: 5 };
  if (title === bids.waste) return { strategicFit: 4, deliverability: 4, valueForMoney: 4, reuseAndOpenness: 4 };
  return { strategicFit: 3, deliverability: 3, valueForMoney: 3, reuseAndOpenness: 3 };
}

/** Chooses the option whose text contains `text` (option texts carry the organisation too). */
async function chooseOption(page: Page, label: string, text: string) {
  const select = page.getByLabel(label, { exact: true });
  const value = await select.locator("option", { hasText: text }).first().getAttribute("value");
  await select.selectOption(value!);
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
}

/** The /bids/{id} address of each demo bid, from the eligibility queue's links. */
async function bidPaths(page: Page): Promise<Record<string, string>> {
  await page.goto(`${round}/eligibility`);
  const paths: Record<string, string> = {};
  for (const title of Object.values(bids)) {
    const href = await page.getByRole("link", { name: title }).first().getAttribute("href");
    paths[title] = href!.replace(/\/eligibility$/, "");
  }
  return paths;
}

export async function fundTeamRunsARound(page: Page) {
  // Eligibility: the fund team checks each submitted bid and confirms it.
  await signIn(page, fundTeam);
  // Home lists what waits for the fund team, oldest first: this round's bids to check among it.
  const waiting = page.getByRole("region", { name: "Waiting for you" });
  await expect(waiting.locator(`a[href="${round}/eligibility"]`)).toHaveText(/^Check the eligibility of 3 bids in /);
  const paths = await bidPaths(page);
  for (const title of Object.values(bids)) {
    await page.goto(`${paths[title]}/eligibility`);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(title);
    await page.getByRole("button", { name: "Start the check" }).click();
    await page.getByRole("button", { name: "Confirm the bid is eligible" }).click();
    await expect(page.getByText("Eligible", { exact: true }).first()).toBeVisible();
  }

  // Assessors: four join the round's pool, and are assigned automatically.
  await page.goto(`${round}/assessors`);
  for (const name of ["Grace Adeyemi", "Femi Adebayo", "Chloe Martin", "Rebecca Holt"]) {
    await chooseOption(page, "Add an assessor to the pool", name);
    await page.getByRole("button", { name: "Add to pool" }).click();
    await expect(page.getByRole("cell", { name: new RegExp(name) }).first()).toBeVisible();
  }
  await page.getByRole("button", { name: "Assign assessors automatically" }).click();
  // The assignment is done when its notice shows: going on before would cancel it with JavaScript on.
  await expect(page.getByRole("alert", { name: "Done" })).toContainText(/assessments? assigned to/);
  // Rebecca Holt works for Leeds, a partner in the transport bid: never assigned it.
  await page.goto(`${paths[bids.transport]}/assignments`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  const tables = page.getByRole("table");
  await expect(tables.first()).toBeVisible();
  for (const table of await tables.all()) await expect(table).not.toContainText("Rebecca Holt");
  // Assigning her by hand is refused, with the reason.
  await chooseOption(page, "Assessor", "Rebecca Holt");
  await page.getByLabel("Why are you assigning this assessor?").fill("She knows school transport well.");
  await page.getByRole("button", { name: "Assign assessor", exact: true }).click();
  await expect(page.getByRole("alert")).toContainText("Rebecca Holt cannot assess this bid because they work for");
  await page.goto(`${round}/assessors`);
  await page.getByRole("button", { name: "Start assessment for all ready bids" }).click();
  await signOut(page);

  // Each assessor accepts, declares interests and scores every bid they were given.
  const scoredSoFar: Record<string, number> = {};
  for (const email of assessors) {
    await signIn(page, email);
    // Each new assignment waits on the assessor's home page for an answer.
    await expect(
      page
        .getByRole("region", { name: "Waiting for you" })
        .getByRole("link", { name: /^Accept or decline the invitation: “/ })
        .first(),
    ).toBeVisible();
    await page.goto("/assessments");
    // Only this round's bids (the demo also has a past round, assessed long ago).
    const rows = page
      .getByRole("main")
      .locator("tr")
      .filter({ hasText: new RegExp(Object.values(bids).join("|")) });
    const links = rows.locator('a[href^="/assessments/"]');
    const hrefs = [...new Set(await links.evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute("href")!.replace(/\/score$/, ""))))];
    for (const href of hrefs) {
      await page.goto(href);
      const title = (await page.getByRole("heading", { level: 1 }).textContent())!.trim();
      if (email === "assessor@leeds.example") expect(title).not.toBe(bids.transport);
      await page.getByRole("button", { name: "Accept invitation" }).click();
      await page.getByLabel("Your interests in this bid").fill("None.");
      await page.locator('input[name="conflict"][value="no"]').check();
      await page.getByRole("button", { name: "Declare interests" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toContainText(`Score: ${title}`);
      // Scores stay private until this assessor has submitted their own.
      await expect(page.getByText("Assessor 1:")).toHaveCount(0);
      const scores = scoresFor(title, scoredSoFar[title] ?? 0);
      for (const [key, score] of Object.entries(scores)) {
        await page.locator(`input[name="score-${key}"][value="${score}"]`).check();
        await page.locator(`[name="justification-${key}"]`).fill(`Scored ${score}: the bid's evidence for this criterion.`);
      }
      await page.getByRole("button", { name: "Submit scores" }).click();
      await expect(page.getByText(/Weighted score: \d+/).first()).toBeVisible();
      scoredSoFar[title] = (scoredSoFar[title] ?? 0) + 1;
    }
    await signOut(page);
  }
  expect(Object.values(scoredSoFar).reduce((a, b) => a + b, 0)).toBe(6);
  expect(scoredSoFar).toEqual({ [bids.waste]: 2, [bids.transport]: 2, [bids.tax]: 2 });

  // Moderation: the transport bid is flagged; the moderator records a consensus.
  await signIn(page, fundTeam);
  await page.goto(`${round}/moderation`);
  await expect(page.getByRole("main")).toContainText(bids.transport);
  await page.goto(`${paths[bids.transport]}/moderation`);
  await expect(page.getByText("Flagged: spread of 4")).toBeVisible();
  await page.locator('input[name="score"][id^="strategicFit-score"][value="4"]').check();
  await page.locator("#strategicFit-rationale").fill("Both assessors agree it fits; one marked down a delivery point that belongs under deliverability.");
  await page.getByRole("button", { name: "Record consensus score" }).click();
  await expect(page.getByText("Consensus rationale:")).toBeVisible();

  // The funding line: £600,000 funds the transport (£300,000) and waste (£250,000) bids.
  await page.goto(`${round}/decisions`);
  await page.getByRole("button", { name: "Draw the funding line" }).click();
  const line = page.locator("tr.app-funding-line");
  await expect(line).toContainText("Funding line:");
  const rows = page.locator("tbody tr");
  const order = await rows.evaluateAll((trs) => trs.map((tr) => tr.textContent ?? ""));
  const position = (title: string) => order.findIndex((text) => text.includes(title));
  const linePosition = order.findIndex((text) => text.includes("Funding line:"));
  expect(position(bids.transport)).toBeLessThan(linePosition);
  expect(position(bids.waste)).toBeLessThan(linePosition);
  expect(position(bids.tax)).toBeGreaterThan(linePosition);

  // Decisions are held, then published together with the fund team's message.
  await page.getByRole("button", { name: "Publish decisions" }).click();
  await page.getByLabel("Message from the fund team").fill(message);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: "Check the decisions before you publish them" })).toBeVisible();
  await page.getByRole("button", { name: "Publish decisions" }).click();
  await expect(page.getByRole("main")).toContainText("published");
  await signOut(page);

  // The councils read their decisions: the message and the assessors' feedback.
  await page.goto(`/dev/mailbox?to=${encodeURIComponent("digital@sheffield.example")}`);
  await page
    .getByRole("link", { name: new RegExp(`Funding decision: ${bids.transport} .* will be funded`) })
    .first()
    .click();
  let body = page.getByTestId("email-body");
  await expect(body).toContainText(message);
  await expect(body).toContainText("Assessor 1");
  await expect(body).toContainText("Scored 5: the bid's evidence for this criterion.");
  await page.goto(`/dev/mailbox?to=${encodeURIComponent("digital@camden.example")}`);
  await page
    .getByRole("link", { name: new RegExp(`Funding decision: ${bids.tax}`) })
    .first()
    .click();
  body = page.getByTestId("email-body");
  await expect(body).toContainText("has not been funded");
  await expect(body).toContainText(message);
  await expect(body).toContainText("Scored 3: the bid's evidence for this criterion.");
  // A partner council hears too.
  await page.goto(`/dev/mailbox?to=${encodeURIComponent("officer@leeds.example")}`);
  await expect(page.getByRole("link", { name: new RegExp(`Funding decision: ${bids.transport}`) }).first()).toBeVisible();

  // The funded bid is now a project that its council can see.
  await signIn(page, "digital@sheffield.example");
  await page.goto("/projects");
  await expect(page.getByRole("link", { name: bids.transport })).toBeVisible();
}
