import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express, { type Express } from "express";
import { createElement } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SESSION_COOKIE } from "~/security/cookie-names.ts";
import { env, resetEnvCache } from "~/env.server.ts";
import * as entry from "~/entry.server.tsx";
import { action as verifyAction } from "~/routes/sign-in.verify.tsx";
import { action as signInAction } from "~/routes/sign-in._index.tsx";
import { db } from "~/db/database.server.ts";
import { requireCsrf, sessionCsrfToken } from "~/security/csrf.server.ts";
import { sign } from "~/security/tokens.server.ts";
import { csrfCookie, loadContext, noStoreForPeople, NUL_IN_ADDRESS, refuseNulInAddress, trustProxies } from "../../server/http.ts";
import { useTestDatabase } from "../support/database.ts";
import { anonymousBrowser, type Browser, context, createUser, post, run } from "../../bench/support/requests.ts";

// The Express edge (server/http.ts), wired as server/index.ts wires it, served on a
// loopback port and asked over HTTP.

useTestDatabase();

const root = path.resolve(import.meta.dirname, "../..");
const saved = process.env.TRUST_PROXY;
const open: { close(): void }[] = [];

afterEach(() => {
  if (saved === undefined) delete process.env.TRUST_PROXY;
  else process.env.TRUST_PROXY = saved;
  resetEnvCache();
  for (const server of open.splice(0)) server.close();
});

async function serve(app: Express): Promise<string> {
  const server = app.listen(0, "127.0.0.1");
  open.push(server);
  await new Promise((resolve) => server.once("listening", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("the client's address behind proxies (TRUST_PROXY, a hop count)", () => {
  async function addressSeen(trustProxy: string, forwardedFor: string) {
    process.env.TRUST_PROXY = trustProxy;
    resetEnvCache();
    const app = express();
    trustProxies(app, env().TRUST_PROXY);
    app.get("/", (req, res) => {
      res.send(loadContext(req, res).clientIp);
    });
    const url = await serve(app);
    return (await fetch(url, { headers: { "X-Forwarded-For": forwardedFor } })).text();
  }

  it("with one proxy, is the entry that proxy appended, and a forged left-most entry is ignored", async () => {
    // The client sent "X-Forwarded-For: 198.51.100.66" hoping to be counted as someone else;
    // the load balancer appended the address it really came from.
    expect(await addressSeen("1", "198.51.100.66, 203.0.113.9")).toBe("203.0.113.9");
    expect(await addressSeen("1", "10.9.9.9, 198.51.100.66, 203.0.113.9")).toBe("203.0.113.9");
    // Two proxies: the first appended the client, the second the first.
    expect(await addressSeen("2", "198.51.100.66, 203.0.113.9, 192.0.2.4")).toBe("203.0.113.9");
    // No proxy (the default, and what "false" means): the header is not read at all.
    expect(await addressSeen("false", "198.51.100.66")).toMatch(/127\.0\.0\.1$/);
    delete process.env.TRUST_PROXY;
    resetEnvCache();
    expect(env().TRUST_PROXY).toBe(0);
  });

  it("refuses TRUST_PROXY=true at start, with a sentence saying to give the number of proxies", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", "server/index.ts"], {
      cwd: root,
      env: {
        ...process.env,
        TRUST_PROXY: "true",
        DATABASE_URL: undefined,
        DATA_DIR: mkdtempSync(path.join(tmpdir(), "springboard-edge-")),
        PORT: "3998",
      } as NodeJS.ProcessEnv,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("TRUST_PROXY: set it to the number of proxies in front of the service (for example 1 for one load balancer), not true");
    expect(result.stderr).not.toMatch(/\n\s+at /);
    process.env.TRUST_PROXY = "lots";
    resetEnvCache();
    expect(() => env()).toThrow("TRUST_PROXY: the number of proxies in front of the service, a whole number such as 0 or 1");
    // Starting a process on a busy machine can take longer than the usual 30 seconds.
  }, 90_000);
});

describe("a NUL character in the address", () => {
  it("is refused with 400 and a sentence for every route, before any of them runs", async () => {
    const app = express();
    app.use(refuseNulInAddress());
    let reached = 0;
    app.use((_req, res) => {
      reached++;
      res.send("page");
    });
    const url = await serve(app);
    for (const address of ["/hub?q=%00", "/hub?q=abc%00def", "/organisations/%00", "/funded?page=1&q=%00"]) {
      const response = await fetch(`${url}${address}`);
      expect(response.status, address).toBe(400);
      expect(await response.text()).toBe(NUL_IN_ADDRESS);
    }
    expect(reached).toBe(0);
    // %2500 is the text "%00", not a NUL: it is searched for like any other text.
    expect((await fetch(`${url}/hub?q=%2500`)).status).toBe(200);
  });
});

/**
 * A Remix app of two routes (a page, and a public file with caching of its own) behind the
 * edge's middleware and this app's own entry.server, for the Cache-Control tests.
 */
function remixApp(): Express {
  const route = (id: string, extra: Record<string, unknown>) => ({
    id,
    hasAction: false,
    hasClientAction: false,
    hasClientLoader: false,
    hasErrorBoundary: false,
    imports: [],
    module: `/${id}.js`,
    ...extra,
  });
  const build = {
    mode: "production",
    entry: { module: entry },
    routes: {
      root: { id: "root", path: "", module: { default: () => createElement("main", null, "A page with a form"), loader: () => ({ csrf: "token" }) } },
      "routes/open": {
        id: "routes/open",
        parentId: "root",
        path: "open",
        module: { loader: () => new Response("public figures", { headers: { "Cache-Control": "public, max-age=300" } }) },
      },
    },
    assets: {
      entry: { module: "/entry.client.js", imports: [] },
      routes: { root: route("root", { path: "", hasLoader: true }), "routes/open": route("routes/open", { parentId: "root", path: "open", hasLoader: true }) },
      url: "/manifest.js",
      version: "1",
    },
    publicPath: "/build/",
    assetsBuildDirectory: "build/client",
    future: { v3_singleFetch: true, v3_lazyRouteDiscovery: false },
    isSpaMode: false,
  } as unknown as ServerBuild;
  const app = express();
  app.use((_req, res, next) => {
    res.locals.nonce = "n";
    next();
  });
  app.use(csrfCookie({ secret: env().SESSION_SECRET, https: false }));
  app.use(noStoreForPeople());
  app.all("*", createRequestHandler({ build, getLoadContext: loadContext, mode: "production" }));
  return app;
}

describe("Cache-Control", () => {
  const sessionCookie = () => `${SESSION_COOKIE}=${encodeURIComponent(sign("some-session-secret", env().SESSION_SECRET))}`;

  it("is no-store on everything a signed-in person is sent, whatever the route asked for", async () => {
    const url = await serve(remixApp());
    for (const address of ["/", "/_root.data", "/open"]) {
      const response = await fetch(`${url}${address}`, { headers: { Cookie: sessionCookie() } });
      expect(response.status, address).toBe(200);
      expect(response.headers.get("Cache-Control"), address).toBe("no-store");
    }
  });

  it("is no-store on every page (each carries the browser's form token), and leaves a public file's own caching alone", async () => {
    const url = await serve(remixApp());
    const page = await fetch(url);
    expect(page.headers.get("Content-Type")).toContain("text/html");
    expect(page.headers.get("Cache-Control")).toBe("no-store");
    expect((await fetch(`${url}/_root.data`)).headers.get("Cache-Control")).toBe("no-store");
    expect((await fetch(`${url}/open`)).headers.get("Cache-Control")).toBe("public, max-age=300");
  });
});

describe("a page, once sent", () => {
  it("leaves no timer holding its render: the abort timer goes when the page is rendered to the end", async () => {
    const url = await serve(remixApp());
    // The render's abort timers (5 s: ABORT_DELAY in app/entry.server.tsx), as Node's Timeout
    // objects, to look at afterwards. (Remix keeps one of its own, of 4.95 s, that holds only an
    // AbortController: not this test's subject.)
    const started: NodeJS.Timeout[] = [];
    const real = globalThis.setTimeout;
    const spy = vi.spyOn(globalThis, "setTimeout").mockImplementation(((callback: () => void, ms?: number, ...args: unknown[]) => {
      const timer = real(callback, ms, ...args) as unknown as NodeJS.Timeout;
      if (ms === 5000) started.push(timer);
      return timer;
    }) as typeof setTimeout);
    try {
      for (let i = 0; i < 3; i++) {
        const page = await fetch(url);
        expect(page.status).toBe(200);
        expect(await page.text()).toContain("A page with a form");
      }
    } finally {
      spy.mockRestore();
    }
    // Each page started its abort timer (5 s); each was cleared, not left to fire with the render in hand.
    expect(started).toHaveLength(3);
    const pending = started.filter((timer) => !(timer as unknown as { _destroyed: boolean })._destroyed);
    expect(pending).toEqual([]);
  });
});

describe("the form token is tied to the session", () => {
  /** Signs `browser` in through the real sign-in link and returns the session cookie the service set. */
  async function signIn(browser: Browser) {
    const user = await createUser("councilOfficer");
    const asked = await run(() => signInAction({ request: post("/sign-in", browser, { email: user.email }), context: context("198.51.100.20"), params: {} }));
    expect(asked.status, String(asked.data)).toBe(302);
    const message = await db().notification.findFirstOrThrow({ where: { toEmail: user.email, template: "sign-in-link" } });
    const token = new URL(/http:\/\/\S+/.exec(message.text)![0]).searchParams.get("token")!;
    const signedIn = await run(() => verifyAction({ request: post("/sign-in/verify", browser, { token, returnTo: "" }), context: context(), params: {} }));
    expect(signedIn.status).toBe(302);
    return signedIn.response!.headers.get("Set-Cookie")!.split(";")[0]!;
  }

  /** The token the service puts in this browser's pages (root loader's csrfToken), as server/http.ts gives it. */
  async function tokenInPages(cookie: string) {
    const app = express();
    app.use(csrfCookie({ secret: env().SESSION_SECRET, https: false }));
    app.get("/", (req, res) => {
      res.send(loadContext(req, res).csrfToken);
    });
    const url = await serve(app);
    return (await fetch(url, { headers: { Cookie: cookie } })).text();
  }

  const submit = (cookie: string, csrf: string) => {
    const form = new FormData();
    form.set("csrf", csrf);
    return run(async () => requireCsrf(new Request("http://localhost:3000/sign-out", { method: "POST", headers: { Cookie: cookie } }), form));
  };

  it("refuses after sign-in a token the browser had before it, and accepts the one its pages now carry", async () => {
    // Someone who could set this browser's cookies (or used the computer first) knows its token.
    const browser = anonymousBrowser();
    expect(await tokenInPages(browser.cookie)).toBe(browser.csrf);
    expect((await submit(browser.cookie, browser.csrf)).status).toBe(200);

    const session = await signIn(browser);
    const signedInCookie = `${browser.cookie}; ${session}`;
    const refused = await submit(signedInCookie, browser.csrf);
    expect(refused.status).toBe(403);
    expect(refused.data).toContain("did not come from this service's page");

    const current = await tokenInPages(signedInCookie);
    expect(current).not.toBe(browser.csrf);
    expect((await submit(signedInCookie, current)).status).toBe(200);

    // Signing in again brings a new token: the last session's is refused.
    const again = `${browser.cookie}; ${await signIn({ ...browser, cookie: signedInCookie, csrf: current })}`;
    expect(await tokenInPages(again)).not.toBe(current);
    expect((await submit(again, current)).status).toBe(403);
    expect((await submit(again, await tokenInPages(again))).status).toBe(200);
  });

  it("derives the signed-in token from the session secret with the server's secret, so it cannot be worked out from outside", () => {
    expect(sessionCsrfToken("a", env().SESSION_SECRET)).not.toBe(sessionCsrfToken("b", env().SESSION_SECRET));
    expect(sessionCsrfToken("a", env().SESSION_SECRET)).not.toBe(sessionCsrfToken("a", "another-secret-that-is-long-enough-0123456789"));
  });
});
