import { isAwaitingRework, MODERATED_BID_STATES, SUBMITTED_STATES } from "./moderation.server.ts";
import { disagreements, moderatedCriterionScores, readScores, weightedScore } from "./scoring.ts";
import { database, db } from "~/db/database.server.ts";
import type { FundRules } from "../../workflows/index.ts";

// The moderated scores of a whole round, read in batches: the same arithmetic as
// bidModeration (moderation.server.ts), which reads one bid at a time, so that the ranking
// of a large round costs a few queries rather than a few per bid. The figures the ranking
// and the progress page read are stored per bid in BidScore and brought up to date here
// (refreshRoundScores); app/funding ranks them.

type Criterion = FundRules["assessment"]["criteria"][number];

/** The criterion that breaks ties: the most heavily weighted, the first listed among equals. */
export function tieCriterion(criteria: readonly Criterion[]): Criterion {
  return criteria.reduce((best, c) => (c.weight > best.weight ? c : best), criteria[0]!);
}

export interface BidScores {
  bidId: string;
  reference: string;
  title: string;
  lead: string;
  state: string;
  version: number;
  amountPence: number;
  submittedAt: string | null;
  criteria: Record<string, number | null>;
  moderatedScore: number;
  /** Flagged criteria without a consensus, plus assessments returned for rework (as unresolvedDisagreements). */
  unresolved: number;
  /** Criteria on which the assessors differ by more than the threshold, and those of them without a consensus. */
  flagged: number;
  flagsOpen: number;
}

const BATCH = 500;
const REFRESH_BATCH = 1000;

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
export const BID_TO_SCORE_COLUMNS = `b.id, b.reference, b.title, b.state, b.version, b."amountRequestedPence", b.snapshot #>> '{context,submitted,at}' AS "submittedAt", o.name AS lead`;

/** The scores of the given bids (already loaded rows), in one query per table. */
export async function scoreBids(
  bids: {
    id: string;
    reference: string;
    title: string;
    state: string;
    version: number;
    amountRequestedPence: number;
    snapshot: unknown;
    leadOrganisation: { name: string };
  }[],
  rules: FundRules,
): Promise<BidScores[]> {
  return scoreRows(
    bids.map((bid) => ({
      id: bid.id,
      reference: bid.reference,
      title: bid.title,
      state: bid.state,
      version: bid.version,
      amountRequestedPence: bid.amountRequestedPence,
      submittedAt: (bid.snapshot as { context?: { submitted?: { at?: string } | null } } | null)?.context?.submitted?.at ?? null,
      lead: bid.leadOrganisation.name,
    })),
    rules,
  );
}

/** The scores of the given bids, reading their assessments and consensus scores in one query each. */
export async function scoreRows(bids: readonly BidToScore[], rules: FundRules): Promise<BidScores[]> {
  if (!bids.length) return [];
  const ids = bids.map((b) => b.id);
  const sql = database().sql;
  const [assessments, consensus] = await Promise.all([
    // Plain SQL rather than the ORM: at a round's size this is read a thousand bids at a time,
    // and only an assessment being scored again needs its snapshot (isAwaitingRework).
    sql<{ bidId: string; state: string; snapshot: unknown; scores: unknown }>(
      `SELECT "bidId", state, CASE WHEN state = 'scoring' THEN snapshot END AS snapshot, scores FROM "Assessment"
       WHERE "bidId" = ANY($1::text[]) AND state = ANY($2::text[])
       ORDER BY "createdAt", id`,
      [ids, [...SUBMITTED_STATES, "returned", "scoring"]],
    ),
    sql<{ bidId: string; criterionKey: string; score: number }>(`SELECT "bidId", "criterionKey", score FROM "ConsensusScore" WHERE "bidId" = ANY($1::text[])`, [
      ids,
    ]),
  ]);
  const { criteria, scale, disagreementThreshold } = rules.assessment;
  const byBid = new Map<string, (typeof assessments.rows)[number][]>();
  for (const a of assessments.rows) byBid.set(a.bidId, [...(byBid.get(a.bidId) ?? []), a]);
  const agreedByBid = new Map<string, Record<string, number>>();
  for (const c of consensus.rows) agreedByBid.set(c.bidId, Object.assign(agreedByBid.get(c.bidId) ?? {}, { [c.criterionKey]: Number(c.score) }));
  return bids.map((bid) => {
    const counted = (byBid.get(bid.id) ?? []).filter((a) => (SUBMITTED_STATES as readonly string[]).includes(a.state) || isAwaitingRework(a));
    const scored = counted.map((a) => readScores(a.scores));
    const agreed = agreedByBid.get(bid.id) ?? {};
    const perCriterion = moderatedCriterionScores(scored, agreed, criteria);
    const differing = disagreements(scored, criteria, disagreementThreshold);
    const flagged = differing.filter((d) => agreed[d.criterionKey] === undefined);
    return {
      bidId: bid.id,
      reference: bid.reference,
      title: bid.title,
      lead: bid.lead,
      state: bid.state,
      version: bid.version,
      amountPence: bid.amountRequestedPence,
      submittedAt: bid.submittedAt,
      criteria: perCriterion,
      moderatedScore: weightedScore(perCriterion, criteria, scale),
      unresolved: flagged.length + counted.filter((a) => isAwaitingRework(a)).length,
      flagged: differing.length,
      flagsOpen: flagged.length,
    };
  });
}

const bidRowSelect = {
  id: true,
  reference: true,
  title: true,
  state: true,
  version: true,
  amountRequestedPence: true,
  snapshot: true,
  leadOrganisation: { select: { name: true } },
} as const;

/** Every bid of the round that has reached moderation, with its scores, a batch at a time. */
export async function roundScores(roundId: string, rules: FundRules): Promise<BidScores[]> {
  const result: BidScores[] = [];
  let after: string | null = null;
  for (;;) {
    const page: Parameters<typeof scoreBids>[0] = await db().bid.findMany({
      where: { roundId, state: { in: [...MODERATED_BID_STATES] }, ...(after ? { id: { gt: after } } : {}) },
      select: bidRowSelect,
      orderBy: { id: "asc" },
      take: BATCH,
    });
    result.push(...(await scoreBids(page, rules)));
    if (page.length < BATCH) break;
    after = page[page.length - 1]!.id;
  }
  return result;
}

/** Works out again every out-of-date stored score in the round. Returns how many. */
export async function refreshRoundScores(roundId: string, rules: FundRules): Promise<number> {
  const sql = database().sql;
  const top = tieCriterion(rules.assessment.criteria);
  let done = 0;
  for (;;) {
    const { rows } = await sql<{ bidId: string; dirty: number }>(
      // Ordered as the ("roundId", dirty) index is, so the scan starts at the most out-of-date
      // row and stops at the first clean one: unordered, the planner reads the whole table
      // when its statistics expect dirty rows that are not there (1.4 s at a million bids).
      `SELECT "bidId", dirty FROM "BidScore" WHERE "roundId" = $1 AND dirty > 0 ORDER BY dirty DESC LIMIT ${REFRESH_BATCH}`,
      [roundId],
    );
    if (!rows.length) return done;
    const bids = (
      await sql<BidToScore>(`SELECT ${BID_TO_SCORE_COLUMNS} FROM "Bid" b JOIN "Organisation" o ON o.id = b."leadOrganisationId" WHERE b.id = ANY($1::text[])`, [
        rows.map((r) => r.bidId),
      ])
    ).rows;
    const scores = await scoreRows(bids, rules);
    const seen = new Map(rows.map((r) => [r.bidId, r.dirty]));
    // Only what was seen is taken off: a write that came in meanwhile leaves the row marked.
    await sql(
      `UPDATE "BidScore" s SET "moderatedScore" = t.score, "topScore" = t.top, "submittedAt" = t.submitted::timestamp, unresolved = t.unresolved,
         flagged = t.flagged, "flagsOpen" = t.open, dirty = s.dirty - t.seen
       FROM unnest($1::text[], $2::float8[], $3::float8[], $4::text[], $5::int[], $6::int[], $7::int[], $8::int[])
         AS t(id, score, top, submitted, unresolved, seen, flagged, open)
       WHERE s."bidId" = t.id`,
      [
        scores.map((s) => s.bidId),
        scores.map((s) => s.moderatedScore),
        scores.map((s) => s.criteria[top.key] ?? null),
        scores.map((s) => (s.submittedAt ? new Date(s.submittedAt).toISOString().slice(0, 23) : null)),
        // Only a bid in moderation has anything to resolve (a transition marks the row, so
        // this follows the bid's state); the list of bids to moderate then needs no join.
        scores.map((s) => (s.state === "moderation" ? s.unresolved : 0)),
        scores.map((s) => seen.get(s.bidId) ?? 0),
        scores.map((s) => s.flagged),
        scores.map((s) => s.flagsOpen),
      ],
    );
    // Rows whose bid has gone (cannot happen with the foreign key, but never loop forever).
    const found = new Set(bids.map((b) => b.id));
    const missing = rows.filter((r) => !found.has(r.bidId)).map((r) => r.bidId);
    if (missing.length) await sql(`UPDATE "BidScore" SET dirty = 0 WHERE "bidId" = ANY($1::text[])`, [missing]);
    done += rows.length;
  }
}
