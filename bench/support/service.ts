import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import http from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser } from "./requests.ts";

// The built service run as real processes (server/index.ts, server/worker.ts) on a
// PostgreSQL database, for the benchmarks and fault tests that need whole requests
// (routing, sessions, CSRF, Remix, the database) and processes that can be killed.

export interface Timed {
  status: number;
  location: string | null;
  ms: number;
}

export interface AppProcess {
  url: string;
  get(path: string, browser?: Browser): Promise<Timed>;
  post(path: string, browser: Browser, fields: Record<string, string>): Promise<Timed>;
  /** SIGKILL: no shutdown code runs, as when a machine dies. */
  kill(): Promise<void>;
  /** SIGTERM, the orderly stop. */
  stop(): Promise<void>;
  /** Whether the process has ended, by any cause (for "no process exited" checks). */
  exited(): boolean;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

const root = path.resolve(import.meta.dirname, "../..");

export function requireBuild() {
  if (!existsSync(path.join(root, process.env.BUILD_DIR ?? "build", "server/index.js"))) throw new Error("Build the service first: npm run build");
}

// The app runs with the Node flags `npm start` gives it (package.json), so that what is
// measured is what is deployed: its young generation's size above all (docs/performance.md).
function appNodeFlags(): string[] {
  const start: string = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).scripts.start;
  const flags = /^node ((?:--\S+ )*)--import tsx server\/index\.ts$/.exec(start)?.[1];
  if (flags === undefined) throw new Error(`package.json's start script is not "node [flags] --import tsx server/index.ts": ${start}`);
  return flags.split(" ").filter(Boolean);
}

function spawnProcess(script: string, env: Record<string, string>): ChildProcess {
  const profile = process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${path.join(tmpdir(), "springboard-profiles")}`] : [];
  const flags = script === "server/index.ts" ? appNodeFlags() : [];
  // BENCH_TRACE_GC=<file>: every collection and every request's log line, in the order they
  // happened, to line a slow batch up with what the collector was doing (docs/performance.md).
  const gcTrace = process.env.BENCH_TRACE_GC;
  const out = gcTrace ? openSync(gcTrace, "a") : "ignore";
  const child = spawn(process.execPath, [...profile, ...flags, ...(gcTrace ? ["--trace-gc"] : []), "--import", "tsx", script], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      SESSION_SECRET: process.env.SESSION_SECRET ?? "service-secret-long-enough-for-signing-0123456789",
      SEED_DEMO: "false",
      // Production refuses to start without an SMTP server. These processes send nothing
      // unless a test gives them its own server; this one (the discard port) is never used.
      SMTP_URL: "smtp://127.0.0.1:9",
      // Production waits 5 seconds after SIGTERM for a load balancer; here nothing is watching.
      SHUTDOWN_DRAIN_SECONDS: "0",
      // As in production (Vitest's own setting would silence it), so that the benchmarks pay
      // for a line per request; stdout goes nowhere, stderr to the terminal with SERVICE_LOGS.
      LOG_LEVEL: "info",
      ...env,
    },
    stdio: ["ignore", out, process.env.SERVICE_LOGS ? "inherit" : "ignore"],
  });
  // The child has its own copy of the file from here.
  if (typeof out === "number") closeSync(out);
  return child;
}

const hasExited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

async function ended(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((resolve) => child.once("exit", resolve));
}

/** Starts the app (server/index.ts) on `databaseUrl` and waits until it answers. */
export async function startApp(databaseUrl: string, env: Record<string, string> = {}): Promise<AppProcess> {
  requireBuild();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawnProcess("server/index.ts", { PORT: String(port), APP_URL: url, DATABASE_URL: databaseUrl, RUN_WORKER: "false", ...env });
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error(`The service exited with code ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error("The service did not start within 90 seconds");
    await new Promise((r) => setTimeout(r, 200));
  }

  // The requests go through node:http, the body read and dropped as it arrives, still
  // compressed: a load generator's own work should be small and the same for every page. Through
  // fetch, each answer cost this process 2 ms (the status page) to 4.7 ms (a dashboard) of CPU,
  // growing with the page as it was inflated and passed through web streams, on the same two
  // cores as the service it was timing (docs/performance.md). Compression is asked for as
  // fetch and browsers ask for it, so the service's own work is the same.
  // A timeout of its own, so that the agent heeds the service's "Keep-Alive: timeout=5" and
  // drops an idle connection a second before the service does (Node's agent ignores the hint
  // when it has no timeout, and a request sent as the service closed the connection failed).
  const agent = new http.Agent({ keepAlive: true, timeout: 60_000 });
  const { hostname, port: portText } = new URL(url);
  function timed(method: "GET" | "POST", p: string, headers: Record<string, string>, body?: string, retried = false): Promise<Timed> {
    const started = performance.now();
    return new Promise((resolve) => {
      const request = http.request(
        { method, hostname, port: portText, path: p, agent, headers: { "Accept-Encoding": "gzip, deflate", ...headers } },
        (response) => {
          response.on("data", () => {});
          response.on("error", () => resolve({ status: 0, location: null, ms: performance.now() - started }));
          response.on("end", () => resolve({ status: response.statusCode ?? 0, location: response.headers.location ?? null, ms: performance.now() - started }));
        },
      );
      request.on("error", (error: NodeJS.ErrnoException) => {
        // A kept-alive connection the service closed just as this was sent: it never reached
        // the service, so it is sent again once on a new connection (as Node's documentation
        // advises). Any other failure: the connection dropped (the process was killed), status 0.
        if (request.reusedSocket && error.code === "ECONNRESET" && !retried) resolve(timed(method, p, headers, body, true));
        else resolve({ status: 0, location: null, ms: performance.now() - started });
      });
      request.end(body);
    });
  }

  return {
    url,
    get: (p, browser) => timed("GET", p, browser ? { Cookie: browser.cookie } : {}),
    post: (p, browser, fields) =>
      timed(
        "POST",
        p,
        { Cookie: browser.cookie, "Content-Type": "application/x-www-form-urlencoded" },
        new URLSearchParams({ csrf: browser.csrf, ...fields }).toString(),
      ),
    async kill() {
      child.kill("SIGKILL");
      await ended(child);
      agent.destroy();
    },
    async stop() {
      child.kill("SIGTERM");
      await ended(child);
      agent.destroy();
    },
    exited: () => hasExited(child),
  };
}

/** Starts a delivery worker (server/worker.ts) on `databaseUrl`. */
export function startWorker(databaseUrl: string, env: Record<string, string> = {}) {
  const child = spawnProcess("server/worker.ts", { DATABASE_URL: databaseUrl, ...env });
  return {
    async stop() {
      child.kill("SIGTERM");
      await ended(child);
    },
    exited: () => hasExited(child),
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
