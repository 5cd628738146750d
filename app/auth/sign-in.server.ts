import { db } from "~/db/database.server.ts";
import { env } from "~/env.server.ts";
import { enqueueEmail, type DbClient } from "~/mail/outbox.server.ts";
import { consumeRateLimit } from "~/security/rate-limit.server.ts";
import { randomToken, sha256 } from "~/security/tokens.server.ts";

export const LINK_MINUTES = 15;
// Sign-in requests allowed per address and per client in each 15-minute window
// (SIGN_IN_LIMIT_PER_ADDRESS, SIGN_IN_LIMIT_PER_CLIENT; defaults 5 and 30).
export const limitPerAddress = () => env().SIGN_IN_LIMIT_PER_ADDRESS;
export const limitPerClient = () => env().SIGN_IN_LIMIT_PER_CLIENT;
export const LIMIT_WINDOW_SECONDS = 15 * 60;

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

export type SignInRequestResult = { status: "sent" } | { status: "rate-limited"; retryAfterSeconds: number };

/**
 * The shortest time any answer to a sign-in request takes. Both paths below do the same
 * statements, but a commit (which waits for the disk) costs more than a rollback, and a busy
 * database adds noise either way: every answer waits until this much time has passed, which
 * is well beyond what the work takes, so how long the answer took says nothing.
 */
export const SIGN_IN_ANSWER_MS = 300;

/**
 * How an answer waits out SIGN_IN_ANSWER_MS. An object, so that a test can record the wait
 * instead of sleeping through it.
 */
export const answerFloor = {
  wait: (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms)),
};

// Thrown to roll back the writes made for an address without an account.
class Discarded extends Error {}

/**
 * Emails a single-use link if the address belongs to a user. The answer is the same
 * whether or not it does, so the form cannot be used to find out who has an account: the
 * same text, and the same work in the same time. An unknown address writes a token and
 * an email in a transaction exactly as a known one does, and that transaction is then
 * rolled back, so no link exists and nothing is sent; and every answer is padded to
 * SIGN_IN_ANSWER_MS.
 */
export async function requestSignInLink(input: { email: string; clientKey: string; returnTo?: string }): Promise<SignInRequestResult> {
  // Started before any work, awaited after it: the answer takes at least this long.
  const floor = answerFloor.wait(SIGN_IN_ANSWER_MS);
  try {
    return await linkFor(input);
  } finally {
    await floor;
  }
}

async function linkFor(input: { email: string; clientKey: string; returnTo?: string }): Promise<SignInRequestResult> {
  const email = normaliseEmail(input.email);
  for (const [key, limit] of [
    [`sign-in:address:${email}`, limitPerAddress()],
    [`sign-in:client:${input.clientKey}`, limitPerClient()],
  ] as const) {
    const result = await consumeRateLimit(key, limit, LIMIT_WINDOW_SECONDS);
    if (!result.allowed) return { status: "rate-limited", retryAfterSeconds: result.retryAfterSeconds };
  }
  const user = await db().user.findUnique({ where: { email }, select: { id: true, name: true } });
  try {
    await db().$transaction(async (tx) => {
      await writeSignInLink(tx, { email, user, returnTo: input.returnTo });
      if (!user) throw new Discarded();
    });
  } catch (error) {
    if (!(error instanceof Discarded)) throw error;
  }
  return { status: "sent" };
}

/**
 * Writes a single-use sign-in link for the address and puts the email in the outbox, in the
 * caller's transaction. Without a user, a name of the same kind is used, so the email renders
 * with the same cost (the caller then rolls the transaction back).
 */
export async function writeSignInLink(tx: DbClient, input: { email: string; user: { id: string; name: string } | null; returnTo?: string }): Promise<void> {
  const token = randomToken();
  const link = new URL("/sign-in/verify", env().APP_URL);
  link.searchParams.set("token", token);
  if (input.returnTo) link.searchParams.set("returnTo", input.returnTo);
  await tx.signInToken.create({
    data: { tokenHash: sha256(token), email: input.email, expiresAt: new Date(Date.now() + LINK_MINUTES * 60_000) },
  });
  await enqueueEmail(tx, {
    template: "sign-in-link",
    to: input.email,
    userId: input.user?.id ?? null,
    data: { name: input.user?.name ?? input.email.split("@")[0], link: link.toString(), minutes: LINK_MINUTES },
  });
}

export type LinkCheck = { status: "valid"; userId: string } | { status: "expired" | "used" | "invalid" };

/** Whether a link can be used, without using it (for the confirmation page). */
export async function checkSignInLink(token: string): Promise<LinkCheck> {
  const row = await db().signInToken.findUnique({ where: { tokenHash: sha256(token) } });
  if (!row) return { status: "invalid" };
  if (row.usedAt) return { status: "used" };
  if (row.expiresAt < new Date()) return { status: "expired" };
  const user = await db().user.findUnique({ where: { email: row.email }, select: { id: true } });
  return user ? { status: "valid", userId: user.id } : { status: "invalid" };
}

/** Uses a link: exactly one request can succeed, however many arrive at once. */
export async function consumeSignInLink(token: string): Promise<LinkCheck> {
  const check = await checkSignInLink(token);
  if (check.status !== "valid") return check;
  const claimed = await db().signInToken.updateMany({
    where: { tokenHash: sha256(token), usedAt: null, expiresAt: { gt: new Date() } },
    data: { usedAt: new Date() },
  });
  return claimed.count === 1 ? check : { status: "used" };
}
