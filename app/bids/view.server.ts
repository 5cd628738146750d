import { stateLabel, stateTagColour, allowedEvents, type Actor, type BidState } from "../../workflows/index.ts";
import type { SignedInUser } from "~/auth/session.server.ts";
import { actorOf } from "~/engine/apply-event.server.ts";
import { timelineFor } from "~/engine/timeline.server.ts";
import {
  answerSections,
  canEditSection,
  canManageEvidence,
  changeRequestOf,
  documentTypeLabel,
  formatSize,
  invitationOpen,
  reopenedSections,
  type LoadedBid,
  type Relation,
} from "./bids.server.ts";
import { contextOf, type PersistedSnapshot } from "../../workflows/index.ts";

// View models: what leaves the server about a bid, chosen by the person's relation to it.
// A council never receives the workflow's state, only the label its role may see (held
// decisions read "Decision pending"), so nothing in the HTML or the `.data` response says
// where the funding line fell before the fund team publishes.

const audienceOf = (relation: Relation) => (relation === "fundTeam" ? ("staff" as const) : ("applicant" as const));

function headerFor(bid: LoadedBid, relation: Relation) {
  const audience = audienceOf(relation);
  const context = contextOf("bid", bid.snapshot as unknown as PersistedSnapshot);
  return {
    id: bid.id,
    reference: bid.reference,
    title: bid.title,
    version: bid.version,
    stateLabel: stateLabel("bid", bid.state, { audience }),
    tag: stateTagColour("bid", bid.state, { audience }),
    lead: bid.leadOrganisation.name,
    round: {
      slug: bid.round.slug,
      name: bid.round.name,
      closesAt: bid.round.closesAt.toISOString(),
      capPence: bid.round.capPence,
      assessmentDueAt: bid.round.assessmentDueAt?.toISOString() ?? null,
    },
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

export type CouncilBidHeader = ReturnType<typeof headerFor>;
/** The fund team's header also names the state, for its own pages' decisions. */
export type StaffBidHeader = CouncilBidHeader & { state: BidState };

/** What every bid page shows about the bid, ready to serialise: the state itself only for the fund team. */
export function bidHeader(bid: LoadedBid, relation: "fundTeam"): StaffBidHeader;
export function bidHeader(bid: LoadedBid, relation: Exclude<Relation, "fundTeam">): CouncilBidHeader;
export function bidHeader(bid: LoadedBid, relation: Relation): CouncilBidHeader | StaffBidHeader;
export function bidHeader(bid: LoadedBid, relation: Relation): CouncilBidHeader | StaffBidHeader {
  const header = headerFor(bid, relation);
  return relation === "fundTeam" ? { ...header, state: bid.state as BidState } : header;
}

/**
 * Whether the machine would take `type` from someone in `role` at `organisationId`: for
 * what a page says about other people's next step (the certifier's sign-off, whether the
 * partnership can still change), asked of the machine rather than of a state name.
 */
export function machineWouldAllow(bid: Pick<LoadedBid, "snapshot">, actor: Pick<Actor, "role" | "organisationId">, type: string): boolean {
  const probe: Actor = { userId: "view", role: actor.role, organisationId: actor.organisationId };
  return (allowedEvents("bid", bid.snapshot as unknown as PersistedSnapshot, probe) as string[]).includes(type);
}

/** The partnership can change while the lead can still send the bid for sign-off. */
export const partnershipOpen = (bid: LoadedBid) =>
  machineWouldAllow(bid, { role: "councilOfficer", organisationId: bid.leadOrganisationId }, "REQUEST_CERTIFICATION");

/** Before submission, or back for changes: the eligibility rules still decide whether it can go. */
export const eligibilityMatters = (bid: LoadedBid) => {
  const lead = bid.leadOrganisationId;
  return (
    machineWouldAllow(bid, { role: "councilOfficer", organisationId: lead }, "REQUEST_CERTIFICATION") ||
    machineWouldAllow(bid, { role: "councilOfficer", organisationId: lead }, "RESUBMIT") ||
    machineWouldAllow(bid, { role: "certifier", organisationId: lead }, "CERTIFY")
  );
};

/** Whether a decision on the bid has been published (the machine records it when it is). */
export const decisionPublished = (bid: Pick<LoadedBid, "snapshot">) => contextOf("bid", bid.snapshot as unknown as PersistedSnapshot).decision !== null;

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
  const allowed = allowedEvents("bid", bid.snapshot as unknown as PersistedSnapshot, actorOf(user));
  return {
    bid: bidHeader(bid, relation),
    relation,
    // What the page offers, from the machine: each an event this person could send now.
    can: {
      edit: allowed.includes("REQUEST_CERTIFICATION") || allowed.includes("RESUBMIT"),
      resubmit: allowed.includes("RESUBMIT"),
      certify: allowed.includes("CERTIFY"),
      withdraw: allowed.includes("WITHDRAW"),
      respond: relation === "invitedOfficer" && invitationOpen(bid),
    },
    // Where the fund team asks for changes: the eligibility check, or the bid's assessors page during assessment.
    changesHref: allowed.includes("REQUEST_CHANGES")
      ? bid.state === "inAssessment"
        ? `/bids/${bid.id}/assignments#changes`
        : `/bids/${bid.id}/eligibility`
      : null,
    // The lead's officers are told when the bid waits on their certifier.
    waitingForCertifier: relation === "leadOfficer" && machineWouldAllow(bid, { role: "certifier", organisationId: bid.leadOrganisationId }, "CERTIFY"),
    partners: partnersOf(bid),
    documents: documentsOf(bid),
    sections: answerSections(bid).map((s) => ({
      ...s,
      editable: canEditSection(relation, bid, s.key),
      reopened: reopened.includes(s.key),
    })),
    canManageEvidence: canManageEvidence(relation, bid),
    allowed,
    timeline: await timelineFor("bid", bid.id, audienceOf(relation)),
  };
}
