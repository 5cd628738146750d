import type { SqlQuery } from "~/db/database.server.ts";
import type { CriterionScores } from "./scoring.ts";

// The assessments' SQL: a row lock, which Prisma's API cannot take, and the scores written
// inside the workflow engine's SQL transaction. docs/decisions/0015-data-access.md.

/** Holds the round's row until the transaction ends, so that assignments in one round take turns. Whether the round exists. */
export async function lockRound(sql: SqlQuery, roundId: string): Promise<boolean> {
  const { rows } = await sql<{ id: string }>(`SELECT id FROM "Round" WHERE id = $1 FOR UPDATE`, [roundId]);
  return rows.length > 0;
}

export async function writeScores(sql: SqlQuery, assessmentId: string, scores: CriterionScores): Promise<void> {
  await sql(`UPDATE "Assessment" SET scores = $1::jsonb WHERE id = $2`, [JSON.stringify(scores), assessmentId]);
}
