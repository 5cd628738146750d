import type { PrismaClient } from "~/generated/prisma/client.ts";
import { env } from "~/env.server.ts";
import { enqueueEmail } from "~/mail/outbox.server.ts";
import { formatDateTime } from "~/utils/format.ts";
import type { RoundDeadlineData } from "../../emails/round-deadline-approaching.ts";
import type { Job } from "./scheduler.server.ts";
import { roundRulesOrNull, roundRulesSelect } from "~/rounds/rules.ts";

const DAY = 24 * 60 * 60_000;
export const REMINDER_DAYS = 7;
// The longest window a fund may set (workflows/rules.ts reminders); each round's own is applied below.
const LONGEST_WINDOW_DAYS = 90;

/**
 * The product's "round deadline approaching" reminder: the officers of the lead council of each draft
 * bid in a round closing within the round's reminder window (7 days unless its fund says
 * otherwise), once per bid per round. The SentReminder row and the
 * emails are written in one transaction; its key makes a second run (or a second worker)
 * send nothing.
 */
export async function sendRoundDeadlineReminders(prisma: PrismaClient, now = new Date()): Promise<number> {
  const bids = await prisma.bid.findMany({
    where: { state: "draft", round: { closesAt: { gt: now, lte: new Date(now.getTime() + LONGEST_WINDOW_DAYS * DAY) } } },
    select: {
      id: true,
      title: true,
      reference: true,
      leadOrganisationId: true,
      round: { select: { id: true, name: true, closesAt: true, ...roundRulesSelect } },
    },
  });
  let sent = 0;
  for (const bid of bids) {
    // The window is the round's, copied from its fund's rules when the round was made.
    const windowDays = roundRulesOrNull(bid.round)?.reminders.roundClosingDays ?? REMINDER_DAYS;
    if (bid.round.closesAt.getTime() > now.getTime() + windowDays * DAY) continue;
    sent += await prisma.$transaction(async (tx) => {
      const key = `round-deadline:${bid.round.id}:${bid.id}`;
      const fresh = await tx.sentReminder.createMany({ data: [{ key }], skipDuplicates: true });
      if (fresh.count !== 1) return 0;
      const officers = await tx.user.findMany({
        where: { organisationId: bid.leadOrganisationId, role: "councilOfficer" },
        select: { id: true, name: true, email: true },
      });
      for (const officer of officers) {
        const data: RoundDeadlineData = {
          name: officer.name,
          title: bid.title,
          reference: bid.reference,
          round: bid.round.name,
          closes: formatDateTime(bid.round.closesAt),
          days: Math.max(1, Math.ceil((bid.round.closesAt.getTime() - now.getTime()) / DAY)),
          link: new URL(`/bids/${bid.id}`, env().APP_URL).toString(),
        };
        await enqueueEmail(tx, {
          template: "round-deadline-approaching",
          to: officer.email,
          userId: officer.id,
          data: data as unknown as Record<string, unknown>,
        });
      }
      return officers.length;
    });
  }
  return sent;
}

export const roundDeadlineJob: Job = {
  name: "round-deadline-reminders",
  nextRunAfter: (now) => new Date(now.getTime() + 60 * 60_000),
  run: (prisma, now) => sendRoundDeadlineReminders(prisma, now),
};
