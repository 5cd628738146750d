import { bidsByState } from "~/dashboards/sql.server.ts";
import { database } from "~/db/database.server.ts";
import { readTogether } from "~/db/together.server.ts";
import { readWithScoresUpToDate } from "./round-scores.server.ts";
import {
  anyDirtyScore,
  assessorProgressPage,
  bidProgressPage,
  oldestOverdueAssessments,
  PROGRESS_PAGE_SIZE,
  roundAssessmentCounts,
  roundModerationFlags,
  type ProgressCountsRow,
} from "./sql.server.ts";
import type { FundRules } from "../../workflows/index.ts";

// The round's assessment progress. The whole-round figures come from the running counts
// (AssessmentTally, RoundBidTally and the flags stored in BidScore, app/dashboards), so they
// cost the same for a round of ten bids or of a hundred thousand; the per-bid table reads
// one page of bids and their own assessments. An assessment is overdue when it is not in
// yet and its own due date (or, without one, the round's) has passed.

/** Timestamps are stored as UTC without a zone; compare like with like on both engines. */
const utc = (date: Date | null) => (date ? date.toISOString().slice(0, 23) : null);

export interface Counts {
  done: number;
  pending: number;
  overdue: number;
  declined: number;
  conflicts: number;
}

const asCounts = (row: Partial<ProgressCountsRow>): Counts => ({
  done: Number(row.done ?? 0),
  pending: Number(row.pending ?? 0),
  overdue: Number(row.overdue ?? 0),
  declined: Number(row.declined ?? 0),
  conflicts: Number(row.conflicts ?? 0),
});

export const PAGE_SIZE = PROGRESS_PAGE_SIZE;

export interface ProgressRound {
  id: string;
  assessmentDueAt: Date | null;
  ruleSet: FundRules;
}

export async function roundProgress(round: ProgressRound, options: { after?: string | null; assessorPage?: number; now?: Date } = {}) {
  const sql = database().sql;
  const times = { due: utc(round.assessmentDueAt), now: utc(options.now ?? new Date()) };
  // Every read in one statement (readTogether), with the flags, which are stored scores, up to date.
  const [, totals, bidStates, moderation, assessors, bids] = await readWithScoresUpToDate(round.id, round.ruleSet, () =>
    readTogether(sql, (together) =>
      Promise.all([
        anyDirtyScore(together, round.id),
        roundAssessmentCounts(together, round.id, times),
        bidsByState(together, round.id),
        roundModerationFlags(together, round.id),
        assessorProgressPage(together, round.id, times, Math.max(0, (options.assessorPage ?? 1) - 1) * PAGE_SIZE),
        bidProgressPage(together, round.id, times, options.after ?? ""),
      ]),
    ),
  );
  const totalCounts = asCounts(totals ?? {});
  // The oldest overdue assessments, only looked for when the tally says there are some.
  const overdue = totalCounts.overdue ? await oldestOverdueAssessments(sql, round.id, times) : [];

  const bidRows = bids.slice(0, PAGE_SIZE).map((r) => ({
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
    moderation: { flagged: Number(moderation?.flagged ?? 0), unresolved: Number(moderation?.unresolved ?? 0) },
    assessors: assessors.slice(0, PAGE_SIZE).map((r) => ({ id: String(r.id), name: String(r.name), ...asCounts(r) })),
    moreAssessors: assessors.length > PAGE_SIZE,
    overdue: overdue.map((r) => ({ id: r.id, bidId: r.bidId, reference: r.reference, assessor: r.assessor, dueAt: r.dueAt })),
    bids: bidRows,
    nextAfter: bids.length > PAGE_SIZE ? bidRows[bidRows.length - 1]!.reference : null,
  };
}
