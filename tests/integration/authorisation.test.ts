import { describe, expect, it } from "vitest";
import { actionAccess, routeAccess, type Rule } from "~/auth/access.server.ts";
import { navigationFor, ROLES, type Role } from "~/auth/roles.ts";
import { useTestDatabase } from "../support/database.ts";
import { anonymousBrowser, context, createUser, get, post, run, signedInBrowser, type Browser } from "../../bench/support/requests.ts";

// Every route file, found on disk: a new route without a rule in app/auth/access.server.ts
// fails the first test below.
const modules = import.meta.glob<Record<string, unknown>>("../../app/routes/*.tsx");
const routes = Object.keys(modules).map((file) => ({
  file,
  id: `routes/${file
    .split("/")
    .pop()!
    .replace(/\.tsx$/, "")}`,
}));

useTestDatabase({ referenceData: true });

const isAllowed = (rule: Rule, role: Role | null) => "public" in rule || (role !== null && rule.roles.includes(role));

/** A URL for the route with placeholder parameters; unknown records give 404, which is fine. */
function pathFor(id: string) {
  const segments = id
    .replace(/^routes\//, "")
    .split(".")
    .filter((s) => s !== "_index")
    .map((s) => (s === "$" ? "anything" : s.startsWith("$") ? "placeholder" : s.replace(/^_/, "")));
  return `/${segments.join("/")}`;
}

const params = new Proxy({}, { get: (_t, key) => (typeof key === "string" ? "placeholder" : undefined) }) as Record<string, string>;

async function browsers(): Promise<Record<string, { role: Role | null; browser: Browser }>> {
  const result: Record<string, { role: Role | null; browser: Browser }> = { anonymous: { role: null, browser: anonymousBrowser() } };
  for (const role of ROLES) {
    const user = await createUser(role);
    result[role] = { role, browser: await signedInBrowser(user.id) };
  }
  return result;
}

function verdict(outcome: { status: number; location: string | null }): "refused" | "sign-in" | "served" {
  if (outcome.status === 403) return "refused";
  if (outcome.status >= 300 && outcome.status < 400 && outcome.location?.startsWith("/sign-in?returnTo=")) return "sign-in";
  return "served";
}

describe("the authorisation matrix", () => {
  it("has a rule for every route file, and every rule names a route file", () => {
    const ids = routes.map((r) => r.id).sort();
    expect(ids.filter((id) => !(id in routeAccess))).toEqual([]);
    expect(Object.keys(routeAccess).filter((id) => !ids.includes(id))).toEqual([]);
    for (const rule of Object.values(routeAccess) as Rule[]) expect(rule.why.length).toBeGreaterThan(10);
  });

  it("links each role's navigation only to pages the table lets that role open", () => {
    // A route file's address, for routes without parameters: "routes/admin.register._index" -> "/admin/register".
    const addressOf = (id: string) =>
      "/" +
      id
        .replace(/^routes\//, "")
        .replace(/\.?_index$/, "")
        .replace(/_(?=\.|$)/g, "")
        .split(".")
        .join("/");
    const rules = Object.entries(routeAccess as Record<string, Rule>);
    for (const role of [...ROLES, null]) {
      for (const item of navigationFor(role)) {
        const found = rules.find(([id]) => addressOf(id) === item.href);
        expect(found, `${role ?? "visitor"}: ${item.href} is no route`).toBeDefined();
        const rule = found![1];
        expect("public" in rule || (role !== null && rule.roles.includes(role)), `${role ?? "visitor"} may not open ${item.href}`).toBe(true);
      }
    }
  });

  it("serves or refuses every page exactly as the table says, for every role and for visitors", async () => {
    const people = await browsers();
    const mismatches: string[] = [];
    for (const route of routes) {
      const mod = await modules[route.file]!();
      if (typeof mod.loader !== "function") continue;
      const rule = routeAccess[route.id as keyof typeof routeAccess] as Rule;
      for (const [who, { role, browser }] of Object.entries(people)) {
        const outcome = await run(() =>
          (mod.loader as (args: unknown) => Promise<unknown>)({ request: get(pathFor(route.id), browser), context: context(), params }),
        );
        const seen = verdict(outcome);
        const expected = isAllowed(rule, role) ? "served" : role === null ? "sign-in" : "refused";
        // A public page may send a signed-in person elsewhere (the sign-in page sends them home).
        if (seen !== expected && !(expected === "served" && outcome.status >= 300 && outcome.status < 400)) {
          mismatches.push(`${route.id} as ${who}: expected ${expected}, got ${outcome.status} ${outcome.location ?? ""}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("accepts or refuses every form action exactly as the table says", async () => {
    const people = await browsers();
    const mismatches: string[] = [];
    for (const route of routes) {
      const mod = await modules[route.file]!();
      if (typeof mod.action !== "function") continue;
      const id = route.id as keyof typeof routeAccess;
      const rule = (actionAccess[id] ?? routeAccess[id]) as Rule;
      for (const [who, { role, browser }] of Object.entries(people)) {
        const outcome = await run(() =>
          (mod.action as (args: unknown) => Promise<unknown>)({ request: post(pathFor(route.id), browser, {}), context: context(), params }),
        );
        const seen = verdict(outcome);
        const expected = isAllowed(rule, role) ? "served" : role === null ? "sign-in" : "refused";
        if (seen !== expected && !(expected === "served" && outcome.status >= 300 && outcome.status < 400)) {
          mismatches.push(`${route.id} action as ${who}: expected ${expected}, got ${outcome.status} ${outcome.location ?? ""}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("refuses every form action without the CSRF token, whoever sends it", async () => {
    const admin = await signedInBrowser((await createUser("admin")).id);
    const fundTeam = await signedInBrowser((await createUser("fundTeam")).id);
    const unprotected: string[] = [];
    for (const route of routes) {
      const mod = await modules[route.file]!();
      if (typeof mod.action !== "function") continue;
      for (const browser of [anonymousBrowser(), admin, fundTeam]) {
        const outcome = await run(() =>
          (mod.action as (args: unknown) => Promise<unknown>)({ request: post(pathFor(route.id), browser, {}, false), context: context(), params }),
        );
        // Refused for CSRF (403), or refused before that for who they are (403 / sign in).
        if (!(outcome.status === 403 || verdict(outcome) === "sign-in")) unprotected.push(`${route.id}: ${outcome.status}`);
      }
    }
    expect(unprotected).toEqual([]);
  });
});
