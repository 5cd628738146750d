import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { devMailboxOpen, env, resetEnvCache } from "~/env.server.ts";
import { loader as mailboxLoader } from "~/routes/dev.mailbox._index.tsx";
import { useTestDatabase } from "../support/database.ts";
import { context, run } from "../../bench/support/requests.ts";

useTestDatabase();

const root = path.resolve(import.meta.dirname, "../..");
const saved = { ...process.env };

afterEach(() => {
  for (const key of ["NODE_ENV", "SMTP_URL", "SEED_DEMO"]) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
  resetEnvCache();
});

/** Starts the service's entry point as a real process and waits for it to give up. */
function start(overrides: Record<string, string | undefined>) {
  const environment: Record<string, string | undefined> = {
    ...process.env,
    DATABASE_URL: undefined,
    DATA_DIR: mkdtempSync(path.join(tmpdir(), "springboard-config-")),
    SESSION_SECRET: "production-secret-long-enough-for-signing-0123456789",
    PORT: "3999", // never listened on: both refusals come before the server starts
    ...overrides,
  };
  return spawnSync(process.execPath, ["--import", "tsx", "server/index.ts"], {
    cwd: root,
    env: environment as NodeJS.ProcessEnv,
    encoding: "utf8",
    timeout: 60_000,
  });
}

describe("production refuses to start with unsafe settings", () => {
  it("will not start without an SMTP server, since sign-in links would wait in a mailbox anyone can read", () => {
    const result = start({ NODE_ENV: "production", SMTP_URL: undefined });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("SMTP_URL: required in production");
    expect(result.stderr).not.toMatch(/\n\s+at /); // a sentence, not a stack trace
  });

  it("will not start with the browser tests' reset route switched on", () => {
    const result = start({ NODE_ENV: "production", SMTP_URL: "smtp://127.0.0.1:9", TEST_SUPPORT_ROUTES: "true" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("TEST_SUPPORT_ROUTES=true lets anyone wipe the database: it is refused in production");
  });

  it("seeds no demo people or fund in production unless asked to, and does by default elsewhere", () => {
    process.env.NODE_ENV = "production";
    process.env.SMTP_URL = "smtp://127.0.0.1:9";
    delete process.env.SEED_DEMO;
    resetEnvCache();
    expect(env().SEED_DEMO).toBe("false");
    process.env.SEED_DEMO = "true";
    resetEnvCache();
    expect(env().SEED_DEMO).toBe("true");
    process.env.NODE_ENV = "development";
    delete process.env.SMTP_URL;
    delete process.env.SEED_DEMO;
    resetEnvCache();
    expect(env().SEED_DEMO).toBe("true");
  });

  it("has no dev mailbox in production", async () => {
    expect(devMailboxOpen()).toBe(true);
    const local = await run(() => mailboxLoader({ request: new Request("http://localhost:3000/dev/mailbox"), context: context(), params: {} }));
    expect(local.status).toBe(200);
    process.env.NODE_ENV = "production";
    process.env.SMTP_URL = "smtp://127.0.0.1:9";
    resetEnvCache();
    expect(devMailboxOpen()).toBe(false);
    const production = await run(() => mailboxLoader({ request: new Request("http://localhost:3000/dev/mailbox"), context: context(), params: {} }));
    expect(production.status).toBe(404);
  });
});
