/**
 * Transport fuzzing: the built service as a real process on a scratch PostgreSQL database,
 * sent what no form of ours sends, at every route, by anonymous and signed-in browsers
 * (with valid CSRF tokens, so the bodies get past the token check to the code behind it):
 * bodies declared or streamed past the limits, bodies that stall, thousands of fields, NUL
 * bytes, odd content types, prototype keys, impossible page numbers, very long and encoded
 * path segments, CR/LF. The boundary's promise is that all of it is answered with a refusal
 * (never a server error), writes nothing, and does not slow the service for anyone else.
 *
 * The figures (inputs tried, server errors, partial writes, worst /healthz time) are written
 * to test-results/transport-fuzz.json; docs/security.md quotes them.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDatabase, type Database } from "~/db/database.server.ts";
import { createScratchDatabase } from "../../bench/support/scratch.ts";
import { FIELD_COUNT_LIMIT, FORM_BODY_LIMIT, UPLOAD_BODY_LIMIT } from "~/forms/limits.ts";
import { actionAccess, routeAccess, type Rule, type RouteId } from "~/auth/access.server.ts";
import type { Role } from "~/auth/roles.ts";
import { anonymousBrowser, signedInBrowser, type Browser } from "../../bench/support/requests.ts";
import { freePort, requireBuild } from "../../bench/support/service.ts";

const root = path.resolve(import.meta.dirname, "../..");

// ------------------------------------------------------------------ the service, with its stderr

interface Service {
  url: string;
  port: number;
  pid: number;
  /** Everything the service wrote to stderr, with when it arrived. */
  stderr: { at: number; text: string }[];
  alive(): boolean;
  stop(): Promise<void>;
}

// Started here rather than with bench/support/service.ts's startApp so that its stderr can be
// read: a server error is reported with the error the service logged for it.
async function startService(databaseUrl: string): Promise<Service> {
  requireBuild();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      APP_URL: url,
      DATABASE_URL: databaseUrl,
      RUN_WORKER: "false",
      // The demo fund: rounds, bids in assessment, funded projects, one user per role, so
      // the routes' parameters can be filled with records that exist.
      SEED_DEMO: "true",
      SESSION_SECRET: process.env.SESSION_SECRET ?? "service-secret-long-enough-for-signing-0123456789",
      SMTP_URL: "smtp://127.0.0.1:9",
      // Production waits 5 seconds after SIGTERM for a load balancer; here nothing is watching.
      SHUTDOWN_DRAIN_SECONDS: "0",
      // Errors (the lines read below, on stderr); Vitest's own setting would silence them.
      LOG_LEVEL: "error",
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const stderr: Service["stderr"] = [];
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (text: string) => stderr.push({ at: Date.now(), text }));
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error(`The service exited with code ${child.exitCode}: ${stderr.map((s) => s.text).join("")}`);
    if (Date.now() > deadline) throw new Error("The service did not start within 90 seconds");
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    port,
    pid: child.pid!,
    stderr,
    alive: () => child.exitCode === null && child.signalCode === null,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const ended = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await ended;
    },
  };
}

// ------------------------------------------------------------------ raw HTTP

interface Attempt {
  method: string;
  path: string;
  who: string;
  input: string;
  headers: Record<string, string>;
  /** A whole body, or a body streamed until the service answers (`chunkedPast` bytes at most). */
  body?: Buffer;
  chunkedPast?: number;
  /** Send only the headers: the body is declared but never comes. */
  declaredOnly?: boolean;
}

interface Answer {
  status: number; // 0: the connection closed without an answer; -1: no answer in time
  started: number;
  ended: number;
}

const ANSWER_WITHIN_MS = 20_000;
const DECLARED_ANSWER_WITHIN_MS = 10_000;

function send(service: Service, attempt: Attempt): Promise<Answer> {
  if (attempt.chunkedPast !== undefined) return stream(service, attempt, attempt.chunkedPast);
  const started = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (status: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ status, started, ended: Date.now() });
    };
    const request = http.request({
      host: "127.0.0.1",
      port: service.port,
      method: attempt.method,
      path: attempt.path,
      headers: attempt.headers,
      // A connection of its own: a refusal closes the connection it came on.
      agent: false,
    });
    // A body declared over the limit is refused on its declaration: waiting for it is the
    // slow-body hold this sweep is looking for, so it is not waited on for long.
    const timer = setTimeout(
      () => {
        finish(-1);
        request.destroy();
      },
      attempt.declaredOnly ? DECLARED_ANSWER_WITHIN_MS : ANSWER_WITHIN_MS,
    );
    request.on("response", (response) => {
      const status = response.statusCode ?? 0;
      response.on("data", () => {});
      response.on("end", () => {
        finish(status);
        request.destroy();
      });
      response.on("error", () => finish(status));
    });
    // A refusal closes the connection while the body is still coming; the answer, if it
    // came, is what counts.
    request.on("error", () => finish(0));
    if (attempt.declaredOnly) {
      request.flushHeaders();
      return;
    }
    request.end(attempt.body);
  });
}

/**
 * A chunked body (no declared length) streamed until the service answers or `past` bytes
 * have gone. Written on a bare socket: the service closes the connection as it refuses, and
 * an HTTP client would report the failed write rather than the answer that came first.
 */
function stream(service: Service, attempt: Attempt, past: number): Promise<Answer> {
  const started = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    let received = "";
    const socket = net.connect(service.port, "127.0.0.1");
    const finish = (status: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ status, started, ended: Date.now() });
    };
    const timer = setTimeout(() => finish(-1), ANSWER_WITHIN_MS);
    socket.on("data", (data) => {
      received += data.toString("latin1");
      const status = /^HTTP\/1\.1 (\d{3})/.exec(received);
      if (status) finish(Number(status[1]));
    });
    socket.on("error", () => {});
    socket.on("close", () => finish(0));
    const headers = Object.entries(attempt.headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join("");
    socket.write(`${attempt.method} ${attempt.path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}Transfer-Encoding: chunked\r\n\r\n`);
    const payload = "a=".repeat(32 * 1024);
    const chunk = `${payload.length.toString(16)}\r\n${payload}\r\n`;
    let sent = 0;
    const pump = () => {
      while (!settled && sent <= past) {
        sent += payload.length;
        if (!socket.write(chunk)) {
          socket.once("drain", pump);
          return;
        }
      }
      if (!settled && !socket.destroyed) socket.write("0\r\n\r\n");
    };
    pump();
  });
}

// ------------------------------------------------------------------ routes

interface Route {
  file: string;
  /** Path segments, a parameter as `$name`. */
  segments: string[];
  hasAction: boolean;
  takesUpload: boolean;
}

/** Every route in app/routes, read from its file name (Remix's flat routes). */
function listRoutes(): Route[] {
  const dir = path.join(root, "app/routes");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".tsx"))
    .map((file) => {
      const name = file.replace(/\.tsx$/, "");
      const segments: string[] = [];
      let current = "";
      let escaped = false;
      for (const ch of name) {
        if (ch === "[") escaped = true;
        else if (ch === "]") escaped = false;
        else if (ch === "." && !escaped) {
          segments.push(current);
          current = "";
        } else current += ch;
      }
      segments.push(current);
      const cleaned = segments.filter((s) => s !== "_index").map((s) => (s === "$" ? "$splat" : s.replace(/_$/, "")));
      const source = readFileSync(path.join(dir, file), "utf8");
      return {
        file,
        segments: cleaned,
        hasAction: /export (async )?function action|export const action/.test(source),
        // An upload route reads its body with readUpload; its form may be a shared component.
        takesUpload: /readUpload\(|"upload"|multipart/i.test(source),
      };
    });
}

// ------------------------------------------------------------------ what is sent

// Query parameters the routes read (grep searchParams in app/), each given the odd value.
const QUERY_NAMES = [
  "page",
  "q",
  "status",
  "template",
  "to",
  "after",
  "copy",
  "notice",
  "restore",
  "returnTo",
  "token",
  "email",
  "stage",
  "outcome",
  "serviceArea",
  "fund",
  "round",
  "councilType",
  "state",
  "invited",
  "declaration",
  "problem",
  "saved",
  "uploaded",
  "applied",
  "assessors",
  "refreshed",
  "retried",
  "from",
  "sent",
];
/** Each sent as every query parameter at once; a server error is then narrowed to the names that cause it. */
const QUERY_VALUES: Record<string, string> = {
  "NUL in query values": "a%00b",
  "CR/LF in query values": "a%0D%0ASet-Cookie:%20x=1",
  "__proto__ as query values": "__proto__",
  "constructor as query values": "constructor",
};
const PAGE_VALUES = ["99999999999", "-1", "abc"];
// Query names that are themselves prototype keys.
const PROTOTYPE_QUERY = "__proto__=x&constructor=x&prototype=x&a[__proto__][b]=x&__proto__.polluted=x&constructor[prototype][x]=1";

/** Odd values put in place of one path parameter; the real value fills the others. */
const SEGMENT_VALUES: Record<string, string> = {
  "a made-up id": "clzzzzzzzzzzzzzzzzzzzzzzz",
  "NUL in a path segment": "a%00b",
  "__proto__ as a path segment": "__proto__",
  "constructor as a path segment": "constructor",
  "CR/LF in a path segment": "a%0D%0Ab",
  "a 4,000-character path segment": "s".repeat(4000),
  "a 20,000-character path segment": "s".repeat(20_000),
  "an encoded slash and dots": "..%2F..%2Fetc%2Fpasswd",
  "invalid percent-encoding": "%E0%A4%A",
};

const urlencoded = "application/x-www-form-urlencoded";
const formBody = (csrf: string, pairs: string) => Buffer.from(`csrf=${encodeURIComponent(csrf)}&${pairs}`);

function multipart(csrf: string, parts: { name: string; value: string; filename?: string }[]) {
  const boundary = "----springboard-fuzz-7d1b";
  const chunks = [{ name: "csrf", value: csrf }, ...parts].map(
    (p) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ""}\r\n` +
      `${p.filename !== undefined ? "Content-Type: application/pdf\r\n" : ""}\r\n${p.value}\r\n`,
  );
  return { type: `multipart/form-data; boundary=${boundary}`, body: Buffer.from(`${chunks.join("")}--${boundary}--\r\n`) };
}

interface Body {
  input: string;
  headers: Record<string, string>;
  body?: Buffer;
  chunkedPast?: number;
  declaredOnly?: boolean;
}

/**
 * The bodies posted to a route's action, each with the browser's valid CSRF token. The
 * multipart ones that only an upload form would parse go only to the routes that take files;
 * the rest are refused for their content type, which "multipart without a boundary" shows.
 */
function bodies(csrf: string, route: Route): Body[] {
  const fields = Array.from({ length: 5000 }, (_, i) => `f${i}=x`).join("&");
  const form = (input: string, pairs: string): Body => ({ input, headers: { "content-type": urlencoded }, body: formBody(csrf, pairs) });
  const mp = (input: string, parts: Parameters<typeof multipart>[1]): Body => {
    const { type, body } = multipart(csrf, parts);
    return { input, headers: { "content-type": type }, body };
  };
  const pdf = "%PDF-1.4\n%%EOF\n";
  return [
    // Streamed with no declared length past the limit: a form's 256 KB, an upload's 10 MB.
    {
      input: "chunked body with no length, streamed past the limit",
      headers: { "content-type": route.takesUpload ? "multipart/form-data; boundary=x" : urlencoded },
      chunkedPast: (route.takesUpload ? UPLOAD_BODY_LIMIT : FORM_BODY_LIMIT) + 128 * 1024,
    },
    form(`5,000 fields (the limit is ${FIELD_COUNT_LIMIT.toLocaleString("en-GB")})`, fields),
    form("NUL in a field value", "intent=save&reason=a%00b&version=1"),
    form("NUL in a field name", "a%00b=x&intent=save"),
    form("__proto__ as a field name", "__proto__=x&intent=save"),
    form("constructor as a field name", "constructor=x&intent=save"),
    form("a[__proto__] as a field name", "a%5B__proto__%5D=x&a%5B__proto__%5D%5Bpolluted%5D=1"),
    form("a.constructor.prototype as a field name", "a.constructor.prototype.polluted=1"),
    form("row number past the rows a form has", "line-99999-amount=1&criterion-200-label=x"),
    // CR/LF in a reason is what any textarea sends, so this body is made invalid otherwise:
    // a reason over every form's 5,000-character cap, so that no action can act on it.
    form(
      "CR/LF in field values",
      `intent=a%0D%0Ab&reason=x%0D%0Ay${"z".repeat(5100)}&email=a%40example.test%0D%0ABcc%3A%20b%40example.test&name=a%0D%0Ab&version=1%0D%0A`,
    ),
    // Raw bytes: percent-encoded ones decode to U+FFFD, a reason like any other.
    {
      input: "invalid UTF-8 in a field value",
      headers: { "content-type": urlencoded },
      body: Buffer.concat([formBody(csrf, "reason="), Buffer.from([0xff, 0xfe, 0x41])]),
    },
    {
      input: "application/json body",
      headers: { "content-type": "application/json" },
      body: Buffer.from(`{"csrf":${JSON.stringify(csrf)},"intent":"save","__proto__":{"polluted":1}}`),
    },
    { input: "text/plain body", headers: { "content-type": "text/plain" }, body: formBody(csrf, "intent=save") },
    { input: "multipart without a boundary", headers: { "content-type": "multipart/form-data" }, body: formBody(csrf, "intent=save") },
    { input: "no content type", headers: {}, body: formBody(csrf, "intent=save") },
    {
      input: "urlencoded, declared UTF-16",
      headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-16" },
      body: formBody(csrf, "intent=save"),
    },
    ...(route.takesUpload
      ? [
          mp(
            "5,000 multipart fields",
            Array.from({ length: 5000 }, (_, i) => ({ name: `f${i}`, value: "x" })),
          ),
          mp("NUL in a multipart field value", [{ name: "reason", value: "a\u0000b" }]),
          mp("__proto__ as a multipart field name", [{ name: "__proto__", value: "x" }]),
          mp("CR/LF (encoded) in an uploaded file's name", [{ name: "file", value: pdf, filename: "evil%0D%0AContent-Type: text/html.pdf" }]),
          mp("CR/LF (raw) in an uploaded file's name", [{ name: "file", value: pdf, filename: "evil\r\nX-Injected: 1.pdf" }]),
          {
            input: "multipart with a boundary the body does not use",
            headers: { "content-type": "multipart/form-data; boundary=nothere" },
            body: formBody(csrf, "intent=save"),
          },
        ]
      : []),
  ];
}

/**
 * Bodies declared but never sent: far over the largest upload (the server's first fence) and
 * over this route's own limit (the action's). Both must be refused on the declaration alone;
 * a route that waits for the body instead is held by a client that sends nothing.
 */
function declaredBodies(route: Route): Body[] {
  const overRoute = (route.takesUpload ? UPLOAD_BODY_LIMIT : FORM_BODY_LIMIT) + 1;
  return [
    { input: "Content-Length of 1 GB, body never sent", headers: { "content-type": urlencoded, "content-length": String(1024 ** 3) }, declaredOnly: true },
    {
      input: `Content-Length of ${overRoute.toLocaleString("en-GB")} bytes (over the limit), body never sent`,
      headers: { "content-type": urlencoded, "content-length": String(overRoute) },
      declaredOnly: true,
    },
  ];
}

// ------------------------------------------------------------------ the sweep

let database: Database & { url?: string };
let service: Service;

beforeAll(async () => {
  database = await createScratchDatabase(process.env.TEST_DATABASE_URL);
  setDatabase(database);
  service = await startService(database.url!);
});

afterAll(async () => {
  await service?.stop();
  await database?.close();
});

/** Sends the attempts, `width` at a time; the answers in the attempts' order. */
async function inTurn(attempts: Attempt[], width: number): Promise<Answer[]> {
  const answers = new Array<Answer>(attempts.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < attempts.length) {
        const i = next++;
        answers[i] = await send(service, attempts[i]!);
      }
    }),
  );
  return answers;
}

/** Row counts of every table in the Prisma schema but sessions, rate limits and the audit log. */
async function businessRowCounts(): Promise<Record<string, number>> {
  const schema = readFileSync(path.join(root, "prisma/schema.prisma"), "utf8");
  const models = [...schema.matchAll(/^model (\w+) \{/gm)].map((m) => m[1]!);
  // Sessions are made for the test's browsers and rate limits count what was sent; the
  // audit log grows only with a change to the tables counted here.
  const skip = new Set(["Session", "RateLimit", "AuditEvent", "AuditSeal"]);
  const counts: Record<string, number> = {};
  for (const model of models.filter((m) => !skip.has(m))) {
    const delegate = (database.prisma as unknown as Record<string, { count(): Promise<number> }>)[model[0]!.toLowerCase() + model.slice(1)]!;
    counts[model] = await delegate.count();
  }
  return counts;
}

/** The route file a path was made from (by its first segment and length), for grouping findings. */
function routeOf(routes: Route[], p: string): string {
  const segments = p.split("?")[0]!.split("/").slice(1);
  // The route whose literal segments match most, as the router would choose.
  const matches = routes
    .filter((r) => r.segments.length === segments.length && r.segments.every((s, i) => s.startsWith("$") || s === segments[i]))
    .sort((a, b) => b.segments.filter((s) => !s.startsWith("$")).length - a.segments.filter((s) => !s.startsWith("$")).length);
  return matches[0]?.file ?? "$.tsx";
}

/** The lines of a logged error that say what failed: its first lines and Prisma's or Node's verdict. */
function summarise(text: string): string {
  const lines = text
    .split("\n")
    .map((l) => l.trimEnd())
    .filter(Boolean);
  const telling = lines.filter((l, i) => i < 2 || /^(Argument|Unknown argument|Invalid value|\w*Error\b)|→/.test(l.trim()));
  const frame = lines.find((l) => /^\s+at .*\/(app|server)\//.test(l));
  return [...new Set([...telling, ...(frame ? [frame.trim()] : [])])].slice(0, 8).join("\n").slice(0, 1200);
}

/** The processor time the service has used, in seconds (Linux's /proc; null elsewhere). */
function cpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    // utime and stime, fields 14 and 15 of the whole line, in clock ticks (100 a second).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

function withQuery(p: string, query: string) {
  return `${p}${p.includes("?") ? "&" : "?"}${query}`;
}

describe("transport fuzzing", () => {
  it("answers everything odd at every route with a refusal, writes nothing, and keeps /healthz answering throughout", async () => {
    const prisma = database.prisma;
    // Real records for the routes' parameters, and as each role the person those records
    // belong to (the bid's lead council's officer, the assessment's assessor...), so that
    // what is sent gets past the per-record checks to the code behind them.
    const bid = await prisma.bid.findFirstOrThrow({ where: { state: { not: "draft" } }, include: { round: true }, orderBy: { reference: "asc" } });
    const project = await prisma.project.findFirst({ orderBy: { id: "asc" } });
    const assessment = await prisma.assessment.findFirst({ orderBy: { id: "asc" } });
    const bidDocument = await prisma.bidDocument.findFirst({ orderBy: { id: "asc" } });
    const projectDocument = await prisma.projectDocument.findFirst({ orderBy: { id: "asc" } });
    const adoption = await prisma.adoption.findFirst({ orderBy: { id: "asc" } });
    const caseStudy = await prisma.caseStudy.findFirst({ orderBy: { id: "asc" } });
    const notification = await prisma.notification.findFirst({ orderBy: { id: "asc" } });
    const sessions = new Map<string, Browser>();
    const someone = async (role: Role, organisationId?: string) => {
      const found =
        (await prisma.user.findFirst({ where: { role, ...(organisationId ? { organisationId } : {}) }, orderBy: { email: "asc" } })) ??
        (await prisma.user.findFirstOrThrow({ where: { role }, orderBy: { email: "asc" } }));
      if (!sessions.has(found.id)) sessions.set(found.id, await signedInBrowser(found.id));
      return { who: `${role} ${found.email}`, browser: sessions.get(found.id)! };
    };
    const personFor = async (route: Route, role: Role) => {
      const family = route.segments[0];
      if (role === "assessor" && assessment) {
        const id = assessment.assessorUserId;
        if (!sessions.has(id)) sessions.set(id, await signedInBrowser(id));
        return { who: "assessor (assigned)", browser: sessions.get(id)! };
      }
      if (role === "councilOfficer" || role === "certifier") {
        return someone(role, family === "projects" ? project?.leadOrganisationId : bid.leadOrganisationId);
      }
      return someone(role);
    };

    const madeUp = "clzzzzzzzzzzzzzzzzzzzzzzz";
    const real = (route: Route, param: string): string => {
      const family = route.segments[0];
      switch (param) {
        case "$id":
          if (family === "bids") return bid.id;
          if (family === "projects") return project?.id ?? madeUp;
          if (family === "assessments") return assessment?.id ?? madeUp;
          if (family === "dev") return notification?.id ?? madeUp;
          return madeUp;
        case "$documentId":
          if (family === "bids") return bidDocument?.id ?? madeUp;
          return (route.segments.includes("adoptions") ? adoption?.id : projectDocument?.id) ?? madeUp;
        case "$adoptionId":
          return adoption?.id ?? madeUp;
        case "$slug":
          return family === "hub" ? (caseStudy?.slug ?? "no-such-case-study") : bid.round.slug;
        case "$bidId":
          return bid.id;
        case "$section":
          return "summary";
        case "$code":
          return "BIR";
        case "$reference":
          return project?.reference ?? "LDF-2026-9999";
        case "$name":
          return "bid-confirmation";
        default:
          return "nowhere";
      }
    };
    const pathOf = (route: Route, replace?: { param: string; value: string }) =>
      "/" + route.segments.map((s) => (s.startsWith("$") ? (replace?.param === s ? replace.value : real(route, s)) : s)).join("/");

    // Who sends what: to each route, the anonymous browser and a person the route lets in
    // (for its form, the one its action lets in). The odd queries and path segments go to
    // the anonymous browser only where the page is public: elsewhere it is sent to sign in
    // before anything reads them, which one plain request per route shows.
    const preference: Role[] = ["councilOfficer", "fundTeam", "assessor", "certifier", "gateApprover", "admin"];
    const anonymous = { who: "anonymous", browser: anonymousBrowser() };
    const routes = listRoutes();
    const attempts: Attempt[] = [];
    // Sent beside the sweep, a few at a time: each should be answered at once, and one that
    // is not waits on the service, not on the processor.
    const declared: Attempt[] = [];
    for (const route of routes) {
      const id = `routes/${route.file.replace(/\.tsx$/, "")}` as RouteId;
      const rule: Rule | undefined = routeAccess[id];
      const pageRoles = !rule || "public" in rule ? ["fundTeam" as Role] : preference.filter((r) => rule.roles.includes(r));
      const actionRule = actionAccess[id];
      const actionRoles = actionRule && "roles" in actionRule ? preference.filter((r) => actionRule.roles.includes(r)) : pageRoles;
      const isPublic = !rule || "public" in rule;
      const pageSenders = [...(isPublic ? [anonymous] : []), await personFor(route, pageRoles[0]!)];
      const formSenders = [anonymous, await personFor(route, actionRoles[0]!)];
      const base = pathOf(route);

      if (!isPublic)
        attempts.push({ method: "GET", path: withQuery(base, "page=%00"), who: "anonymous", input: "page=%00", headers: { cookie: anonymous.browser.cookie } });
      for (const { who, browser } of pageSenders) {
        const get = (p: string, input: string) => attempts.push({ method: "GET", path: p, who, input, headers: { cookie: browser.cookie } });
        for (const [input, value] of Object.entries(QUERY_VALUES)) get(withQuery(base, QUERY_NAMES.map((n) => `${n}=${value}`).join("&")), input);
        for (const value of PAGE_VALUES) get(withQuery(base, `page=${value}`), `page=${value}`);
        get(withQuery(base, PROTOTYPE_QUERY), "prototype keys as query names");
        for (const param of route.segments.filter((s) => s.startsWith("$"))) {
          for (const [input, value] of Object.entries(SEGMENT_VALUES)) get(pathOf(route, { param, value }), `${input} for ${param}`);
        }
        // The routes with no parameters get odd segments appended (the not-found route's share).
        if (!route.segments.some((s) => s.startsWith("$")) && route.segments.length) {
          for (const value of ["%00", "constructor", "a%0D%0Ab"]) get(`${base}/${value}`, `${value} appended`);
        }
      }
      if (!route.hasAction) continue;
      for (const { who, browser } of formSenders) {
        // Signing out is a well-formed POST whatever else it carries: it would end a
        // browser's session part-way through the sweep, so only the anonymous browser sends it.
        if (route.segments[0] === "sign-out" && who !== "anonymous") continue;
        const headers = { cookie: browser.cookie };
        const post = (body: Body, into: Attempt[]) =>
          into.push({
            method: "POST",
            path: base,
            who,
            input: body.input,
            headers: { ...headers, ...body.headers },
            body: body.body,
            chunkedPast: body.chunkedPast,
            declaredOnly: body.declaredOnly,
          });
        for (const body of bodies(browser.csrf, route)) post(body, attempts);
        for (const body of declaredBodies(route)) post(body, declared);
        attempts.push({
          method: "POST",
          path: withQuery(base, "page=-1&returnTo=%00&intent=__proto__"),
          who,
          input: "odd query values on a POST",
          headers: { ...headers, "content-type": urlencoded },
          body: formBody(browser.csrf, "x=1"),
        });
      }
    }

    // ---- /healthz, polled every 100 ms from its own loop throughout the sweep.
    // The 1-second bound is a correctness bound on the boundary (no odd input may hold the
    // process up for anyone else: no synchronous parse of a huge body, no event loop stuck
    // on a stalled upload), not a timing benchmark: a healthy service answers in a few ms.
    const healthAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const health = { polls: 0, worstMs: 0, failures: [] as string[] };
    let sweeping = true;
    const poller = (async () => {
      while (sweeping) {
        const started = performance.now();
        const status = await new Promise<number>((resolve) => {
          const request = http.get({ host: "127.0.0.1", port: service.port, path: "/healthz", agent: healthAgent, timeout: 5000 }, (response) => {
            response.resume();
            response.on("end", () => resolve(response.statusCode ?? 0));
          });
          request.on("timeout", () => request.destroy());
          request.on("error", () => resolve(0));
        });
        const ms = performance.now() - started;
        health.polls++;
        health.worstMs = Math.max(health.worstMs, ms);
        if (status !== 200) health.failures.push(`/healthz answered ${status} after ${Math.round(ms)} ms`);
        await new Promise((r) => setTimeout(r, Math.max(0, 100 - ms)));
      }
    })();

    const before = await businessRowCounts();

    // ---- Slow bodies: a few bytes, then nothing, held open for the whole sweep (the
    // service's request timeout is 120 s, too long to wait for here). What matters is that
    // they hold up nobody else: /healthz above, and the sweep itself, keep being answered.
    const stalled: net.Socket[] = [];
    const slowTargets = routes.filter((r) => r.hasAction && r.segments[0] !== "sign-out").slice(0, 20);
    for (const [i, route] of slowTargets.entries()) {
      const browser = [...sessions.values()][i % sessions.size]!;
      const socket = net.connect(service.port, "127.0.0.1");
      socket.on("error", () => {});
      socket.on("data", () => {});
      const chunked = i % 4 === 3;
      socket.write(
        `POST ${pathOf(route)} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${browser.cookie}\r\nContent-Type: ${urlencoded}\r\n` +
          (chunked ? "Transfer-Encoding: chunked\r\n\r\n6\r\ncsrf=a\r\n" : `Content-Length: 100000\r\n\r\ncsrf=${encodeURIComponent(browser.csrf)}&re`),
      );
      stalled.push(socket);
    }

    // ---- The sweep: a few requests at a time, as several browsers would.
    const sweepStarted = Date.now();
    const cpuBefore = cpuSeconds(service.pid);
    const [answers, declaredAnswers] = await Promise.all([inTurn(attempts, 6), inTurn(declared, 6)]);
    attempts.push(...declared);
    answers.push(...declaredAnswers);
    const sweepSeconds = (Date.now() - sweepStarted) / 1000;
    const cpuAfter = cpuSeconds(service.pid);
    const serviceCpuSeconds = cpuBefore !== null && cpuAfter !== null ? Math.round((cpuAfter - cpuBefore) * 10) / 10 : null;

    // While the slow bodies are still stalled, a page and /healthz are answered.
    const whileStalled = await Promise.all([fetch(`${service.url}/healthz`), fetch(`${service.url}/rounds`)]);
    const stillStalled = stalled.filter((s) => !s.destroyed).length;
    for (const socket of stalled) socket.destroy();
    sweeping = false;
    await poller;
    healthAgent.destroy();

    const after = await businessRowCounts();
    // What a change that got through was, to find the request that made it.
    const changes = (await prisma.transitionHistory.findMany({ where: { at: { gte: new Date(sweepStarted) } }, orderBy: { at: "asc" } })).map(
      (t) =>
        `${t.recordType} ${t.recordId} ${t.event} by ${t.actorRole}: ${t.fromState} -> ${t.toState}, reason ${JSON.stringify(t.reason)}, payload ${JSON.stringify(t.payload)}`,
    );
    const partialWrites = Object.keys(before)
      .filter((table) => after[table] !== before[table])
      .map((table) => `${table}: ${before[table]} -> ${after[table]}`);

    const failed = attempts.map((a, i) => ({ ...a, ...answers[i]! })).filter((a) => a.status >= 500 || a.status === -1);
    // One finding per route, input and sender kind: each server error sent again on its own,
    // so the error the service logs is its own (and a query of many names narrowed to the
    // names that cause it).
    const findings: { method: string; route: string; path: string; who: string; input: string; status: number; error: string }[] = [];
    const seen = new Set<string>();
    const narrowed = new Map<string, string[]>();
    const logged = async (attempt: Attempt) => {
      const from = service.stderr.length;
      const again = await send(service, attempt);
      await new Promise((r) => setTimeout(r, 50));
      return {
        status: again.status,
        text: summarise(
          service.stderr
            .slice(from)
            .map((s) => s.text)
            .join(""),
        ),
      };
    };
    for (const attempt of failed) {
      const route = routeOf(routes, attempt.path);
      const key = `${attempt.method} ${route} ${attempt.input} ${attempt.who === "anonymous"}`;
      if (seen.has(key) || (attempt.status >= 500 && findings.length >= 150)) continue;
      seen.add(key);
      let input = attempt.input;
      let error = `no answer within ${(attempt.declaredOnly ? DECLARED_ANSWER_WITHIN_MS : ANSWER_WITHIN_MS) / 1000} s`;
      if (attempt.status >= 500) {
        const again = await logged(attempt);
        error = again.text || `(nothing logged; answered ${again.status} when sent again)`;
        const [p, query] = attempt.path.split("?");
        if (attempt.method === "GET" && query && query.includes("&")) {
          // The names found for this input at an earlier route are tried first.
          const culprits: string[] = [];
          const tryPairs = async (pairs: string[]) => {
            for (const pair of pairs) {
              if ((await send(service, { ...attempt, path: `${p}?${pair}` })).status >= 500) culprits.push(pair);
            }
          };
          await tryPairs(narrowed.get(attempt.input) ?? []);
          if (!culprits.length) await tryPairs(query.split("&"));
          if (culprits.length) {
            narrowed.set(attempt.input, culprits);
            input = `${attempt.input}: ${culprits.join("&")}`;
          }
        }
      }
      findings.push({
        method: attempt.method,
        route,
        path: attempt.path.length > 160 ? `${attempt.path.slice(0, 160)}… (${attempt.path.length} characters)` : attempt.path,
        who: attempt.who,
        input,
        status: attempt.status,
        error,
      });
    }

    // Connections closed without an answer, by input: expected where a refusal cuts off a
    // body still coming, counted so that any other kind shows.
    const dropped: Record<string, number> = {};
    for (const [i, attempt] of attempts.entries()) if (answers[i]!.status === 0) dropped[attempt.input] = (dropped[attempt.input] ?? 0) + 1;
    const statuses: Record<string, number> = {};
    for (const answer of answers) statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
    const figures = {
      ranAt: new Date().toISOString(),
      routes: routes.length,
      senders: [...new Set(attempts.map((a) => a.who))],
      inputsTried: attempts.length,
      slowBodiesHeld: stalled.length,
      slowBodiesStillOpenAtEnd: stillStalled,
      sweepSeconds,
      // What the sweep cost the service: the figure to compare between machines, as the
      // sweep's wall-clock time depends on what else the machine is doing.
      serviceCpuSeconds,
      statuses,
      serverErrors: failed.filter((f) => f.status >= 500).length,
      unanswered: failed.filter((f) => f.status === -1).length,
      dropped,
      partialWrites: partialWrites.length,
      partialWriteTables: partialWrites,
      changes,
      healthz: { polls: health.polls, worstMs: Math.round(health.worstMs), failures: health.failures.length },
      findings,
    };
    mkdirSync(path.join(root, "test-results"), { recursive: true });
    writeFileSync(path.join(root, "test-results/transport-fuzz.json"), `${JSON.stringify(figures, null, 2)}\n`);
    console.log(
      `Transport fuzz: ${figures.inputsTried} inputs to ${figures.routes} routes in ${sweepSeconds.toFixed(1)} s; ` +
        `${figures.serverErrors} server errors, ${figures.unanswered} unanswered, ${figures.partialWrites} partial writes, ` +
        `worst /healthz ${figures.healthz.worstMs} ms over ${figures.healthz.polls} polls (test-results/transport-fuzz.json)`,
    );

    expect(whileStalled.map((r) => r.status)).toEqual([200, 200]);
    expect(service.alive()).toBe(true);
    expect(health.failures).toEqual([]);
    // Each poll gives up after 5 s (a failure above): a service whose event loop a slow or
    // endless body blocked would fail there. How quick it was is reported, not asserted: on a
    // shared machine a time is not a property of the code.
    expect(partialWrites).toEqual([]);
    expect(findings.map((f) => `${f.status} ${f.method} ${f.path} [${f.who}: ${f.input}]\n  ${f.error}`)).toEqual([]);
  });
});
