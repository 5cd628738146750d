import { db } from "~/db/database.server.ts";
import { roundRules, roundRulesSelect } from "~/rounds/rules.ts";
import { isoDay } from "~/utils/dates.ts";
import { formatSize, percentOf } from "~/utils/format.ts";
import { outcomeTags } from "./case-study.ts";
import { contextOf, type PersistedSnapshot } from "../../workflows/index.ts";
import type { ProjectContext } from "../../workflows/project.ts";
import { gateOutcomeLabels, stageLabels } from "../../workflows/rules.ts";

// What a case study shows of its project's own record: the metrics against baseline and
// target, each gate's outcome and reasons, the conditions set, spend against the award and
// the documents the team made public. Read from the records on every visit, so a case study
// never holds a stale copy. Only what is safe to publish leaves here: no names of approvers
// or officers, no notes (metric, spend, condition or finance), nothing from a review still
// under way, and only the documents marked public.

export interface EvidenceMetric {
  id: string;
  name: string;
  unit: string;
  baseline: number;
  target: number;
  actuals: { value: number; recordedOn: string }[];
  latest: number | null;
}

export interface EvidenceGate {
  key: string;
  stage: string;
  outcome: string;
  outcomeLabel: string;
  tag: string;
  at: string;
  /** Each approver's reason, with the outcome they voted for (unnamed). */
  reasons: { outcomeLabel: string; text: string }[];
}

export interface EvidenceCondition {
  key: string;
  text: string;
  setAt: string;
  dueDate: string;
  metOn: string | null;
}

export interface EvidenceDocument {
  id: string;
  type: string;
  stage: string;
  fileName: string;
  size: string;
}

export interface GateEvidence {
  metrics: EvidenceMetric[];
  gates: EvidenceGate[];
  conditions: EvidenceCondition[];
  spend: {
    awardedPence: number;
    spentPence: number | null;
    spentTo: string | null;
    percent: number | null;
    tranches: { key: string; stage: string; amountPence: number; at: string }[];
  };
  documents: EvidenceDocument[];
}

/** The public documents of a project, for the case study's list and its download route. */
export const publicDocumentWhere = (projectId: string) => ({ projectId, isPublic: true });

export async function gateEvidence(projectId: string): Promise<GateEvidence> {
  const [project, metrics, latestSpend, documents] = await Promise.all([
    db().project.findUniqueOrThrow({
      where: { id: projectId },
      select: {
        awardPence: true,
        snapshot: true,
        tranches: { select: { id: true, stage: true, amountPence: true, createdAt: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
        bid: { select: { round: { select: roundRulesSelect } } },
      },
    }),
    db().metric.findMany({
      where: { projectId },
      select: {
        id: true,
        name: true,
        unit: true,
        baseline: true,
        target: true,
        actuals: { select: { value: true, recordedOn: true }, orderBy: [{ recordedOn: "asc" }, { createdAt: "asc" }] },
      },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    }),
    db().spendReport.findFirst({
      where: { projectId },
      select: { amountPence: true, periodEnd: true },
      orderBy: [{ periodEnd: "desc" }, { createdAt: "desc" }],
    }),
    db().projectDocument.findMany({
      where: publicDocumentWhere(projectId),
      select: { id: true, type: true, stage: true, fileName: true, size: true },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    }),
  ]);
  const context = contextOf("project", project.snapshot as unknown as PersistedSnapshot) as ProjectContext;
  const labels = roundRules(project.bid.round).governance.evidenceLabels;
  // Money released: the tranches, or the award itself for a project that has none recorded.
  const awardedPence = project.tranches.length ? project.tranches.reduce((sum, t) => sum + t.amountPence, 0) : project.awardPence;
  const spentPence = latestSpend?.amountPence ?? null;
  return {
    metrics: metrics.map((m) => {
      const actuals = m.actuals.map((a) => ({ value: a.value, recordedOn: isoDay(a.recordedOn) }));
      return { id: m.id, name: m.name, unit: m.unit, baseline: m.baseline, target: m.target, actuals, latest: actuals.at(-1)?.value ?? null };
    }),
    gates: context.decisions.map((d, index) => ({
      key: `${d.stage}-${index}`,
      stage: stageLabels[d.stage],
      outcome: d.outcome,
      outcomeLabel: gateOutcomeLabels[d.outcome],
      tag: outcomeTags[d.outcome] ?? "grey",
      at: d.at,
      reasons: d.votes.filter((v) => v.reason.trim()).map((v) => ({ outcomeLabel: gateOutcomeLabels[v.outcome], text: v.reason.trim() })),
    })),
    conditions: context.conditions.map((c) => ({
      key: c.id,
      text: c.text,
      setAt: stageLabels[c.setAtGate],
      dueDate: c.dueDate,
      metOn: c.met ? c.met.at.slice(0, 10) : null,
    })),
    spend: {
      awardedPence,
      spentPence,
      spentTo: latestSpend ? isoDay(latestSpend.periodEnd) : null,
      percent: spentPence !== null && awardedPence > 0 ? percentOf(spentPence, awardedPence) : null,
      tranches: project.tranches.map((t) => ({ key: t.id, stage: stageLabels[t.stage], amountPence: t.amountPence, at: t.createdAt.toISOString() })),
    },
    documents: documents.map((d) => ({
      id: d.id,
      type: labels[d.type] ?? d.type,
      stage: stageLabels[d.stage],
      fileName: d.fileName,
      size: formatSize(d.size),
    })),
  };
}

/** The stop decision's reasons, as a stopped project's first lessons: what its gate said. */
export function stopReasons(context: ProjectContext): string {
  const decision = [...context.decisions].reverse().find((d) => d.outcome === "stop");
  if (!decision) return "";
  return decision.votes
    .filter((v) => v.outcome === "stop" && v.reason.trim())
    .map((v) => v.reason.trim())
    .join("\n\n");
}
