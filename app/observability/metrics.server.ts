import { createHash, timingSafeEqual } from "node:crypto";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { database } from "~/db/database.server.ts";
import { unsentOutbox } from "./sql.server.ts";

/**
 * The service's Prometheus series (docs/operations.md says what each means and what to
 * alert on). Counters and histograms are kept as things happen; the outbox and pool gauges
 * are read at scrape time, so a scrape costs two small queries and nothing in between.
 *
 * Like the logger, the registry lives on globalThis: the Remix build counts transitions and
 * the server entry answers /metrics, and they are separate module graphs.
 */
export interface PoolUse {
  total: number;
  idle: number;
  waiting: number;
}

interface Metrics {
  registry: Registry;
  requestDuration: Histogram<"route" | "method" | "status_class">;
  transitions: Counter<"machine" | "event">;
  emailsSent: Counter;
  deliveryFailures: Counter<"outcome">;
  jobLag: Gauge<"job">;
  jobRuns: Counter<"job" | "outcome">;
  similarWorkSearches: Counter<"answer">;
  poolSource?: () => PoolUse | undefined;
}

const holder = globalThis as unknown as { __springboardMetrics?: Metrics };

function create(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const created: Metrics = {
    registry,
    requestDuration: new Histogram({
      name: "springboard_http_request_duration_seconds",
      help: "Time from a request arriving to its response finishing, by Remix route id, method and status class.",
      labelNames: ["route", "method", "status_class"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    transitions: new Counter({
      name: "springboard_workflow_transitions_total",
      help: "Workflow transitions written, by machine and event.",
      labelNames: ["machine", "event"],
      registers: [registry],
    }),
    emailsSent: new Counter({
      name: "springboard_emails_sent_total",
      help: "Emails the SMTP server accepted from this process.",
      registers: [registry],
    }),
    deliveryFailures: new Counter({
      name: "springboard_email_delivery_failures_total",
      help: "Email attempts that failed: outcome retrying (refused for now, tried again later), failed (given up) or unreachable (no SMTP server answered; not counted as an attempt).",
      labelNames: ["outcome"],
      registers: [registry],
    }),
    jobLag: new Gauge({
      name: "springboard_job_lag_seconds",
      help: "For each scheduled job's latest run in this process: seconds between when it was due and when it started.",
      labelNames: ["job"],
      registers: [registry],
    }),
    jobRuns: new Counter({
      name: "springboard_job_runs_total",
      help: "Scheduled job runs in this process, by job and outcome (done or failed).",
      labelNames: ["job", "outcome"],
      registers: [registry],
    }),
    similarWorkSearches: new Counter({
      name: "springboard_similar_work_searches_total",
      help: "Similar-work panels answered, by answer: ranked (the funded work searched and ranked) or kept (a ranking of the same draft against the same funded work, used again).",
      labelNames: ["answer"],
      registers: [registry],
    }),
  };
  outboxGauges(registry);
  poolGauges(registry, created);
  return created;
}

function metrics(): Metrics {
  holder.__springboardMetrics ??= create();
  return holder.__springboardMetrics;
}

/**
 * The outbox as the database holds it, shared by every process: every app and worker
 * reports the same figures (take the max, not the sum). A scrape while the database is
 * away reports no outbox series rather than old figures.
 */
function outboxGauges(registry: Registry) {
  let reading: Promise<{ pending: number; sending: number; oldest: number | null } | null> | null = null;
  // The three gauges are collected one after another in a scrape: one query serves them all.
  const read = () =>
    (reading ??= Promise.resolve()
      .then(() => unsentOutbox(database().sql))
      .then((rows) => {
        const by = new Map(rows.map((row) => [row.status, row]));
        const ages = rows.map((row) => Number(row.oldest)).filter((age) => Number.isFinite(age));
        return {
          pending: Number(by.get("pending")?.count ?? 0),
          sending: Number(by.get("sending")?.count ?? 0),
          oldest: ages.length ? Math.max(0, Math.max(...ages)) : null,
        };
      })
      .catch(() => null)
      .finally(() => setTimeout(() => (reading = null), 0)));

  new Gauge({
    name: "springboard_outbox_messages",
    help: "Emails in the outbox waiting to go (pending) or being sent now (sending).",
    labelNames: ["status"],
    registers: [registry],
    async collect() {
      this.reset();
      const outbox = await read();
      if (!outbox) return;
      this.set({ status: "pending" }, outbox.pending);
      this.set({ status: "sending" }, outbox.sending);
    },
  });
  new Gauge({
    name: "springboard_outbox_oldest_unsent_age_seconds",
    help: "Age of the oldest email not yet sent (pending or sending); 0 when the outbox is empty.",
    registers: [registry],
    async collect() {
      this.reset();
      const outbox = await read();
      if (!outbox) return;
      this.set(outbox.oldest ?? 0);
    },
  });
}

function poolGauges(registry: Registry, owner: Metrics) {
  const gauge = (name: string, help: string, pick: (use: PoolUse) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        const use = owner.poolSource?.();
        if (use) this.set(pick(use));
      },
    });
  gauge("springboard_db_pool_connections", "PostgreSQL connections this process's pool holds (busy and idle).", (use) => use.total);
  gauge("springboard_db_pool_idle_connections", "PostgreSQL connections in this process's pool that are idle.", (use) => use.idle);
  gauge(
    "springboard_db_pool_waiting_requests",
    "Queries waiting for a connection from this process's pool: above 0 for long, the pool is too small or the database slow.",
    (use) => use.waiting,
  );
}

/** Where the database pool's figures come from (server/start.ts, for PostgreSQL; the embedded database has no pool). */
export function watchPool(source: () => PoolUse | undefined) {
  metrics().poolSource = source;
}

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

export function observeRequest(route: string, method: string, status: number, seconds: number) {
  metrics().requestDuration.observe({ route, method: METHODS.has(method) ? method : "other", status_class: `${Math.floor(status / 100)}xx` }, seconds);
}

export function countTransition(machine: string, event: string) {
  metrics().transitions.inc({ machine, event });
}

export function countEmailAttempt(outcome: "sent" | "retrying" | "failed" | "unreachable") {
  if (outcome === "sent") metrics().emailsSent.inc();
  else metrics().deliveryFailures.inc({ outcome });
}

export function recordJobRun(job: string, lagSeconds: number, outcome: "done" | "failed") {
  metrics().jobLag.set({ job }, lagSeconds);
  metrics().jobRuns.inc({ job, outcome });
}

export function countSimilarWorkSearch(answer: "ranked" | "kept") {
  metrics().similarWorkSearches.inc({ answer });
}

/** Registers the series now, so that a scrape before anything happened still lists them. */
export function startMetrics() {
  metrics();
}

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * The answer to GET /metrics. Without METRICS_TOKEN there is no such page (null: the caller
 * answers as for any unknown address). With it, only `Authorization: Bearer <token>` is
 * answered; the comparison takes the same time whatever is sent.
 */
export async function metricsResponse(
  authorization: string | undefined,
  token: string | undefined,
): Promise<{ status: number; contentType: string; body: string; headers?: Record<string, string> } | null> {
  if (!token) return null;
  const sent = /^Bearer (.+)$/.exec(authorization ?? "")?.[1] ?? "";
  if (!timingSafeEqual(digest(sent), digest(token))) {
    return {
      status: 401,
      contentType: "text/plain; charset=utf-8",
      body: "Send the metrics token in an Authorization: Bearer header.",
      headers: { "WWW-Authenticate": 'Bearer realm="metrics"' },
    };
  }
  const registry = metrics().registry;
  return { status: 200, contentType: registry.contentType, body: await registry.metrics() };
}
