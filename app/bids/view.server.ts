import { stateLabel, stateTagColour, allowedEvents } from "../../workflows/index.ts";
import type { SignedInUser } from "~/auth/session.server.ts";
import { actorOf } from "~/workflow/apply-event.server.ts";
import { timelineFor } from "~/workflow/timeline.server.ts";
import {
  answerSections,
  canEditSection,
  canManageEvidence,
  changeRequestOf,
  documentTypeLabel,
  formatSize,
  reopenedSections,
  type LoadedBid,
  type Relation,
} from "./bids.server.ts";
import { contextOf, type PersistedSnapshot } from "../../workflows/index.ts";

/** What every bid page shows about the bid, ready to serialise. */
export function bidHeader(bid: LoadedBid, relation: Relation) {
  const audience = relation === "fundTeam" ? "staff" : "applicant";
  const context = contextOf("bid", bid.snapshot as unknown as PersistedSnapshot);
  return {
    id: bid.id,
    reference: bid.reference,
    title: bid.title,
    state: bid.state,
    version: bid.version,
    stateLabel: stateLabel("bid", bid.state, { audience }),
    tag: stateTagColour("bid", bid.state, { audience }),
    lead: bid.leadOrganisation.name,
    round: { slug: bid.round.slug, name: bid.round.name, closesAt: bid.round.closesAt.toISOString(), capPence: bid.round.capPence },
    amountRequestedPence: bid.amountRequestedPence,
    changeRequest: changeRequestOf(bid),
    declined:
      bid.state === "draft" && context.lastDeclinedCertification
        ? { reason: context.lastDeclinedCertification.reason, at: context.lastDeclinedCertification.at }
        : null,
    withdrawal: context.withdrawal ? { reason: context.withdrawal.reason, at: context.withdrawal.at } : null,
    submittedAt: context.submitted?.at ?? null,
  };
}

export function partnersOf(bid: LoadedBid) {
  const status = { invited: "Invited", accepted: "Accepted", declined: "Declined" } as Record<string, string>;
  return bid.partners.map((p) => ({
    organisationId: p.organisationId,
    name: p.organisation.name,
    code: p.organisation.code,
    status: p.status,
    statusLabel: status[p.status] ?? p.status,
    signed: p.organisation.declarationSignedAt !== null,
  }));
}

export function documentsOf(bid: LoadedBid) {
  return bid.documents.map((d) => ({
    id: d.id,
    type: documentTypeLabel(d.type),
    fileName: d.fileName,
    size: formatSize(d.size),
    createdAt: d.createdAt.toISOString(),
  }));
}

export async function bidPageData(user: SignedInUser, bid: LoadedBid, relation: Relation) {
  const reopened = reopenedSections(bid);
  return {
    bid: bidHeader(bid, relation),
    relation,
    partners: partnersOf(bid),
    documents: documentsOf(bid),
    sections: answerSections(bid).map((s) => ({
      ...s,
      editable: canEditSection(relation, bid, s.key),
      reopened: reopened.includes(s.key),
    })),
    canManageEvidence: canManageEvidence(relation, bid),
    allowed: allowedEvents("bid", bid.snapshot as unknown as PersistedSnapshot, actorOf(user)),
    timeline: await timelineFor("bid", bid.id, relation === "fundTeam" ? "staff" : "applicant"),
  };
}
