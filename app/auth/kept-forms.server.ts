import { redirect } from "@remix-run/node";
import { authoriseUser, type RouteId } from "./access.server.ts";
import type { SignedInUser } from "./session.server.ts";
import { db } from "~/db/database.server.ts";
import { env } from "~/env.server.ts";
import { SESSION_COOKIE } from "~/security/cookie-names.ts";
import { csrfFromRequest, CSRF_FIELD, requireCsrf } from "~/security/csrf.server.ts";
import { consumeRateLimit } from "~/security/rate-limit.server.ts";
import { readCookie, safeEqual, sha256, unsign } from "~/security/tokens.server.ts";

/**
 * Kept forms: when a session runs out while someone is typing, what they sent is kept and
 * handed back once they have signed in again, so the words are not lost.
 *
 * A kept form is other people's input sitting in our database and later put into a page, so
 * it is kept on narrow terms:
 * - only for a browser that could have typed it: a valid CSRF token (the double-submit
 *   check) and a session cookie naming a real session that has expired. An anonymous or
 *   forged POST keeps nothing, so nobody can fill the table by posting at it;
 * - bound to that browser (a hash of its CSRF token) and to the person whose session it
 *   was, and handed back only to that browser signed in as that person. Anyone else gets
 *   nothing, without being told there was anything;
 * - only the fields the form declares, each value cut to KEPT_VALUE_CHARS and the whole to
 *   KEPT_FORM_BYTES: a kept name can never bring a field, or a row, the form does not have;
 * - a few at a time: the newest KEPT_PER_BROWSER per browser, and KEPT_PER_ADDRESS_PER_HOUR
 *   from one client address (the shared rate limiter);
 * - for KEPT_FORM_HOURS, after which it is deleted.
 */
export const KEPT_FORM_HOURS = 2;
export const KEPT_FORM_BYTES = 64 * 1024;
export const KEPT_VALUE_CHARS = 10_000;
export const KEPT_PER_BROWSER = 5;
export const KEPT_PER_ADDRESS_PER_HOUR = 20;

/**
 * The fields a form declares: their names, or the zod object that parses the form (its
 * keys). A GOV.UK date field `x` declares its boxes `x-day`, `x-month` and `x-year`. A
 * pattern declares names that come from data the action can only read once signed in
 * (the score form's criteria); anchor it, and keep it narrow.
 */
export type DeclaredFields = { shape: Record<string, unknown> } | readonly (string | RegExp)[];

export type KeptValues = Record<string, string>;

/**
 * authoriseUser for a form's action, except that when the session has run out what the
 * person typed is kept (see above) and they are sent to sign in, to come back to the form
 * with it. A form that cannot be kept still sends them to sign in, back to the empty form.
 */
export async function authoriseKeepingForm(request: Request, route: RouteId, form: FormData, fields: DeclaredFields, clientIp: string): Promise<SignedInUser> {
  try {
    return await authoriseUser(request, route, "action");
  } catch (thrown) {
    const location = thrown instanceof Response ? thrown.headers.get("Location") : null;
    if (!location?.startsWith("/sign-in")) throw thrown;
    requireCsrf(request, form);
    const path = new URL(request.url).pathname;
    const id = await keepForm(request, path, form, fields, clientIp);
    throw redirect(`/sign-in?returnTo=${encodeURIComponent(id ? `${path}?restore=${id}` : path)}`);
  }
}

/**
 * The form kept for this browser and this person at this path, or null: for an unknown,
 * expired or someone else's form alike, so a restore id found elsewhere tells nothing.
 */
export async function keptForm(request: Request, user: SignedInUser, restoreId: string | null, path: string): Promise<KeptValues | null> {
  if (!restoreId || !/^[a-z0-9]{20,40}$/i.test(restoreId)) return null;
  const csrf = csrfFromRequest(request);
  if (!csrf) return null;
  const row = await db().formRescue.findUnique({ where: { id: restoreId } });
  if (!row || row.path !== path || row.expiresAt <= new Date()) return null;
  if (row.userId !== user.id || !safeEqual(row.csrfHash, sha256(csrf))) return null;
  const fields = row.fields && typeof row.fields === "object" && !Array.isArray(row.fields) ? (row.fields as Record<string, unknown>) : {};
  const values: KeptValues = {};
  for (const [name, value] of Object.entries(fields)) if (typeof value === "string") values[name] = value;
  return values;
}

async function keepForm(request: Request, path: string, form: FormData, fields: DeclaredFields, clientIp: string): Promise<string | null> {
  const csrf = csrfFromRequest(request);
  const userId = csrf ? await expiredSessionUser(request) : null;
  if (!csrf || !userId) return null;
  // Counted only for a browser that got this far, so a forged POST cannot use up an address's allowance.
  const allowance = await consumeRateLimit(`kept-form:ip:${clientIp}`, KEPT_PER_ADDRESS_PER_HOUR, 3600);
  if (!allowance.allowed) return null;
  const kept = declaredValues(form, fields);
  const now = new Date();
  const csrfHash = sha256(csrf);
  await db().formRescue.deleteMany({ where: { expiresAt: { lte: now } } });
  const row = await db().formRescue.create({
    data: { path, fields: kept, csrfHash, userId, expiresAt: new Date(now.getTime() + KEPT_FORM_HOURS * 3600_000) },
    select: { id: true },
  });
  // The newest few per browser: the last form sent is the one the person is coming back to.
  const older = await db().formRescue.findMany({
    where: { csrfHash },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: KEPT_PER_BROWSER,
    select: { id: true },
  });
  if (older.length) await db().formRescue.deleteMany({ where: { id: { in: older.map((o) => o.id) } } });
  return row.id;
}

/** Whose session this browser's cookie names, if that session is real and has expired. */
async function expiredSessionUser(request: Request): Promise<string | null> {
  const signed = readCookie(request, SESSION_COOKIE);
  const secret = signed ? unsign(signed, env().SESSION_SECRET) : null;
  if (!secret) return null;
  const session = await db().session.findUnique({ where: { secretHash: sha256(secret) }, select: { userId: true, expiresAt: true } });
  return session && session.expiresAt <= new Date() ? session.userId : null;
}

/** The declared fields' first values, each cut to KEPT_VALUE_CHARS, until KEPT_FORM_BYTES is reached. */
export function declaredValues(form: FormData, fields: DeclaredFields): KeptValues {
  const declared = isDeclared(fields);
  const kept: KeptValues = {};
  let bytes = 0;
  for (const [name, value] of form.entries()) {
    if (name === CSRF_FIELD || typeof value !== "string" || Object.hasOwn(kept, name) || !declared(name)) continue;
    const cut = value.slice(0, KEPT_VALUE_CHARS);
    const size = Buffer.byteLength(name) + Buffer.byteLength(cut);
    if (bytes + size > KEPT_FORM_BYTES) break;
    bytes += size;
    kept[name] = cut;
  }
  return kept;
}

function isDeclared(fields: DeclaredFields): (name: string) => boolean {
  const list = "shape" in fields ? Object.keys(fields.shape) : fields;
  const names = new Set<string>();
  const patterns: RegExp[] = [];
  for (const entry of list) {
    if (typeof entry !== "string") patterns.push(entry);
    else for (const name of [entry, `${entry}-day`, `${entry}-month`, `${entry}-year`]) names.add(name);
  }
  return (name) => names.has(name) || patterns.some((p) => p.test(name));
}
