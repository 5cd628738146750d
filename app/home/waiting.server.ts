import type { SignedInUser } from "~/auth/session.server.ts";
import { changeRequestOf } from "~/bids/bids.server.ts";
import { nextStep } from "~/assessment/assessments.server.ts";
import { UNFINISHED_STATES } from "~/assessment/states.ts";
import { db } from "~/db/database.server.ts";
import { requestsToAnswer } from "~/join/requests.server.ts";
import { reviewsAwaitingVote } from "~/projects/projects.server.ts";
import { formatDateTime, plural } from "~/utils/format.ts";

/**
 * What is waiting for one person, oldest first: each item is something they can do now, the
 * page where they do it, and since when it has waited. Every role's home page opens with
 * this list, so nobody has to search the service for their next task.
 */
export interface WaitingItem {
  key: string;
  /** What to do, as the link's text. */
  action: string;
  href: string;
  /** One line of context: whose bid, which round, a deadline. */
  detail: string;
  /** ISO time the item started waiting; the list is ordered by it. */
  since: string;
}

/** A list stops here: the oldest are the ones to do first, and the full lists are a link away. */
export const WAITING_LIMIT = 50;

/** Requests to join a council that are this person's to answer. */
async function accessRequestsWaitingFor(user: SignedInUser): Promise<WaitingItem[]> {
  return (await requestsToAnswer(user)).map((r) => ({
    key: `access-request-${r.id}`,
    action: `Approve or decline ${r.name}'s request to join ${r.organisation.name}`,
    href: `/access-requests/${r.id}`,
    detail: `Asked to be ${r.roleWanted === "certifier" ? "a council certifier" : "a council officer"} (${r.email}).`,
    since: (r.confirmedAt ?? new Date(0)).toISOString(),
  }));
}

const oldestFirst = (items: WaitingItem[]) => items.sort((a, b) => a.since.localeCompare(b.since) || a.key.localeCompare(b.key)).slice(0, WAITING_LIMIT);

export async function waitingFor(user: SignedInUser): Promise<WaitingItem[]> {
  switch (user.role) {
    case "councilOfficer":
      return oldestFirst([...(await forCouncilOfficer(user)), ...(await accessRequestsWaitingFor(user))]);
    case "certifier":
      return oldestFirst([...(await forCertifier(user)), ...(await accessRequestsWaitingFor(user))]);
    case "assessor":
      return oldestFirst(await forAssessor(user));
    case "gateApprover":
      return oldestFirst(await forGateApprover(user));
    case "fundTeam":
      return oldestFirst([...(await forFundTeam()), ...(await accessRequestsWaitingFor(user))]);
    default:
      return [];
  }
}

// Drafts and reopened bids are the lead's to move on; invitations are the partner's to answer.
async function forCouncilOfficer(user: SignedInUser): Promise<WaitingItem[]> {
  const org = user.organisation.id;
  const [invitations, bids] = await Promise.all([
    db().bidPartner.findMany({
      // Only invitations that can still be answered: the bid has not been sent.
      where: { organisationId: org, status: "invited", bid: { state: "draft" } },
      select: { invitedAt: true, bid: { select: { id: true, title: true, leadOrganisation: { select: { name: true } } } } },
      orderBy: { invitedAt: "asc" },
      take: WAITING_LIMIT,
    }),
    db().bid.findMany({
      where: { leadOrganisationId: org, state: { in: ["draft", "changesRequested"] } },
      select: { id: true, title: true, state: true, snapshot: true, createdAt: true, round: { select: { name: true, closesAt: true } } },
      orderBy: { createdAt: "asc" },
      take: WAITING_LIMIT,
    }),
  ]);
  return [
    ...invitations.map((i) => ({
      key: `invitation-${i.bid.id}`,
      action: `Accept or decline the invitation to join “${i.bid.title}”`,
      href: `/bids/${i.bid.id}`,
      detail: `${i.bid.leadOrganisation.name} invited your council to be a partner.`,
      since: i.invitedAt.toISOString(),
    })),
    ...bids.map((bid) => {
      const change = changeRequestOf(bid);
      return change
        ? {
            key: `changes-${bid.id}`,
            action: `Make the changes the fund team asked for to “${bid.title}”`,
            href: `/bids/${bid.id}`,
            detail: `Sections to change: ${change.sections.join(", ")}.`,
            since: new Date(change.at).toISOString(),
          }
        : {
            key: `draft-${bid.id}`,
            action: `Finish “${bid.title}” and send it for sign-off`,
            href: `/bids/${bid.id}`,
            detail: `${bid.round.name} closes at ${formatDateTime(bid.round.closesAt)}.`,
            since: bid.createdAt.toISOString(),
          };
    }),
  ];
}

async function forCertifier(user: SignedInUser): Promise<WaitingItem[]> {
  // A bid cannot change while it waits for sign-off, so its last change is when it was sent.
  const bids = await db().bid.findMany({
    where: { leadOrganisationId: user.organisation.id, state: "awaitingCertification" },
    select: { id: true, title: true, updatedAt: true, round: { select: { name: true, closesAt: true } } },
    orderBy: { updatedAt: "asc" },
    take: WAITING_LIMIT,
  });
  return bids.map((bid) => ({
    key: `certify-${bid.id}`,
    action: `Sign off or decline “${bid.title}”`,
    href: `/bids/${bid.id}/certify`,
    detail: `${bid.round.name} closes at ${formatDateTime(bid.round.closesAt)}: the bid must be signed off by then.`,
    since: bid.updatedAt.toISOString(),
  }));
}

async function forAssessor(user: SignedInUser): Promise<WaitingItem[]> {
  const rows = await db().assessment.findMany({
    where: { assessorUserId: user.id, state: { in: UNFINISHED_STATES } },
    select: { id: true, state: true, snapshot: true, dueAt: true, createdAt: true, updatedAt: true, bid: { select: { title: true } } },
    orderBy: { createdAt: "asc" },
    take: WAITING_LIMIT,
  });
  return rows.flatMap((a) => {
    const next = nextStep(a);
    // A declared conflict leaves nothing for the assessor to do.
    if (!next.href) return [];
    return [
      {
        key: `assessment-${a.id}`,
        action: `${next.text}: “${a.bid.title}”`,
        href: next.href === "score" ? `/assessments/${a.id}/score` : `/assessments/${a.id}`,
        detail: a.dueAt ? `Due by ${formatDateTime(a.dueAt)}.` : "No due date set.",
        // Returned scores wait from when they were returned, the rest from the assignment.
        since: (a.state === "returned" ? a.updatedAt : a.createdAt).toISOString(),
      },
    ];
  });
}

async function forGateApprover(user: SignedInUser): Promise<WaitingItem[]> {
  const reviews = await reviewsAwaitingVote(user);
  return reviews.map((r) => ({
    key: `gate-${r.id}`,
    action: `Vote on the gate review of “${r.title}”`,
    href: `/projects/${r.id}/gate`,
    detail: `${r.reference}, led by ${r.lead}${r.tier ? `: tier ${r.tier}` : ""}.`,
    since: r.openedAt ? new Date(r.openedAt).toISOString() : new Date(0).toISOString(),
  }));
}

async function forFundTeam(): Promise<WaitingItem[]> {
  // Grouped by round in the database: a round can hold thousands of bids waiting for their check.
  const [toCheck, rounds, gates, caseStudies, failed] = await Promise.all([
    db().bid.groupBy({ by: ["roundId"], where: { state: { in: ["submitted", "resubmitted"] } }, _count: { _all: true }, _min: { updatedAt: true } }),
    db().round.findMany({ select: { id: true, slug: true, name: true } }),
    db().project.findMany({
      where: { state: { endsWith: "_gateRequested" } },
      select: { id: true, title: true, updatedAt: true, leadOrganisation: { select: { name: true } } },
      orderBy: { updatedAt: "asc" },
      take: WAITING_LIMIT,
    }),
    db().caseStudy.findMany({
      where: { status: "inReview" },
      select: { id: true, title: true, updatedAt: true },
      orderBy: { updatedAt: "asc" },
      take: WAITING_LIMIT,
    }),
    db().notification.aggregate({ where: { status: "failed" }, _count: { _all: true }, _min: { createdAt: true } }),
  ]);
  const roundById = new Map(rounds.map((r) => [r.id, r]));
  const items: WaitingItem[] = [];
  for (const group of toCheck) {
    const round = roundById.get(group.roundId);
    if (!round || !group._min.updatedAt) continue;
    const n = group._count._all;
    items.push({
      key: `eligibility-${round.slug}`,
      action: `Check the eligibility of ${plural(n, "bid")} in ${round.name}`,
      href: `/rounds/${round.slug}/eligibility`,
      detail: "Submitted bids wait for their eligibility check before assessment.",
      since: group._min.updatedAt.toISOString(),
    });
  }
  for (const project of gates) {
    items.push({
      key: `gate-${project.id}`,
      action: `Open the gate review for “${project.title}”`,
      href: `/projects/${project.id}/gate`,
      detail: `${project.leadOrganisation.name} asked for its gate review.`,
      since: project.updatedAt.toISOString(),
    });
  }
  for (const study of caseStudies) {
    items.push({
      key: `case-study-${study.id}`,
      action: `Review the case study “${study.title}”`,
      href: "/hub/review",
      detail: "Published to the knowledge hub once you approve it.",
      since: study.updatedAt.toISOString(),
    });
  }
  if (failed._count._all > 0 && failed._min.createdAt) {
    const n = failed._count._all;
    items.push({
      key: "failed-emails",
      action: `Look into ${plural(n, "email")} that could not be sent`,
      href: "/notifications?status=failed",
      detail: "Each was tried again several times; the delivery log says why it failed.",
      since: failed._min.createdAt.toISOString(),
    });
  }
  return items;
}
