import { defineConfig } from "@playwright/test";
import { e2eClamdPort, e2eServers, e2eWorkers } from "./tests/e2e/servers.ts";

// The browser tests run the built service (npm test builds it once, before every stage
// that needs it; `npm run test:e2e` builds first too) and drive the system's chromium (no
// browser download; see TOOLCHAIN.md). Each Playwright worker has its own server and
// embedded database, and each spec file starts by resetting that database to the demo
// data (tests/e2e/fixtures.ts), so spec files can run side by side in any order.
const servers = e2eServers();

export default defineConfig({
  testDir: "tests/e2e",
  // Playwright empties its output folder at start; the rest of test-results/ holds the
  // other stages' timings (scripts/test.mjs).
  outputDir: "test-results/e2e",
  globalSetup: "./tests/e2e/global-setup.ts",
  fullyParallel: false,
  workers: e2eWorkers(),
  retries: 0,
  forbidOnly: true,
  reporter: [["list"], ["json", { outputFile: "test-results/e2e-report.json" }]],
  timeout: 120_000,
  use: {
    // Replaced per worker by the fixture in tests/e2e/fixtures.ts.
    baseURL: servers[0]!.url,
    // Recording a trace (DOM snapshots and a screencast of every step) made the journeys
    // four times slower; ask for one when a journey fails: E2E_TRACE=retain-on-failure.
    trace: (process.env.E2E_TRACE ?? "off") as "off" | "on" | "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        "--disable-dev-shm-usage",
      ],
    },
  },
  webServer: servers.map((server) => ({
    command: `rm -rf ${server.dataDir} && node --import tsx server/index.ts`,
    url: `${server.url}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: {
      PORT: String(server.port),
      APP_URL: server.url,
      DATA_DIR: server.dataDir,
      SESSION_SECRET: "e2e-secret-long-enough-to-sign-cookies-0123456789",
      TEST_SUPPORT_ROUTES: "true",
      // Uploads are checked by the private clamd that tests/e2e/global-setup.ts starts.
      CLAMD_URL: `tcp://127.0.0.1:${e2eClamdPort()}`,
      // The journeys sign the same demo people in many times from one address; the limits
      // themselves are tested in tests/integration/sign-in.test.ts.
      SIGN_IN_LIMIT_PER_ADDRESS: "200",
      SIGN_IN_LIMIT_PER_CLIENT: "2000",
    },
    stdout: "ignore" as const,
    stderr: "pipe" as const,
  })),
});
