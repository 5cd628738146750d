import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { setDatabase, type Database } from "~/db/database.server.ts";
import { createScratchDatabase } from "~/db/scratch.server.ts";
import type { Browser } from "../../tests/support/requests.ts";

// The built service, run as a separate process on a scratch PostgreSQL database, for the
// benchmarks that measure whole requests (routing, sessions, CSRF, Remix, the database).

export interface Timed {
  status: number;
  location: string | null;
  ms: number;
}

export interface Service {
  database: Database & { url?: string };
  url: string;
  get(path: string, browser?: Browser): Promise<Timed>;
  post(path: string, browser: Browser, fields: Record<string, string>): Promise<Timed>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

const root = path.resolve(import.meta.dirname, "../..");

export async function startService(env: Record<string, string> = {}): Promise<Service> {
  const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  if (!existsSync(path.join(root, "build/server/index.js"))) {
    throw new Error("Build the service first: npm run build");
  }
  const database = await createScratchDatabase(serverUrl);
  setDatabase(database);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      APP_URL: url,
      DATABASE_URL: database.url!,
      SESSION_SECRET: process.env.SESSION_SECRET!,
      SEED_DEMO: "false",
      // The benchmark measures requests; email delivery is measured by bench:notifications.
      RUN_WORKER: "false",
      ...env,
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error(`The service exited with code ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error("The service did not start within a minute");
    await new Promise((r) => setTimeout(r, 250));
  }

  async function timed(request: () => Promise<Response>): Promise<Timed> {
    const started = performance.now();
    const response = await request();
    await response.arrayBuffer();
    return { status: response.status, location: response.headers.get("location"), ms: performance.now() - started };
  }

  return {
    database,
    url,
    get: (p, browser) => timed(() => fetch(`${url}${p}`, { headers: browser ? { Cookie: browser.cookie } : {}, redirect: "manual" })),
    post: (p, browser, fields) =>
      timed(() =>
        fetch(`${url}${p}`, {
          method: "POST",
          redirect: "manual",
          headers: { Cookie: browser.cookie, "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ csrf: browser.csrf, ...fields }),
        }),
      ),
    async stop() {
      child.kill("SIGTERM");
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once("exit", r)));
      await database.close();
    },
  };
}

/** Starts every request at once and waits for all of them. */
export function rush(requests: (() => Promise<Timed>)[]): Promise<Timed[]> {
  return Promise.all(requests.map((r) => r()));
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
