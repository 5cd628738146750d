import { env } from "~/env.server.ts";
import { sign, unsign } from "~/security/tokens.server.ts";

/**
 * Unsubscribe links are signed with SESSION_SECRET (no table): the token names the user and
 * nothing else, so it can only change that person's choice for non-essential emails, and only
 * through a confirmation page with a POST (mail scanners follow links; they do not submit forms).
 */
const PREFIX = "unsubscribe:";

export function unsubscribeToken(userId: string): string {
  return sign(`${PREFIX}${userId}`, env().SESSION_SECRET);
}

export function unsubscribeUrl(userId: string): string {
  const url = new URL("/unsubscribe", env().APP_URL);
  url.searchParams.set("token", unsubscribeToken(userId));
  return url.toString();
}

/** The user id the token was made for, or null when it is not one of ours. */
export function userIdFromUnsubscribeToken(token: string | null | undefined): string | null {
  if (!token || token.length > 300) return null;
  const value = unsign(token, env().SESSION_SECRET);
  return value?.startsWith(PREFIX) ? value.slice(PREFIX.length) || null : null;
}
