import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { demoUsers } from "~/db/seed.server.ts";
import { envOrExit } from "~/env.server.ts";
import { HEADERS_TIMEOUT_SECONDS, megabytes, REQUEST_TIMEOUT_SECONDS, UPLOAD_ANSWER_LIMIT, UPLOAD_BODY_LIMIT, UPLOAD_FILE_LIMIT } from "~/forms/limits.ts";
import { csrfCookie, loadContext, noStoreForPeople, refuseNulInAddress, refuseOversizedBodies, securityHeaders, trustProxies } from "./http.ts";
import { startBackgroundWork, startDatabase } from "./start.ts";

const dev = process.argv.includes("--dev");
const config = envOrExit();
const root = path.resolve(fileURLToPath(import.meta.url), "../..");
const https = config.APP_URL.startsWith("https://");

// Routes that let the browser tests reset the data: never in production.
const testSupport = process.env.TEST_SUPPORT_ROUTES === "true";
if (testSupport && config.NODE_ENV === "production") {
  console.error("TEST_SUPPORT_ROUTES=true lets anyone wipe the database: it is refused in production. Unset it.");
  process.exit(1);
}

const database = await startDatabase();

const background = config.RUN_WORKER === "true" ? startBackgroundWork(database) : undefined;

const app = express();
app.disable("x-powered-by");
trustProxies(app, config.TRUST_PROXY);
// Level 1, as nginx's default: pages are rendered per request, and the higher levels cost
// several times the CPU for a few per cent fewer bytes.
app.use(compression({ level: 1 }));
app.use(securityHeaders({ https, dev }));
app.use(refuseNulInAddress());
app.use(refuseOversizedBodies(UPLOAD_BODY_LIMIT, `What was sent is too large: files must be ${megabytes(UPLOAD_FILE_LIMIT)} or smaller.`, UPLOAD_ANSWER_LIMIT));

const govuk = path.join(root, "node_modules/govuk-frontend/dist/govuk");
app.use("/assets", express.static(path.join(govuk, "assets"), { maxAge: "1d" }));
app.use("/govuk", express.static(govuk, { maxAge: "1h", index: false }));

let build: () => Promise<ServerBuild>;
// Where `npm run build` wrote the app (vite.config.ts reads the same variable).
const buildDir = process.env.BUILD_DIR ?? "build";
if (dev) {
  const vite = await import("vite").then((v) => v.createServer({ server: { middlewareMode: true } }));
  app.use(vite.middlewares);
  build = () => vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
} else {
  app.use("/assets", express.static(path.join(root, buildDir, "client/assets"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(root, buildDir, "client"), { maxAge: "1h" }));
  const serverBuild = (await import(path.join(root, buildDir, "server/index.js"))) as ServerBuild;
  build = async () => serverBuild;
}

app.get("/healthz", async (_req, res) => {
  try {
    await database.prisma.$queryRawUnsafe("SELECT 1");
    res.type("text").send("ok");
  } catch {
    res.status(503).type("text").send("database unavailable");
  }
});

if (testSupport) (await import("./test-reset.ts")).registerTestSupportRoutes(app, database);

app.use(csrfCookie({ secret: config.SESSION_SECRET, https }));
app.use(noStoreForPeople());
app.all("*", createRequestHandler({ build, getLoadContext: loadContext, mode: dev ? "development" : "production" }));

const server = app.listen(config.PORT, () => {
  console.log(`Springboard is running at ${config.APP_URL} (${database.engine === "pglite" ? "embedded database in " + path.resolve(config.DATA_DIR, "pglite") : "PostgreSQL"})`);
  if (config.SEED_DEMO === "true") {
    console.log(`\nSign in at ${config.APP_URL}/sign-in with one of the demo users:`);
    for (const user of demoUsers) console.log(`  ${user.role.padEnd(15)} ${user.email}`);
    if (!config.SMTP_URL) console.log(`Sign-in emails arrive in the dev mailbox: ${config.APP_URL}/dev/mailbox\n`);
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
  console.log(`${signal} received: finishing requests and closing.`);
  server.close();
  await background?.stop();
  await database.close();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
