import { db } from "~/db/database.server.ts";
import { isoDay } from "~/utils/dates.ts";
import { stages, type FundRules, type Stage } from "../../workflows/rules.ts";

/**
 * Which of the fund's evidence items a project has for a stage, derived from what the team
 * recorded in that stage rather than ticked by hand, so the readiness checklist and the gate
 * request cannot disagree with the project page, and a gate never counts what was recorded
 * for an earlier one:
 * - any evidence key: a document of that type uploaded in this stage;
 * - spendToDate: also a spend report made in this stage;
 * - metricsAgainstBaseline: also an actual recorded in this stage against any metric;
 * - evaluationSummary: also this stage's written evaluation, when it is not blank.
 */
export async function presentEvidenceKeys(projectId: string, stage: Stage): Promise<string[]> {
  const [documents, spend, measured, evaluation] = await Promise.all([
    db().projectDocument.findMany({ where: { projectId, stage }, select: { type: true }, distinct: ["type"] }),
    db().spendReport.count({ where: { projectId, stage } }),
    db().metricActual.count({ where: { stage, metric: { projectId } } }),
    evaluationOf(projectId, stage),
  ]);
  const keys = new Set(documents.map((d) => d.type));
  if (spend > 0) keys.add("spendToDate");
  if (measured > 0) keys.add("metricsAgainstBaseline");
  if (evaluation.trim() !== "") keys.add("evaluationSummary");
  return [...keys].sort();
}

/** The written evaluation of one stage ("" when none is written). */
export async function evaluationOf(projectId: string, stage: Stage): Promise<string> {
  const row = await db().projectEvaluation.findUnique({ where: { projectId_stage: { projectId, stage } }, select: { text: true } });
  return row?.text ?? "";
}

/** Saves the evaluation of the stage the project is in; earlier stages' stay as their gates saw them. */
export async function saveStageEvaluation(projectId: string, stage: Stage, text: string) {
  // A blank evaluation is no evaluation: keep no row for it, so clearing the box clears it
  // and saving an empty form writes nothing.
  if (text.trim() === "") {
    await db().projectEvaluation.deleteMany({ where: { projectId, stage } });
    return;
  }
  await db().projectEvaluation.upsert({
    where: { projectId_stage: { projectId, stage } },
    create: { projectId, stage, text },
    update: { text },
  });
}

export interface StageMetric {
  id: string;
  name: string;
  unit: string;
  baseline: number;
  target: number;
  actuals: { id: string; value: number; recordedOn: string; note: string }[];
}

export interface StageEvidence {
  stage: Stage;
  evaluation: string;
  /** Every metric, with only the actuals recorded in this stage. */
  metrics: StageMetric[];
}

/**
 * The metrics actuals and the written evaluation of each stage up to `upTo`, for the project
 * page (every stage so far) and the gate page (the stage the gate closes).
 */
export async function evidenceByStage(projectId: string, upTo: Stage, only?: Stage): Promise<StageEvidence[]> {
  const wanted = only ? [only] : stages.slice(0, stages.indexOf(upTo) + 1);
  const [metrics, evaluations] = await Promise.all([
    db().metric.findMany({
      where: { projectId },
      select: {
        id: true,
        name: true,
        unit: true,
        baseline: true,
        target: true,
        actuals: {
          where: { stage: { in: wanted } },
          orderBy: [{ recordedOn: "asc" }, { createdAt: "asc" }],
          select: { id: true, value: true, recordedOn: true, note: true, stage: true },
        },
      },
      orderBy: { createdAt: "asc" },
    }),
    db().projectEvaluation.findMany({ where: { projectId, stage: { in: wanted } }, select: { stage: true, text: true } }),
  ]);
  return wanted.map((stage) => ({
    stage,
    evaluation: evaluations.find((e) => e.stage === stage)?.text ?? "",
    metrics: metrics.map((m) => ({
      id: m.id,
      name: m.name,
      unit: m.unit,
      baseline: m.baseline,
      target: m.target,
      actuals: m.actuals.filter((a) => a.stage === stage).map((a) => ({ id: a.id, value: a.value, recordedOn: isoDay(a.recordedOn), note: a.note })),
    })),
  }));
}

/** The document types a team can upload: the fund's evidence items, with their labels. */
export function evidenceTypes(rules: FundRules): { value: string; text: string }[] {
  return Object.entries(rules.governance.evidenceLabels).map(([value, text]) => ({ value, text }));
}
