import { expect, signIn, test } from "./fixtures.ts";

test("the fund team sees every workflow drawn from the machines, with every step in a table", async ({ page }) => {
  await signIn(page, "fund.team@mhclg.example");
  await page.getByRole("link", { name: "Workflows" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Workflows" })).toBeVisible();
  for (const name of ["Bid", "Assessment", "Project"]) {
    await expect(page.getByRole("heading", { level: 2, name })).toBeVisible();
    await expect(page.getByRole("img", { name: new RegExp(`Diagram of the ${name.toLowerCase()} workflow`) })).toBeVisible();
  }
  const bidSteps = page.getByRole("table", { name: "Every step of the bid workflow" });
  await expect(bidSteps.getByRole("row", { name: /Awaiting certification Signed off and submitted Submitted/ })).toBeVisible();
});

test("other roles cannot open the workflow diagrams", async ({ page }) => {
  await signIn(page, "officer@birmingham.example");
  const response = await page.goto("/workflows");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "You cannot do that" })).toBeVisible();
});
