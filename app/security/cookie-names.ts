/**
 * The service's two cookies (app/legal/cookies.ts lists them for the public). Named here, at
 * the bottom of the house, because both the session (app/auth) and the CSRF check beside it
 * read them: neither needs the other's code to know the other's cookie.
 */
export const SESSION_COOKIE = "__session";
export const CSRF_COOKIE = "csrf";
