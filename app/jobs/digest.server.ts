import type { PrismaClient } from "~/generated/prisma/client.ts";
import { env } from "~/env.server.ts";
import { enqueueEmail } from "~/mail/outbox.server.ts";
import { nextLondonHour } from "~/utils/dates.ts";
import { formatDate } from "~/utils/format.ts";
import type { DailyDigestData } from "../../emails/daily-digest.ts";
import type { Job } from "./scheduler.server.ts";

/**
 * Builds one digest email per person from the messages held for them, and marks those as
 * digested into it, in one transaction per person: the digest exists if and only if its
 * messages say so. A message held after the query is simply left for tomorrow; one
 * released meanwhile (the person switched to "at once") makes the transaction roll back.
 */
export async function sendDigests(prisma: PrismaClient, now = new Date()): Promise<number> {
  const people = await prisma.notification.groupBy({ by: ["toUserId"], where: { status: "held", toUserId: { not: null } } });
  let sent = 0;
  for (const { toUserId } of people) {
    if (!toUserId) continue;
    const done = await prisma
      .$transaction(async (tx) => {
        const user = await tx.user.findUnique({ where: { id: toUserId }, select: { id: true, name: true, email: true } });
        const held = await tx.notification.findMany({
          where: { toUserId, status: "held" },
          select: { id: true, subject: true, createdAt: true, data: true },
          orderBy: { createdAt: "asc" },
        });
        if (!user || !held.length) return false;
        const data: DailyDigestData = {
          name: user.name,
          date: formatDate(now),
          items: held.map((m) => ({
            subject: m.subject,
            at: m.createdAt.toISOString(),
            link: typeof (m.data as { link?: unknown } | null)?.link === "string" ? (m.data as { link: string }).link : null,
          })),
          preferencesLink: new URL("/account/notifications", env().APP_URL).toString(),
        };
        const digest = await enqueueEmail(tx, {
          template: "daily-digest",
          to: user.email,
          userId: user.id,
          data: data as unknown as Record<string, unknown>,
          neverHold: true,
        });
        const marked = await tx.notification.updateMany({
          where: { id: { in: held.map((m) => m.id) }, status: "held" },
          data: { status: "digested", digestId: digest.id },
        });
        if (marked.count !== held.length) throw new DigestRace();
        return true;
      })
      .catch((error: unknown) => {
        if (error instanceof DigestRace) return false;
        throw error;
      });
    if (done) sent++;
  }
  return sent;
}

class DigestRace extends Error {}

export function digestJob(hour = env().DIGEST_HOUR): Job {
  return {
    name: "daily-digest",
    nextRunAfter: (now) => nextLondonHour(now, hour),
    run: (prisma, now) => sendDigests(prisma, now),
  };
}
