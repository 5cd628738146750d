/**
 * A first start killed while it seeds the demo (a machine that dies, a deploy cancelled)
 * must not leave the database half-made for good: the next start notices and finishes it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDatabase, type Database } from "~/db/database.server.ts";
import { createScratchDatabase } from "../../bench/support/scratch.ts";
import { seedIfEmpty } from "~/seed/seed.server.ts";
import { freePort, requireBuild } from "../../bench/support/service.ts";

const root = path.resolve(import.meta.dirname, "../..");
let killed: Database & { url?: string };
let reference: Database & { url?: string };

beforeAll(async () => {
  requireBuild();
  [killed, reference] = await Promise.all([createScratchDatabase(process.env.TEST_DATABASE_URL), createScratchDatabase(process.env.TEST_DATABASE_URL)]);
});

afterAll(async () => {
  setDatabase(undefined);
  await Promise.all([killed?.close(), reference?.close()]);
});

function start(databaseUrl: string, port: number): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "development",
      PORT: String(port),
      APP_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: databaseUrl,
      RUN_WORKER: "false",
      SEED_DEMO: "true",
      SESSION_SECRET: "service-secret-long-enough-for-signing-0123456789",
      LOG_LEVEL: "silent",
    },
    stdio: "ignore",
  });
}

const exited = (child: ChildProcess) => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once("exit", r)));

async function count(database: Database, table: string): Promise<number> {
  const { rows } = await database.sql<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}"`);
  return rows[0]!.n;
}

async function seedingFinished(database: Database): Promise<boolean> {
  const { rows } = await database.sql(`SELECT 1 FROM "SeedRun" WHERE "finishedAt" IS NOT NULL`);
  return rows.length > 0;
}

describe("a first start killed while it seeds the demo", () => {
  it("is finished by the next start: the same demo as a start that was never stopped", async () => {
    const first = start(killed.url!, await freePort());
    // Kill it once the demo round's bids have begun to arrive and before the seeding ends.
    const deadline = Date.now() + 90_000;
    while (!((await count(killed, "Bid")) > 0)) {
      if (first.exitCode !== null) throw new Error(`The first start exited by itself (code ${first.exitCode})`);
      if (Date.now() > deadline) throw new Error("The first start never reached the demo round");
      await new Promise((r) => setTimeout(r, 20));
    }
    first.kill("SIGKILL");
    await exited(first);
    expect(await seedingFinished(killed)).toBe(false);
    const projectsWhenKilled = await count(killed, "Project");

    const port = await freePort();
    const second = start(killed.url!, port);
    try {
      const until = Date.now() + 90_000;
      for (;;) {
        const answered = await fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r.ok,
          () => false,
        );
        if (answered) break;
        if (second.exitCode !== null) throw new Error(`The second start exited with code ${second.exitCode}`);
        if (Date.now() > until) throw new Error("The second start did not answer within 90 seconds");
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      second.kill("SIGTERM");
      await exited(second);
    }
    expect(await seedingFinished(killed)).toBe(true);

    // The same demo a start that was never stopped makes.
    setDatabase(reference);
    expect(await seedIfEmpty(reference, { demo: true })).toBe("seeded");
    for (const table of ["Organisation", "User", "Fund", "Round", "Bid", "Project", "Assessment", "TransitionHistory", "Notification"]) {
      expect({ table, rows: await count(killed, table) }).toEqual({ table, rows: await count(reference, table) });
    }
    expect(projectsWhenKilled).toBeLessThan(await count(killed, "Project"));
  });
});
