import { randomUUID } from "node:crypto";
import { jsonColumn } from "~/db/json.server.ts";
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
import { insertLessonsDraft, stoppedProject } from "./sql.server.ts";

/**
 * When a gate stops a project, its lessons case study is drafted from the decision and sent
 * to the fund team for review, inside the decision's own transaction: stopped work is as
 * findable as finished work, and no stop is left without one. The stop's reasons are the
 * first lessons; the fund team publishes the draft, or returns it for the lead council to
 * add to. A project that already has a case study keeps it.
 */
export async function draftLessonsFromStop(sql: SqlQuery, projectId: string, change: { to: string }) {
  if (change.to !== "stopped") return;
  const project = await stoppedProject(sql, projectId);
  if (!project || project.hasCaseStudy) return;
  const snapshot = jsonColumn<PersistedSnapshot>(project.snapshot);
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
  await insertLessonsDraft(sql, { id, projectId, slug: slugFor(fields.title, project.reference), ...fields, stage, at: now });
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
