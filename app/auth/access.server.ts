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
  "routes/notifications.templates.$name.preview": { roles: ["fundTeam"], why: "The fund team previews each email as it will be sent." },
  "routes/workflows": { roles: ["fundTeam"], why: "The fund team sees how every workflow runs, drawn from the machines." },
  "routes/notifications._index": { roles: ["fundTeam"], why: "The fund team proves what was emailed to whom, and retries failures." },
  "routes/notifications.templates": { roles: ["fundTeam"], why: "The fund team reviews every email and who gets it." },
  "routes/account.notifications": { roles: everyone, why: "Everyone chooses how they get emails that are not essential." },
  "routes/unsubscribe": { public: true, why: "The signed link in an email is the proof; it only changes that person's email choice." },
  "routes/rounds.$slug_.start": { roles: ["councilOfficer"], why: "Council officers start bids for their council." },
  "routes/bids.$id": { roles: ["councilOfficer", "certifier", "fundTeam"], why: "Officers and certifiers of the bid's councils, and the fund team, see a bid (checked per bid)." },
  "routes/bids.$id_.sections.$section": { roles: ["councilOfficer"], why: "The lead council's officers answer the sections (checked per bid)." },
  "routes/bids.$id_.partners": { roles: ["councilOfficer"], why: "The lead council's officers invite partners (checked per bid)." },
  "routes/bids.$id_.evidence": { roles: ["councilOfficer"], why: "The lead council's officers upload evidence (checked per bid)." },
  "routes/bids.$id_.documents.$documentId": { roles: ["councilOfficer", "certifier", "fundTeam"], why: "Whoever may see the bid may download its evidence (checked per bid)." },
  "routes/bids.$id_.check": { roles: ["councilOfficer"], why: "The lead council's officers check their answers and send the bid for sign-off (checked per bid)." },
  "routes/bids.$id_.certify": { roles: ["certifier"], why: "The lead council's certifier signs off or declines the bid (checked per bid)." },
  "routes/bids.$id_.confirmation": { roles: ["councilOfficer", "certifier", "fundTeam"], why: "The submission's confirmation, for whoever may see the bid (checked per bid)." },
  "routes/bids.$id_.withdraw": { roles: ["councilOfficer"], why: "The lead council's officers withdraw the bid (checked per bid)." },
  "routes/status": { public: true, why: "Monitoring checks that the service and its database answer; it shows no data." },
  "routes/$": { public: true, why: "Any unknown address gets the 'page not found' page." },
} as const satisfies Record<string, Rule>;

export type RouteId = keyof typeof routeAccess;

/** Extra rules for form actions that are narrower than their page's rule. */
export const actionAccess: Partial<Record<RouteId, Rule>> = {
  "routes/organisations.$code": { roles: ["fundTeam", "admin"], why: "Only the fund team and administrators record declaration dates." },
  "routes/bids.$id": { roles: ["councilOfficer"], why: "Officers of an invited council accept or decline the invitation." },
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
