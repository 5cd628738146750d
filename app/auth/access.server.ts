import { noteRoute } from "~/log/context.server.ts";
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
  "routes/request-access._index": {
    public: true,
    why: "Council staff without an account ask to join their council; the answer never says whether an address has an account.",
  },
  "routes/request-access.check-email": { public: true, why: "Tells the person to check their email, in the same words whatever happened." },
  "routes/request-access.confirm": { public: true, why: "The emailed link itself proves the person holds the address." },
  "routes/access-requests._index": {
    roles: ["councilOfficer", "certifier", "fundTeam", "admin"],
    why: "Council officers see requests to join their own council; the fund team and administrators see every council's.",
  },
  "routes/access-requests.$id": {
    roles: ["councilOfficer", "certifier", "fundTeam", "admin"],
    why: "Whoever may see a request answers it, within the rules on who gives which role (checked per request).",
  },
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
  "routes/admin.register._index": {
    roles: ["fundTeam", "admin"],
    why: "The fund team keeps the register of councils current (the product brief gives it to them); administrators too.",
  },
  "routes/admin.register.$id": { roles: ["fundTeam", "admin"], why: "Whoever may import the register confirms an import." },
  "routes/notifications.templates.$name.preview": { roles: ["fundTeam"], why: "The fund team previews each email as it will be sent." },
  "routes/workflows": { roles: ["fundTeam"], why: "The fund team sees how every workflow runs, drawn from the machines." },
  "routes/notifications._index": { roles: ["fundTeam"], why: "The fund team proves what was emailed to whom, and retries failures." },
  "routes/notifications.templates": { roles: ["fundTeam"], why: "The fund team reviews every email and who gets it." },
  "routes/uploads.refused": { roles: ["fundTeam"], why: "The fund team sees every upload refused because it held a virus, and who sent it." },
  "routes/account.notifications": { roles: everyone, why: "Everyone chooses how they get emails that are not essential." },
  "routes/unsubscribe": { public: true, why: "The signed link in an email is the proof; it only changes that person's email choice." },
  "routes/rounds.$slug_.start": { roles: ["councilOfficer"], why: "Council officers start bids for their council." },
  "routes/bids.$id": {
    roles: ["councilOfficer", "certifier", "fundTeam"],
    why: "Officers and certifiers of the bid's councils, and the fund team, see a bid (checked per bid).",
  },
  "routes/bids.$id_.sections.$section": { roles: ["councilOfficer"], why: "The lead council's officers answer the sections (checked per bid)." },
  "routes/bids.$id_.partners": { roles: ["councilOfficer"], why: "The lead council's officers invite partners (checked per bid)." },
  "routes/bids.$id_.evidence": { roles: ["councilOfficer"], why: "The lead council's officers upload evidence (checked per bid)." },
  "routes/bids.$id_.documents.$documentId": {
    roles: ["councilOfficer", "certifier", "fundTeam"],
    why: "Whoever may see the bid may download its evidence (checked per bid).",
  },
  "routes/bids.$id_.check": {
    roles: ["councilOfficer"],
    why: "The lead council's officers check their answers and send the bid for sign-off (checked per bid).",
  },
  "routes/bids.$id_.certify": { roles: ["certifier"], why: "The lead council's certifier signs off or declines the bid (checked per bid)." },
  "routes/bids.$id_.confirmation": {
    roles: ["councilOfficer", "certifier", "fundTeam"],
    why: "The submission's confirmation, for whoever may see the bid (checked per bid).",
  },
  "routes/bids.$id_.withdraw": { roles: ["councilOfficer"], why: "The lead council's officers withdraw the bid (checked per bid)." },
  "routes/bids.$id_.similar.$projectId": {
    roles: ["councilOfficer"],
    why: "The officers drafting a bid ask to adopt, or write to the lead of, funded work like theirs (checked per bid).",
  },
  "routes/projects.$id_.adoptions": {
    roles: ["councilOfficer", "fundTeam"],
    why: "Councils register to adopt a product in scale; the lead council and the fund team see every adoption (checked per project).",
  },
  "routes/projects.$id_.adoptions_.$adoptionId": {
    roles: ["councilOfficer", "fundTeam"],
    why: "An adopting council's officers update their own adoption; the lead council and the fund team see it (checked per adoption).",
  },
  "routes/projects.$id_.case-study": {
    roles: ["councilOfficer", "fundTeam"],
    why: "The lead council writes the case study of a finished project and the fund team reviews it (checked per project).",
  },
  "routes/hub._index": { public: true, why: "Published case studies are shared with every council and the public." },
  "routes/hub.$slug": { public: true, why: "A published case study is public; drafts are not found." },
  "routes/hub.$slug_.documents.$documentId": {
    public: true,
    why: "Documents the project team made public download with its published case study; no other document is found.",
  },
  "routes/hub.review": { roles: ["fundTeam"], why: "The fund team reviews case studies before they are published." },
  "routes/portfolio": { roles: ["fundTeam", "gateApprover"], why: "The fund team and gate approvers track every funded project." },
  "routes/funded._index": { public: true, why: "Funded projects and their awards are published for transparency." },
  "routes/funded.$reference": { public: true, why: "Each funded project's stage, councils and awards are public." },
  "routes/open-data._index": { public: true, why: "Explains the open data about awards." },
  "routes/open-data.360giving[.]json": { public: true, why: "Every award as 360Giving open data (JSON)." },
  "routes/open-data.360giving[.]csv": { public: true, why: "Every award as 360Giving open data (CSV)." },
  "routes/projects._index": {
    roles: ["councilOfficer", "certifier", "fundTeam", "gateApprover"],
    why: "Funded projects, for their councils (checked per project), the fund team and gate approvers.",
  },
  "routes/projects.$id": {
    roles: ["councilOfficer", "certifier", "fundTeam", "gateApprover"],
    why: "A funded project, for its lead and partner councils (checked per project), the fund team and gate approvers.",
  },
  "routes/projects.$id_.documents.$documentId": {
    roles: ["councilOfficer", "certifier", "fundTeam", "gateApprover"],
    why: "Whoever may see the project may download its evidence (checked per project).",
  },
  "routes/projects.$id_.gate": {
    roles: ["councilOfficer", "certifier", "fundTeam", "gateApprover"],
    why: "Gate reviews: the lead council asks, the fund team runs them, approvers vote (each checked per project by the machine).",
  },
  "routes/projects.$id_.milestones": { roles: ["councilOfficer"], why: "The lead council's officers keep the project's milestones (checked per project)." },
  "routes/projects.$id_.metrics": { roles: ["councilOfficer"], why: "The lead council's officers record metrics and actuals (checked per project)." },
  "routes/projects.$id_.spend": { roles: ["councilOfficer"], why: "The lead council's officers report spend against the award (checked per project)." },
  "routes/projects.$id_.evidence": { roles: ["councilOfficer"], why: "The lead council's officers upload gate evidence (checked per project)." },
  "routes/projects.$id_.evaluation": { roles: ["councilOfficer"], why: "The lead council's officers write the project's evaluation (checked per project)." },
  "routes/rounds.$slug_.decisions": { roles: ["fundTeam"], why: "The fund team ranks the bids and draws the funding line." },
  "routes/rounds.$slug_.decisions_.$bidId": { roles: ["fundTeam"], why: "The fund team moves the funding line for a bid, with a reason." },
  "routes/rounds.$slug_.decisions_.publish": { roles: ["fundTeam"], why: "The fund team writes the message that goes with the decisions." },
  "routes/rounds.$slug_.decisions_.publish_.confirm": { roles: ["fundTeam"], why: "The fund team checks and publishes the round's decisions." },
  "routes/rounds.$slug_.progress": { roles: ["fundTeam"], why: "The fund team tracks the assessments of a round." },
  "routes/rounds.$slug_.export[.csv]": { roles: ["fundTeam"], why: "The fund team downloads the round's bids and scores." },
  "routes/rounds.$slug_.assessors": { roles: ["fundTeam"], why: "The fund team chooses a round's assessors and assigns them to bids." },
  "routes/bids.$id_.assignments": { roles: ["fundTeam"], why: "The fund team assigns and unassigns a bid's assessors, with reasons." },
  "routes/assessments._index": { roles: ["assessor"], why: "Assessors see the assessments assigned to them (only their own)." },
  "routes/assessments.$id": {
    roles: ["assessor", "fundTeam"],
    why: "An assessor answers their own invitation and declares interests; the fund team follows it (checked per assessment).",
  },
  "routes/assessments.$id_.score": { roles: ["assessor"], why: "Only the assessor assigned scores the bid (checked per assessment)." },
  "routes/rounds.$slug_.moderation": { roles: ["fundTeam"], why: "The fund team moderates the round's bids." },
  "routes/bids.$id_.moderation": { roles: ["fundTeam"], why: "The fund team, as moderator, records consensus scores and returns assessments." },
  "routes/rounds.new": { roles: ["fundTeam"], why: "The fund team sets up rounds as data." },
  "routes/funds._index": { roles: ["fundTeam"], why: "The fund team keeps the funds whose rules rounds start from." },
  "routes/funds.new": { roles: ["fundTeam"], why: "The fund team sets up funds as data." },
  "routes/funds.$slug": { roles: ["fundTeam"], why: "The fund team checks a fund's settings and makes rounds from it." },
  "routes/funds.$slug_.edit": { roles: ["fundTeam"], why: "The fund team changes a fund's settings; rounds already made keep theirs." },
  "routes/rounds.$slug_.edit": { roles: ["fundTeam"], why: "The fund team changes a round's settings, within what bids already in allow." },
  "routes/rounds.$slug_.preview": { roles: ["fundTeam"], why: "The fund team previews a round's page as applicants will see it." },
  "routes/rounds.$slug_.questions": {
    roles: ["fundTeam"],
    why: "The fund team sets up the questions a round's bids answer, until a bid is sent for sign-off.",
  },
  "routes/rounds.$slug_.eligibility": { roles: ["fundTeam"], why: "The fund team works through the round's eligibility checks." },
  "routes/bids.$id_.eligibility": { roles: ["fundTeam"], why: "The fund team checks a submitted bid's eligibility and decides." },
  "routes/status": { public: true, why: "Monitoring checks that the service and its database answer; it shows no data." },
  "routes/service-status": { public: true, why: "The same check for people, as a page; it shows no data." },
  "routes/projects.$id_.adoptions_.documents.$documentId": {
    roles: ["councilOfficer", "fundTeam"],
    why: "Councils that may adopt a product download its reusable documents (checked per project).",
  },
  "routes/accessibility": {
    public: true,
    why: "The accessibility statement must be open to everyone, as the public sector accessibility regulations require.",
  },
  "routes/privacy": { public: true, why: "Everyone may read what personal data the service holds and why, before they give any." },
  "routes/cookies": { public: true, why: "Everyone may read which cookies the service sets, since everyone gets one." },
  "routes/feedback": { public: true, why: "Anyone may tell the fund team what they think of the service, signed in or not." },
  "routes/feedback_.received": { roles: ["fundTeam", "admin"], why: "The fund team and administrators read the feedback people have given." },
  "routes/$": { public: true, why: "Any unknown address gets the 'page not found' page." },
} as const satisfies Record<string, Rule>;

export type RouteId = keyof typeof routeAccess;

/** Extra rules for form actions that are narrower than their page's rule. */
export const actionAccess: Partial<Record<RouteId, Rule>> = {
  "routes/organisations.$code": { roles: ["fundTeam", "admin"], why: "Only the fund team and administrators record declaration dates." },
  "routes/bids.$id": { roles: ["councilOfficer"], why: "Officers of an invited council accept or decline the invitation." },
  "routes/assessments.$id": { roles: ["assessor"], why: "Only the assessor assigned answers the invitation and declares interests." },
  "routes/projects.$id_.adoptions": { roles: ["councilOfficer"], why: "Only council officers register their council to adopt." },
  "routes/projects.$id_.adoptions_.$adoptionId": { roles: ["councilOfficer"], why: "Only the adopting council's officers update its adoption." },
};

export async function authorise(request: Request, route: RouteId, kind: "loader" | "action" = "loader"): Promise<SignedInUser | null> {
  const rule: Rule = (kind === "action" ? actionAccess[route] : undefined) ?? routeAccess[route];
  // Every route asks here first: so this names the route on the request's log line and metrics.
  noteRoute(route);
  if ("public" in rule) return getUser(request);
  return requireUser(request, rule.roles);
}

/** For routes whose rule requires a signed-in user: never null. */
export async function authoriseUser(request: Request, route: RouteId, kind: "loader" | "action" = "loader"): Promise<SignedInUser> {
  const user = await authorise(request, route, kind);
  if (!user) return requireUser(request);
  return user;
}
