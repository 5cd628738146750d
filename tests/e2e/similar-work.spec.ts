import type { Page } from "@playwright/test";
import { expect, signIn, test } from "./fixtures.ts";

/**
 * Reuse before rebuild: a council drafts a bid about a problem a past pilot solved, sees
 * that pilot beside its answers, opens its case study, writes to the council that led it
 * and registers to adopt it. The pilot (scaled, its case study published, one council
 * adopting it already) is added after the demo data by the test-support route; the second
 * test is another council doing the same without JavaScript.
 */

async function journey(page: Page, council: { email: string; name: string }, adoptingBefore: number) {
  const title = "Missed bins reported online";
  await signIn(page, council.email);
  await page.goto("/rounds/pilot-2026");
  await page.getByRole("button", { name: "Start a bid" }).click();
  await page.getByLabel("Name of the bid").fill(title);
  await page.getByRole("button", { name: "Start the bid" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();

  // The problem, as the council would put it; the panel fills in once it is saved.
  await page.getByRole("link", { name: "Problem and the users affected", exact: true }).click();
  await page
    .getByLabel("What is the problem?", { exact: true })
    .fill("Residents phone the contact centre to report a missed bin collection and wait on hold; the crews hear about missed bins days later.");
  await page
    .getByLabel("Who are the users affected, and how?", { exact: true })
    .fill("Households whose bins are missed, contact centre staff and collection crews.");
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Your answers" })).toBeVisible();

  const panel = page.getByTestId("similar-work");
  await expect(panel.getByRole("heading", { name: "Similar work already funded" })).toBeVisible();
  const pilot = panel.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Missed bin reporting" }) });
  await expect(pilot).toContainText("Scale");
  await expect(pilot).toContainText("Led by Sheffield");
  await expect(pilot).toContainText(`In scale: ${adoptingBefore} ${adoptingBefore === 1 ? "council" : "councils"} adopting it`);
  await expect(pilot.locator("mark").first()).toBeVisible();
  await expect(pilot.getByText(/^Words in common: .*\bmissed\b/)).toBeVisible();

  // The same list beside the problem question.
  await page.getByRole("link", { name: "Problem and the users affected", exact: true }).click();
  await expect(page.getByTestId("similar-work").getByRole("heading", { name: "Missed bin reporting" })).toBeVisible();
  await page.getByRole("link", { name: "Back to the bid" }).click();

  // Its case study, in the knowledge hub.
  await pilot.getByRole("link", { name: "Read the case study of Missed bin reporting" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Missed bin reporting" })).toBeVisible();
  await expect(page.getByText("Connect the form to the crews' round software from the start")).toBeVisible();
  await page.goBack();

  // A message to the council that led it: a blank one is refused beside the box.
  await pilot.getByRole("link", { name: "Contact the lead council of Missed bin reporting" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Contact the lead council of Missed bin reporting" })).toBeVisible();
  await page.getByRole("button", { name: "Send message" }).click();
  await expect(page.getByRole("alert").getByText("There is a problem")).toBeVisible();
  await expect(page.getByRole("link", { name: "Enter your message to the lead council" })).toBeVisible();
  await page.getByLabel("Your message").fill("We are about to build the same thing. Could we see your form and how it talks to the crews' software?");
  await page.getByRole("button", { name: "Send message" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Message sent" })).toBeVisible();
  await expect(page.getByText("We have emailed your message to Sheffield")).toBeVisible();

  // The lead council's officer gets it, with who wrote and where to reply.
  await page.goto("/dev/mailbox");
  await page.getByLabel("Show emails to").fill("officer@sheffield.example");
  await page.getByRole("button", { name: "Filter" }).click();
  await page
    .getByRole("link", { name: `${council.name} would like to talk about Missed bin reporting`, exact: false })
    .first()
    .click();
  await expect(page.getByTestId("email-body")).toContainText(council.email);
  await expect(page.getByTestId("email-body")).toContainText("Could we see your form");

  // Registering to adopt it, from the panel.
  await page.goto("/home");
  await page.getByRole("link", { name: title }).first().click();
  await page.getByTestId("similar-work").getByRole("button", { name: "Ask to adopt Missed bin reporting" }).click();
  await expect(page.getByText(`${council.name} is registered to adopt this product`)).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: `${council.name}'s adoption` })).toBeVisible();

  // Back on the bid, the panel says so instead of offering it again.
  await page.goto("/home");
  await page.getByRole("link", { name: title }).first().click();
  const again = page
    .getByTestId("similar-work")
    .getByRole("listitem")
    .filter({ has: page.getByRole("heading", { name: "Missed bin reporting" }) });
  await expect(again).toContainText(`In scale: ${adoptingBefore + 1} councils adopting it`);
  await expect(again.getByRole("link", { name: "See your council's adoption of Missed bin reporting" })).toBeVisible();
  await expect(again.getByRole("button", { name: /Ask to adopt/ })).toHaveCount(0);
}

test.beforeEach(async ({ server }) => {
  const added = await fetch(`${server.url}/test-support/similar-work`, { method: "POST" });
  expect(added.status, "adding the scaled pilot").toBe(200);
});

test("a council drafting a bid finds a past pilot that solved its problem, reads its case study, writes to its lead and registers to adopt it", async ({
  page,
}) => {
  test.setTimeout(240_000);
  await journey(page, { email: "officer@birmingham.example", name: "Birmingham" }, 1);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  test("the same journey works with plain HTML forms", async ({ page }) => {
    test.setTimeout(240_000);
    await journey(page, { email: "officer@manchester.example", name: "Manchester" }, 2);
  });
});
