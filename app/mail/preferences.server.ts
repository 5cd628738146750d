import { z } from "zod";
import { choice } from "~/forms/fields.ts";
import type { PrismaClient } from "~/generated/prisma/client.ts";
import { EMAIL_PREFERENCES, type EmailPreferenceValue } from "./preferences.ts";

/** The email settings page: one of the three choices. */
export const preferenceForm = z.object({
  preference: choice(EMAIL_PREFERENCES, "Select how you want to get emails that are not urgent"),
});

/**
 * The unsubscribe page: fewer emails only ("at once" is what the person is leaving), and the
 * signed token from the link, which names whose choice this is (checked by the route: a
 * token that is not ours is a page not found, not a field error).
 */
export const unsubscribeForm = z.object({
  token: z.string().max(300).optional().catch(undefined),
  preference: choice(["digest", "off"], "Select a daily summary or only essential emails"),
});

/**
 * Changes a person's choice for non-essential emails, and what is already held for them
 * with it, in one transaction: switching to "at once" releases held messages now; switching
 * off marks them not to be sent. Essential emails are never affected.
 */
export async function setEmailPreference(prisma: PrismaClient, userId: string, preference: EmailPreferenceValue) {
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { emailPreference: preference } });
    if (preference === "immediate") {
      await tx.notification.updateMany({ where: { toUserId: userId, status: "held" }, data: { status: "pending", nextAttemptAt: new Date() } });
    } else if (preference === "off") {
      await tx.notification.updateMany({ where: { toUserId: userId, status: "held" }, data: { status: "suppressed" } });
    }
  });
}
