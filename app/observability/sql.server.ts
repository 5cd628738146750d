import type { SqlQuery } from "~/db/database.server.ts";

// The metrics' SQL: one grouped read of the outbox serves three gauges in a scrape, prepared
// once per connection, since every process is scraped every few seconds.

export interface OutboxStatusCount {
  status: string;
  count: string | number;
  /** Seconds since the oldest message of this status was written. */
  oldest: string | number | null;
}

/** The outbox's unsent messages (pending, sending): how many of each and the oldest's age. */
export async function unsentOutbox(sql: SqlQuery): Promise<OutboxStatusCount[]> {
  const { rows } = await sql<OutboxStatusCount>(
    `SELECT status::text AS status, count(*) AS count,
            EXTRACT(EPOCH FROM ((now() AT TIME ZONE 'UTC') - min("createdAt"))) AS oldest
     FROM "Notification" WHERE status IN ('pending', 'sending') GROUP BY status`,
    [],
    "metrics_outbox",
  );
  return rows;
}
