import { db } from "~/db/database.server.ts";
import type { Stage } from "../../workflows/rules.ts";
import type { FundRules } from "../../workflows/rules.ts";

/**
 * Which of the fund's evidence items a project has for a stage, derived from what the team
 * recorded rather than ticked by hand, so the readiness checklist and the gate request
 * cannot disagree with the project page:
 * - any evidence key: a document of that type uploaded in this stage;
 * - spendToDate: also a spend report made in this stage;
 * - metricsAgainstBaseline: also a metric with at least one actual recorded;
 * - evaluationSummary: also a written evaluation that is not blank.
 */
export async function presentEvidenceKeys(projectId: string, stage: Stage): Promise<string[]> {
  const [documents, spend, measured, project] = await Promise.all([
    db().projectDocument.findMany({ where: { projectId, stage }, select: { type: true }, distinct: ["type"] }),
    db().spendReport.count({ where: { projectId, stage } }),
    db().metric.count({ where: { projectId, actuals: { some: {} } } }),
    db().project.findUnique({ where: { id: projectId }, select: { evaluation: true } }),
  ]);
  const keys = new Set(documents.map((d) => d.type));
  if (spend > 0) keys.add("spendToDate");
  if (measured > 0) keys.add("metricsAgainstBaseline");
  if (project && project.evaluation.trim() !== "") keys.add("evaluationSummary");
  return [...keys].sort();
}

/** The document types a team can upload: the fund's evidence items, with their labels. */
export function evidenceTypes(rules: FundRules): { value: string; text: string }[] {
  return Object.entries(rules.governance.evidenceLabels).map(([value, text]) => ({ value, text }));
}
