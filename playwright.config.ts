import { defineConfig } from "@playwright/test";

// The browser tests run the built service on its own port with a fresh embedded
// database, and drive the system's chromium (no browser download; see TOOLCHAIN.md).
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${port}`;
// Separate data (and, with BUILD_DIR, build) folders let two runs share a checkout.
const dataDir = process.env.E2E_DATA_DIR ?? ".e2e-data";

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: process.env.CI ? [["list"]] : [["list"]],
  timeout: 120_000,
  use: {
    baseURL,
    trace: "retain-on-failure",
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
  webServer: {
    command: `rm -rf ${dataDir} && npm run build && node --import tsx server/index.ts`,
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: { PORT: String(port), APP_URL: baseURL, DATA_DIR: dataDir, SESSION_SECRET: "e2e-secret-long-enough-to-sign-cookies-0123456789",
      // The journeys sign the same demo people in many times from one address; the limits
      // themselves are tested in tests/integration/sign-in.test.ts.
      SIGN_IN_LIMIT_PER_ADDRESS: "200",
      SIGN_IN_LIMIT_PER_CLIENT: "2000",
    },
    stdout: "ignore",
    stderr: "pipe",
  },
});
