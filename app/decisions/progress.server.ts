import { SUBMITTED_STATES } from "~/assessment/moderation.server.ts";
import { database } from "~/db/database.server.ts";
import type { FundRules } from "../../workflows/index.ts";

// The round's assessment progress, counted in SQL so that it costs the same for a round of
// ten bids or of a hundred thousand: nothing here brings more than a page of rows into
// memory. An assessment is overdue when it is not in yet and its own due date (or, without
// one, the round's) has passed.

const list = (states: readonly string[]) => states.map((s) => `'${s}'`).join(", ");
const DONE = list(SUBMITTED_STATES);
const PENDING = list(["invited", "accepted", "interestsDeclared", "scoring", "returned"]);

/** Timestamps are stored as UTC without a zone; compare like with like on both engines. */
const utc = (date: Date | null) => (date ? date.toISOString().slice(0, 23) : null);

// States an assessment with a declared conflict never reaches (the machine refuses scoring);
// tested first so the snapshot, which is large, is read only for the few others.
const NO_CONFLICT = list(["invited", "accepted", "scoring", "returned", ...SUBMITTED_STATES]);

// $2: the round's due date; $3: now.
const counting = `
  count(*) FILTER (WHERE a.state IN (${DONE}))::int AS done,
  count(*) FILTER (WHERE a.state IN (${PENDING}))::int AS pending,
  count(*) FILTER (WHERE a.state IN (${PENDING}) AND COALESCE(a."dueAt", $2::timestamp) < $3::timestamp)::int AS overdue,
  count(*) FILTER (WHERE a.state = 'declined')::int AS declined,
  count(*) FILTER (WHERE a.state NOT IN (${NO_CONFLICT}) AND a.snapshot->'context'->'interests'->>'conflict' = 'true')::int AS conflicts`;

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

// Criteria whose submitted scores differ by more than the threshold ($t), per bid; `scope`
// limits the assessments looked at. A consensus score resolves a flag.
const flagsSql = (scope: string, keys: string, threshold: string) => `
  spreads AS (
    SELECT a."bidId", c.key, max((c.value->>'score')::numeric) - min((c.value->>'score')::numeric) AS spread
    FROM "Assessment" a
    CROSS JOIN LATERAL jsonb_each(CASE WHEN jsonb_typeof(a.scores) = 'object' THEN a.scores ELSE '{}'::jsonb END) c
    WHERE ${scope} AND a.state IN (${DONE}) AND jsonb_typeof(c.value->'score') = 'number'
      AND c.key IN (SELECT jsonb_array_elements_text(${keys}::jsonb))
    GROUP BY a."bidId", c.key
    HAVING count(*) >= 2
  ),
  flags AS (
    SELECT s."bidId", count(*)::int AS flagged,
      count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM "ConsensusScore" cs WHERE cs."bidId" = s."bidId" AND cs."criterionKey" = s.key))::int AS unresolved
    FROM spreads s WHERE s.spread > ${threshold}::numeric GROUP BY s."bidId"
  )`;

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
  const keys = JSON.stringify(round.ruleSet.assessment.criteria.map((c) => c.key));
  const threshold = round.ruleSet.assessment.disagreementThreshold;
  const inRound = `a."bidId" IN (SELECT id FROM "Bid" WHERE "roundId" = $1)`;

  const [totals, bidStates, moderation, assessors, overdue, bids] = await Promise.all([
    sql(`SELECT ${counting} FROM "Assessment" a WHERE ${inRound}`, [round.id, due, now]),
    sql<{ state: string; count: number }>(`SELECT state, count(*)::int AS count FROM "Bid" WHERE "roundId" = $1 GROUP BY state ORDER BY state`, [round.id]),
    sql<{ flagged: number; unresolved: number }>(
      `WITH ${flagsSql(inRound, "$2", "$3")}
       SELECT count(*)::int AS flagged, count(*) FILTER (WHERE unresolved > 0)::int AS unresolved FROM flags`,
      [round.id, keys, threshold],
    ),
    sql(
      `SELECT a."assessorUserId" AS id, u.name, ${counting}
       FROM "Assessment" a JOIN "User" u ON u.id = a."assessorUserId"
       WHERE ${inRound}
       GROUP BY a."assessorUserId", u.name
       ORDER BY overdue DESC, pending DESC, u.name, a."assessorUserId"
       LIMIT ${PAGE_SIZE + 1} OFFSET $4`,
      [round.id, due, now, Math.max(0, (options.assessorPage ?? 1) - 1) * PAGE_SIZE],
    ),
    sql<{ id: string; bidId: string; reference: string; assessor: string; dueAt: string }>(
      `SELECT a.id, b.id AS "bidId", b.reference, u.name AS assessor,
         to_char(COALESCE(a."dueAt", $2::timestamp), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "dueAt"
       FROM "Assessment" a JOIN "Bid" b ON b.id = a."bidId" JOIN "User" u ON u.id = a."assessorUserId"
       WHERE b."roundId" = $1 AND a.state IN (${PENDING}) AND COALESCE(a."dueAt", $2::timestamp) < $3::timestamp
       ORDER BY COALESCE(a."dueAt", $2::timestamp), b.reference, a.id
       LIMIT 20`,
      [round.id, due, now],
    ),
    sql(
      `WITH page AS (
         SELECT id, reference, title, state, "leadOrganisationId" FROM "Bid"
         WHERE "roundId" = $1 AND reference > $4 ORDER BY reference LIMIT ${PAGE_SIZE + 1}
       ),
       counts AS (SELECT a."bidId", ${counting} FROM "Assessment" a WHERE a."bidId" IN (SELECT id FROM page) GROUP BY a."bidId"),
       ${flagsSql(`a."bidId" IN (SELECT id FROM page)`, "$5", "$6")}
       SELECT p.id, p.reference, p.title, p.state, o.name AS lead,
         COALESCE(c.done, 0) AS done, COALESCE(c.pending, 0) AS pending, COALESCE(c.overdue, 0) AS overdue,
         COALESCE(c.declined, 0) AS declined, COALESCE(c.conflicts, 0) AS conflicts,
         COALESCE(f.flagged, 0) AS flagged, COALESCE(f.unresolved, 0) AS unresolved
       FROM page p JOIN "Organisation" o ON o.id = p."leadOrganisationId"
       LEFT JOIN counts c ON c."bidId" = p.id LEFT JOIN flags f ON f."bidId" = p.id
       ORDER BY p.reference`,
      [round.id, due, now, options.after ?? "", keys, threshold],
    ),
  ]);

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
    totals: asCounts(totals.rows[0] ?? {}),
    bidStates: bidStates.rows.map((r) => ({ state: r.state, count: Number(r.count) })),
    bidCount: bidStates.rows.reduce((sum, r) => sum + Number(r.count), 0),
    moderation: { flagged: Number(moderation.rows[0]?.flagged ?? 0), unresolved: Number(moderation.rows[0]?.unresolved ?? 0) },
    assessors: assessors.rows.slice(0, PAGE_SIZE).map((r) => ({ id: String(r.id), name: String(r.name), ...asCounts(r) })),
    moreAssessors: assessors.rows.length > PAGE_SIZE,
    overdue: overdue.rows.map((r) => ({ id: r.id, bidId: r.bidId, reference: r.reference, assessor: r.assessor, dueAt: r.dueAt })),
    bids: bidRows,
    nextAfter: bids.rows.length > PAGE_SIZE ? bidRows[bidRows.length - 1]!.reference : null,
  };
}
