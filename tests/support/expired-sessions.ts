import { CSRF_COOKIE, SESSION_COOKIE } from "~/security/cookie-names.ts";
import { db } from "~/db/database.server.ts";
import { env } from "~/env.server.ts";
import { sessionCsrfToken } from "~/security/csrf.server.ts";
import { randomToken, sha256, sign, unsign } from "~/security/tokens.server.ts";
import { anonymousBrowser, type Browser } from "../../bench/support/requests.ts";

const csrfCookieOf = (browser: Browser) => browser.cookie.split("; ").find((part) => part.startsWith(`${CSRF_COOKIE}=`))!;

/** The browser's own token (its `csrf` cookie), which kept forms are tied to. */
export const browserToken = (browser: Browser) => unsign(decodeURIComponent(csrfCookieOf(browser).slice(CSRF_COOKIE.length + 1)), env().SESSION_SECRET)!;

/**
 * This browser (its `csrf` cookie) holding a session for the user that ends `minutesFromNow`
 * from now, its forms carrying that session's token as its pages would.
 */
async function withSession(browser: Browser, userId: string, minutesFromNow: number): Promise<Browser> {
  const secret = randomToken();
  await db().session.create({ data: { userId, secretHash: sha256(secret), expiresAt: new Date(Date.now() + minutesFromNow * 60_000) } });
  return {
    csrf: sessionCsrfToken(secret, env().SESSION_SECRET),
    userId,
    cookie: `${csrfCookieOf(browser)}; ${SESSION_COOKIE}=${encodeURIComponent(sign(secret, env().SESSION_SECRET))}`,
  };
}

/** A browser whose session for the user has just run out: a page opened before then sends this. */
export const expiredBrowser = (userId: string, browser: Browser = anonymousBrowser()) => withSession(browser, userId, -1);

/** The same browser (same `csrf` cookie) after the user signs in again. */
export const signedInAgain = (browser: Browser, userId: string) => withSession(browser, userId, 60);
