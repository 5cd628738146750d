import type { Role } from "./roles.ts";
import { getUser, requireUser, type SignedInUser } from "./session.server.ts";

/**
 * Who may open each route, in one table. Every route's loader and action ask here, and
 * tests/integration/authorisation.test.ts walks every route file against this table as
 * every role: a route without a rule fails that test.
 */
export type Rule = { public: true; why: string } | { roles: readonly Role[]; why: string };

const everyone: readonly Role[] = ["councilOfficer", "certifier", "assessor", "fundTeam", "gateApprover", "admin"];

export const routeAccess = {
  "routes/_index": { public: true, why: "The start page says what the service is for." },
  "routes/sign-in._index": { public: true, why: "Anyone may ask for a sign-in link." },
  "routes/sign-in.check-email": { public: true, why: "Tells the person to check their email." },
  "routes/sign-in.verify": { public: true, why: "The emailed link itself is the proof of identity." },
  "routes/sign-out": { public: true, why: "Signing out is harmless when not signed in." },
  "routes/dev.mailbox._index": { public: true, why: "Only exists when no SMTP server is configured (a local demo)." },
  "routes/dev.mailbox.$id": { public: true, why: "Only exists when no SMTP server is configured (a local demo)." },
  "routes/rounds._index": { public: true, why: "Open funding rounds are published for every council to see." },
  "routes/rounds.$slug": { public: true, why: "A round's rules and guidance are public." },
  "routes/home": { roles: everyone, why: "Each signed-in person has a home page made for their role." },
  "routes/organisations._index": { roles: everyone, why: "Signed-in users look up councils, for example to invite partners." },
  "routes/organisations.$code": { roles: everyone, why: "Signed-in users see a council's type and declaration status." },
  "routes/admin.users._index": { roles: ["admin"], why: "Only administrators manage who has access." },
  "routes/admin.users.new": { roles: ["admin"], why: "Only administrators invite users." },
  "routes/admin.register._index": { roles: ["admin"], why: "Only administrators import the register of councils." },
  "routes/admin.register.$id": { roles: ["admin"], why: "Only administrators confirm a register import." },
  "routes/$": { public: true, why: "Any unknown address gets the 'page not found' page." },
} as const satisfies Record<string, Rule>;

export type RouteId = keyof typeof routeAccess;

/** Extra rules for form actions that are narrower than their page's rule. */
export const actionAccess: Partial<Record<RouteId, Rule>> = {
  "routes/organisations.$code": { roles: ["fundTeam", "admin"], why: "Only the fund team and administrators record declaration dates." },
};

export async function authorise(request: Request, route: RouteId, kind: "loader" | "action" = "loader"): Promise<SignedInUser | null> {
  const rule: Rule = (kind === "action" ? actionAccess[route] : undefined) ?? routeAccess[route];
  if ("public" in rule) return getUser(request);
  return requireUser(request, rule.roles);
}

/** For routes whose rule requires a signed-in user: never null. */
export async function authoriseUser(request: Request, route: RouteId, kind: "loader" | "action" = "loader"): Promise<SignedInUser> {
  const user = await authorise(request, route, kind);
  if (!user) return requireUser(request);
  return user;
}
