/**
 * The pages every public service owes its users: the accessibility statement, the privacy
 * notice, the cookies page (checked against the cookies the service really sets) and the
 * feedback form, with the list of feedback the fund team reads.
 */
import { createElement, type ComponentType } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { describe, expect, it } from "vitest";
import { ROLES, type Role } from "~/auth/roles.ts";
import { createSession } from "~/auth/session.server.ts";
import { CSRF_COOKIE, SESSION_COOKIE } from "~/security/cookie-names.ts";
import { db } from "~/db/database.server.ts";
import { DETAILS_MAX, DOING_MAX, FEEDBACK_PER_CLIENT_PER_HOUR } from "~/feedback/rules.ts";
import { feedbackFromPath } from "~/feedback/feedback.server.ts";
import { serviceCookies } from "~/legal/cookies.ts";
import * as accessibilityPage from "~/routes/accessibility.tsx";
import * as cookiesPage from "~/routes/cookies.tsx";
import * as feedbackPage from "~/routes/feedback.tsx";
import * as receivedPage from "~/routes/feedback_.received.tsx";
import * as privacyPage from "~/routes/privacy.tsx";
import { csrfCookie } from "../../server/http.ts";
import { useTestDatabase } from "../support/database.ts";
import { anonymousBrowser, context, createUser, get, post, run, signedInBrowser, type Browser } from "../../bench/support/requests.ts";

useTestDatabase();

type RouteArgs = { request: Request; context: ReturnType<typeof context>; params: Record<string, string> };
const loaderOf = (mod: { loader: unknown }) => mod.loader as (args: RouteArgs) => Promise<unknown>;
const actionOf = (mod: { action: unknown }) => mod.action as (args: RouteArgs) => Promise<unknown>;

/** The page's HTML as the server renders it from its loader's data and, after a POST, its action's. */
async function renderPage(Component: ComponentType, loaderData: unknown, actionData?: unknown): Promise<string> {
  const handler = createStaticHandler([{ id: "page", path: "*", loader: () => loaderData as object, action: () => (actionData ?? null) as object, Component }]);
  const request =
    actionData === undefined ? new Request("http://localhost/page") : new Request("http://localhost/page", { method: "POST", body: new URLSearchParams() });
  const routerContext = await handler.query(request);
  if (routerContext instanceof Response) throw new Error("The page did not render");
  const router = createStaticRouter(handler.dataRoutes, routerContext);
  return renderToStaticMarkup(createElement(StaticRouterProvider, { router, context: routerContext, hydrate: false }));
}

const sendFeedback = (browser: Browser, fields: Record<string, string>, clientIp?: string, withCsrf = true) =>
  run(() => actionOf(feedbackPage)({ request: post("/feedback", browser, fields, withCsrf), context: context(clientIp), params: {} }));

describe("the cookies page", () => {
  it("lists exactly the cookies the service sets, with the names the code uses", () => {
    expect(serviceCookies.map((c) => c.name).sort()).toEqual([SESSION_COOKIE, CSRF_COOKIE].sort());
  });

  it("gives each cookie the lifetime the service really gives it", async () => {
    // The CSRF cookie, as the server gives it to a browser that has none.
    const appended: string[] = [];
    const res = { locals: {} as Record<string, unknown>, append: (name: string, value: string) => name === "Set-Cookie" && appended.push(value) };
    csrfCookie({ secret: "a-secret-long-enough-to-sign-cookies-0123456789", https: false })({ headers: {} } as never, res as never, () => {});
    // The session cookie, as signing in sets it.
    const user = await createUser("councilOfficer");
    const session = await createSession(new Request("http://localhost:3000/sign-in/verify"), user.id);
    const sent = [...appended, session].map((header) => {
      const [pair, ...attributes] = header.split(";").map((part) => part.trim());
      const maxAge = attributes.find((a) => a.startsWith("Max-Age="));
      return {
        name: pair!.split("=")[0]!,
        maxAgeHours: maxAge ? Number(maxAge.slice("Max-Age=".length)) / 3600 : null,
        expires: attributes.some((a) => a.startsWith("Expires=")),
      };
    });
    expect(sent.map(({ name, maxAgeHours }) => ({ name, maxAgeHours })).sort((a, b) => a.name.localeCompare(b.name))).toEqual(
      serviceCookies.map(({ name, maxAgeHours }) => ({ name, maxAgeHours })).sort((a, b) => a.name.localeCompare(b.name)),
    );
    expect(sent.every((cookie) => !cookie.expires)).toBe(true);
  });

  it("shows every cookie with its purpose and expiry, and says no consent is asked because none is optional", async () => {
    const result = await run(() => loaderOf(cookiesPage)({ request: get("/cookies"), context: context(), params: {} }));
    expect(result.status).toBe(200);
    const html = await renderPage(cookiesPage.default, result.data);
    for (const cookie of serviceCookies) {
      expect(html).toContain(`<code>${cookie.name}</code>`);
      expect(html).toContain(cookie.purpose.replaceAll("'", "&#x27;"));
    }
    expect(html).toContain("When you close your browser");
    expect(html).toContain("36 hours");
    expect(html).toContain("we do not ask for your consent");
    expect(html).toContain("We do not use cookies to measure how you use Springboard (analytics)");
  });
});

describe("the accessibility statement and the privacy notice", () => {
  it("the statement follows the model statement and says how to report a problem", async () => {
    const result = await run(() => loaderOf(accessibilityPage)({ request: get("/accessibility"), context: context(), params: {} }));
    expect(result.status).toBe(200);
    const html = await renderPage(accessibilityPage.default, result.data);
    for (const heading of [
      "How accessible this service is",
      "Reporting accessibility problems with this service",
      "Enforcement procedure",
      "Compliance status",
      "Non-accessible content",
      "How we tested this service",
      "Preparation of this accessibility statement",
    ]) {
      expect(html).toContain(`>${heading}</h`);
    }
    expect(html).toContain('href="/feedback"');
    expect(html).toContain("Equality Advisory and Support Service");
    expect(html).toContain("Equality Commission for Northern Ireland");
    expect(html).toContain("partially compliant");
    expect(html).toContain("This statement was prepared on 6 December 2026.");
    // The time limit it admits to is the one the code applies.
    expect(html).toContain("your session ends 12 hours after you sign in");
  });

  it("the notice says what is held, why, for how long, the rights and who to ask", async () => {
    const result = await run(() => loaderOf(privacyPage)({ request: get("/privacy"), context: context(), params: {} }));
    expect(result.status).toBe(200);
    const html = await renderPage(privacyPage.default, result.data);
    for (const heading of ["What personal data we hold", "Why we hold it", "Who can see it", "How long we keep it", "Your rights", "Who to ask"]) {
      expect(html).toContain(`>${heading}</h2>`);
    }
    expect(html).toContain("Ministry of Housing, Communities and Local Government");
    expect(html).toContain("a sign-in link works for 15 minutes");
    expect(html).toContain("can be given back for 2 hours");
    expect(html).toContain("kept for 7 years after the fund closes");
    expect(html).toContain("https://ico.org.uk/make-a-complaint/");
  });
});

describe("giving feedback", () => {
  it("keeps the feedback, emails every member of the fund team, and thanks the person", async () => {
    const fundTeam = [await createUser("fundTeam"), await createUser("fundTeam")];
    const officer = await createUser("councilOfficer");
    const outcome = await sendFeedback(anonymousBrowser(), {
      doing: "Looking for the pilot round's guidance.",
      details: "The closing date was hard to find.\nIt should be near the top.",
      email: "Resident@Example.test",
      from: "/rounds/pilot-2026?tab=guidance",
    });
    expect(outcome).toMatchObject({ status: 302, location: "/feedback?sent=1&from=%2Frounds%2Fpilot-2026" });
    const stored = await db().feedback.findMany();
    expect(stored).toEqual([
      expect.objectContaining({
        doing: "Looking for the pilot round's guidance.",
        details: "The closing date was hard to find.\nIt should be near the top.",
        replyTo: "resident@example.test",
        userId: null,
        fromPath: "/rounds/pilot-2026",
      }),
    ]);
    const emails = await db().notification.findMany({ where: { template: "feedback-received" }, orderBy: { toEmail: "asc" } });
    expect(emails.map((e) => e.toUserId).sort()).toEqual(fundTeam.map((u) => u.id).sort());
    expect(emails.map((e) => e.toEmail).sort()).toEqual(fundTeam.map((u) => u.email).sort());
    expect(emails.some((e) => e.toUserId === officer.id)).toBe(false);
    expect(emails[0]!.text).toContain("> The closing date was hard to find.");
    expect(emails[0]!.text).toContain("They would like a reply at resident@example.test.");
    expect(emails[0]!.text).toContain("Someone who was not signed in has given feedback on Springboard, from the page /rounds/pilot-2026.");

    const thanks = await run(() => loaderOf(feedbackPage)({ request: get(outcome.location!), context: context(), params: {} }));
    const html = await renderPage(feedbackPage.default, thanks.data);
    expect(html).toContain("Thank you for your feedback");
    expect(html).toContain('href="/rounds/pilot-2026"');
  });

  it("records who gave it when they were signed in", async () => {
    const officer = await createUser("councilOfficer");
    const outcome = await sendFeedback(await signedInBrowser(officer.id), { details: "Saving a section works well." });
    expect(outcome.status).toBe(302);
    expect(await db().feedback.findFirst({ where: { userId: officer.id } })).toMatchObject({
      details: "Saving a section works well.",
      replyTo: null,
      fromPath: null,
    });
    const email = await db().notification.findFirstOrThrow({ where: { template: "feedback-received", text: { contains: "Saving a section works well." } } });
    expect(email.text).toContain(`${officer.name}, council officer at`);
  });

  it("refuses text over the limit, naming the figure, and gives back what was typed", async () => {
    const before = await db().feedback.count();
    const details = "x".repeat(DETAILS_MAX + 1);
    const doing = "y".repeat(DOING_MAX + 1);
    const outcome = await sendFeedback(anonymousBrowser(), { doing, details, email: "not an email", from: "/hub" });
    expect(outcome.status).toBe(400);
    expect(outcome.data.errors).toEqual({
      doing: "What you were doing must be 1,000 characters or fewer",
      details: "What went wrong or what could be better must be 5,000 characters or fewer",
      email: "Enter an email address in the correct format, like name@council.gov.uk",
    });
    expect(outcome.data.values).toMatchObject({ doing, details, email: "not an email", from: "/hub" });
    expect(await db().feedback.count()).toBe(before);

    // The page shown again: the error summary, each message by its field, and the text as typed.
    const page = await run(() => loaderOf(feedbackPage)({ request: get("/feedback?from=%2Fhub"), context: context(), params: {} }));
    const html = await renderPage(feedbackPage.default, page.data, outcome.data);
    expect(html).toContain("There is a problem");
    expect(html).toContain('<a href="#details">What went wrong or what could be better must be 5,000 characters or fewer</a>');
    expect(html).toContain('<p id="details-error" class="govuk-error-message">');
    expect(html).toContain(`>${details}</textarea>`);
    expect(html).toContain(`>${doing}</textarea>`);
    expect(html).toContain('value="not an email"');
  });

  it("asks for what went wrong when it is left blank", async () => {
    const outcome = await sendFeedback(anonymousBrowser(), { doing: "Signing in", details: "   " });
    expect(outcome.status).toBe(400);
    expect(outcome.data.errors).toEqual({ details: "Enter what went wrong or what could be better" });
    expect(outcome.data.values.doing).toBe("Signing in");
  });

  it("refuses a form that did not come from the service's page, keeping nothing", async () => {
    const before = await db().feedback.count();
    const emails = await db().notification.count({ where: { template: "feedback-received" } });
    const outcome = await sendFeedback(anonymousBrowser(), { details: "Forged from another site." }, undefined, false);
    expect(outcome.status).toBe(403);
    expect(outcome.data).toContain("did not come from this service's page");
    expect(await db().feedback.count()).toBe(before);
    expect(await db().notification.count({ where: { template: "feedback-received" } })).toBe(emails);
  });

  it("limits how much one connection can send in an hour, keeping what was typed", async () => {
    const clientIp = "198.51.100.23";
    for (let i = 0; i < FEEDBACK_PER_CLIENT_PER_HOUR; i++) {
      expect((await sendFeedback(anonymousBrowser(), { details: `Feedback number ${i + 1}.` }, clientIp)).status).toBe(302);
    }
    const before = await db().feedback.count();
    const refused = await sendFeedback(anonymousBrowser(), { details: "One more thing." }, clientIp);
    expect(refused.status).toBe(429);
    expect(refused.data.errors.details).toMatch(/^A lot of feedback has been sent from your connection in the last hour\. Wait \d+ minutes? and try again$/);
    expect(refused.data.values.details).toBe("One more thing.");
    expect(await db().feedback.count()).toBe(before);
    // Another connection is not held back.
    expect((await sendFeedback(anonymousBrowser(), { details: "From elsewhere." }, "198.51.100.24")).status).toBe(302);
  });

  it("keeps only a path on this service as the page it came from", () => {
    expect(feedbackFromPath("/projects/abc/gate")).toBe("/projects/abc/gate");
    expect(feedbackFromPath("/sign-in/verify?token=secret")).toBe("/sign-in/verify");
    expect(feedbackFromPath("//evil.example/x")).toBeNull();
    expect(feedbackFromPath("https://evil.example/")).toBeNull();
    expect(feedbackFromPath("/\t/evil.example")).toBeNull();
    expect(feedbackFromPath(`/${"a".repeat(400)}`)).toBeNull();
    expect(feedbackFromPath("/feedback")).toBeNull();
    expect(feedbackFromPath(undefined)).toBeNull();
  });
});

describe("the feedback the fund team reads", () => {
  const expected: Record<Role, "served" | "refused"> = {
    councilOfficer: "refused",
    certifier: "refused",
    assessor: "refused",
    fundTeam: "served",
    gateApprover: "refused",
    admin: "served",
  };

  it("is open to the fund team and administrators only", async () => {
    const seen: Record<string, string> = {};
    const anonymous = await run(() => loaderOf(receivedPage)({ request: get("/feedback/received", anonymousBrowser()), context: context(), params: {} }));
    seen.anonymous = anonymous.status === 302 && anonymous.location === "/sign-in?returnTo=%2Ffeedback%2Freceived" ? "sign-in" : String(anonymous.status);
    for (const role of ROLES) {
      const browser = await signedInBrowser((await createUser(role)).id);
      const outcome = await run(() => loaderOf(receivedPage)({ request: get("/feedback/received", browser), context: context(), params: {} }));
      seen[role] = outcome.status === 200 ? "served" : outcome.status === 403 ? "refused" : String(outcome.status);
    }
    expect(seen).toEqual({ anonymous: "sign-in", ...expected });
  });

  it("lists the newest first, with who gave it when they were signed in, as a view model", async () => {
    const officer = await createUser("councilOfficer");
    await sendFeedback(await signedInBrowser(officer.id), { details: "The newest feedback.", from: "/home" });
    const fundTeam = await signedInBrowser((await createUser("fundTeam")).id);
    const outcome = await run(() => loaderOf(receivedPage)({ request: get("/feedback/received?page=abc", fundTeam), context: context(), params: {} }));
    expect(outcome.status).toBe(200);
    const first = outcome.data.items[0];
    expect(first).toEqual({
      id: expect.any(String),
      at: expect.any(String),
      doing: "",
      details: "The newest feedback.",
      replyTo: null,
      sender: `${officer.name}, council officer at ${(await db().organisation.findUniqueOrThrow({ where: { id: officer.organisationId } })).name}`,
      fromPath: "/home",
    });
    expect(outcome.data.total).toBe(await db().feedback.count());
    expect(outcome.data.page).toBe(1);
    const html = await renderPage(receivedPage.default, JSON.parse(JSON.stringify(outcome.data)));
    expect(html).toContain("Feedback received");
    expect(html).toContain("The newest feedback.");
    expect(html).toContain("Someone who was not signed in");
    // The oldest, with its reply address, is on the last page.
    const last = await run(() =>
      loaderOf(receivedPage)({ request: get(`/feedback/received?page=${outcome.data.pages}`, fundTeam), context: context(), params: {} }),
    );
    expect(outcome.data.pages).toBeGreaterThan(1);
    expect(await renderPage(receivedPage.default, JSON.parse(JSON.stringify(last.data)))).toContain('href="mailto:resident@example.test"');
  });
});
