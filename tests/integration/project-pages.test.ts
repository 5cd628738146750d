import { createElement, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { db } from "~/db/database.server.ts";
import { MAX_FORM_ROWS } from "~/forms/limits.ts";
import { londonToday } from "~/utils/dates.ts";
import { applyWorkflowEvent } from "~/engine/apply-event.server.ts";
import { defaultFundRules } from "../../workflows/index.ts";
import { useTestDatabase } from "../support/database.ts";
import { actor, createFundedProject } from "../../bench/support/fixtures.ts";
import { context, get, post, run, signedInBrowser } from "../../bench/support/requests.ts";

// The pages rendered on the server as a browser without JavaScript gets them, with the
// loader's real data: every page renders, has one h1, and every field has a label.
const state = vi.hoisted(() => ({ loaderData: undefined as unknown, actionData: undefined as unknown }));
vi.mock("@remix-run/react", () => ({
  useLoaderData: () => state.loaderData,
  useActionData: () => state.actionData,
  useRouteLoaderData: () => ({ csrfToken: "token" }),
  Form: ({ children, encType, method, ...rest }: { children: ReactNode; encType?: string; method?: string }) =>
    createElement("form", { method, encType, ...rest }, children),
}));

useTestDatabase();

async function render(
  module: { loader: (args: never) => Promise<unknown>; default: () => ReactNode },
  path: string,
  user: { id: string },
  params: Record<string, string>,
  actionData?: unknown,
) {
  const browser = await signedInBrowser(user.id);
  const loaded = await run(() => module.loader({ request: get(path, browser), context: context(), params } as never));
  expect(loaded.status, path).toBe(200);
  state.loaderData = loaded.data;
  state.actionData = actionData;
  return renderToStaticMarkup(createElement(module.default));
}

function accessible(html: string) {
  expect(html.match(/<h1[ >]/g)).toHaveLength(1);
  const ids = [...html.matchAll(/<(?:input|select|textarea)[^>]*\bid="([^"]+)"[^>]*>/g)].filter((m) => !/type="hidden"/.test(m[0])).map((m) => m[1]!);
  for (const id of ids) expect(html, `a label for ${id}`).toContain(`for="${id}"`);
  expect(html.match(/<table/g)?.length ?? 0).toBe(html.match(/<caption/g)?.length ?? 0);
}

describe("project pages render without JavaScript", () => {
  it("renders the project page and every page the team uses", async () => {
    const f = await createFundedProject({ awardPence: 150_000_00 });
    const id = f.project.id;
    await db().metric.create({
      data: {
        projectId: id,
        name: "Days to assess",
        unit: "days",
        baseline: 30,
        target: 10,
        actuals: { create: [{ stage: "scan", value: 20, recordedOn: new Date(`${londonToday()}T00:00:00Z`) }] },
      },
    });
    await db().milestone.create({ data: { projectId: id, stage: "scan", title: "User research", dueOn: new Date("2020-01-01T00:00:00Z") } });
    await db().spendReport.create({
      data: { projectId: id, stage: "scan", amountPence: 5_000_00, periodEnd: new Date(`${londonToday()}T00:00:00Z`), reportedById: f.officer.id },
    });

    const projectPage = await render(await import("~/routes/projects.$id.tsx"), `/projects/${id}`, f.officer, { id });
    accessible(projectPage);
    expect(projectPage).toContain("Tier 2 because cumulative funding of £150,000 is above £100,000 and up to £500,000.");
    expect(projectPage).toContain('role="img"');
    expect(projectPage).toContain("Not started: overdue");
    for (const sub of ["milestones", "metrics", "spend", "evidence", "evaluation"]) {
      expect(projectPage).toContain(`href="/projects/${id}/${sub}"`);
      const html = await render(await import(`~/routes/projects.$id_.${sub}.tsx`), `/projects/${id}/${sub}`, f.officer, { id });
      accessible(html);
    }
    accessible(await render(await import("~/routes/projects._index.tsx"), "/projects", f.officer, {}));
  });

  it("renders the gate page for the team, the fund team and a voting approver", async () => {
    const f = await createFundedProject({ awardPence: 20_000_00 });
    const id = f.project.id;
    const gate = await import("~/routes/projects.$id_.gate.tsx");
    const team = await render(gate, `/projects/${id}/gate`, f.officer, { id });
    accessible(team);
    expect(team).toContain("Ask for a gate review");
    expect(team).toContain('name="nextTranche"');

    const at = () => new Date().toISOString();
    const facts = { rules: defaultFundRules, cumulativeFundingPence: 30_000_00, evidenceKeys: ["evaluationSummary", "spendToDate"] };
    expect((await applyWorkflowEvent("project", id, { type: "REQUEST_GATE_REVIEW", actor: actor(f.officer), at: at(), facts })).ok).toBe(true);
    const fundTeam = await render(gate, `/projects/${id}/gate`, f.fundTeam, { id });
    accessible(fundTeam);
    expect(fundTeam).toContain("Open the review");
    expect(fundTeam).toContain("Return the request");

    expect((await applyWorkflowEvent("project", id, { type: "OPEN_REVIEW", actor: actor(f.fundTeam), at: at() })).ok).toBe(true);
    const approver = await render(
      gate,
      `/projects/${id}/gate`,
      f.approver,
      { id },
      { form: "vote", errors: { voteReason: "Enter the reason for your decision" }, values: { outcome: "hold" } },
    );
    accessible(approver);
    expect(approver).toContain("Record your vote");
    expect(approver).toContain('name="condition-3-due-year"');
    expect(approver).toMatch(/<input[^>]*value="hold"[^>]*checked=""|<input[^>]*checked=""[^>]*value="hold"/);
    expect(approver).toContain("Enter the reason for your decision");
  });

  it("sizes nothing from the names sent: rows come from the project's metrics, and a huge metric-N name is refused", async () => {
    const f = await createFundedProject();
    const id = f.project.id;
    await db().metric.create({ data: { projectId: id, name: "Days to assess", unit: "days", baseline: 30, target: 10 } });
    const browser = await signedInBrowser(f.officer.id);
    const metrics = await import("~/routes/projects.$id_.metrics.tsx");
    const evaluation = await import("~/routes/projects.$id_.evaluation.tsx");
    const send = (module: { action: (args: never) => Promise<unknown> }, path: string, fields: Record<string, string>) =>
      run(() => module.action({ request: post(path, browser, fields), context: context(), params: { id } } as never));

    // A row number beyond any form's rows is refused before anything reads the form.
    for (const [module, path] of [
      [metrics, `/projects/${id}/metrics`],
      [evaluation, `/projects/${id}/evaluation`],
    ] as const) {
      const huge = await send(module, path, { intent: "metric", evaluation: "x", "metric-99999999-name": "x", "metric-99999999-target": "1" });
      expect(huge.status, path).toBe(400);
      expect(huge.data).toBe("The form sent a field this service does not have. Go back, refresh the page and try again.");
    }
    // Within the bound, such names are only typed values: the refused page's table has the project's one metric.
    const last = MAX_FORM_ROWS - 1;
    const refused = await send(metrics, `/projects/${id}/metrics`, { intent: "metric", name: "", baseline: "1", target: "2", [`metric-${last}-name`]: "x" });
    expect(refused.status).toBe(400);
    expect(refused.data.errors).toEqual({ name: "Enter the name of the metric" });
    const html = await render(metrics, `/projects/${id}/metrics`, f.officer, { id }, refused.data);
    accessible(html);
    expect(html.match(/<tr[ >]/g)).toHaveLength(2);
    expect(html).not.toContain(`metric-${last}`);
  });
});
