import type { Page } from "@playwright/test";
import { expect, signIn, test } from "./fixtures.ts";

/**
 * A council's bid, from first draft to the confirmation email, as new users would do it:
 * the lead officer drafts a partnership bid, both partner councils accept, evidence is
 * uploaded, the lead's certifier signs it off, and the officer reads the confirmation.
 */

interface Cast {
  lead: { officer: string; certifier: string; name: string };
  partners: { officer: string; name: string }[];
  title: string;
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
}

async function answer(page: Page, section: string, fields: Record<string, string>) {
  await page.getByRole("link", { name: section, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: section })).toBeVisible();
  for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByLabel("Yes, I've completed this section").check();
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Your answers" })).toBeVisible();
}

async function openBid(page: Page, title: string) {
  await page.goto("/home");
  await page.getByRole("link", { name: title }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
}

async function journey(page: Page, cast: Cast) {
  // The lead officer starts a bid from the round's page.
  await signIn(page, cast.lead.officer);
  await page.goto("/rounds/pilot-2026");
  await page.getByRole("button", { name: "Start a bid" }).click();
  await page.getByLabel("Name of the bid").fill(cast.title);
  await page.getByRole("button", { name: "Start the bid" }).click();
  await expect(page.getByRole("heading", { level: 1, name: cast.title })).toBeVisible();

  // A mistake is caught by the field, and what was typed is kept.
  await page.getByRole("link", { name: "Summary", exact: true }).click();
  await page.getByLabel("Summary", { exact: true }).fill("One front door for adult social care, shared by three councils.");
  await page.getByLabel("Name of the bid").fill("");
  await page.getByLabel("Yes, I've completed this section").check();
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page.getByRole("alert").getByText("There is a problem")).toBeVisible();
  await expect(page.getByRole("link", { name: "Enter the name of the bid" })).toBeVisible();
  await expect(page.getByLabel("Summary", { exact: true })).toHaveValue("One front door for adult social care, shared by three councils.");
  await page.getByLabel("Name of the bid").fill(cast.title);
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Your answers" })).toBeVisible();

  await answer(page, "Problem and the users affected", {
    "What is the problem?": "Residents repeat their story to each council service.",
    "Who are the users affected, and how?": "Carers and the people they care for: about 12,000 a year.",
  });
  await answer(page, "Approach, reuse and openness", {
    Approach: "Discovery, alpha and a pilot with real users in each council.",
    Reuse: "GOV.UK Notify and the shared case-management pattern.",
    Openness: "Code on GitHub under the MIT licence; fortnightly show and tells.",
  });
  await answer(page, "Risks", { "Risks and how you will manage them": "Supplier delay: fixed milestones and a break clause." });

  // Costs, line by line, with the totals computed.
  await page.getByRole("link", { name: "Costs", exact: true }).click();
  await page.locator("#line-0-description").fill("Project manager");
  await page.locator("#line-0-amount").fill("60000");
  await page.locator("#line-1-who").selectOption("partner");
  await page.locator("#line-1-description").fill("Partner service designers");
  await page.locator("#line-1-amount").fill("40,000");
  await page.locator("#line-2-who").selectOption("supplier");
  await page.locator("#line-2-description").fill("Development partner");
  await page.locator("#line-2-amount").fill("£150,000.50");
  await page.getByLabel("Yes, I've completed this section").check();
  await page.getByRole("button", { name: "Save and add more lines" }).click();
  await expect(page.getByTestId("cost-totals")).toContainText("£250,000.50");
  await page.getByRole("button", { name: "Save and continue" }).click();

  await page.getByRole("link", { name: "Evaluation plan", exact: true }).click();
  await page.getByLabel("How will you evaluate the pilot?").fill("An independent evaluator measures before and after.");
  await page.locator("#metric-0-name").fill("Time to first contact");
  await page.locator("#metric-0-unit").fill("days");
  await page.locator("#metric-0-baseline").fill("14");
  await page.locator("#metric-0-target").fill("3");
  await page.getByLabel("Yes, I've completed this section").check();
  await page.getByRole("button", { name: "Save and continue" }).click();

  // Partners: invited, but they do not count until they accept.
  await page.getByRole("link", { name: "Partners", exact: true }).click();
  await page.getByRole("link", { name: "Invite or remove partner councils" }).click();
  for (const partner of cast.partners) {
    await page.getByLabel("Name of the council").fill(partner.name);
    await page.getByRole("button", { name: "Invite" }).click();
    await expect(page.getByText(`${partner.name} has been invited`)).toBeVisible();
  }
  await page.getByRole("link", { name: "Back to the partners section" }).first().click();
  await page.getByLabel("How will the partners work together?").fill("A joint board meets fortnightly; the lead holds the contract.");
  await page.getByLabel("Yes, I've completed this section").check();
  await page.getByRole("button", { name: "Save and continue" }).click();

  // Evidence: a file that is not what its name says is refused, a real PDF is kept.
  await page.getByRole("link", { name: "Upload evidence" }).click();
  await page.getByLabel("Type of document").selectOption({ label: "Letter of support" });
  await page
    .getByLabel("Upload a file")
    .setInputFiles({ name: "support.pdf", mimeType: "application/pdf", buffer: Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03]) });
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(page.getByRole("link", { name: /The file you chose is a Windows program/ })).toBeVisible();
  await page.getByLabel("Type of document").selectOption({ label: "Letter of support" });
  await page
    .getByLabel("Upload a file")
    .setInputFiles({ name: "support.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\nWe support this bid.\n%%EOF\n") });
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(page.getByText("Your document has been uploaded.")).toBeVisible();
  await expect(page.getByRole("link", { name: "support.pdf" })).toBeVisible();
  await page.getByRole("link", { name: "Back to the bid" }).first().click();

  // The live eligibility panel says what is missing, and why.
  const panel = page.getByTestId("eligibility");
  await expect(panel.locator('[data-rule="councils"]')).toContainText("Fails");
  await expect(panel.locator('[data-rule="councils"]')).toContainText("have not accepted yet");

  // Until every rule is met, the check page offers no way to send the bid: it says what is
  // left, each rule with a link to where it is put right.
  await page.getByRole("link", { name: "Check your answers and send for sign-off" }).click();
  await expect(page.getByRole("heading", { name: "Before you can send the bid for sign-off" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Send to the certifier for sign-off" })).toHaveCount(0);
  await expect(page.getByTestId("left-to-do").getByRole("link", { name: "Change the partner councils" })).toHaveAttribute("href", /\/partners$/);
  await signOut(page);

  // Each partner council's officer finds the invitation waiting on their home page, and accepts.
  for (const partner of cast.partners) {
    await signIn(page, partner.officer);
    await expect(page.getByRole("cell", { name: "Invitation waiting for your answer" }).first()).toBeVisible();
    await page.getByRole("link", { name: `Accept or decline the invitation to join “${cast.title}”` }).click();
    await expect(page.getByRole("heading", { name: "Your council has been invited to be a partner" })).toBeVisible();
    await page.getByRole("button", { name: "Accept the invitation" }).click();
    await expect(page.getByText("You accepted the invitation.")).toBeVisible();
    await signOut(page);
  }

  // The lead officer checks the answers and sends the bid for sign-off.
  await signIn(page, cast.lead.officer);
  await openBid(page, cast.title);
  await expect(page.getByTestId("eligibility").locator('[data-rule="councils"]')).toContainText("Passes");
  await page.getByRole("link", { name: "Check your answers and send for sign-off" }).click();
  await expect(page.getByRole("heading", { name: "Check your answers before sending the bid" })).toBeVisible();
  await expect(page.getByText("Meets every rule")).toBeVisible();
  await page.getByRole("button", { name: "Send to the certifier for sign-off" }).click();
  await expect(page.getByText("We have asked your certifier to sign off the bid.")).toBeVisible();
  await signOut(page);

  // The certifier signs it off: it is submitted.
  await signIn(page, cast.lead.certifier);
  await page.getByRole("link", { name: `Sign off or decline “${cast.title}”` }).click();
  await page.getByLabel("Yes, sign it off and submit it to the fund").check();
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByRole("heading", { name: "Bid submitted" })).toBeVisible();
  const reference = (await page.getByTestId("reference").textContent())!.trim();
  expect(reference).toMatch(/^LDF-\d{4}-\d{4}$/);
  await signOut(page);

  // The officer reads the confirmation email, with a copy of the answers.
  await signIn(page, cast.lead.officer);
  await page.goto(`/dev/mailbox?to=${encodeURIComponent(cast.lead.officer)}`);
  await page.getByRole("link", { name: `Confirmation of your bid: ${cast.title} (${reference})` }).click();
  const body = page.getByTestId("email-body");
  await expect(body).toContainText(reference);
  await expect(body).toContainText("Residents repeat their story to each council service.");
  // Check-your-answers: each question on its own line, its answer below; the evidence named.
  await expect(body).toContainText("Total asked for £250,000.50");
  await expect(body).not.toContainText("Total asked for:");
  await expect(body).toContainText("Letter of support support.pdf");

  // Home and the bid page say it went in, with its reference and what happens next.
  await page.goto("/home");
  await expect(page.getByRole("row").filter({ hasText: cast.title }).first()).toContainText(reference);
  await expect(page.getByRole("row").filter({ hasText: cast.title }).first()).toContainText("Submitted");
  await openBid(page, cast.title);
  await expect(page.getByTestId("submitted")).toContainText(reference);
  await expect(page.getByRole("heading", { name: "What happens next" })).toBeVisible();

  // After submission the bid is read-only, with its history.
  await expect(page.getByRole("link", { name: "Summary", exact: true })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Signed off and submitted" })).toBeVisible();
}

test("a council officer drafts a partnership bid, partners accept, the certifier signs off, and the confirmation arrives", async ({ page }) => {
  test.setTimeout(420_000);
  await journey(page, {
    lead: { officer: "officer@birmingham.example", certifier: "certifier@birmingham.example", name: "Birmingham" },
    partners: [
      { officer: "officer@manchester.example", name: "Manchester" },
      { officer: "officer@leeds.example", name: "Leeds" },
    ],
    title: "Shared front door for adult social care",
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  test("the same journey works with plain HTML forms", async ({ page }) => {
    test.setTimeout(420_000);
    await journey(page, {
      lead: { officer: "officer@manchester.example", certifier: "certifier@manchester.example", name: "Manchester" },
      partners: [
        { officer: "officer@birmingham.example", name: "Birmingham" },
        { officer: "officer@leeds.example", name: "Leeds" },
      ],
      title: "Open school admissions checker",
    });
  });
});
