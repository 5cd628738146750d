import { randomUUID } from "node:crypto";
import type { SqlQuery } from "~/db/database.server.ts";
import { env } from "~/env.server.ts";
import { formatDate } from "~/utils/format.ts";
import { recordChangesInSql } from "~/engine/record-changes.server.ts";
import type { CaseStudyEmailData } from "../../emails/case-study.ts";
import { contextOf, type PersistedSnapshot } from "../../workflows/index.ts";
import type { ProjectContext } from "../../workflows/project.ts";
import { stageLabels } from "../../workflows/rules.ts";
import { stopReasons } from "./gate-evidence.server.ts";
import { slugFor } from "./hub.server.ts";

/**
 * When a gate stops a project, its lessons case study is drafted from the decision and sent
 * to the fund team for review, inside the decision's own transaction: stopped work is as
 * findable as finished work, and no stop is left without one. The stop's reasons are the
 * first lessons; the fund team publishes the draft, or returns it for the lead council to
 * add to. A project that already has a case study keeps it.
 */
export async function draftLessonsFromStop(sql: SqlQuery, projectId: string, change: { to: string }) {
  if (change.to !== "stopped") return;
  const { rows } = await sql<{
    reference: string;
    title: string;
    summary: string;
    serviceArea: string;
    snapshot: unknown;
    leadOrganisationId: string;
    leadName: string;
    evaluation: string | null;
    hasCaseStudy: boolean;
  }>(
    `SELECT p.reference, p.title, p.summary, p."serviceArea", p.snapshot, p."leadOrganisationId", o.name AS "leadName",
       (SELECT e.text FROM "ProjectEvaluation" e WHERE e."projectId" = p.id ORDER BY e.stage DESC LIMIT 1) AS evaluation,
       EXISTS (SELECT 1 FROM "CaseStudy" cs WHERE cs."projectId" = p.id) AS "hasCaseStudy"
     FROM "Project" p JOIN "Organisation" o ON o.id = p."leadOrganisationId" WHERE p.id = $1`,
    [projectId],
  );
  const project = rows[0];
  if (!project || project.hasCaseStudy) return;
  const snapshot = (typeof project.snapshot === "string" ? JSON.parse(project.snapshot) : project.snapshot) as PersistedSnapshot;
  const context = contextOf("project", snapshot) as ProjectContext;
  const decision = context.decisions.at(-1);
  const stage = context.stage;
  const fields = {
    title: project.title,
    serviceArea: project.serviceArea,
    problem: project.summary,
    approach: "",
    evidence: project.evaluation ?? "",
    outcome: `Stopped at the ${stageLabels[stage].toLowerCase()} gate${decision ? ` on ${formatDate(decision.at)}` : ""}.`,
    lessons: stopReasons(context),
    reusableOutputs: "",
  };
  const id = randomUUID();
  const now = new Date();
  await sql(
    `INSERT INTO "CaseStudy" (id, "projectId", slug, title, "serviceArea", problem, approach, evidence, outcome, lessons, "reusableOutputs", stage, status, "createdAt", "updatedAt")
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::"Stage", 'inReview', ($13::timestamptz AT TIME ZONE 'UTC'), ($13::timestamptz AT TIME ZONE 'UTC'))`,
    [
      id,
      projectId,
      slugFor(fields.title, project.reference),
      fields.title,
      fields.serviceArea,
      fields.problem,
      fields.approach,
      fields.evidence,
      fields.outcome,
      fields.lessons,
      fields.reusableOutputs,
      stage,
      now.toISOString(),
    ],
  );
  await recordChangesInSql(
    sql,
    // No author: until someone sends it again, "the author" is the lead council's officers.
    { kind: "caseStudy", recordId: id, leadOrganisationId: project.leadOrganisationId, authorUserId: null, payload: { projectId } },
    { userId: null, role: null },
    [
      { event: null, from: null, to: "draft" },
      { event: "DRAFT_FROM_STOP", from: "draft", to: "inReview" },
    ],
    (_template, person): CaseStudyEmailData & Record<string, unknown> => ({
      name: person.name,
      title: fields.title,
      reference: project.reference,
      council: project.leadName,
      actor: "Springboard",
      link: new URL(`/projects/${projectId}/case-study`, env().APP_URL).toString(),
    }),
    now,
  );
}
