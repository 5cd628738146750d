import { createHash } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type Page } from "@playwright/test";

/**
 * Every HTML page the browser receives in a test is checked with axe after the test,
 * whatever the test did with it: the page's HTML is captured as it arrives, then replayed
 * at its own address in a separate tab (so stylesheets load as they did) and analysed.
 * Replaying avoids racing the test's own navigation, and covers pages that a POST
 * returned, such as forms shown again with errors. The replay runs in its own context
 * with JavaScript on (axe needs it), even when the test itself runs without.
 * A page already checked in this run, identical but for its per-request tokens, is not
 * checked again.
 */
const checked = new Map<string, string[]>();
const normalise = (html: string) =>
  html.replace(/(name="csrf" value=")[^"]*"/g, "$1\"").replace(/nonce="[^"]*"/g, "").replace(/token=[\w-]+/g, "token=");
export const test = base.extend<{ axeChecked: void }>({
  axeChecked: [
    async ({ page, browser }, use, testInfo) => {
      const documents: { url: string; html: string; status: number }[] = [];
      page.on("response", async (response) => {
        if (response.request().resourceType() !== "document") return;
        if (response.status() >= 300 && response.status() < 400) return;
        const type = response.headers()["content-type"] ?? "";
        if (!type.includes("text/html")) return;
        documents.push({ url: response.url(), status: response.status(), html: await response.text().catch(() => "") });
      });
      await use();
      const checkerContext = await browser.newContext({ javaScriptEnabled: true });
      const checker = await checkerContext.newPage();
      const failures: string[] = [];
      for (const document of documents.filter((d) => d.html)) {
        const key = createHash("sha256").update(normalise(document.html)).digest("hex");
        if (!checked.has(key)) {
          await checker.route(document.url, (route) => route.fulfill({ status: 200, contentType: "text/html", body: document.html }), { times: 1 });
          await checker.goto(document.url);
          const results = await new AxeBuilder({ page: checker })
            .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"])
            .analyze();
          checked.set(
            key,
            results.violations.map(
              (v) => `${document.url}: ${v.id} (${v.impact}) ${v.help}\n  ${v.nodes.map((n) => n.target.join(" ")).join("\n  ")}`,
            ),
          );
        }
        failures.push(...checked.get(key)!);
      }
      await checkerContext.close();
      testInfo.annotations.push({ type: "axe", description: `${documents.length} pages checked` });
      expect(documents.length, "the test visited no pages for axe to check").toBeGreaterThan(0);
      expect(failures, failures.join("\n")).toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Signs in as a person would: asks for a link, opens it from the dev mailbox, continues. */
export async function signIn(page: Page, email: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Send me a sign-in link" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await page.getByRole("link", { name: "dev mailbox" }).click();
  await page.getByLabel("Show emails to").fill(email);
  await page.getByRole("button", { name: "Filter" }).click();
  // The worker delivers within a second or two; the mailbox lists it once it is queued.
  await page.getByRole("link", { name: "Your Springboard sign-in link" }).first().click();
  await page.getByTestId("email-body").getByRole("link").first().click();
  await expect(page.getByRole("heading", { name: "Sign in to Springboard" })).toBeVisible();
  await page.getByRole("button", { name: "Continue" }).click();
}
