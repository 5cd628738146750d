import type { SqlQuery } from "~/db/database.server.ts";
import { idLiteral } from "~/db/literals.server.ts";
import type { CriterionScores } from "./scoring.ts";
import { SUBMITTED_STATES, UNFINISHED_STATES } from "./states.ts";

// The assessments' SQL: a row lock, which Prisma's API cannot take, and the scores written
// inside the workflow engine's SQL transaction; the round's progress, read from the running
// counts (AssessmentTally, RoundModerationTally: decision 0010) and one page of bids, counted
// and grouped in the database so that it costs the same at ten bids or a hundred thousand
// (npm run bench:dashboards); and the stored scores (BidScore) brought up to date a thousand
// bids at a time, each batch read with one statement per table and written back with one.
// docs/decisions/0015-data-access.md.

/** Holds the round's row until the transaction ends, so that assignments in one round take turns. Whether the round exists. */
export async function lockRound(sql: SqlQuery, roundId: string): Promise<boolean> {
  const { rows } = await sql<{ id: string }>(`SELECT id FROM "Round" WHERE id = $1 FOR UPDATE`, [roundId]);
  return rows.length > 0;
}

export async function writeScores(sql: SqlQuery, assessmentId: string, scores: CriterionScores): Promise<void> {
  await sql(`UPDATE "Assessment" SET scores = $1::jsonb WHERE id = $2`, [JSON.stringify(scores), assessmentId]);
}

// ---------------------------------------------------------------- the round's progress

/** Rows of the progress page: the first this many, and one more to say whether there is another page. */
export const PROGRESS_PAGE_SIZE = 50;

const list = (states: readonly string[]) => states.map((s) => `'${s}'`).join(", ");
const DONE = list(SUBMITTED_STATES);
// Not in yet: waiting for the assessor (OWED, which can be overdue), or paused while the
// council changes the bid (not the assessor's delay, so never overdue, but not done either).
const OWED = list(UNFINISHED_STATES);
const PENDING = list([...UNFINISHED_STATES, "paused"]);
// States an assessment with a declared conflict never reaches (the machine refuses scoring).
const NO_CONFLICT = list(["invited", "accepted", "scoring", "returned", ...SUBMITTED_STATES]);
// The five counts as SQL columns, `total` turning a condition on rows of `alias` into a
// count; $2: the round's due date; $3: now.
const countColumns = (total: (where: string) => string, alias: string, conflict: string) => `
  ${total(`${alias}.state IN (${DONE})`)} AS done,
  ${total(`${alias}.state IN (${PENDING})`)} AS pending,
  ${total(`${alias}.state IN (${OWED}) AND COALESCE(${alias}."dueAt", $2::timestamp) < $3::timestamp`)} AS overdue,
  ${total(`${alias}.state = 'declined'`)} AS declined,
  ${total(`${alias}.state NOT IN (${NO_CONFLICT}) AND ${conflict}`)} AS conflicts`;
/** The five counts over AssessmentTally rows (t). */
const COUNTING = countColumns((where) => `coalesce(sum(t.assessments) FILTER (WHERE ${where}), 0)::int`, "t", "t.conflict");
/** The same over one page of bids' own Assessment rows (a). */
const COUNTING_ROWS = countColumns((where) => `count(*) FILTER (WHERE ${where})::int`, "a", "springboard_assessment_conflict(a.snapshot)");

/** An assessment's due moment and now, as UTC timestamps without a zone (as they are stored). */
export interface ProgressTimes {
  /** The round's due date, for assessments without one of their own. */
  due: string | null;
  now: string | null;
}

export interface ProgressCountsRow {
  done: number;
  pending: number;
  overdue: number;
  declined: number;
  conflicts: number;
}

/** The round's assessments counted, from the running counts. */
export async function roundAssessmentCounts(sql: SqlQuery, roundId: string, times: ProgressTimes): Promise<ProgressCountsRow | undefined> {
  return (await sql<ProgressCountsRow>(`SELECT ${COUNTING} FROM "AssessmentTally" t WHERE t."roundId" = $1`, [roundId, times.due, times.now])).rows[0];
}

/** The round's flagged criteria and those without a consensus: running counts of BidScore's rows (a trigger keeps them), not a count of the round. */
export async function roundModerationFlags(sql: SqlQuery, roundId: string): Promise<{ flagged: number; unresolved: number } | undefined> {
  const { rows } = await sql<{ flagged: number; unresolved: number }>(
    `SELECT flagged, "flagsOpen" AS unresolved FROM "RoundModerationTally" WHERE "roundId" = $1`,
    [roundId],
  );
  return rows[0];
}

export interface AssessorProgressRow extends ProgressCountsRow {
  id: string;
  name: string;
}

/** One page of the round's assessors with their counts, the most overdue first, from `offset`; one more row than a page when there is another. */
export async function assessorProgressPage(sql: SqlQuery, roundId: string, times: ProgressTimes, offset: number): Promise<AssessorProgressRow[]> {
  const { rows } = await sql<AssessorProgressRow>(
    `SELECT t."assessorUserId" AS id, u.name, ${COUNTING}
       FROM "AssessmentTally" t JOIN "User" u ON u.id = t."assessorUserId"
       WHERE t."roundId" = $1
       GROUP BY t."assessorUserId", u.name
       HAVING sum(t.assessments) <> 0
       ORDER BY overdue DESC, pending DESC, u.name, t."assessorUserId"
       LIMIT ${PROGRESS_PAGE_SIZE + 1} OFFSET $4`,
    [roundId, times.due, times.now, offset],
  );
  return rows;
}

export interface BidProgressRow extends ProgressCountsRow {
  id: string;
  reference: string;
  title: string;
  state: string;
  lead: string;
  flagged: number;
  unresolved: number;
}

/** One page of the round's bids by reference, after `after`, each with its own assessments counted and its flags; one more row than a page when there is another. */
export async function bidProgressPage(sql: SqlQuery, roundId: string, times: ProgressTimes, after: string): Promise<BidProgressRow[]> {
  const { rows } = await sql<BidProgressRow>(
    `WITH page AS (
         SELECT id, reference, title, state, "leadOrganisationId" FROM "Bid"
         WHERE "roundId" = $1 AND reference > $4 ORDER BY reference LIMIT ${PROGRESS_PAGE_SIZE + 1}
       ),
       counts AS (SELECT a."bidId", ${COUNTING_ROWS} FROM "Assessment" a WHERE a."bidId" IN (SELECT id FROM page) GROUP BY a."bidId")
       SELECT p.id, p.reference, p.title, p.state, o.name AS lead,
         COALESCE(c.done, 0) AS done, COALESCE(c.pending, 0) AS pending, COALESCE(c.overdue, 0) AS overdue,
         COALESCE(c.declined, 0) AS declined, COALESCE(c.conflicts, 0) AS conflicts,
         COALESCE(s.flagged, 0) AS flagged, COALESCE(s."flagsOpen", 0) AS unresolved
       FROM page p JOIN "Organisation" o ON o.id = p."leadOrganisationId"
       LEFT JOIN counts c ON c."bidId" = p.id LEFT JOIN "BidScore" s ON s."bidId" = p.id
       ORDER BY p.reference`,
    [roundId, times.due, times.now, after],
  );
  return rows;
}

export interface OverdueAssessmentRow {
  id: string;
  bidId: string;
  reference: string;
  assessor: string;
  /** An ISO time. */
  dueAt: string;
}

/** The round's 20 longest overdue assessments. */
export async function oldestOverdueAssessments(sql: SqlQuery, roundId: string, times: ProgressTimes): Promise<OverdueAssessmentRow[]> {
  const { rows } = await sql<OverdueAssessmentRow>(
    `SELECT a.id, b.id AS "bidId", b.reference, u.name AS assessor,
           to_char(COALESCE(a."dueAt", $2::timestamp), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "dueAt"
         FROM "Assessment" a JOIN "Bid" b ON b.id = a."bidId" JOIN "User" u ON u.id = a."assessorUserId"
         WHERE b."roundId" = $1 AND a.state IN (${OWED}) AND COALESCE(a."dueAt", $2::timestamp) < $3::timestamp
         ORDER BY COALESCE(a."dueAt", $2::timestamp), b.reference, a.id
         LIMIT 20`,
    [roundId, times.due, times.now],
  );
  return rows;
}

// ---------------------------------------------------------------- a round's stored scores

/** A bid to be scored, as read from its row: its submission time already out of the snapshot. */
export interface BidToScore {
  id: string;
  reference: string;
  title: string;
  state: string;
  version: number;
  amountRequestedPence: number;
  submittedAt: string | null;
  lead: string;
}

/**
 * The columns of a BidToScore, over "Bid" b joined to its lead "Organisation" o: only the
 * submission time is read out of the snapshot, so a batch of a thousand bids moves a few
 * hundred bytes each, not their snapshots.
 */
const BID_TO_SCORE_COLUMNS = `b.id, b.reference, b.title, b.state, b.version, b."amountRequestedPence", b.snapshot #>> '{context,submitted,at}' AS "submittedAt", o.name AS lead`;

const REFRESH_BATCH = 1000;

export interface AssessmentScoresRow {
  bidId: string;
  state: string;
  /** Only while being scored again. */
  snapshot: unknown;
  scores: unknown;
}

/**
 * The given bids' assessments in `states`, oldest first. Plain SQL rather than the ORM: at a
 * round's size this is read a thousand bids at a time, and only an assessment being scored
 * again needs its snapshot (isAwaitingRework).
 */
export async function assessmentScoresOf(sql: SqlQuery, bidIds: string[], states: string[]): Promise<AssessmentScoresRow[]> {
  const { rows } = await sql<AssessmentScoresRow>(
    `SELECT "bidId", state, CASE WHEN state = 'scoring' THEN snapshot END AS snapshot, scores FROM "Assessment"
       WHERE "bidId" = ANY($1::text[]) AND state = ANY($2::text[])
       ORDER BY "createdAt", id`,
    [bidIds, states],
  );
  return rows;
}

export interface ConsensusScoreRow {
  bidId: string;
  criterionKey: string;
  score: number;
}

/** The consensus scores agreed on the given bids. */
export async function consensusScoresOf(sql: SqlQuery, bidIds: string[]): Promise<ConsensusScoreRow[]> {
  return (await sql<ConsensusScoreRow>(`SELECT "bidId", "criterionKey", score FROM "ConsensusScore" WHERE "bidId" = ANY($1::text[])`, [bidIds])).rows;
}

/** Whether any of the round's stored scores is out of date (in the index's order, as below). */
export async function anyDirtyScore(sql: SqlQuery, roundId: string): Promise<boolean> {
  const { rows } = await sql(`SELECT 1 AS dirty FROM "BidScore" WHERE "roundId" = ${idLiteral(roundId)} AND dirty > 0 ORDER BY dirty DESC LIMIT 1`);
  return rows.length > 0;
}

/** Up to a batch of the round's out-of-date stored scores, with how many writes marked each. */
export async function dirtyScores(sql: SqlQuery, roundId: string): Promise<{ bidId: string; dirty: number }[]> {
  const { rows } = await sql<{ bidId: string; dirty: number }>(
    // Ordered as the ("roundId", dirty) index is, so the scan starts at the most out-of-date
    // row and stops at the first clean one: unordered, the planner reads the whole table
    // when its statistics expect dirty rows that are not there (1.4 s at a million bids).
    `SELECT "bidId", dirty FROM "BidScore" WHERE "roundId" = $1 AND dirty > 0 ORDER BY dirty DESC LIMIT ${REFRESH_BATCH}`,
    [roundId],
  );
  return rows;
}

/** The given bids, to be scored. */
export async function bidsToScore(sql: SqlQuery, bidIds: string[]): Promise<BidToScore[]> {
  return (
    await sql<BidToScore>(`SELECT ${BID_TO_SCORE_COLUMNS} FROM "Bid" b JOIN "Organisation" o ON o.id = b."leadOrganisationId" WHERE b.id = ANY($1::text[])`, [
      bidIds,
    ])
  ).rows;
}

/** A bid's stored scores worked out again; `seen` is how many writes had marked it when it was read. */
export interface StoredScore {
  bidId: string;
  moderatedScore: number;
  topScore: number | null;
  /** UTC without a zone, as stored. */
  submittedAt: string | null;
  unresolved: number;
  seen: number;
  flagged: number;
  flagsOpen: number;
}

/**
 * Writes the scores in one statement. Only what was seen is taken off: a write that came in
 * meanwhile leaves the row marked.
 */
export async function writeStoredScores(sql: SqlQuery, scores: StoredScore[]): Promise<void> {
  await sql(
    `UPDATE "BidScore" s SET "moderatedScore" = t.score, "topScore" = t.top, "submittedAt" = t.submitted::timestamp, unresolved = t.unresolved,
         flagged = t.flagged, "flagsOpen" = t.open, dirty = s.dirty - t.seen
       FROM unnest($1::text[], $2::float8[], $3::float8[], $4::text[], $5::int[], $6::int[], $7::int[], $8::int[])
         AS t(id, score, top, submitted, unresolved, seen, flagged, open)
       WHERE s."bidId" = t.id`,
    [
      scores.map((s) => s.bidId),
      scores.map((s) => s.moderatedScore),
      scores.map((s) => s.topScore),
      scores.map((s) => s.submittedAt),
      scores.map((s) => s.unresolved),
      scores.map((s) => s.seen),
      scores.map((s) => s.flagged),
      scores.map((s) => s.flagsOpen),
    ],
  );
}

/** Marks the given rows up to date without scoring them. */
export async function clearDirty(sql: SqlQuery, bidIds: string[]): Promise<void> {
  await sql(`UPDATE "BidScore" SET dirty = 0 WHERE "bidId" = ANY($1::text[])`, [bidIds]);
}
