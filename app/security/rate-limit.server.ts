import { database } from "~/db/database.server.ts";
import { countAttempt } from "./sql.server.ts";

export interface RateLimitResult {
  allowed: boolean;
  retryAfterSeconds: number;
}

/**
 * A fixed-window counter in the database, so every app process shares it. One statement
 * both resets an expired window and counts the attempt, so concurrent requests cannot
 * both slip under the limit.
 */
export async function consumeRateLimit(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
  const row = await countAttempt(database().sql, key, windowSeconds);
  return { allowed: row.count <= limit, retryAfterSeconds: Math.max(1, row.retry) };
}
