import type { SqlQuery } from "~/db/database.server.ts";

// The bids' SQL: what Prisma's API cannot say. docs/decisions/0015-data-access.md.

/** Holds the bid's row until the transaction ends, so that saves of one bid take turns. */
export async function lockBid(sql: SqlQuery, bidId: string): Promise<void> {
  await sql(`SELECT "id" FROM "Bid" WHERE "id" = $1 FOR UPDATE`, [bidId]);
}
