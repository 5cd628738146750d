import { expect, signIn, test } from "./fixtures.ts";

/**
 * Every page works before its scripts arrive, so people type into forms the server sent.
 * When the scripts then take over, what they typed must still be there: React on its own sets
 * a prefilled text box back to the text the server sent.
 */
test("an answer edited before the page's scripts have loaded is kept when they load, and saved", async ({ page }) => {
  await signIn(page, "officer@leeds.example");
  await page.goto("/rounds/pilot-2026");
  await page.getByRole("button", { name: "Start a bid" }).click();
  await page.getByLabel("Name of the bid").fill("Street lighting faults reported once");
  await page.getByRole("button", { name: "Start the bid" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Street lighting faults reported once" })).toBeVisible();
  const summary = page.getByRole("link", { name: "Summary", exact: true });
  const address = await summary.getAttribute("href");

  // Hold the page's scripts back, as a slow connection would, while the person types.
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/assets/**/*.js", async (route) => {
    await released;
    await route.continue();
  });
  await page.goto(address!, { waitUntil: "commit" });
  const title = page.getByLabel("Name of the bid");
  await expect(title).toHaveValue("Street lighting faults reported once");
  await title.fill("Street lighting faults reported once, for every district");
  await page.getByLabel("Summary", { exact: true }).fill("One report reaches whichever council owns the lamp post.");
  expect(await page.evaluate(() => document.documentElement.dataset.hydrated)).toBeUndefined();

  release();
  await expect(page.locator("html[data-hydrated='true']")).toHaveCount(1);
  await expect(title).toHaveValue("Street lighting faults reported once, for every district");
  await expect(page.getByLabel("Summary", { exact: true })).toHaveValue("One report reaches whichever council owns the lamp post.");

  await page.getByLabel("Yes, I've completed this section").check();
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Street lighting faults reported once, for every district" })).toBeVisible();
});
