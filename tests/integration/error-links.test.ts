/**
 * A refused form, rendered as the browser gets it: every link in the error summary must go
 * to a control the person can act on (a box, a select, a radio, or, for a refusal of the
 * whole form, its button), never to a heading, a paragraph or a wrapper. Each page is loaded
 * and its form sent through the route's real loader and action, then rendered from their
 * answers the way the server renders a form posted without JavaScript.
 */
import { createElement, type ComponentType } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { describe, expect, it } from "vitest";
import { db } from "~/db/database.server.ts";
import { londonToday } from "~/utils/dates.ts";
import { applyWorkflowEvent } from "~/engine/apply-event.server.ts";
import * as gatePage from "~/routes/projects.$id_.gate.tsx";
import * as milestonesPage from "~/routes/projects.$id_.milestones.tsx";
import * as newRoundPage from "~/routes/rounds.new.tsx";
import * as newFundPage from "~/routes/funds.new.tsx";
import { useTestDatabase } from "../support/database.ts";
import { defaultFundRules, gateReadiness, governanceTier } from "../../workflows/index.ts";
import { actor, createFundedProject, createRound } from "../../bench/support/fixtures.ts";
import { decideGate } from "../support/project-journeys.ts";
import { context, createUser, get, post, run, signedInBrowser } from "../../bench/support/requests.ts";

useTestDatabase();

type Page = { loader: (args: never) => Promise<unknown>; action: (args: never) => Promise<unknown>; default: ComponentType };

/** Sends `fields` to the page's action as `userId`, and renders the page with its answer. */
async function refused(page: Page, path: string, params: Record<string, string>, userId: string, fields: Record<string, string>) {
  const browser = await signedInBrowser(userId);
  const answer = await run(() => page.action({ request: post(path, browser, fields), context: context(), params } as never));
  expect(answer.status, `${path} refuses ${JSON.stringify(fields)}: ${JSON.stringify(answer.data)}`).toBeGreaterThanOrEqual(400);
  const loaded = await run(() => page.loader({ request: get(path, browser), context: context(), params } as never));
  expect(loaded.status, path).toBe(200);
  // Serialised as the browser receives them, then rendered as the answer to a POST.
  const [loaderData, actionData] = JSON.parse(JSON.stringify([loaded.data, answer.data]));
  const handler = createStaticHandler([{ id: "page", path: "*", loader: () => loaderData, action: () => actionData, Component: page.default }]);
  const routerContext = await handler.query(new Request(`http://localhost${path}`, { method: "POST", body: new URLSearchParams() }));
  if (routerContext instanceof Response) throw new Error(`${path} did not render`);
  const router = createStaticRouter(handler.dataRoutes, routerContext);
  return { html: renderToStaticMarkup(createElement(StaticRouterProvider, { router, context: routerContext, hydrate: false })), errors: actionData.errors };
}

/** Where each error-summary link goes: its target's id and the element there (null when nothing has that id). */
function linkTargets(html: string) {
  const summary = html.match(/<ul class="govuk-list govuk-error-summary__list">([\s\S]*?)<\/ul>/)?.[1] ?? "";
  return [...summary.matchAll(/<a href="#([^"]+)">/g)].map(([, id]) => {
    const tag = html.match(new RegExp(`<([a-z]+)\\b[^>]*\\sid="${id!.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"[^>]*>`))?.[0] ?? null;
    return { id: id!, element: tag ? tag.match(/^<([a-z]+)/)![1]! : null, tag };
  });
}

function expectLinksLandOnControls(html: string, controls = ["input", "select", "textarea"]) {
  const targets = linkTargets(html);
  expect(targets.length, "the error summary has links").toBeGreaterThan(0);
  for (const target of targets) {
    expect(target.element, `#${target.id} lands on ${target.tag ?? "nothing"}`).toBeOneOf(controls);
    if (target.element === "input") expect(target.tag, `#${target.id} is not a hidden input`).not.toMatch(/type="hidden"/);
  }
  return targets;
}

describe("error summary links land on their fields", () => {
  it("a round's criteria and scale, refused as groups, link to the group's first box", async () => {
    const fundTeam = await createUser("fundTeam");
    const { fundId } = await createRound();
    const { html, errors } = await refused(newRoundPage as unknown as Page, "/rounds/new", {}, fundTeam.id, { intent: "save", fund: fundId });
    expect(errors.criteria).toBe("Add at least one criterion");
    expect(errors.scale).toBe("Label at least two scores: the lowest and the highest");
    const targets = expectLinksLandOnControls(html);
    expect(targets).toContainEqual(expect.objectContaining({ id: "criterion-0-label", element: "input" }));
    expect(targets).toContainEqual(expect.objectContaining({ id: "scale-0-score", element: "input" }));
    // A date links to its first box, a radio group to its first radio.
    expect(targets).toContainEqual(expect.objectContaining({ id: "opensAt", element: "input" }));
    expect(linkTargets(html).find((t) => t.id === "stage")?.tag).toMatch(/type="radio"/);
  });

  it("a fund's refusals link to their boxes: the tiers, as a group, to the first tier's first box", async () => {
    const fundTeam = await createUser("fundTeam");
    const { html, errors } = await refused(newFundPage as unknown as Page, "/funds/new", {}, fundTeam.id, { "cap-scan": "lots" });
    expect(errors.tiers).toBe("Add at least one governance tier");
    const targets = expectLinksLandOnControls(html);
    expect(targets).toContainEqual(expect.objectContaining({ id: "tier-0-upTo", element: "input" }));
    expect(targets).toContainEqual(expect.objectContaining({ id: "cap-scan", element: "input" }));
    expect(linkTargets(html).find((t) => t.id === "leadKinds")?.tag).toMatch(/type="checkbox"/);
    expect(linkTargets(html).find((t) => t.id === "declarationRequired")?.tag).toMatch(/type="radio"/);
  });

  it("a milestone's refused status links to the select in its own row", async () => {
    const f = await createFundedProject();
    const milestone = await db().milestone.create({
      data: { projectId: f.project.id, stage: "scan", title: "User research", dueOn: new Date(`${londonToday()}T00:00:00Z`) },
    });
    const path = `/projects/${f.project.id}/milestones`;
    const { html } = await refused(milestonesPage as unknown as Page, path, { id: f.project.id }, f.officer.id, {
      intent: "status",
      milestoneId: milestone.id,
      status: "abandoned",
    });
    expect(expectLinksLandOnControls(html)).toEqual([expect.objectContaining({ id: `status-${milestone.id}`, element: "select" })]);
    expect(html).toContain(`id="status-${milestone.id}-error"`);
  });

  it("a gate vote links to the decision's first radio and to the first box of a wrong date", async () => {
    const f = await createFundedProject();
    const version = async () => String((await db().project.findUniqueOrThrow({ where: { id: f.project.id }, select: { version: true } })).version);
    const path = `/projects/${f.project.id}/gate`;
    // Asked for and opened through the engine, the review waits for the approver's vote.
    await decideGateUpToVote(f);
    const empty = await refused(gatePage as unknown as Page, path, { id: f.project.id }, f.approver.id, { intent: "vote", version: await version() });
    const targets = expectLinksLandOnControls(empty.html);
    expect(targets[0]).toMatchObject({ id: "outcome", element: "input" });
    expect(targets[0]!.tag).toMatch(/type="radio"/);
    const dated = await refused(gatePage as unknown as Page, path, { id: f.project.id }, f.approver.id, {
      intent: "vote",
      version: await version(),
      outcome: "conditionalGo",
      voteReason: "Go on, once the question flow is tested.",
      "condition-1-text": "Test the question flow",
      "condition-1-due-day": "40",
    });
    expect(expectLinksLandOnControls(dated.html)).toEqual([expect.objectContaining({ id: "condition-1-due-day", element: "input" })]);
  });

  it("refusals of a whole gate form link to its button: the last gate's request, and a condition marked met over a change", async () => {
    const last = await createFundedProject({ stage: "scale" });
    const lastPath = `/projects/${last.project.id}/gate`;
    const request = await refused(gatePage as unknown as Page, lastPath, { id: last.project.id }, last.officer.id, {
      intent: "request",
      version: String(last.project.version),
    });
    expect(request.errors.request).toMatch(/^A gate review cannot be requested until this evidence is attached/);
    expect(expectLinksLandOnControls(request.html, ["button"])).toEqual([expect.objectContaining({ id: "request", element: "button" })]);
    expect(request.html).toMatch(/<button[^>]*id="request"[^>]*aria-describedby="request-error"/);

    const conditional = await createFundedProject();
    const [y, m, d] = londonToday().split("-");
    await decideGate(conditional, "scan", "conditionalGo", [{ text: "Publish the DPIA", dueDate: `${Number(y) + 1}-${m}-${d}` }]);
    const path = `/projects/${conditional.project.id}/gate`;
    const shown = await run(async () =>
      gatePage.loader({
        request: get(path, await signedInBrowser(conditional.fundTeam.id)),
        context: context(),
        params: { id: conditional.project.id },
      } as never),
    );
    const condition = shown.data.gate.conditions[0] as { id: string };
    // The version the page showed is out of date: the refusal is about the form, and lands on the button pressed.
    const met = await refused(gatePage as unknown as Page, path, { id: conditional.project.id }, conditional.fundTeam.id, {
      intent: "conditionMet",
      version: "0",
      conditionId: condition.id,
    });
    expect(met.errors.conditions).toBeTruthy();
    expect(expectLinksLandOnControls(met.html, ["button"])).toEqual([expect.objectContaining({ id: "conditions", element: "button" })]);
    expect(met.html).toMatch(/<button[^>]*id="conditions"[^>]*aria-describedby="conditions-error"[^>]*>\s*Mark as met/);
  });
});

/** The review asked for with its evidence and opened, so a gate approver can vote. */
async function decideGateUpToVote(f: Awaited<ReturnType<typeof createFundedProject>>) {
  const cumulativeFundingPence = f.awardPence + 10_000_00;
  const evidenceKeys = gateReadiness(governanceTier(cumulativeFundingPence, defaultFundRules).tier, "scan", [], defaultFundRules).required.map((r) => r.key);
  const at = new Date().toISOString();
  for (const event of [
    { type: "REQUEST_GATE_REVIEW", actor: actor(f.officer), at, facts: { rules: defaultFundRules, cumulativeFundingPence, evidenceKeys } },
    { type: "OPEN_REVIEW", actor: actor(f.fundTeam), at },
  ]) {
    const result = await applyWorkflowEvent("project", f.project.id, event as never, { actorName: "Test" });
    expect(result.ok, JSON.stringify(result)).toBe(true);
  }
}
