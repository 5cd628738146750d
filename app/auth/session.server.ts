import { redirect } from "@remix-run/node";
import { database, db } from "~/db/database.server.ts";
import { env } from "~/env.server.ts";
import { noteUser, oncePerRequest } from "~/log/context.server.ts";
import type { Role } from "~/generated/prisma/client.ts";
import { randomToken, readCookie, serializeCookie, sha256, sign, unsign } from "~/security/tokens.server.ts";
import { forbidden } from "~/http/errors.server.ts";
import { SESSION_COOKIE } from "~/security/cookie-names.ts";
import { sessionUser } from "./sql.server.ts";

export const SESSION_HOURS = 12;

const secureCookies = () => env().APP_URL.startsWith("https://");

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  senior: boolean;
  organisation: { id: string; code: string; name: string; kind: string };
}

/** Starts a new session (a new secret every sign-in) and ends the one the browser had. */
export async function createSession(request: Request, userId: string): Promise<string> {
  const previous = sessionSecret(request);
  const secret = randomToken();
  await db().$transaction([
    ...(previous ? [db().session.deleteMany({ where: { secretHash: sha256(previous) } })] : []),
    db().session.create({
      data: { userId, secretHash: sha256(secret), expiresAt: new Date(Date.now() + SESSION_HOURS * 3600_000) },
    }),
    db().user.update({ where: { id: userId }, data: { lastSignInAt: new Date() } }),
  ]);
  return serializeCookie(SESSION_COOKIE, sign(secret, env().SESSION_SECRET), {
    secure: secureCookies(),
    // The database decides when a session ends; the cookie outlives it by a day so that a
    // form sent after the session ran out still says whose it was, and can be kept for them
    // (app/auth/kept-forms.server.ts) instead of lost.
    maxAgeSeconds: (SESSION_HOURS + 24) * 3600,
  });
}

export async function destroySession(request: Request): Promise<string> {
  const secret = sessionSecret(request);
  if (secret) await db().session.deleteMany({ where: { secretHash: sha256(secret) } });
  return serializeCookie(SESSION_COOKIE, "", { secure: secureCookies(), maxAgeSeconds: 0 });
}

function sessionSecret(request: Request): string | null {
  const signed = readCookie(request, SESSION_COOKIE);
  return signed ? unsign(signed, env().SESSION_SECRET) : null;
}

export async function getUser(request: Request): Promise<SignedInUser | null> {
  const secret = sessionSecret(request);
  if (!secret) return null;
  const secretHash = sha256(secret);
  // Keyed by the session, not the request: an action that signs someone in or out has a
  // different cookie, so it never sees the answer given for the old one.
  return oncePerRequest(`session:${secretHash}`, () => lookUpSession(secretHash));
}

async function lookUpSession(secretHash: string): Promise<SignedInUser | null> {
  const row = await sessionUser(database().sql, secretHash);
  if (!row) return null;
  const user: SignedInUser = {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    senior: row.senior,
    organisation: { id: row.organisationId, code: row.organisationCode, name: row.organisationName, kind: row.organisationKind },
  };
  // Who is asking, as ids, for the request's log line.
  noteUser(user);
  return user;
}

/**
 * The signed-in user, or a redirect to sign in that brings them back here afterwards.
 * With `roles`, anyone else gets 403.
 */
export async function requireUser(request: Request, roles?: readonly Role[]): Promise<SignedInUser> {
  const user = await getUser(request);
  if (!user) {
    const url = new URL(request.url);
    const returnTo = request.method === "GET" ? url.pathname + url.search : url.pathname;
    throw redirect(`/sign-in?returnTo=${encodeURIComponent(returnTo)}`);
  }
  if (roles && !roles.includes(user.role)) {
    throw forbidden();
  }
  return user;
}

// Any origin would do: it only tells a path of ours from an address elsewhere.
const OWN_ORIGIN = "http://springboard.invalid";

/**
 * Only paths inside this service, so a crafted link cannot send people elsewhere. Browsers
 * drop tabs and line breaks from addresses and read a backslash as a slash, so
 * "/\t/evil.example" would become "//evil.example", another site: such characters are
 * refused, and what is left must resolve to this service's own origin.
 */
export function safeReturnTo(value: unknown, fallback = "/home"): string {
  // eslint-disable-next-line no-control-regex -- control characters are what it refuses
  if (typeof value !== "string" || !value.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(value)) return fallback;
  let url: URL;
  try {
    url = new URL(value, OWN_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== OWN_ORIGIN) return fallback;
  return url.pathname + url.search + url.hash;
}
