import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { NextFunction, Request, Response } from "express";
import type { Database } from "~/db/database.server.ts";
import { currentContext, requestIdFrom, runWithContext, type RequestContext } from "~/log/context.server.ts";
import { logger } from "~/log/log.server.ts";
import { metricsResponse, observeRequest } from "~/observability/metrics.server.ts";
import { checkReadiness } from "~/observability/readiness.server.ts";

/**
 * First on every request: gives it a request id (the proxy's X-Request-Id when it is a safe
 * token, else a new one), returns the id in the response, runs the rest of the request
 * inside its context (so log lines and outbox rows carry it), and when the response is done
 * writes one log line and one histogram observation.
 *
 * The line holds ids and figures only: no path or query (a query may hold a sign-in token,
 * a path whatever a person typed), no form values, no addresses.
 */
export function requestLogging() {
  const log = logger();
  return (req: Request, res: Response, next: NextFunction) => {
    const started = performance.now();
    const context: RequestContext = { requestId: requestIdFrom(req.headers["x-request-id"]) };
    res.locals.requestId = context.requestId;
    res.setHeader("X-Request-Id", context.requestId);
    res.once("close", () => {
      const ms = performance.now() - started;
      const route = context.routeId ?? "edge";
      observeRequest(route, req.method, res.statusCode, ms / 1000);
      const line = {
        requestId: context.requestId,
        method: req.method,
        route,
        status: res.statusCode,
        durationMs: Math.round(ms * 10) / 10,
        userId: context.userId,
        organisationId: context.organisationId,
        // The client went away before the whole response was sent.
        aborted: res.writableFinished ? undefined : true,
      };
      // Files (stylesheets, images, scripts) would be most of the lines and say little.
      if (route === "static") log.debug(line, "request");
      else log.info(line, "request");
    });
    runWithContext(context, next);
  };
}

/**
 * Names what answers a request that no Remix route will: "static" before the file servers,
 * "unmatched" after them (a Remix route's `authorise` then replaces it with its route id).
 * Requests refused before either (400, 413 at the edge) keep the label "edge".
 */
export function labelRoute(label: string) {
  return (_req: Request, _res: Response, next: NextFunction) => {
    const context = currentContext();
    if (context) context.routeId = label;
    next();
  };
}

export interface OpsOptions {
  database: Database;
  /** Folder names in prisma/migrations: every one must be applied for the process to be ready. */
  migrations: readonly string[];
  metricsToken: string | undefined;
}

export interface OpsAnswer {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

const text = (status: number, body: string): OpsAnswer => ({ status, contentType: "text/plain; charset=utf-8", body });

/**
 * GET /healthz: liveness. The process is up and answering. It does not ask the database:
 * an orchestrator restarts a process whose liveness fails, and restarting every process
 * because the database is away for a while would turn a short outage into a long one
 * (the pools reconnect by themselves). Whether to send it work is /readyz's question.
 */
export async function healthz(): Promise<OpsAnswer> {
  return text(200, "ok");
}

/** GET /readyz: readiness (app/observability/readiness.server.ts). */
export async function readyz(options: OpsOptions): Promise<OpsAnswer> {
  const readiness = await checkReadiness(options.database, options.migrations);
  return text(readiness.ready ? 200 : 503, readiness.reason);
}

/** GET /metrics, or null where there is no such page (METRICS_TOKEN unset). */
export function metrics(options: OpsOptions, authorization: string | undefined): Promise<OpsAnswer | null> {
  return metricsResponse(authorization, options.metricsToken);
}

export function send(res: ServerResponse, answer: OpsAnswer) {
  res.statusCode = answer.status;
  res.setHeader("Content-Type", answer.contentType);
  res.setHeader("Cache-Control", "no-store");
  for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
  res.end(answer.body);
}

/**
 * The worker's small HTTP server (WORKER_PORT): the same /healthz, /readyz and /metrics as
 * an app process, so that orchestrators can probe it and Prometheus can scrape its job and
 * delivery series. Nothing else: every other address is 404.
 */
export function startOpsServer(port: number, options: OpsOptions): Promise<Server> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0];
    const answer = async (): Promise<OpsAnswer | null> => {
      if (req.method !== "GET" && req.method !== "HEAD") return null;
      if (path === "/healthz") return healthz();
      if (path === "/readyz") return readyz(options);
      if (path === "/metrics") return metrics(options, req.headers.authorization);
      return null;
    };
    answer().then(
      (result) => send(res, result ?? text(404, "Not found")),
      (error: unknown) => {
        logger().error({ err: error }, "The worker's status server could not answer");
        send(res, text(500, "error"));
      },
    );
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, () => resolve(server));
  });
}
