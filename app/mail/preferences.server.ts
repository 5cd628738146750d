import type { PrismaClient } from "~/generated/prisma/client.ts";
import type { EmailPreferenceValue } from "./preferences.ts";

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
