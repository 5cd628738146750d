import { UNFINISHED_STATES } from "~/assessment/assessments.server.ts";
import { SUBMITTED_STATES } from "~/assessment/moderation.server.ts";
import { roundBidStateCounts } from "~/dashboards/tallies.server.ts";
import { database } from "~/db/database.server.ts";
import { refreshRoundScores } from "./round-scores.server.ts";
import type { FundRules } from "../../workflows/index.ts";

// The round's assessment progress. The whole-round figures come from the running counts
// (AssessmentTally, RoundBidTally and the flags stored in BidScore, app/dashboards), so they
// cost the same for a round of ten bids or of a hundred thousand; the per-bid table reads
// one page of bids and their own assessments. An assessment is overdue when it is not in
// yet and its own due date (or, without one, the round's) has passed.

const list = (states: readonly string[]) => states.map((s) => `'${s}'`).join(", ");
const DONE = list(SUBMITTED_STATES);
// Not in yet: waiting for the assessor (OWED, which can be overdue), or paused while the
// council changes the bid (not the assessor's delay, so never overdue, but not done either).
const OWED = list(UNFINISHED_STATES);
const PENDING = list([...UNFINISHED_STATES, "paused"]);

/** Timestamps are stored as UTC without a zone; compare like with like on both engines. */
const utc = (date: Date | null) => (date ? date.toISOString().slice(0, 23) : null);

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

// Over AssessmentTally rows (t), each counting t.assessments.
const counting = countColumns((where) => `coalesce(sum(t.assessments) FILTER (WHERE ${where}), 0)::int`, "t", "t.conflict");
// The same over one page of bids' own Assessment rows (a).
const countingRows = countColumns((where) => `count(*) FILTER (WHERE ${where})::int`, "a", "springboard_assessment_conflict(a.snapshot)");

export interface Counts {
  done: number;
  pending: number;
  overdue: number;
  declined: number;
  conflicts: number;
}

const asCounts = (row: Record<string, unknown>): Counts => ({
  done: Number(row.done ?? 0),
  pending: Number(row.pending ?? 0),
  overdue: Number(row.overdue ?? 0),
  declined: Number(row.declined ?? 0),
  conflicts: Number(row.conflicts ?? 0),
});

export const PAGE_SIZE = 50;

export interface ProgressRound {
  id: string;
  assessmentDueAt: Date | null;
  ruleSet: FundRules;
}

export async function roundProgress(round: ProgressRound, options: { after?: string | null; assessorPage?: number; now?: Date } = {}) {
  const sql = database().sql;
  const now = utc(options.now ?? new Date());
  const due = utc(round.assessmentDueAt);
  // The flags are stored scores: bring any the last writes made out of date up to date.
  await refreshRoundScores(round.id, round.ruleSet);

  const [totals, bidStates, moderation, assessors, bids] = await Promise.all([
    sql(`SELECT ${counting} FROM "AssessmentTally" t WHERE t."roundId" = $1`, [round.id, due, now]),
    roundBidStateCounts(round.id),
    // Running counts of BidScore's rows (a trigger keeps them), not a count of the round.
    sql<{ flagged: number; unresolved: number }>(`SELECT flagged, "flagsOpen" AS unresolved FROM "RoundModerationTally" WHERE "roundId" = $1`, [round.id]),
    sql(
      `SELECT t."assessorUserId" AS id, u.name, ${counting}
       FROM "AssessmentTally" t JOIN "User" u ON u.id = t."assessorUserId"
       WHERE t."roundId" = $1
       GROUP BY t."assessorUserId", u.name
       HAVING sum(t.assessments) <> 0
       ORDER BY overdue DESC, pending DESC, u.name, t."assessorUserId"
       LIMIT ${PAGE_SIZE + 1} OFFSET $4`,
      [round.id, due, now, Math.max(0, (options.assessorPage ?? 1) - 1) * PAGE_SIZE],
    ),
    sql(
      `WITH page AS (
         SELECT id, reference, title, state, "leadOrganisationId" FROM "Bid"
         WHERE "roundId" = $1 AND reference > $4 ORDER BY reference LIMIT ${PAGE_SIZE + 1}
       ),
       counts AS (SELECT a."bidId", ${countingRows} FROM "Assessment" a WHERE a."bidId" IN (SELECT id FROM page) GROUP BY a."bidId")
       SELECT p.id, p.reference, p.title, p.state, o.name AS lead,
         COALESCE(c.done, 0) AS done, COALESCE(c.pending, 0) AS pending, COALESCE(c.overdue, 0) AS overdue,
         COALESCE(c.declined, 0) AS declined, COALESCE(c.conflicts, 0) AS conflicts,
         COALESCE(s.flagged, 0) AS flagged, COALESCE(s."flagsOpen", 0) AS unresolved
       FROM page p JOIN "Organisation" o ON o.id = p."leadOrganisationId"
       LEFT JOIN counts c ON c."bidId" = p.id LEFT JOIN "BidScore" s ON s."bidId" = p.id
       ORDER BY p.reference`,
      [round.id, due, now, options.after ?? ""],
    ),
  ]);
  const totalCounts = asCounts(totals.rows[0] ?? {});
  // The oldest overdue assessments, only looked for when the tally says there are some.
  const overdue = totalCounts.overdue
    ? await sql<{ id: string; bidId: string; reference: string; assessor: string; dueAt: string }>(
        `SELECT a.id, b.id AS "bidId", b.reference, u.name AS assessor,
           to_char(COALESCE(a."dueAt", $2::timestamp), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "dueAt"
         FROM "Assessment" a JOIN "Bid" b ON b.id = a."bidId" JOIN "User" u ON u.id = a."assessorUserId"
         WHERE b."roundId" = $1 AND a.state IN (${OWED}) AND COALESCE(a."dueAt", $2::timestamp) < $3::timestamp
         ORDER BY COALESCE(a."dueAt", $2::timestamp), b.reference, a.id
         LIMIT 20`,
        [round.id, due, now],
      )
    : { rows: [] };

  const bidRows = bids.rows.slice(0, PAGE_SIZE).map((r) => ({
    id: String(r.id),
    reference: String(r.reference),
    title: String(r.title),
    state: String(r.state),
    lead: String(r.lead),
    ...asCounts(r),
    flagged: Number(r.flagged),
    unresolved: Number(r.unresolved),
  }));
  return {
    totals: totalCounts,
    bidStates,
    bidCount: bidStates.reduce((sum, r) => sum + r.count, 0),
    moderation: { flagged: Number(moderation.rows[0]?.flagged ?? 0), unresolved: Number(moderation.rows[0]?.unresolved ?? 0) },
    assessors: assessors.rows.slice(0, PAGE_SIZE).map((r) => ({ id: String(r.id), name: String(r.name), ...asCounts(r) })),
    moreAssessors: assessors.rows.length > PAGE_SIZE,
    overdue: overdue.rows.map((r) => ({ id: r.id, bidId: r.bidId, reference: r.reference, assessor: r.assessor, dueAt: r.dueAt })),
    bids: bidRows,
    nextAfter: bids.rows.length > PAGE_SIZE ? bidRows[bidRows.length - 1]!.reference : null,
  };
}
