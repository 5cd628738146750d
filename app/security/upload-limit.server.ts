import { env } from "~/env.server.ts";
import { consumeRateLimit } from "./rate-limit.server.ts";
import { plural } from "~/utils/format.ts";

const WINDOW_SECONDS = 3600;

/**
 * Counts one upload by this person against their hourly allowance (UPLOAD_LIMIT_PER_HOUR,
 * default 60), shared by every app process. Returns null when the upload may go ahead, or
 * the sentence to show by the file field. Called after the CSRF check, so a forged request
 * cannot use up someone's allowance.
 */
export async function uploadRefusal(userId: string): Promise<string | null> {
  const result = await consumeRateLimit(`upload:user:${userId}`, env().UPLOAD_LIMIT_PER_HOUR, WINDOW_SECONDS);
  if (result.allowed) return null;
  const minutes = Math.max(1, Math.ceil(result.retryAfterSeconds / 60));
  return `You have uploaded a lot of files in the last hour. Try again in ${plural(minutes, "minute")}`;
}
