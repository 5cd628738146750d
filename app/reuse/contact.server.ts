import type { SignedInUser } from "~/auth/session.server.ts";
import { db } from "~/db/database.server.ts";
import { env } from "~/env.server.ts";
import { enqueueEmail } from "~/mail/outbox.server.ts";
import { consumeRateLimit } from "~/security/rate-limit.server.ts";
import type { SimilarWorkMessageData } from "../../emails/similar-work-message.ts";
import { MESSAGES_PER_HOUR } from "./contact.ts";
import { notFound } from "~/http/errors.server.ts";

const WINDOW_SECONDS = 3600;

export type ContactResult = { status: "sent"; recipients: number } | { status: "rate-limited"; retryAfterSeconds: number } | { status: "own" };

/**
 * Passes a council officer's message to the officers of the council leading a funded
 * project (the fund team where that council has none on Springboard), with who wrote and
 * where to reply. Counted against the sender's hourly allowance first. The message is only
 * emailed, never kept elsewhere, and nothing of the sender's bid goes with it.
 */
export async function contactLead(user: SignedInUser, projectId: string, message: string): Promise<ContactResult> {
  const project = await db().project.findUnique({ where: { id: projectId }, select: { id: true, title: true, reference: true, leadOrganisationId: true } });
  if (!project) throw notFound();
  if (project.leadOrganisationId === user.organisation.id) return { status: "own" };
  const allowance = await consumeRateLimit(`similar-work-message:user:${user.id}`, MESSAGES_PER_HOUR, WINDOW_SECONDS);
  if (!allowance.allowed) return { status: "rate-limited", retryAfterSeconds: allowance.retryAfterSeconds };
  return db().$transaction(async (tx) => {
    let recipients = await tx.user.findMany({
      where: { organisationId: project.leadOrganisationId, role: "councilOfficer" },
      select: { id: true, email: true, name: true },
      orderBy: { email: "asc" },
    });
    if (!recipients.length)
      recipients = await tx.user.findMany({ where: { role: "fundTeam" }, select: { id: true, email: true, name: true }, orderBy: { email: "asc" } });
    for (const person of recipients) {
      const data: SimilarWorkMessageData = {
        name: person.name,
        title: project.title,
        reference: project.reference,
        sender: user.name,
        council: user.organisation.name,
        replyTo: user.email,
        message,
        link: new URL(`/projects/${project.id}`, env().APP_URL).toString(),
      };
      await enqueueEmail(tx, { template: "similar-work-message", to: person.email, userId: person.id, data: data as unknown as Record<string, unknown> });
    }
    return { status: "sent" as const, recipients: recipients.length };
  });
}
