import { database } from "~/db/database.server.ts";
import { rebuildAllTallies } from "./sql.server.ts";

// The dashboards read running counts (RoundBidTally, AssessmentTally, ProjectFigures,
// OpenCondition) that database triggers keep in step with the records, in the same
// transaction as each change (prisma/migrations/*_dashboard_tallies). A page then reads a
// few hundred rows whatever the size of the round, instead of counting it on every visit;
// decision 0010 says why triggers rather than a cache.

/**
 * Works every tally out again from the records. For after a bulk load that bypassed the
 * triggers (session_replication_role = replica), or to repair; writers wait meanwhile.
 */
export async function rebuildTallies(): Promise<void> {
  await rebuildAllTallies(database().sql);
}
