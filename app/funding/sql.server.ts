import { MODERATED_BID_STATES } from "~/assessment/moderation.server.ts";
import type { SqlQuery } from "~/db/database.server.ts";
import { countLiteral, idLiteral, namesLiteral } from "~/db/literals.server.ts";
import { statementName } from "~/db/together.server.ts";
import type { LineAdjustment } from "./ranking.ts";

// The funding decisions' SQL. The ranked list reads the stored scores (BidScore, kept up to
// date by triggers and app/assessment/round-scores.server.ts) in the ranking's own order from
// an index, a batch or a page at a time, and counts with window functions and running
// tallies, so that a page costs the same at a hundred bids or a hundred thousand (npm run
// bench:dashboards; decision 0010). Prisma's API cannot order by a collation nor count past a
// LIMIT in one read. (A funded bid's project and award are written by app/projects/sql.server.ts
// inside the transaction that publishes the decision.) docs/decisions/0015-data-access.md.

// ---------------------------------------------------------------- the ranked list

const MODERATED = MODERATED_BID_STATES.map((s) => `'${s}'`).join(", ");

/** A bid's stored ranking inputs, with what the ranked list shows of it. */
export interface RankedScoreRow {
  bidId: string;
  reference: string;
  title: string;
  state: string;
  version: number;
  amountPence: number;
  lead: string;
  moderatedScore: number;
  topScore: number | null;
  submittedAt: Date | string | null;
  unresolved: number;
}

// `round`: the round's id as SQL, a parameter ($1) or written into the text (idLiteral), so
// that the ranked list's reads are planned once per round (app/db/literals.server.ts).
const ordered = (round: string) => `
  SELECT s."bidId", b.reference, b.title, b.state, b.version, b."amountRequestedPence" AS "amountPence", o.name AS lead,
    s."moderatedScore", s."topScore", s."submittedAt", s.unresolved
  FROM "BidScore" s JOIN "Bid" b ON b.id = s."bidId" JOIN "Organisation" o ON o.id = b."leadOrganisationId"
  WHERE s."roundId" = ${round} AND b.state IN (${MODERATED})`;
// The order of compareBids (ranking.ts); the reference in code-point order, as JavaScript compares.
const ORDER = `ORDER BY s."moderatedScore" DESC, s."topScore" DESC NULLS LAST, b."amountRequestedPence", s."submittedAt" NULLS LAST, b.reference COLLATE "C"`;

/** The round's moderated bids in ranking order, `size` of them from `offset`: a batch down to the funding line. */
export async function rankedBatch(sql: SqlQuery, roundId: string, offset: number, size: number): Promise<RankedScoreRow[]> {
  const text = `${ordered(idLiteral(roundId))} ${ORDER} LIMIT ${countLiteral(size)} OFFSET ${countLiteral(offset)}`;
  return (await sql<RankedScoreRow>(text, [], statementName("ranked_batch", text))).rows;
}

/** The round's moderated bids in ranking order, `limit` of them from `offset`: a page, with its neighbours. */
export async function rankedPage(sql: SqlQuery, roundId: string, limit: number, offset: number): Promise<RankedScoreRow[]> {
  return (await sql<RankedScoreRow>(`${ordered("$1")} ${ORDER} LIMIT $2 OFFSET $3`, [roundId, limit, offset], "ranked_page")).rows;
}

/** The given bids of the round, if moderated, in no particular order. */
export async function rankedBids(sql: SqlQuery, roundId: string, bidIds: string[]): Promise<RankedScoreRow[]> {
  return (await sql<RankedScoreRow>(`${ordered("$1")} AND s."bidId" = ANY($2::text[])`, [roundId, bidIds])).rows;
}

/** Every moderated bid of the round, in no particular order: the whole ranking, for the export. */
export async function allRanked(sql: SqlQuery, roundId: string): Promise<RankedScoreRow[]> {
  return (await sql<RankedScoreRow>(ordered("$1"), [roundId])).rows;
}

export interface UnresolvedBidRow {
  id: string;
  reference: string;
  unresolved: number;
}

/**
 * The 20 bids with something to resolve that are placed highest (from a partial index of
 * unresolved bids), and how many there are in all (a running count a trigger keeps): one
 * statement.
 */
export async function unresolvedBids(sql: SqlQuery, roundId: string): Promise<{ rows: UnresolvedBidRow[]; count: number }> {
  const { rows } = await sql<{ rows: UnresolvedBidRow[] | null; count: number | null }>(
    `SELECT (SELECT unresolved FROM "RoundModerationTally" WHERE "roundId" = ${idLiteral(roundId)}) AS count,
       (SELECT json_agg(json_build_object('id', t.id, 'reference', t.reference, 'unresolved', t.unresolved) ORDER BY t.score DESC, t.id)
        FROM (SELECT s."bidId" AS id, b.reference, s.unresolved, s."moderatedScore" AS score
              FROM "BidScore" s JOIN "Bid" b ON b.id = s."bidId"
              WHERE s."roundId" = ${idLiteral(roundId)} AND s.unresolved > 0
              ORDER BY s."moderatedScore" DESC, s."bidId" LIMIT 20) t) AS rows`,
  );
  return { rows: rows[0]?.rows ?? [], count: Number(rows[0]?.count ?? 0) };
}

export interface StaleReferenceRow {
  reference: string;
  /** How many there are in all, on every row. */
  total: number;
}

/** The first 20 recommended bids of the round but those given, by reference, each row with how many in all. */
export async function recommendedOutside(sql: SqlQuery, roundId: string, excluded: string[]): Promise<StaleReferenceRow[]> {
  const { rows } = await sql<StaleReferenceRow>(
    `SELECT b.reference, count(*) OVER ()::int AS total FROM "Bid" b
       WHERE b."roundId" = $1 AND b.state = 'recommended' AND NOT (b.id = ANY($2::text[]))
       ORDER BY b.reference COLLATE "C" LIMIT 20`,
    [roundId, excluded],
  );
  return rows;
}

// ---------------------------------------------------------------- the decision pages' round

/** A round as the decision pages need it: its own fields, and its fund's rules for roundRules. */
export interface DecisionRoundRow {
  id: string;
  slug: string;
  name: string;
  decisionMessage: string | null;
  decisionsPublishedAt: Date | null;
  assessmentDueAt: Date | null;
  rules: unknown;
  budgetPence: number;
  capPence: number;
  stage: "scan" | "pilot" | "scale";
  fund: { rules: unknown };
}

/** The round with this slug and its fund's rules, in one statement (Prisma's include is two). */
export async function decisionRoundBySlug(sql: SqlQuery, slug: string): Promise<DecisionRoundRow | null> {
  const { rows } = await sql<DecisionRoundRow>(
    // The times are stored in UTC without a zone, as Prisma writes them; read as such.
    `SELECT r.id, r.slug, r.name, r."decisionMessage",
       r."decisionsPublishedAt" AT TIME ZONE 'UTC' AS "decisionsPublishedAt", r."assessmentDueAt" AT TIME ZONE 'UTC' AS "assessmentDueAt",
       r.rules, r."budgetPence", r."capPence", r.stage::text AS stage, json_build_object('rules', f.rules) AS fund
     FROM "Round" r JOIN "Fund" f ON f.id = r."fundId" WHERE r.slug = $1`,
    [slug],
    "decision_round",
  );
  return rows[0] ?? null;
}

/** The fund team's moves of the funding line in the round (to include or exclude a bid), in no particular order. */
export async function lineAdjustments(sql: SqlQuery, roundId: string): Promise<LineAdjustment[]> {
  return (
    await sql<LineAdjustment>(
      `SELECT "bidId", direction, reason FROM "FundingLineAdjustment" WHERE "roundId" = ${idLiteral(roundId)} AND direction IN ('include', 'exclude')`,
    )
  ).rows;
}

/** The first 20 references, in order, of the round's bids in the given states. */
export async function firstReferencesIn(sql: SqlQuery, roundId: string, states: readonly string[]): Promise<string[]> {
  const { rows } = await sql<{ reference: string }>(
    `SELECT reference FROM "Bid" WHERE "roundId" = ${idLiteral(roundId)} AND state = ANY(${namesLiteral(states)}) ORDER BY reference LIMIT 20`,
  );
  return rows.map((r) => r.reference);
}
