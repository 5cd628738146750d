/**
 * What operators rely on, read from the built service running as real processes on
 * PostgreSQL: the log lines of a request that signs off a bid (one request id from the
 * request to its transition, its outbox rows and the worker's delivery of them, and no email
 * address anywhere), the metrics endpoint of an app and of a worker, readiness (migrations,
 * shutting down), and the reference on the error page.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDatabase, type Database } from "~/db/database.server.ts";
import { createScratchDatabase } from "../../bench/support/scratch.ts";
import { bidsAwaitingSignOff, signOff } from "../../bench/support/rush.ts";
import { freePort, requireBuild } from "../../bench/support/service.ts";
import { startSmtpSink, type SmtpSink } from "../support/smtp.ts";

const root = path.resolve(import.meta.dirname, "../..");
const TOKEN = "metrics-token-for-the-tests-0123456789abcdef";
// Anything shaped like an email address.
const ADDRESS = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z0-9.-]+/;

interface Service {
  url: string;
  /** Everything written to stdout and stderr, in arrival order. */
  output: string[];
  /** The output's JSON lines. */
  lines(): Record<string, unknown>[];
  signal(name: NodeJS.Signals): void;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

// Started here rather than with bench/support/service.ts so that what the processes write
// can be read.
async function start(script: "server/index.ts" | "server/worker.ts", env: Record<string, string>): Promise<Service> {
  requireBuild();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", script], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      // Vitest's own setting would silence the logger in the child.
      LOG_LEVEL: "info",
      // The tests sign their browsers' sessions with the same secret (bench/support/requests.ts).
      SESSION_SECRET: process.env.SESSION_SECRET ?? "service-secret-long-enough-for-signing-0123456789",
      SEED_DEMO: "false",
      SMTP_URL: "smtp://127.0.0.1:9",
      DATABASE_URL: database.url!,
      ...(script === "server/index.ts" ? { PORT: String(port), APP_URL: url, RUN_WORKER: "false" } : { WORKER_PORT: String(port) }),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.setEncoding("utf8");
    stream.on("data", (text: string) => output.push(text));
  }
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error(`${script} exited with code ${child.exitCode}: ${output.join("")}`);
    if (Date.now() > deadline) throw new Error(`${script} did not start within 90 seconds`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const service: Service = {
    url,
    output,
    lines: () =>
      output
        .join("")
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    signal: (name) => child.kill(name),
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGKILL");
      await exited;
    },
  };
  running.push(service);
  return service;
}

async function waitFor(what: string, check: () => Promise<boolean> | boolean, seconds = 60) {
  const deadline = Date.now() + seconds * 1000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let database: Database & { url?: string };
let sink: SmtpSink;
let app: Service;
let worker: Service;
const running: Service[] = [];

beforeAll(async () => {
  database = await createScratchDatabase(process.env.TEST_DATABASE_URL);
  setDatabase(database);
  sink = await startSmtpSink();
  // The first start migrates the scratch database and seeds the register.
  app = await start("server/index.ts", { METRICS_TOKEN: TOKEN, SHUTDOWN_DRAIN_SECONDS: "0" });
});

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
  await sink?.close();
  await database?.close();
});

const prisma = () => database.prisma;
const scrape = (service: Service, authorization?: string) =>
  fetch(`${service.url}/metrics`, { headers: authorization ? { Authorization: authorization } : {} });

describe("observability", () => {
  it("follows a sign-off by one request id from the request to its transition, its outbox rows and each email's delivery, and logs no email address", async () => {
    const { bids } = await bidsAwaitingSignOff(prisma(), 1, "OBS");
    const bid = bids[0]!;
    // A scheduled job that fell due two minutes ago: the worker's first look runs it late.
    await prisma().scheduledJob.create({ data: { name: "interrupted-changes", nextRunAt: new Date(Date.now() - 120_000) } });
    worker = await start("server/worker.ts", { SMTP_URL: sink.url, METRICS_TOKEN: TOKEN });

    const response = await fetch(`${app.url}/bids/${bid.id}/certify`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: bid.certifier.cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrf: bid.certifier.csrf, ...signOff }),
    });
    expect(response.status).toBe(302);
    const requestId = response.headers.get("X-Request-Id")!;
    expect(requestId).toMatch(/^[0-9a-f]{16}$/);

    // The outbox rows the sign-off wrote carry its request id, and the worker sends them.
    const transition = await prisma().transitionHistory.findFirstOrThrow({ where: { recordId: bid.id, event: "CERTIFY" } });
    const emails = await prisma().notification.findMany({ where: { transitionId: transition.id } });
    expect(emails.length).toBeGreaterThan(0);
    expect(emails.every((email) => email.requestId === requestId)).toBe(true);
    await waitFor(
      "the sign-off's emails to be sent",
      async () => (await prisma().notification.count({ where: { transitionId: transition.id, status: "sent" } })) === emails.length,
    );
    await waitFor(
      "the worker to log each attempt",
      () => worker.lines().filter((l) => l.msg === "email attempt" && l.requestId === requestId).length === emails.length,
    );
    await waitFor("the worker to run the late job", () => worker.lines().some((l) => l.msg === "job run"));

    const certifier = await prisma().user.findUniqueOrThrow({ where: { id: bid.certifier.userId! } });
    const appLines = app.lines();
    const requestLine = appLines.find((l) => l.msg === "request" && l.requestId === requestId);
    expect(requestLine).toMatchObject({
      level: "info",
      method: "POST",
      route: "routes/bids.$id_.certify",
      status: 302,
      userId: certifier.id,
      organisationId: certifier.organisationId,
    });
    expect(typeof requestLine!.durationMs).toBe("number");
    expect(typeof requestLine!.time).toBe("string");
    expect(appLines.filter((l) => l.msg === "workflow transition" && l.requestId === requestId)).toEqual([
      expect.objectContaining({ machine: "bid", recordId: bid.id, fromState: transition.fromState, toState: transition.toState, event: "CERTIFY" }),
    ]);
    const attempts = worker.lines().filter((l) => l.msg === "email attempt" && l.requestId === requestId);
    expect(new Set(attempts.map((l) => l.notificationId))).toEqual(new Set(emails.map((e) => e.id)));
    for (const attempt of attempts) {
      const email = emails.find((e) => e.id === attempt.notificationId)!;
      expect(attempt).toMatchObject({ template: email.template, attempt: 1, outcome: "sent" });
    }
    expect(worker.lines().find((l) => l.msg === "job run")).toMatchObject({ job: "interrupted-changes", outcome: "done", requestId: expect.any(String) });

    // Not the recipients' addresses, nor anyone else's, in anything either process wrote.
    const everything = [...app.output, ...worker.output].join("");
    for (const user of await prisma().user.findMany({ select: { email: true } })) expect(everything).not.toContain(user.email);
    expect(everything).not.toMatch(ADDRESS);

    // A request id a proxy sends is kept when it is a short safe token, and replaced otherwise.
    const kept = await fetch(`${app.url}/rounds`, { headers: { "X-Request-Id": "proxy-4f2a9c1e-77" } });
    expect(kept.headers.get("X-Request-Id")).toBe("proxy-4f2a9c1e-77");
    const replaced = await fetch(`${app.url}/rounds`, { headers: { "X-Request-Id": "<script>alert(1)</script>" } });
    expect(replaced.headers.get("X-Request-Id")).toMatch(/^[0-9a-f]{16}$/);
  });

  it("answers /metrics only with the token, holding each series, in the app and in the worker", async () => {
    expect((await scrape(app)).status).toBe(401);
    expect((await scrape(app, "Bearer not-the-token")).status).toBe(401);
    expect((await scrape(app, TOKEN)).status).toBe(401);

    const answer = await scrape(app, `Bearer ${TOKEN}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("Content-Type")).toMatch(/^text\/plain; version=0.0.4/);
    const text = await answer.text();
    const series = (name: string) => text.split("\n").filter((line) => line.startsWith(name));
    expect(series('springboard_http_request_duration_seconds_count{route="routes/bids.$id_.certify",method="POST",status_class="3xx"}')).toEqual([
      expect.stringMatching(/ 1$/),
    ]);
    expect(series('springboard_workflow_transitions_total{machine="bid",event="CERTIFY"}')).toEqual([expect.stringMatching(/ 1$/)]);
    expect(series('springboard_outbox_messages{status="pending"}')).toHaveLength(1);
    expect(series('springboard_outbox_messages{status="sending"}')).toHaveLength(1);
    expect(series("springboard_outbox_oldest_unsent_age_seconds")).toHaveLength(1);
    for (const pool of ["springboard_db_pool_connections", "springboard_db_pool_idle_connections", "springboard_db_pool_waiting_requests"]) {
      expect(series(`${pool} `)).toEqual([expect.stringMatching(/ \d+$/)]);
    }
    expect(text).toContain("# TYPE springboard_email_delivery_failures_total counter");
    expect(text).toContain("# TYPE springboard_job_lag_seconds gauge");
    // prom-client's process metrics.
    expect(series("process_cpu_user_seconds_total")).toHaveLength(1);
    expect(series("nodejs_eventloop_lag_seconds")).toHaveLength(1);

    // The worker: the same rule, and the series of what it did.
    expect((await scrape(worker)).status).toBe(401);
    const fromWorker = await (await scrape(worker, `Bearer ${TOKEN}`)).text();
    expect(fromWorker).toMatch(/^springboard_emails_sent_total [1-9]\d*$/m);
    // The job was due two minutes before the worker started.
    const lag = Number(/^springboard_job_lag_seconds\{job="interrupted-changes"\} (\S+)$/m.exec(fromWorker)?.[1]);
    expect(lag).toBeGreaterThanOrEqual(120);
    expect(fromWorker).toMatch(/^springboard_job_runs_total\{job="interrupted-changes",outcome="done"\} 1$/m);
    expect((await fetch(`${worker.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${worker.url}/elsewhere`)).status).toBe(404);
  });

  it("is ready only when every migration is applied", async () => {
    const ready = await fetch(`${app.url}/readyz`);
    expect([ready.status, await ready.text()]).toEqual([200, "ready"]);

    const [latest] = await database
      .sql<Record<string, unknown>>(
        `DELETE FROM "_prisma_migrations" WHERE migration_name = (SELECT max(migration_name) FROM "_prisma_migrations") RETURNING *`,
      )
      .then((r) => r.rows);
    try {
      const missing = await fetch(`${app.url}/readyz`);
      expect([missing.status, await missing.text()]).toEqual([503, `migration not applied: ${latest!.migration_name}`]);
      // Liveness is another question: the process is up and its database answers.
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    } finally {
      const columns = Object.keys(latest!);
      await database.sql(
        `INSERT INTO "_prisma_migrations" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(", ")})`,
        Object.values(latest!),
      );
    }
    expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
  });

  it("shows the person the reference of a request that failed, the one its error line carries", async () => {
    await database.exec(`ALTER TABLE "Round" RENAME TO "RoundAway"`);
    let failed: Response;
    try {
      failed = await fetch(`${app.url}/rounds`);
    } finally {
      await database.exec(`ALTER TABLE "RoundAway" RENAME TO "Round"`);
    }
    expect(failed.status).toBe(500);
    const requestId = failed.headers.get("X-Request-Id")!;
    const html = await failed.text();
    expect(html).toContain(`contact the fund team and quote reference <strong class="app-reference">${requestId}</strong>.`);
    // The browser takes it from the page, so the page it hydrates says the same.
    expect(html).toContain(`<meta name="request-id" content="${requestId}"/>`);
    await waitFor("the request's line", () => app.lines().some((l) => l.msg === "request" && l.requestId === requestId));
    const lines = app.lines().filter((l) => l.requestId === requestId);
    // Logged once, with what failed; and the request has its own line.
    expect(lines.filter((l) => l.level === "error")).toEqual([
      expect.objectContaining({ msg: "Unhandled error", err: expect.objectContaining({ message: expect.stringContaining("Round") }) }),
    ]);
    expect(lines.find((l) => l.msg === "request")).toMatchObject({ route: "routes/rounds._index", status: 500 });
  });

  it("without METRICS_TOKEN has no metrics page; told to stop, it stops being ready, answers during its drain, then exits", async () => {
    const other = await start("server/index.ts", { SHUTDOWN_DRAIN_SECONDS: "10" });
    const none = await fetch(`${other.url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(none.status).toBe(404);
    expect(await none.text()).toContain("Page not found");

    other.signal("SIGTERM");
    await waitFor("readiness to fail", async () => (await fetch(`${other.url}/readyz`)).status === 503, 5);
    const readyz = await fetch(`${other.url}/readyz`);
    expect([readyz.status, await readyz.text()]).toEqual([503, "shutting down"]);
    // Still alive and still serving while the load balancer takes it out.
    expect((await fetch(`${other.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${other.url}/rounds`)).status).toBe(200);
    expect(await other.exited).toBe(0);
    expect(other.lines().some((l) => l.msg === "SIGTERM received: not ready, finishing requests, then closing." && l.drainSeconds === 10)).toBe(true);
  });
});
