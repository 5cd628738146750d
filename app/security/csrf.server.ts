import { env } from "~/env.server.ts";
import { readCookie, safeEqual, unsign } from "./tokens.server.ts";

/**
 * Double-submit CSRF protection for every form, signed in or not. server/http.ts gives each
 * browser a signed `csrf` cookie; every form carries the same token in a hidden field
 * (<CsrfInput>), and every action calls requireCsrf before doing anything. A cross-site
 * page can make the browser send the cookie, but cannot read it to fill in the field.
 */
export const CSRF_COOKIE = "csrf";
export const CSRF_FIELD = "csrf";

export function csrfFromRequest(request: Request): string | null {
  const signed = readCookie(request, CSRF_COOKIE);
  return signed ? unsign(signed, env().SESSION_SECRET) : null;
}

export function requireCsrf(request: Request, form: FormData): void {
  const expected = csrfFromRequest(request);
  const submitted = form.get(CSRF_FIELD);
  if (!expected || typeof submitted !== "string" || !safeEqual(expected, submitted)) {
    throw new Response(
      "This form could not be accepted because it did not come from this service's page. Go back, refresh the page and try again.",
      { status: 403, statusText: "Forbidden" },
    );
  }
}
