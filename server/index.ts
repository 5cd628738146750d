import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { demoUsers } from "~/seed/demo/fund.server.ts";
import { envOrExit } from "~/env.server.ts";
import { checkStorageOrExit } from "~/storage/storage.server.ts";
import { announceVirusScanning } from "~/storage/virus-scan.server.ts";
import { HEADERS_TIMEOUT_SECONDS, megabytes, REQUEST_TIMEOUT_SECONDS, UPLOAD_ANSWER_LIMIT, UPLOAD_BODY_LIMIT, UPLOAD_FILE_LIMIT } from "~/forms/limits.ts";
import { readMigrations } from "~/db/migrate.server.ts";
import { logger, refuseToStart } from "~/log/log.server.ts";
import { markShuttingDown } from "~/observability/readiness.server.ts";
import { csrfCookie, loadContext, noStoreForPeople, refuseNulInAddress, refuseOversizedBodies, securityHeaders, trustProxies } from "./http.ts";
import { healthz, labelRoute, metrics, readyz, requestLogging, send, type OpsOptions } from "./observability.ts";
import { startBackgroundWork, startDatabase } from "./start.ts";

const dev = process.argv.includes("--dev");
const config = envOrExit();
const root = path.resolve(fileURLToPath(import.meta.url), "../..");
const https = config.APP_URL.startsWith("https://");

// Routes that let the browser tests reset the data: never in production.
const testSupport = process.env.TEST_SUPPORT_ROUTES === "true";
if (testSupport && config.NODE_ENV === "production") {
  refuseToStart("TEST_SUPPORT_ROUTES=true lets anyone wipe the database: it is refused in production. Unset it.");
}
// Before the database: a bucket that cannot be used is a setting to fix, found at start.
await checkStorageOrExit();

const database = await startDatabase();
// Said, not enforced: a scanner that is down refuses uploads, not the whole service.
void announceVirusScanning();

const background = config.RUN_WORKER === "true" ? startBackgroundWork(database) : undefined;

const ops: OpsOptions = { database, migrations: (await readMigrations()).map((m) => m.name), metricsToken: config.METRICS_TOKEN };

const app = express();
app.disable("x-powered-by");
trustProxies(app, config.TRUST_PROXY);
// First, so that the request line's duration covers everything and every response has its id.
app.use(requestLogging());
// Level 1, as nginx's default: pages are rendered per request, and the higher levels cost
// several times the CPU for a few per cent fewer bytes.
app.use(compression({ level: 1 }));
app.use(securityHeaders({ https, dev }));
app.use(refuseNulInAddress());
app.use(refuseOversizedBodies(UPLOAD_BODY_LIMIT, `What was sent is too large: files must be ${megabytes(UPLOAD_FILE_LIMIT)} or smaller.`, UPLOAD_ANSWER_LIMIT));

app.use(labelRoute("static"));
const govuk = path.join(root, "node_modules/govuk-frontend/dist/govuk");
app.use("/assets", express.static(path.join(govuk, "assets"), { maxAge: "1d" }));
app.use("/govuk", express.static(govuk, { maxAge: "1h", index: false }));

// In development a function, so that every request gets Vite's latest build; in production
// the build itself, as Remix works out its routes once for a build given as an object and
// again on every request for a function (2 ms and over a megabyte of garbage a request;
// docs/performance.md).
let build: ServerBuild | (() => Promise<ServerBuild>);
// Where `npm run build` wrote the app (vite.config.ts reads the same variable).
const buildDir = process.env.BUILD_DIR ?? "build";
if (dev) {
  const vite = await import("vite").then((v) => v.createServer({ server: { middlewareMode: true } }));
  app.use(vite.middlewares);
  build = () => vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
} else {
  app.use("/assets", express.static(path.join(root, buildDir, "client/assets"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(root, buildDir, "client"), { maxAge: "1h" }));
  build = (await import(path.join(root, buildDir, "server/index.js"))) as ServerBuild;
}

// Past the files: a Remix route's `authorise` names the route; these name themselves.
app.use(labelRoute("unmatched"));
// Express 4 does not wait for a handler's promise: a rejection it never sees would end the
// process (Node's default for an unhandled rejection), so each is handed on as an error (500).
const answering =
  (handler: (req: express.Request, res: express.Response, next: express.NextFunction) => Promise<void>): express.RequestHandler =>
  (req, res, next) => {
    handler(req, res, next).catch(next);
  };
// Liveness stays 200 while the process drains before stopping: it is alive and still
// answering, and an orchestrator that saw it fail might kill it before its requests finish.
app.get(
  "/healthz",
  labelRoute("healthz"),
  answering(async (_req, res) => send(res, await healthz())),
);
app.get(
  "/readyz",
  labelRoute("readyz"),
  answering(async (_req, res) => send(res, await readyz(ops))),
);
// Without METRICS_TOKEN there is no such page: it falls through to Remix's "Page not found".
app.get(
  "/metrics",
  labelRoute("metrics"),
  answering(async (req, res, next) => {
    const answer = await metrics(ops, req.headers.authorization);
    if (answer) send(res, answer);
    else next();
  }),
);

if (testSupport) (await import("./test-reset.ts")).registerTestSupportRoutes(app, database);

app.use(csrfCookie({ secret: config.SESSION_SECRET, https }));
app.use(noStoreForPeople());
app.all("*", createRequestHandler({ build, getLoadContext: loadContext, mode: dev ? "development" : "production" }));

const server = app.listen(config.PORT, () => {
  const log = logger();
  log.info(
    `Springboard is running at ${config.APP_URL} (${database.engine === "pglite" ? "embedded database in " + path.resolve(config.DATA_DIR, "pglite") : "PostgreSQL"})`,
  );
  // Demo people only (SEED_DEMO): made-up addresses, listed so a newcomer can sign in.
  if (config.SEED_DEMO === "true") {
    const users = demoUsers.map((user) => `  ${user.role.padEnd(15)} ${user.email}`).join("\n");
    log.info(`Sign in at ${config.APP_URL}/sign-in with one of the demo users:\n${users}`);
    if (!config.SMTP_URL) log.info(`Sign-in emails arrive in the dev mailbox: ${config.APP_URL}/dev/mailbox`);
  }
});
// A client that sends its headers or body slowly holds a connection: cut it off rather than
// wait on Node's defaults (headers 60 s, whole request 300 s).
server.headersTimeout = HEADERS_TIMEOUT_SECONDS * 1000;
server.requestTimeout = REQUEST_TIMEOUT_SECONDS * 1000;

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  // Not ready from now on, so the load balancer stops sending requests; those it already
  // sent, and any sent before it notices, are still answered during the drain.
  markShuttingDown();
  logger().info({ signal, drainSeconds: config.SHUTDOWN_DRAIN_SECONDS }, `${signal} received: not ready, finishing requests, then closing.`);
  if (config.SHUTDOWN_DRAIN_SECONDS > 0) await new Promise((resolve) => setTimeout(resolve, config.SHUTDOWN_DRAIN_SECONDS * 1000));
  // Requests in flight finish (idle keep-alive connections close at once); one that is
  // still going after 10 seconds is cut off rather than holding the stop.
  const closed = new Promise((resolve) => server.close(resolve));
  const cutOff = setTimeout(() => server.closeAllConnections(), 10_000);
  await Promise.all([closed, background?.stop()]);
  clearTimeout(cutOff);
  await database.close();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
