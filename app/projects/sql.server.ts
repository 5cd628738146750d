import { randomUUID } from "node:crypto";
import type { SqlQuery } from "~/db/database.server.ts";
import type { Stage } from "../../workflows/index.ts";

// The projects' SQL: the tranche a gate releases, written inside the gate decision's
// transaction, which is the workflow engine's SQL transaction. docs/decisions/0015-data-access.md.

/** The gate just passed had the planned date: the next stage's is the team's to set. */
export async function clearNextGateDate(sql: SqlQuery, projectId: string): Promise<void> {
  await sql(`UPDATE "Project" SET "nextGateDueOn" = NULL WHERE id = $1`, [projectId]);
}

/** The project's snapshot and the money released to it so far, in pence. */
export async function projectReleased(sql: SqlQuery, projectId: string): Promise<{ snapshot: unknown; releasedPence: number }> {
  const { rows } = await sql<{ snapshot: unknown; released: number | string }>(
    `SELECT p.snapshot, COALESCE((SELECT SUM(t."amountPence") FROM "ProjectTranche" t WHERE t."projectId" = p.id), 0) AS released
       FROM "Project" p WHERE p.id = $1`,
    [projectId],
  );
  const row = rows[0]!;
  return { snapshot: row.snapshot, releasedPence: Number(row.released) };
}

/** The payload of the project's latest gate review request (the review is gone from the context once decided). */
export async function latestGateReviewRequest(sql: SqlQuery, projectId: string): Promise<unknown> {
  const { rows } = await sql<{ payload: unknown }>(
    `SELECT payload FROM "TransitionHistory" WHERE "recordType" = 'project' AND "recordId" = $1 AND event = 'REQUEST_GATE_REVIEW'
      ORDER BY at DESC, id DESC LIMIT 1`,
    [projectId],
  );
  return rows[0]?.payload;
}

/** A tranche of money released to a project: at `at`, or now. */
export async function insertTranche(
  sql: SqlQuery,
  tranche: { projectId: string; stage: Stage; amountPence: number; reason: string; at?: Date },
): Promise<void> {
  await sql(
    `INSERT INTO "ProjectTranche" (id, "projectId", stage, "amountPence", reason, "createdAt")
     VALUES ($1, $2, $3::"Stage", $4, $5, COALESCE($6::timestamp, CURRENT_TIMESTAMP))`,
    [randomUUID(), tranche.projectId, tranche.stage, tranche.amountPence, tranche.reason, tranche.at ?? null],
  );
}

export interface NewProject {
  id: string;
  bidId: string;
  leadOrganisationId: string;
  title: string;
  reference: string;
  awardPence: number;
  state: string;
  snapshot: unknown;
  machineVersion: number;
  summary: string;
  serviceArea: string;
  at: Date;
}

/** A funded bid's project, made inside the transaction that publishes the bid's decision (app/funding, and the demo seeding); then record its creation. */
export async function insertProject(sql: SqlQuery, project: NewProject): Promise<void> {
  await sql(
    `INSERT INTO "Project" (id, "bidId", "leadOrganisationId", title, reference, "awardPence", state, snapshot, "machineVersion", summary, "serviceArea", "createdAt", "updatedAt")
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12::timestamp, $12::timestamp)`,
    [
      project.id,
      project.bidId,
      project.leadOrganisationId,
      project.title,
      project.reference,
      project.awardPence,
      project.state,
      JSON.stringify(project.snapshot),
      project.machineVersion,
      project.summary,
      project.serviceArea,
      project.at,
    ],
  );
}
