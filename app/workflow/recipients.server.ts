import type { RecipientRole, WorkflowKind } from "../../workflows/notification-matrix.ts";
import type { Tx } from "./records.server.ts";

export interface Recipient {
  userId: string;
  email: string;
  name: string;
}

const person = { id: true, email: true, name: true } as const;
const toRecipients = (users: { id: string; email: string; name: string }[]): Recipient[] =>
  users.map((u) => ({ userId: u.id, email: u.email, name: u.name }));

/** The organisations of a bid: its lead and the partners who accepted. */
async function partnership(tx: Tx, bidId: string) {
  const bid = await tx.bid.findUniqueOrThrow({
    where: { id: bidId },
    select: { leadOrganisationId: true, partners: { where: { status: "accepted" }, select: { organisationId: true } } },
  });
  return { lead: bid.leadOrganisationId, partners: bid.partners.map((p) => p.organisationId) };
}

async function bidIdOf(tx: Tx, kind: WorkflowKind, recordId: string): Promise<string> {
  if (kind === "bid") return recordId;
  if (kind === "assessment") return (await tx.assessment.findUniqueOrThrow({ where: { id: recordId }, select: { bidId: true } })).bidId;
  return (await tx.project.findUniqueOrThrow({ where: { id: recordId }, select: { bidId: true } })).bidId;
}

/**
 * The people a notification row's role means for one record (see the roles in
 * workflows/notification-matrix.ts). Read inside the transition's transaction, so the
 * list matches the moment of the change.
 */
export async function recipientsFor(tx: Tx, kind: WorkflowKind, recordId: string, role: RecipientRole): Promise<Recipient[]> {
  switch (role) {
    case "fundTeam":
      return toRecipients(await tx.user.findMany({ where: { role: "fundTeam" }, select: person, orderBy: { email: "asc" } }));
    case "gateApprover": {
      // Approvers from the project's own lead council cannot vote on it, so are not asked.
      const { lead } = await partnership(tx, await bidIdOf(tx, kind, recordId));
      return toRecipients(
        await tx.user.findMany({ where: { role: "gateApprover", organisationId: { not: lead } }, select: person, orderBy: { email: "asc" } }),
      );
    }
    case "assessor": {
      if (kind === "assessment") {
        const assessment = await tx.assessment.findUniqueOrThrow({ where: { id: recordId }, select: { assessor: { select: person } } });
        return toRecipients([assessment.assessor]);
      }
      const bidId = await bidIdOf(tx, kind, recordId);
      const assessments = await tx.assessment.findMany({
        where: { bidId, state: { notIn: ["declined", "unassigned"] } },
        select: { assessor: { select: person } },
      });
      return toRecipients(assessments.map((a) => a.assessor));
    }
    case "councilOfficer":
    case "certifier": {
      const { lead } = await partnership(tx, await bidIdOf(tx, kind, recordId));
      return toRecipients(await tx.user.findMany({ where: { role, organisationId: lead }, select: person, orderBy: { email: "asc" } }));
    }
    case "partnerOfficer": {
      const { partners } = await partnership(tx, await bidIdOf(tx, kind, recordId));
      if (!partners.length) return [];
      return toRecipients(
        await tx.user.findMany({ where: { role: "councilOfficer", organisationId: { in: partners } }, select: person, orderBy: { email: "asc" } }),
      );
    }
  }
}
