import type { SqlQuery } from "~/db/database.server.ts";
import { idLiteral } from "~/db/literals.server.ts";

// The dashboards' SQL: set-based reads of the running counts that triggers keep (decision
// 0010), grouped and summed in the database at 100,000 bids (npm run bench:dashboards), and
// the rebuild, a function the migrations define. docs/decisions/0015-data-access.md.

export interface BidStateCount {
  state: string;
  count: number;
}

/** How many bids of the round are in each state (states with none are left out). */
export async function bidsByState(sql: SqlQuery, roundId: string): Promise<BidStateCount[]> {
  const { rows } = await sql<BidStateCount>(
    `SELECT state, sum(bids)::int AS count FROM "RoundBidTally" WHERE "roundId" = ${idLiteral(roundId)} GROUP BY state HAVING sum(bids) <> 0 ORDER BY state`,
  );
  return rows.map((r) => ({ state: r.state, count: Number(r.count) }));
}

/** Works every tally out again from the records; writers wait meanwhile. */
export async function rebuildAllTallies(sql: SqlQuery): Promise<void> {
  await sql(`SELECT springboard_rebuild_tallies()`);
}
