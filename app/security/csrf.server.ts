import { createHmac } from "node:crypto";
import { env } from "~/env.server.ts";
import { forbidden } from "~/http/errors.server.ts";
import { CSRF_COOKIE, SESSION_COOKIE } from "./cookie-names.ts";
import { readCookie, safeEqual, unsign } from "./tokens.server.ts";

/**
 * Double-submit CSRF protection for every form, signed in or not. server/http.ts gives each
 * browser a signed `csrf` cookie; every form carries the same token in a hidden field
 * (<CsrfInput>), and every action calls requireCsrf before doing anything. A cross-site
 * page can make the browser send the cookie, but cannot read it to fill in the field.
 *
 * Once signed in, the token is derived from the session instead (sessionCsrfToken): a
 * token planted in a browser before sign-in (say, by someone who could set cookies for the
 * domain, or who used the machine first) is refused from the moment a session starts, and
 * every sign-in, with its new session secret, brings a new token.
 */
export const CSRF_FIELD = "csrf";

/**
 * The browser's own token, from its `csrf` cookie: it names the browser (kept forms are
 * tied to it, app/auth/kept-forms.server.ts) and is what anonymous forms carry.
 */
export function csrfFromRequest(request: Request): string | null {
  const signed = readCookie(request, CSRF_COOKIE);
  return signed ? unsign(signed, env().SESSION_SECRET) : null;
}

/** The form token of a signed-in browser: an HMAC of its session secret, so only this session's pages carry it. */
export function sessionCsrfToken(sessionSecret: string, secret: string): string {
  return createHmac("sha256", secret).update(`csrf:${sessionSecret}`).digest("base64url");
}

/**
 * The token this request's forms must carry, from its cookies: the session's while a
 * signed session cookie is present, the browser's `csrf` cookie otherwise. server/http.ts
 * puts the same token into every page, so the two always agree.
 */
export function expectedCsrfToken(cookie: (name: string) => string | null, secret: string): string | null {
  const session = cookie(SESSION_COOKIE);
  const sessionSecret = session ? unsign(session, secret) : null;
  if (sessionSecret) return sessionCsrfToken(sessionSecret, secret);
  const signed = cookie(CSRF_COOKIE);
  return signed ? unsign(signed, secret) : null;
}

export function requireCsrf(request: Request, form: FormData): void {
  const expected = expectedCsrfToken((name) => readCookie(request, name), env().SESSION_SECRET);
  const submitted = form.get(CSRF_FIELD);
  if (!expected || typeof submitted !== "string" || !safeEqual(expected, submitted)) {
    throw forbidden("This form could not be accepted because it did not come from this service's page. Go back, refresh the page and try again.");
  }
}
