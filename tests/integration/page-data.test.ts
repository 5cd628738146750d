/**
 * What leaves the server about a bid, per role. A council (its officers and certifiers, lead
 * or partner) learns the workflow's state only as the label its role may see: while the
 * fund team holds the decisions, "Decision pending", never which side of the funding line
 * the bid fell, its score, its rank or who assessed it. Every page a council can open about
 * a bid or project is loaded as the council, and its data is checked as the browser would
 * receive it (the loader's return serialised as JSON, as a `.data` response carries it) and
 * as the HTML the page renders from that data; the emails councils were sent are checked too.
 */
import { createElement, type ComponentType } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { beforeAll, describe, expect, it } from "vitest";
import { getUser } from "~/auth/session.server.ts";
import { loadBidFor, respondToInvitation } from "~/bids/bids.server.ts";
import { db } from "~/db/database.server.ts";
import { drawFundingLine, loadDecisionRound, publishDecisions } from "~/funding/decisions.server.ts";
import * as bidPage from "~/routes/bids.$id.tsx";
import * as certifyPage from "~/routes/bids.$id_.certify.tsx";
import * as checkPage from "~/routes/bids.$id_.check.tsx";
import * as confirmationPage from "~/routes/bids.$id_.confirmation.tsx";
import * as documentDownload from "~/routes/bids.$id_.documents.$documentId.tsx";
import * as evidencePage from "~/routes/bids.$id_.evidence.tsx";
import * as partnersPage from "~/routes/bids.$id_.partners.tsx";
import * as sectionPage from "~/routes/bids.$id_.sections.$section.tsx";
import * as withdrawPage from "~/routes/bids.$id_.withdraw.tsx";
import * as assessmentsPage from "~/routes/assessments._index.tsx";
import * as homePage from "~/routes/home.tsx";
import * as projectPage from "~/routes/projects.$id.tsx";
import * as projectsPage from "~/routes/projects._index.tsx";
import { storage } from "~/storage/storage.server.ts";
import { statesOf } from "../../workflows/index.ts";
import { useTestDatabase } from "../support/database.ts";
import { createModeratedRound, createPartnershipBid } from "../../bench/support/fixtures.ts";
import { context, createUser, get, run, signedInBrowser } from "../../bench/support/requests.ts";

useTestDatabase();

type Loader = (args: any) => Promise<unknown>;
type User = { id: string; name: string; email: string };

const k = (pounds: number) => pounds * 1000 * 100;
const bidStateNames = statesOf("bid");
// Keys that would carry the fund team's workings: the state itself, scores, the ranking.
const sealedKeys = ["state", "score", "scores", "moderatedScore", "rank", "aboveLine", "fundingLine", "placement", "consensus"];
// How a held decision reads to the fund team, in any case: none of it may reach a council.
const heldWords = [/recommended/i, /below the funding line/i, /above the funding line/i, /\(held\)/i, /moderated score/i];

/** Every string and key in a serialised page, with where it sits. */
function walk(value: unknown, path: string, visit: (path: string, key: string | null, text: string | null) => void) {
  if (typeof value === "string") visit(path, null, value);
  else if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${path}[${i}]`, visit));
  else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      visit(`${path}.${key}`, key, null);
      walk(item, `${path}.${key}`, visit);
    }
  }
}

/** What a council must never be sent, as a list of findings (empty when the page is clean). */
function leaks(serialised: string, forbidden: { assessors: User[]; sealedText: RegExp[] }): string[] {
  const found: string[] = [];
  walk(JSON.parse(serialised), "$", (path, key, text) => {
    if (key !== null && sealedKeys.includes(key)) found.push(`${path}: the key "${key}"`);
    if (text !== null && bidStateNames.includes(text)) found.push(`${path}: the state name "${text}"`);
  });
  for (const word of [...heldWords, ...forbidden.sealedText]) {
    if (word.test(serialised)) found.push(`the words ${word}`);
  }
  for (const assessor of forbidden.assessors) {
    if (serialised.includes(assessor.name)) found.push(`the assessor's name ${assessor.name}`);
    if (serialised.includes(assessor.email)) found.push(`the assessor's email ${assessor.email}`);
  }
  return found;
}

/** The page as the server renders it from the data the browser would receive. */
async function renderPage(Component: ComponentType, data: unknown): Promise<string> {
  const handler = createStaticHandler([{ id: "page", path: "*", loader: () => data as object, Component }]);
  const routerContext = await handler.query(new Request("http://localhost/page"));
  if (routerContext instanceof Response) throw new Error("The page did not render");
  const router = createStaticRouter(handler.dataRoutes, routerContext);
  return renderToStaticMarkup(createElement(StaticRouterProvider, { router, context: routerContext, hydrate: false }));
}

interface Page {
  name: string;
  module: { loader: Loader; default?: ComponentType };
  path: string;
  params: Record<string, string>;
}

/**
 * Loads each page as the person and returns what it sent: the data serialised (or the body
 * of a refusal or redirect), and the HTML for pages that rendered.
 */
async function load(pages: Page[], userId: string) {
  const browser = await signedInBrowser(userId);
  const out: { name: string; status: number; data: any; serialised: string; html: string | null }[] = [];
  for (const page of pages) {
    const result = await run(() => page.module.loader({ request: get(page.path, browser), context: context(), params: page.params }));
    const file = result.response?.headers.get("Content-Disposition")?.startsWith("attachment");
    const serialised = file
      ? JSON.stringify({ status: result.status })
      : JSON.stringify({ status: result.status, location: result.location, data: result.data });
    const data = result.status === 200 && !file ? JSON.parse(JSON.stringify(result.data)) : null;
    const html = data && page.module.default ? await renderPage(page.module.default, data) : null;
    out.push({ name: page.name, status: result.status, data, serialised, html });
  }
  return out;
}

function bidPages(bidId: string, documentId: string): Page[] {
  const params = { id: bidId };
  return [
    { name: "bid", module: bidPage, path: `/bids/${bidId}`, params },
    { name: "home", module: homePage, path: "/home", params: {} },
    { name: "confirmation", module: confirmationPage, path: `/bids/${bidId}/confirmation`, params },
    { name: "sections", module: sectionPage, path: `/bids/${bidId}/sections/summary`, params: { ...params, section: "summary" } },
    { name: "check", module: checkPage, path: `/bids/${bidId}/check`, params },
    { name: "partners", module: partnersPage, path: `/bids/${bidId}/partners`, params },
    { name: "evidence", module: evidencePage, path: `/bids/${bidId}/evidence`, params },
    { name: "certify", module: certifyPage, path: `/bids/${bidId}/certify`, params },
    { name: "withdraw", module: withdrawPage, path: `/bids/${bidId}/withdraw`, params },
    { name: "documents", module: documentDownload, path: `/bids/${bidId}/documents/${documentId}`, params: { ...params, documentId } },
    { name: "projects", module: projectsPage, path: "/projects", params: {} },
  ];
}

async function attachDocument(bidId: string, uploadedById: string) {
  const bytes = new TextEncoder().encode("Our letter of support.");
  const { key, sha256 } = await storage().put(bytes);
  return db().bidDocument.create({
    data: { bidId, type: "letterOfSupport", fileName: "support.txt", size: bytes.length, mimeType: "text/plain", sha256, storageKey: key, uploadedById },
  });
}

async function signedInUser(userId: string) {
  const user = await getUser(get("/home", await signedInBrowser(userId)));
  if (!user) throw new Error("Not signed in");
  return user;
}

/**
 * Budget £400k: "Above" (scores 5 and 4) asks £350k and is placed above the line, "Below"
 * (scores 3 and 2) asks £350k and falls below it. Each bid has a lead officer and certifier
 * and a partner officer and certifier; two assessors scored each.
 */
async function roundWithTwoBids() {
  const made = await createModeratedRound({
    budgetPence: k(400),
    bids: [
      {
        title: "Above: shared front door",
        amountPence: k(350),
        scores: [
          [5, 5, 5, 5],
          [4, 4, 4, 4],
        ],
      },
      {
        title: "Below: planning alerts",
        amountPence: k(350),
        scores: [
          [3, 3, 3, 3],
          [2, 2, 2, 2],
        ],
      },
    ],
  });
  const bids = [];
  for (const bid of made.bids) {
    const partnerCertifier = await createUser("certifier", bid.partnerA.id);
    const document = await attachDocument(bid.bid.id, bid.officer.id);
    const councils = { leadOfficer: bid.officer, leadCertifier: bid.certifier, partnerOfficer: bid.partnerOfficer, partnerCertifier };
    bids.push({ ...bid, document, councils });
  }
  const justifications = [/earns \d because the evidence supports it/, /out of 5/];
  return { ...made, above: bids[0]!, below: bids[1]!, justifications };
}

// One round for the two phases, in order: the line drawn and held, then the decisions published.
describe("what a council's pages carry about a bid", () => {
  let scenario: Awaited<ReturnType<typeof roundWithTwoBids>> & { councilEmails: string[]; emailsBefore: number };
  beforeAll(async () => {
    const made = await roundWithTwoBids();
    const councilEmails = [made.above, made.below].flatMap((b) => Object.values(b.councils).map((u) => u.email));
    const emailsBefore = await db().notification.count({ where: { toEmail: { in: councilEmails } } });
    const drawn = await drawFundingLine(await signedInUser(made.fundTeam.id), await loadDecisionRound(made.round.slug));
    expect(drawn.refused).toEqual([]);
    scenario = { ...made, councilEmails, emailsBefore };
  });

  it("holds the decision as 'Decision pending' on every page, with no state, score or assessor", async () => {
    const { fundTeam, assessors, above, below, justifications, councilEmails, emailsBefore } = scenario;
    expect(
      (await db().bid.findMany({ where: { id: { in: [above.bid.id, below.bid.id] } }, select: { state: true }, orderBy: { title: "asc" } })).map(
        (b) => b.state,
      ),
    ).toEqual(["recommended", "notRecommended"]);

    // Every page, as every council role, for both sides of the line.
    for (const bid of [above, below]) {
      for (const [role, user] of Object.entries(bid.councils)) {
        const pages = await load(bidPages(bid.bid.id, bid.document.id), user.id);
        for (const page of pages) {
          const sealed = { assessors, sealedText: justifications };
          expect(leaks(page.serialised, sealed), `${role}'s ${page.name} data`).toEqual([]);
          if (page.html) expect(leaks(JSON.stringify(page.html), sealed), `${role}'s ${page.name} HTML`).toEqual([]);
        }
        const byName = Object.fromEntries(pages.map((p) => [p.name, p]));
        expect(byName.bid!.status).toBe(200);
        expect(byName.bid!.data.bid.stateLabel).toBe("Decision pending");
        expect(byName.bid!.data.decision).toBeNull();
        expect(byName.bid!.html).toContain("Decision pending");
        // Officers and certifiers list their council's bids, with the label councils see.
        const listed = byName.home!.data.home.bids.find((b: { id: string }) => b.id === bid.bid.id);
        expect(listed?.stateLabel).toBe("Decision pending");
        expect(byName.confirmation!.status).toBe(200);
        expect(byName.documents!.status).toBe(200);
        if (role === "leadOfficer") {
          expect(byName.withdraw!.status).toBe(200);
          expect(byName.withdraw!.data.bid.stateLabel).toBe("Decision pending");
        }
      }
    }
    // Nothing was emailed to a council when the line was drawn.
    expect(await db().notification.count({ where: { toEmail: { in: councilEmails } } })).toBe(emailsBefore);

    // The fund team, whose role it is, still sees where the line fell.
    const staff = await load([{ name: "bid", module: bidPage, path: `/bids/${below.bid.id}`, params: { id: below.bid.id } }], fundTeam.id);
    expect(staff[0]!.data.bid).toMatchObject({ state: "notRecommended", stateLabel: "Below the funding line (held)" });
  });

  it("shows each council only its published decision, still with no state, score or assessor, in pages and emails", async () => {
    const { round, fundTeam, assessors, above, below, councilEmails } = scenario;
    await db().round.update({ where: { id: round.id }, data: { decisionMessage: "Thank you for bidding." } });
    const published = await publishDecisions(await signedInUser(fundTeam.id), await loadDecisionRound(round.slug));
    expect(published.ok).toBe(true);
    const project = await db().project.findUniqueOrThrow({ where: { bidId: above.bid.id } });

    for (const [bid, label, funded] of [
      [above, "Funded", true],
      [below, "Not funded", false],
    ] as const) {
      for (const [role, user] of Object.entries(bid.councils)) {
        const pages = await load(
          [...bidPages(bid.bid.id, bid.document.id), { name: "project", module: projectPage, path: `/projects/${project.id}`, params: { id: project.id } }],
          user.id,
        );
        for (const page of pages) {
          // The decision carries the assessors' feedback, anonymised, with their scores in words.
          const sealed = { assessors, sealedText: [] };
          expect(leaks(page.serialised, sealed), `${role}'s ${page.name} data`).toEqual([]);
          if (page.html) expect(leaks(JSON.stringify(page.html), sealed), `${role}'s ${page.name} HTML`).toEqual([]);
        }
        const byName = Object.fromEntries(pages.map((p) => [p.name, p]));
        expect(byName.bid!.data.bid.stateLabel).toBe(label);
        expect(byName.bid!.data.decision.funded).toBe(funded);
        expect(byName.bid!.data.decision.feedback.join(" ")).toMatch(/^Assessor 1 on /);
        expect(byName.bid!.html).toContain(funded ? "This bid will be funded" : "This bid has not been funded");
        expect(byName.home!.data.home.bids.find((b: { id: string }) => b.id === bid.bid.id)?.stateLabel).toBe(label);
        // The project belongs to the funded bid's councils only.
        expect(byName.project!.status).toBe(funded ? 200 : 404);
        if (funded) {
          expect(byName.project!.data.project.stateLabel).toBe("Pilot: delivering");
          expect(byName.projects!.data.projects.map((p: { id: string }) => p.id)).toEqual([project.id]);
        }
      }
    }
    // Every email a council was sent, the decisions included, names no state, score or assessor.
    const emails = await db().notification.findMany({
      where: { toEmail: { in: councilEmails } },
      select: { template: true, subject: true, text: true, html: true, data: true },
    });
    expect(emails.map((e) => e.template)).toEqual(expect.arrayContaining(["bid-decision-funded", "bid-decision-not-funded"]));
    for (const email of emails) expect(leaks(JSON.stringify(email), { assessors, sealedText: [] }), email.template).toEqual([]);
  });

  it("shows an assessor only their own assignments: no other assessor's name or scores", async () => {
    const { assessors, above } = await roundWithTwoBids();
    const [first, second] = [assessors[0]!, assessors[1]!];
    for (const [me, other] of [
      [first, second],
      [second, first],
    ] as const) {
      const pages = await load(
        [
          { name: "home", module: homePage, path: "/home", params: {} },
          { name: "assessments", module: assessmentsPage, path: "/assessments", params: {} },
        ],
        me.id,
      );
      for (const page of pages) {
        expect(page.status).toBe(200);
        expect(page.serialised).not.toContain(other.name);
        expect(page.serialised).not.toContain(other.email);
        expect(page.serialised).not.toMatch(/"(score|scores|moderatedScore)":/);
      }
      expect(pages[1]!.data.assignments.map((a: { title: string }) => a.title).sort()).toEqual([above.bid.title, "Below: planning alerts"].sort());
    }
  });
});

describe("a council that leaves a partnership", () => {
  it("can no longer open the bid or download its evidence once it declines, nor once its invitation is withdrawn", async () => {
    const { bid, officer, partnerA, partnerOfficer, partnerB, partnerBOfficer } = await createPartnershipBid();
    const document = await attachDocument(bid.id, officer.id);
    const pages = (documentId: string) => bidPages(bid.id, documentId).filter((p) => ["bid", "documents", "confirmation"].includes(p.name));

    // Invited again after accepting, then declining: invited councils may look before they answer.
    await db().bidPartner.update({ where: { bidId_organisationId: { bidId: bid.id, organisationId: partnerA.id } }, data: { status: "invited" } });
    const invited = await load(pages(document.id), partnerOfficer.id);
    expect(invited.find((p) => p.name === "bid")!.data.relation).toBe("invitedOfficer");
    expect(invited.find((p) => p.name === "bid")!.data.can.respond).toBe(true);
    expect(invited.find((p) => p.name === "documents")!.status).toBe(200);

    const user = await signedInUser(partnerOfficer.id);
    const { bid: loaded } = await loadBidFor(user, bid.id);
    expect(await respondToInvitation(user, loaded, false)).toEqual({ ok: true });
    const declined = await load([...pages(document.id), { name: "home", module: homePage, path: "/home", params: {} }], partnerOfficer.id);
    expect(declined.filter((p) => p.name !== "home").map((p) => [p.name, p.status])).toEqual([
      ["bid", 404],
      ["confirmation", 404],
      ["documents", 404],
    ]);
    expect(declined.find((p) => p.name === "home")!.data.home.bids).toEqual([]);
    // Its certifier is refused too.
    const partnerCertifier = await createUser("certifier", partnerA.id);
    expect((await load(pages(document.id), partnerCertifier.id)).map((p) => p.status)).toEqual([404, 404, 404]);

    // The lead withdraws the other partner's invitation: the row goes, and so does access.
    await db().bidPartner.delete({ where: { bidId_organisationId: { bidId: bid.id, organisationId: partnerB.id } } });
    expect((await load(pages(document.id), partnerBOfficer.id)).map((p) => p.status)).toEqual([404, 404, 404]);

    // The lead still has everything.
    expect((await load(pages(document.id), officer.id)).map((p) => [p.name, p.status])).toEqual([
      ["bid", 200],
      ["confirmation", 302],
      ["documents", 200],
    ]);
  });
});
