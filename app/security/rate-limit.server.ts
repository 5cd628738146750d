import type { PrismaClient } from "~/generated/prisma/client.ts";

export interface RateLimitResult {
  allowed: boolean;
  retryAfterSeconds: number;
}

/**
 * A fixed-window counter in the database, so every app process shares it. One statement
 * both resets an expired window and counts the attempt, so concurrent requests cannot
 * both slip under the limit.
 */
export async function consumeRateLimit(
  prisma: PrismaClient,
  key: string,
  limit: number,
  windowSeconds: number,
): Promise<RateLimitResult> {
  const rows = await prisma.$queryRawUnsafe<{ count: number; retry: number }[]>(
    `INSERT INTO "RateLimit" (key, count, "resetAt")
     VALUES ($1, 1, (now() AT TIME ZONE 'UTC') + ($2::int * interval '1 second'))
     ON CONFLICT (key) DO UPDATE SET
       count = CASE WHEN "RateLimit"."resetAt" <= (now() AT TIME ZONE 'UTC') THEN 1 ELSE "RateLimit".count + 1 END,
       "resetAt" = CASE WHEN "RateLimit"."resetAt" <= (now() AT TIME ZONE 'UTC')
                   THEN (now() AT TIME ZONE 'UTC') + ($2::int * interval '1 second') ELSE "RateLimit"."resetAt" END
     RETURNING count, CEIL(EXTRACT(EPOCH FROM ("resetAt" - (now() AT TIME ZONE 'UTC'))))::int AS retry`,
    key,
    windowSeconds,
  );
  const row = rows[0]!;
  return { allowed: row.count <= limit, retryAfterSeconds: Math.max(1, row.retry) };
}
