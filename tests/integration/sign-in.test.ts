import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { action as signInAction } from "~/routes/sign-in._index.tsx";
import { action as verifyAction, loader as verifyLoader } from "~/routes/sign-in.verify.tsx";
import { action as signOutAction } from "~/routes/sign-out.tsx";
import { loader as homeLoader } from "~/routes/home.tsx";
import { database, db, setDatabase } from "~/db/database.server.ts";
import type { PrismaClient } from "~/generated/prisma/client.ts";
import { sha256 } from "~/security/tokens.server.ts";
import { answerFloor, limitPerAddress, SIGN_IN_ANSWER_MS } from "~/auth/sign-in.server.ts";
import { useTestDatabase } from "../support/database.ts";
import { anonymousBrowser, browserWithSession, context, createUser, get, post, run } from "../../bench/support/requests.ts";

useTestDatabase();

// Every answer waits out a minimum time; here each wait is recorded instead of slept through.
const floors: number[] = [];
const realWait = answerFloor.wait;
beforeAll(() => {
  answerFloor.wait = async (ms) => {
    floors.push(ms);
  };
});
afterAll(() => {
  answerFloor.wait = realWait;
});

/**
 * Runs fn with every database operation recorded, in order, as "model.operation" (raw SQL
 * as the operation alone), with the answer's wait for its minimum time among them.
 */
async function recordingWork(fn: () => Promise<unknown>): Promise<string[]> {
  const log: string[] = [];
  const original = database();
  const recording = original.prisma.$extends({
    query: {
      async $allOperations({ model, operation, args, query }) {
        log.push(model ? `${model}.${operation}` : operation);
        return query(args);
      },
    },
  }) as unknown as PrismaClient;
  const wait = answerFloor.wait;
  answerFloor.wait = async (ms) => {
    log.push(`wait ${ms}ms`);
  };
  setDatabase({ ...original, prisma: recording });
  try {
    await fn();
  } finally {
    setDatabase(original);
    answerFloor.wait = wait;
  }
  return log;
}

async function askForLink(email: string, clientIp = "198.51.100.1") {
  const browser = anonymousBrowser();
  return run(() => signInAction({ request: post("/sign-in", browser, { email }), context: context(clientIp), params: {} }));
}

async function latestLinkTo(email: string) {
  const message = await db().notification.findFirstOrThrow({ where: { toEmail: email, template: "sign-in-link" }, orderBy: { createdAt: "desc" } });
  return new URL(/http:\/\/\S+/.exec(message.text)![0]);
}

async function useLink(link: URL) {
  const browser = anonymousBrowser();
  return run(() =>
    verifyAction({
      request: post("/sign-in/verify", browser, { token: link.searchParams.get("token") ?? "", returnTo: link.searchParams.get("returnTo") ?? "" }),
      context: context(),
      params: {},
    }),
  );
}

describe("signing in with an emailed link", () => {
  it("emails a single-use link that signs the person in and lands on their home page", async () => {
    const user = await createUser("councilOfficer");
    const asked = await askForLink(user.email.toUpperCase());
    expect(asked.status).toBe(302);
    expect(asked.location).toBe(`/sign-in/check-email?email=${encodeURIComponent(user.email)}`);

    const link = await latestLinkTo(user.email);
    expect(link.pathname).toBe("/sign-in/verify");
    const token = link.searchParams.get("token")!;
    const stored = await db().signInToken.findFirstOrThrow({ where: { email: user.email } });
    expect(stored.tokenHash).toBe(sha256(token));
    expect(JSON.stringify(stored)).not.toContain(token);

    const signedIn = await useLink(link);
    expect(signedIn.status).toBe(302);
    expect(signedIn.location).toBe("/home");
    const cookie = signedIn.response!.headers.get("Set-Cookie")!;
    expect(cookie).toMatch(/__session=.+; Path=\/; SameSite=Lax; HttpOnly/);

    const home = await run(() =>
      homeLoader({ request: new Request("http://localhost:3000/home", { headers: { Cookie: cookie.split(";")[0]! } }), context: context(), params: {} }),
    );
    expect(home.status).toBe(200);
    expect(home.data.user.name).toBe(user.name);
  });

  it("returns people to the page they asked for, and never to another site, however the address is disguised", async () => {
    // A new person each time: one address may ask for only a few links in 15 minutes.
    const signInReturningTo = async (returnTo: string) => {
      const user = await createUser("councilOfficer");
      const browser = anonymousBrowser();
      await run(() => signInAction({ request: post("/sign-in", browser, { email: user.email, returnTo }), context: context(), params: {} }));
      return useLink(await latestLinkTo(user.email));
    };
    expect((await signInReturningTo("/rounds/pilot?tab=bids")).location).toBe("/rounds/pilot?tab=bids");
    // A tab or line break is dropped by browsers ("/\t/evil.example" is "//evil.example"),
    // and a backslash is read as a slash.
    for (const disguised of ["/\t/evil.example", "/\n/evil.example", "//evil.example", "/\\evil.example", "/\\/evil.example", "https://evil.example"]) {
      const signedIn = await signInReturningTo(disguised);
      expect(signedIn.status, disguised).toBe(302);
      expect(signedIn.location, disguised).toBe("/home");
    }
  });

  it("gives an unknown address exactly the same answer as a known one, and sends nothing", async () => {
    const before = await db().notification.count();
    const asked = await askForLink("nobody@nowhere.example");
    expect(asked.status).toBe(302);
    expect(asked.location).toBe("/sign-in/check-email?email=nobody%40nowhere.example");
    expect(await db().notification.count()).toBe(before);
  });

  it("does the same work, and waits the same, for an address with an account and one without", async () => {
    // Timing must not tell the two apart: both write a token and an email in one transaction
    // (the unknown address's is rolled back), and both answers wait out the same minimum.
    const user = await createUser("councilOfficer");
    const tokensBefore = await db().signInToken.count();
    const known = await recordingWork(() => askForLink(user.email, "198.51.100.20"));
    const unknown = await recordingWork(() => askForLink("no-account@nowhere.example", "198.51.100.21"));
    expect(known).toContain("SignInToken.create");
    expect(known).toContain("Notification.create");
    expect(unknown).toEqual(known);
    expect(known).toContain(`wait ${SIGN_IN_ANSWER_MS}ms`);
    // What the unknown address wrote did not stay: no token, and no email.
    expect(await db().signInToken.count()).toBe(tokensBefore + 1);
    expect(await db().notification.count({ where: { toEmail: "no-account@nowhere.example" } })).toBe(0);
    expect(await db().signInToken.count({ where: { email: "no-account@nowhere.example" } })).toBe(0);
  });

  it("waits out the minimum time before every answer, a refusal for too many links included", async () => {
    floors.length = 0;
    const statuses: number[] = [];
    for (let i = 0; i <= limitPerAddress(); i++) statuses.push((await askForLink("nobody-else@nowhere.example", `198.51.100.${30 + i}`)).status);
    expect(statuses.at(-1)).toBe(429);
    expect(floors).toEqual(statuses.map(() => SIGN_IN_ANSWER_MS));
  });

  it("refuses a used link, an expired link and a forged link, each with a way to ask again", async () => {
    const user = await createUser("certifier");
    await askForLink(user.email);
    const link = await latestLinkTo(user.email);
    expect((await useLink(link)).location).toBe("/home");
    expect((await useLink(link)).location).toBe("/sign-in?problem=used");

    await askForLink(user.email);
    const second = await latestLinkTo(user.email);
    await db().signInToken.updateMany({ where: { tokenHash: sha256(second.searchParams.get("token")!) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await useLink(second)).location).toBe("/sign-in?problem=expired");

    const forged = new URL(second);
    forged.searchParams.set("token", "not-a-real-token");
    expect((await useLink(forged)).location).toBe("/sign-in?problem=invalid");
    const opened = await run(() => verifyLoader({ request: get(`/sign-in/verify?token=forged`), context: context(), params: {} }));
    expect(opened.location).toBe("/sign-in?problem=invalid");
  });

  it("lets exactly one of several simultaneous uses of a link succeed", async () => {
    const user = await createUser("assessor");
    await askForLink(user.email);
    const link = await latestLinkTo(user.email);
    const results = await Promise.all(Array.from({ length: 5 }, () => useLink(link)));
    expect(results.filter((r) => r.location === "/home")).toHaveLength(1);
    expect(results.filter((r) => r.location === "/sign-in?problem=used")).toHaveLength(4);
  });

  it("rate-limits requests per address, whoever asks, with a clear message", async () => {
    const user = await createUser("fundTeam");
    expect(limitPerAddress()).toBe(5);
    for (let i = 0; i < limitPerAddress(); i++) {
      expect((await askForLink(user.email, `192.0.2.${i}`)).status).toBe(302);
    }
    const refused = await askForLink(user.email, "192.0.2.200");
    expect(refused.status).toBe(429);
    expect(refused.data.errors.email).toMatch(/too many sign-in links\. Wait \d+ minutes? and try again/);
    expect(refused.data.values.email).toBe(user.email);
  });

  it("rate-limits requests per client across addresses", async () => {
    let last = await askForLink("a0@example.test", "192.0.2.250");
    for (let i = 1; i <= 40 && last.status === 302; i++) last = await askForLink(`a${i}@example.test`, "192.0.2.250");
    expect(last.status).toBe(429);
  });

  it("shows the email address again with a message by the field when it is malformed", async () => {
    const result = await askForLink("not an email");
    expect(result.status).toBe(400);
    expect(result.data).toEqual({
      errors: { email: "Enter an email address in the correct format, like name@council.gov.uk" },
      values: { email: "not an email" },
    });
  });

  it("refuses a form without the CSRF token", async () => {
    const browser = anonymousBrowser();
    const result = await run(() => signInAction({ request: post("/sign-in", browser, { email: "x@example.test" }, false), context: context(), params: {} }));
    expect(result.status).toBe(403);
  });

  it("rotates the session at sign-in and ends it at sign-out", async () => {
    const user = await createUser("admin");
    await askForLink(user.email);
    const first = await useLink(await latestLinkTo(user.email));
    const firstCookie = first.response!.headers.get("Set-Cookie")!.split(";")[0]!;
    await askForLink(user.email);
    const link = await latestLinkTo(user.email);
    const browser = browserWithSession(firstCookie);
    const second = await run(() =>
      verifyAction({ request: post("/sign-in/verify", browser, { token: link.searchParams.get("token")!, returnTo: "" }), context: context(), params: {} }),
    );
    const secondCookie = second.response!.headers.get("Set-Cookie")!.split(";")[0]!;
    expect(secondCookie).not.toBe(firstCookie);
    // The old session no longer works.
    const old = await run(() =>
      homeLoader({ request: new Request("http://localhost:3000/home", { headers: { Cookie: firstCookie } }), context: context(), params: {} }),
    );
    expect(old.status).toBe(302);
    expect(old.location).toBe("/sign-in?returnTo=%2Fhome");

    const signedIn = browserWithSession(secondCookie);
    const out = await run(() => signOutAction({ request: post("/sign-out", signedIn), context: context(), params: {} }));
    expect(out.response!.headers.get("Set-Cookie")).toMatch(/__session=; .*Max-Age=0/);
    const after = await run(() =>
      homeLoader({ request: new Request("http://localhost:3000/home", { headers: { Cookie: secondCookie } }), context: context(), params: {} }),
    );
    expect(after.status).toBe(302);
  });
});
