import { describe, expect, it } from "vitest";
import { db } from "~/db/database.server.ts";
import { londonToday } from "~/utils/dates.ts";
import { presentEvidenceKeys } from "~/projects/evidence.server.ts";
import { loader as projectLoader } from "~/routes/projects.$id.tsx";
import { action as evaluationAction, loader as evaluationLoader } from "~/routes/projects.$id_.evaluation.tsx";
import { action as gateAction, loader as gateLoader } from "~/routes/projects.$id_.gate.tsx";
import { action as metricsAction, loader as metricsLoader } from "~/routes/projects.$id_.metrics.tsx";
import { useTestDatabase } from "../support/database.ts";
import { createFundedProject } from "../../bench/support/fixtures.ts";
import { context, get, post, run, signedInBrowser } from "../../bench/support/requests.ts";

useTestDatabase();

type User = { id: string };
const call = async (
  fn: (args: never) => Promise<unknown>,
  user: User,
  request: (browser: Awaited<ReturnType<typeof signedInBrowser>>) => Request,
  id: string,
) => {
  const browser = await signedInBrowser(user.id);
  return run(() => fn({ request: request(browser), context: context(), params: { id } } as never));
};
const daysFromToday = (days: number) => new Date(Date.parse(`${londonToday()}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const dateFields = (name: string, iso: string) => {
  const [y, m, d] = iso.split("-");
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y! };
};

describe("evidence belongs to the stage it was recorded in", () => {
  it("a project moving from scan to pilot: the pilot gate shows and counts only pilot evidence", async () => {
    const f = await createFundedProject({ awardPence: 20_000_00 });
    const id = f.project.id;
    await db().project.update({ where: { id }, data: { createdAt: new Date(Date.now() - 90 * 86_400_000) } });
    const officer = f.officer;
    const send = (fn: (args: never) => Promise<unknown>, path: string, fields: Record<string, string>, user: User = officer) =>
      call(fn, user, (browser) => post(`/projects/${id}/${path}`, browser, fields), id);
    const gate = async (user: User, fields: Record<string, string>) => {
      const { version } = await db().project.findUniqueOrThrow({ where: { id }, select: { version: true } });
      return send(gateAction, "gate", { version: String(version), ...fields }, user);
    };
    const gatePage = (user: User = officer) => call(gateLoader, user, (browser) => get(`/projects/${id}/gate`, browser), id);

    // The scan stage: a metric, an actual, the written evaluation and a spend report.
    expect((await send(metricsAction, "metrics", { intent: "metric", name: "Days to assess", unit: "days", baseline: "30", target: "10" })).status).toBe(302);
    const metric = await db().metric.findFirstOrThrow({ where: { projectId: id } });
    expect(
      (await send(metricsAction, "metrics", { intent: "actual", metricId: metric.id, value: "24", ...dateFields("recordedOn", daysFromToday(-30)) })).status,
    ).toBe(302);
    expect((await send(evaluationAction, "evaluation", { intent: "save-evaluation", evaluation: "Scan: residents want a quicker form." })).status).toBe(302);
    await db().spendReport.create({
      data: { projectId: id, stage: "scan", amountPence: 10_000_00, periodEnd: new Date(`${daysFromToday(-1)}T00:00:00Z`), reportedById: officer.id },
    });

    let page = await gatePage();
    expect(page.data.stageLabel).toBe("Scan");
    expect(page.data.stageEvidence.evaluation).toBe("Scan: residents want a quicker form.");
    expect(page.data.stageEvidence.metrics).toEqual([
      {
        id: metric.id,
        name: "Days to assess (days)",
        baseline: 30,
        target: 10,
        actuals: [expect.objectContaining({ value: 24, recordedOn: daysFromToday(-30) })],
      },
    ]);
    expect(page.data.ready).toBe(true);

    // Through the scan gate: go, into the pilot stage.
    expect((await gate(officer, { intent: "request", nextTranche: "50000" })).status).toBe(302);
    expect((await gate(f.fundTeam, { intent: "open" })).status).toBe(302);
    expect((await gate(f.approver, { intent: "vote", outcome: "go", voteReason: "Clear evidence from the scan." })).status).toBe(302);
    expect((await db().project.findUniqueOrThrow({ where: { id }, select: { state: true } })).state).toBe("pilot_delivering");

    // The pilot gate: nothing from the scan stage is shown or counted.
    page = await gatePage();
    expect(page.data.stageLabel).toBe("Pilot");
    expect(page.data.stageEvidence.evaluation).toBe("");
    expect(page.data.stageEvidence.metrics).toEqual([{ id: metric.id, name: "Days to assess (days)", baseline: 30, target: 10, actuals: [] }]);
    expect(page.data.checklist.map((c: { key: string; present: boolean }) => [c.key, c.present])).toEqual([
      ["evaluationSummary", false],
      ["spendToDate", false],
    ]);
    expect(await presentEvidenceKeys(id, "pilot")).toEqual([]);
    expect(await presentEvidenceKeys(id, "scan")).toEqual(["evaluationSummary", "metricsAgainstBaseline", "spendToDate"]);
    const early = await gate(officer, { intent: "request", nextTranche: "20000" });
    expect(early.status).toBe(400);
    expect(early.data.errors.nextTranche).toMatch(
      /^A gate review cannot be requested until this evidence is attached: Evaluation summary; Spend to date\. \(Tier 1 /,
    );
    // At tier 2 the metrics are needed too: the scan stage's actuals do not count for the pilot gate.
    const larger = await gate(officer, { intent: "request", nextTranche: "100000" });
    expect(larger.data.errors.nextTranche).toMatch(
      /attached: Evaluation summary; Spend to date; Metrics against baseline and target; Data protection impact assessment\. \(Tier 2 /,
    );

    // The team's pages start the pilot stage's records afresh.
    const evaluationForm = await call(evaluationLoader, officer, (browser) => get(`/projects/${id}/evaluation`, browser), id);
    expect(evaluationForm.data).toMatchObject({ stageLabel: "Pilot", evaluation: "" });
    const metricsForm = await call(metricsLoader, officer, (browser) => get(`/projects/${id}/metrics`, browser), id);
    expect(metricsForm.data.stageLabel).toBe("Pilot");
    expect(metricsForm.data.metrics[0].latest).toBeNull();

    // Pilot evidence, recorded: the pilot gate shows it, and only it.
    expect(
      (await send(metricsAction, "metrics", { intent: "actual", metricId: metric.id, value: "15", ...dateFields("recordedOn", daysFromToday(-2)) })).status,
    ).toBe(302);
    expect((await send(evaluationAction, "evaluation", { intent: "save-evaluation", evaluation: "Pilot: assessments are 40% quicker." })).status).toBe(302);
    page = await gatePage(f.approver);
    expect(page.data.stageEvidence.evaluation).toBe("Pilot: assessments are 40% quicker.");
    expect(page.data.stageEvidence.metrics[0].actuals.map((a: { value: number }) => a.value)).toEqual([15]);
    expect(page.data.checklist.map((c: { key: string; present: boolean }) => [c.key, c.present])).toEqual([
      ["evaluationSummary", true],
      ["spendToDate", false],
    ]);
    expect(await db().metricActual.findMany({ where: { metricId: metric.id }, select: { value: true, stage: true }, orderBy: { value: "desc" } })).toEqual([
      { value: 24, stage: "scan" },
      { value: 15, stage: "pilot" },
    ]);

    // The scan stage's evaluation is as its gate saw it.
    expect(await db().projectEvaluation.findMany({ where: { projectId: id }, select: { stage: true, text: true }, orderBy: { stage: "asc" } })).toEqual([
      { stage: "scan", text: "Scan: residents want a quicker form." },
      { stage: "pilot", text: "Pilot: assessments are 40% quicker." },
    ]);

    // The project page groups the evidence by stage, newest first, for everyone who may see it.
    for (const user of [officer, f.partnerOfficer, f.fundTeam]) {
      const project = await call(projectLoader, user, (browser) => get(`/projects/${id}`, browser), id);
      expect(project.status).toBe(200);
      expect(
        project.data.stages.map(
          (s: { stageLabel: string; current: boolean; evaluation: string; actuals: { value: number; metric: string }[]; spendReports: number }) => [
            s.stageLabel,
            s.current,
            s.evaluation,
            s.actuals.map((a) => `${a.metric}: ${a.value}`),
            s.spendReports,
          ],
        ),
      ).toEqual([
        ["Pilot", true, "Pilot: assessments are 40% quicker.", ["Days to assess (days): 15"], 0],
        ["Scan", false, "Scan: residents want a quicker form.", ["Days to assess (days): 24"], 1],
      ]);
    }
  });
});
