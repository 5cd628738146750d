import type { SqlQuery } from "~/db/database.server.ts";

// The rate limits' one statement: an upsert that resets an expired window or counts the
// attempt, atomically, which Prisma's upsert cannot express (its update cannot depend on the
// row it finds). docs/decisions/0015-data-access.md.

/** Counts one attempt against `key`; the count so far in this window and the seconds until it ends. */
export async function countAttempt(sql: SqlQuery, key: string, windowSeconds: number): Promise<{ count: number; retry: number }> {
  const { rows } = await sql<{ count: number; retry: number }>(
    `INSERT INTO "RateLimit" (key, count, "resetAt")
     VALUES ($1, 1, (now() AT TIME ZONE 'UTC') + ($2::int * interval '1 second'))
     ON CONFLICT (key) DO UPDATE SET
       count = CASE WHEN "RateLimit"."resetAt" <= (now() AT TIME ZONE 'UTC') THEN 1 ELSE "RateLimit".count + 1 END,
       "resetAt" = CASE WHEN "RateLimit"."resetAt" <= (now() AT TIME ZONE 'UTC')
                   THEN (now() AT TIME ZONE 'UTC') + ($2::int * interval '1 second') ELSE "RateLimit"."resetAt" END
     RETURNING count, CEIL(EXTRACT(EPOCH FROM ("resetAt" - (now() AT TIME ZONE 'UTC'))))::int AS retry`,
    [key, windowSeconds],
    "rate_limit_count",
  );
  return rows[0]!;
}
