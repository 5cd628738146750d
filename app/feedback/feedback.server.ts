import { roleLabels } from "~/auth/roles.ts";
import { safeReturnTo, type SignedInUser } from "~/auth/session.server.ts";
import { db } from "~/db/database.server.ts";
import { env } from "~/env.server.ts";
import { enqueueEmail } from "~/mail/outbox.server.ts";
import { consumeRateLimit } from "~/security/rate-limit.server.ts";
import { clampPage } from "~/utils/paging.ts";
import type { FeedbackReceivedData } from "../../emails/feedback-received.ts";
import { FEEDBACK_PAGE_SIZE, FEEDBACK_PER_CLIENT_PER_HOUR, FROM_PATH_MAX, type FeedbackInput } from "./rules.ts";

const WINDOW_SECONDS = 3600;

/**
 * The page feedback came from, as a path on this service without its query or fragment
 * (an address such as a sign-in link's carries a secret in its query), or null.
 */
export function feedbackFromPath(value: unknown): string | null {
  const safe = safeReturnTo(value, "");
  if (!safe) return null;
  const path = new URL(safe, "http://springboard.invalid").pathname;
  return path.length <= FROM_PATH_MAX && !path.startsWith("/feedback") ? path : null;
}

export type FeedbackResult = { status: "sent" } | { status: "rate-limited"; retryAfterSeconds: number };

/**
 * Keeps the feedback and emails it to every member of the fund team, in one transaction,
 * so it is never kept without the team being told, nor told of feedback that was not kept.
 * Counted against the client's hourly allowance first: the form is open to anyone.
 */
export async function giveFeedback(input: FeedbackInput, who: { user: SignedInUser | null; clientIp: string }): Promise<FeedbackResult> {
  const allowance = await consumeRateLimit(`feedback:client:${who.clientIp}`, FEEDBACK_PER_CLIENT_PER_HOUR, WINDOW_SECONDS);
  if (!allowance.allowed) return { status: "rate-limited", retryAfterSeconds: allowance.retryAfterSeconds };
  const fromPath = feedbackFromPath(input.from);
  const sender = who.user ? `${who.user.name}, ${roleLabels[who.user.role].toLowerCase()} at ${who.user.organisation.name}` : null;
  await db().$transaction(async (tx) => {
    await tx.feedback.create({
      data: { doing: input.doing, details: input.details, replyTo: input.email ?? null, userId: who.user?.id ?? null, fromPath },
    });
    const team = await tx.user.findMany({ where: { role: "fundTeam" }, select: { id: true, email: true, name: true }, orderBy: { email: "asc" } });
    for (const member of team) {
      const data: FeedbackReceivedData = {
        name: member.name,
        doing: input.doing,
        details: input.details,
        replyTo: input.email ?? null,
        sender,
        fromPath,
        link: new URL("/feedback/received", env().APP_URL).toString(),
      };
      await enqueueEmail(tx, { template: "feedback-received", to: member.email, userId: member.id, data: data as unknown as Record<string, unknown> });
    }
  });
  return { status: "sent" };
}

/** One page of feedback, newest first, as the fund team reads it: a view model, not records. */
export async function receivedFeedback(page: number) {
  const total = await db().feedback.count();
  const pages = Math.max(1, Math.ceil(total / FEEDBACK_PAGE_SIZE));
  const current = clampPage(page, pages);
  const rows = await db().feedback.findMany({
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: (current - 1) * FEEDBACK_PAGE_SIZE,
    take: FEEDBACK_PAGE_SIZE,
    select: { id: true, createdAt: true, doing: true, details: true, replyTo: true, userId: true, fromPath: true },
  });
  const userIds = [...new Set(rows.map((r) => r.userId).filter((id): id is string => id !== null))];
  const users = userIds.length
    ? await db().user.findMany({
        where: { id: { in: userIds } },
        select: { id: true, name: true, role: true, organisation: { select: { name: true } } },
      })
    : [];
  const byId = new Map(users.map((u) => [u.id, `${u.name}, ${roleLabels[u.role].toLowerCase()} at ${u.organisation.name}`]));
  return {
    total,
    page: current,
    pages,
    items: rows.map((r) => ({
      id: r.id,
      at: r.createdAt.toISOString(),
      doing: r.doing,
      details: r.details,
      replyTo: r.replyTo,
      sender: r.userId ? (byId.get(r.userId) ?? "A signed-in person") : null,
      fromPath: r.fromPath,
    })),
  };
}
