import type { AppLoadContext } from "@remix-run/node";
import { db } from "~/db/database.server.ts";
import { CSRF_COOKIE, SESSION_COOKIE } from "~/security/cookie-names.ts";
import type { Role } from "~/auth/roles.ts";
import { sessionCsrfToken } from "~/security/csrf.server.ts";
import { env } from "~/env.server.ts";
import { randomToken, sha256, sign, unsign } from "~/security/tokens.server.ts";

/** A browser, as far as the server can tell: cookies for a session and a CSRF token. */
export interface Browser {
  cookie: string;
  csrf: string;
  userId?: string;
}

export function anonymousBrowser(): Browser {
  const csrf = randomToken();
  return { cookie: `${CSRF_COOKIE}=${encodeURIComponent(sign(csrf, env().SESSION_SECRET))}`, csrf };
}

/** Signs a user in without email, for tests whose subject is not sign-in itself. */
export async function signedInBrowser(userId: string): Promise<Browser> {
  const browser = anonymousBrowser();
  const secret = randomToken();
  await db().session.create({
    data: { userId, secretHash: sha256(secret), expiresAt: new Date(Date.now() + 3600_000) },
  });
  return {
    ...browser,
    // Signed in, forms carry the session's token (app/security/csrf.server.ts), as the pages give it.
    csrf: sessionCsrfToken(secret, env().SESSION_SECRET),
    userId,
    cookie: `${browser.cookie}; ${SESSION_COOKIE}=${encodeURIComponent(sign(secret, env().SESSION_SECRET))}`,
  };
}

/**
 * A browser holding the session cookie the service set (`__session=…` from a Set-Cookie
 * header), with the form token its pages would carry.
 */
export function browserWithSession(sessionCookie: string): Browser {
  const browser = anonymousBrowser();
  const value = decodeURIComponent(sessionCookie.split(";")[0]!.split("=").slice(1).join("="));
  const secret = unsign(value, env().SESSION_SECRET);
  return {
    ...browser,
    csrf: secret ? sessionCsrfToken(secret, env().SESSION_SECRET) : browser.csrf,
    cookie: `${browser.cookie}; ${sessionCookie.split(";")[0]}`,
  };
}

let counter = 0;
/** A user of the given role in a new or given organisation. */
export async function createUser(role: Role, organisationId?: string) {
  counter++;
  const organisation =
    organisationId ??
    (
      await db().organisation.create({
        data: {
          code: `T${counter}${randomToken(3)
            .replace(/[^A-Za-z0-9]/g, "")
            .toUpperCase()}`.slice(0, 6),
          kind: role === "fundTeam" || role === "admin" || role === "gateApprover" ? "ministry" : role === "assessor" ? "assessorBody" : "council",
          name: `Test organisation ${counter}`,
          officialName: `Test organisation ${counter}`,
        },
      })
    ).id;
  return db().user.create({
    data: { email: `user${counter}-${randomToken(4).toLowerCase()}@example.test`, name: `Test ${role} ${counter}`, role, organisationId: organisation },
  });
}

export const context = (clientIp = "203.0.113.7"): AppLoadContext => ({ nonce: "test", csrfToken: "", clientIp, requestId: "test-request" });

export function get(path: string, browser?: Browser): Request {
  return new Request(`http://localhost:3000${path}`, { headers: browser ? { Cookie: browser.cookie } : {} });
}

export function post(path: string, browser: Browser, fields: Record<string, string | string[]> = {}, withCsrf = true): Request {
  const body = new URLSearchParams();
  if (withCsrf) body.set("csrf", browser.csrf);
  for (const [key, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
  }
  return new Request(`http://localhost:3000${path}`, {
    method: "POST",
    headers: { Cookie: browser.cookie, "Content-Type": "application/x-www-form-urlencoded" },
    body,
  });
}

/** Runs a loader or action, returning the Response it returned or threw. */
export async function run(fn: () => Promise<unknown>): Promise<{ status: number; location: string | null; data: any; response?: Response }> {
  try {
    const result = await fn();
    if (result instanceof Response) return { status: result.status, location: result.headers.get("Location"), data: null, response: result };
    if (result && typeof result === "object" && "type" in result && (result as any).type === "DataWithResponseInit") {
      const r = result as any;
      return { status: r.init?.status ?? 200, location: null, data: r.data };
    }
    return { status: 200, location: null, data: result };
  } catch (thrown) {
    if (thrown instanceof Response) {
      return { status: thrown.status, location: thrown.headers.get("Location"), data: await thrown.text().catch(() => null), response: thrown };
    }
    throw thrown;
  }
}
