/**
 * Every cookie the service sets, in one list: the cookies page renders it, and the tests
 * compare it with what the service really sends (tests/integration/public-pages.test.ts
 * reads the Set-Cookie headers, tests/e2e/public-pages.spec.ts what a browser holds). A new
 * cookie that is not added here fails both, so the page cannot fall behind the code.
 *
 * Plain data, with no server imports, so that the browser tests can import it too. The
 * names are the ones app/security/cookie-names.ts gives the session and the CSRF token;
 * the integration test checks they agree.
 */
export interface ServiceCookie {
  name: string;
  /** What it is for, in a sentence. */
  purpose: string;
  /** Who gets it, and when. */
  setWhen: string;
  /** How long the browser keeps it: hours from when it is set, or null until the browser is closed. */
  maxAgeHours: number | null;
}

export const serviceCookies: readonly ServiceCookie[] = [
  {
    name: "csrf",
    purpose:
      "Proves that a form you send came from this service's own pages and not from another website. It also lets us give back what you typed if your session runs out while you are filling in a form.",
    setWhen: "Everyone, on the first page they open.",
    maxAgeHours: null,
  },
  {
    name: "__session",
    purpose: "Keeps you signed in. It holds a random code that matches your session; it does not hold your name or email address.",
    setWhen: "People who sign in, when they continue from the link in their sign-in email. Signing out removes it.",
    // The session itself ends after 12 hours; the cookie stays a day longer so that a form
    // sent after that can still be kept for the person who typed it.
    maxAgeHours: 36,
  },
];

/** How long a cookie lasts, as the cookies page says it. */
export function cookieExpiry(cookie: ServiceCookie): string {
  return cookie.maxAgeHours === null ? "When you close your browser" : `${cookie.maxAgeHours} hours`;
}
