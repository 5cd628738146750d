import type { SignedInUser } from "~/auth/session.server.ts";
import { eligibilityRules } from "~/bids/bids.server.ts";
import { bidSections } from "~/bid-form/sections.ts";
import { db } from "~/db/database.server.ts";
import { actorOf, applyWorkflowEvent } from "~/engine/apply-event.server.ts";
import { bidSubmissionFacts } from "~/bids/facts.server.ts";
import { contextOf, stateLabel, stateTagColour, type PersistedSnapshot } from "../../workflows/index.ts";
import { notFound } from "~/http/errors.server.ts";

/** The states a bid is in while the fund team checks, or has checked, its eligibility. */
export const QUEUE_STATES = ["submitted", "resubmitted", "eligibilityCheck", "ineligible"] as const;
export type QueueState = (typeof QUEUE_STATES)[number];
/** States that still need the fund team to do something. */
export const WAITING_STATES: readonly QueueState[] = ["submitted", "resubmitted", "eligibilityCheck"];

/**
 * A resubmitted bid whose changes the assessors asked for goes back to assessment, not to
 * this queue (the bid machine's changesCameFromAssessment).
 */
const belongsInQueue = (bid: { state: string; snapshot: unknown }) =>
  bid.state !== "resubmitted" || contextOf("bid", bid.snapshot as PersistedSnapshot).changeRequest?.during !== "inAssessment";

async function queueRows(roundId: string) {
  const rows = await db().bid.findMany({
    where: { roundId, state: { in: [...QUEUE_STATES] } },
    select: {
      id: true,
      reference: true,
      title: true,
      state: true,
      snapshot: true,
      version: true,
      amountRequestedPence: true,
      leadOrganisationId: true,
      leadOrganisation: { select: { name: true } },
      updatedAt: true,
    },
    orderBy: [{ updatedAt: "asc" }, { reference: "asc" }],
  });
  return rows.filter(belongsInQueue);
}

/** How many of the round's bids are in each eligibility state, and how many wait for the fund team. */
export async function eligibilityQueueCounts(roundId: string) {
  const rows = await queueRows(roundId);
  const byState = Object.fromEntries(QUEUE_STATES.map((s) => [s, rows.filter((r) => r.state === s).length])) as Record<QueueState, number>;
  return { byState, waiting: WAITING_STATES.reduce((sum, s) => sum + byState[s], 0) };
}

/**
 * The automatic rule results for a submitted bid: the same sentences the council saw
 * before submitting, judged at the moment of submission so the deadline reads as it did.
 */
export async function automaticChecks(bid: { id: string; leadOrganisationId: string; snapshot: unknown }) {
  const facts = await bidSubmissionFacts(db(), bid.id);
  const submittedAt = contextOf("bid", bid.snapshot as PersistedSnapshot).submitted?.at;
  const rules = eligibilityRules(facts, bid.leadOrganisationId, [], submittedAt ? new Date(submittedAt) : new Date());
  return { rules, passes: rules.every((r) => r.passes) };
}

export async function eligibilityQueue(roundId: string) {
  const rows = await queueRows(roundId);
  const bids = [];
  for (const row of rows) {
    const checks = await automaticChecks(row);
    bids.push({
      id: row.id,
      reference: row.reference,
      title: row.title,
      lead: row.leadOrganisation.name,
      state: row.state,
      stateLabel: stateLabel("bid", row.state, { audience: "staff" }),
      tag: stateTagColour("bid", row.state, { audience: "staff" }),
      amountRequestedPence: row.amountRequestedPence,
      passes: checks.passes,
      failures: checks.rules.filter((r) => !r.passes).map((r) => ({ title: r.title, explanation: r.explanation })),
    });
  }
  const byState = Object.fromEntries(QUEUE_STATES.map((s) => [s, rows.filter((r) => r.state === s).length])) as Record<QueueState, number>;
  return { bids, byState, waiting: WAITING_STATES.reduce((sum, s) => sum + byState[s], 0) };
}

export type EligibilityAction = "BEGIN_ELIGIBILITY_CHECK" | "MARK_ELIGIBLE" | "MARK_INELIGIBLE" | "REINSTATE" | "REQUEST_CHANGES";

export const sectionChoices = bidSections.map((s) => ({ value: s.key, text: s.title }));

/**
 * Sends one of the fund team's eligibility events, facts read now. Pressing a button twice
 * is harmless: if the last thing that happened to the bid is this very event by this
 * person, the repeat counts as done.
 */
export async function eligibilityAct(
  user: SignedInUser,
  bidId: string,
  type: EligibilityAction,
  fields: { reason?: string; sections?: string[] },
  expectedVersion: number | undefined,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const event = {
    type,
    actor: actorOf(user),
    at: new Date().toISOString(),
    ...(fields.reason !== undefined ? { reason: fields.reason } : {}),
    ...(fields.sections !== undefined ? { sections: fields.sections } : {}),
  };
  const outcome = await applyWorkflowEvent("bid", bidId, event as never, { expectedVersion, actorName: user.name });
  if (outcome.ok) return { ok: true };
  if (outcome.code === "not-found") throw notFound();
  const last = await db().transitionHistory.findFirst({
    where: { recordType: "bid", recordId: bidId },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    select: { event: true, actorUserId: true, at: true },
  });
  if (last && last.event === type && last.actorUserId === user.id && Date.now() - last.at.getTime() < 10 * 60_000) return { ok: true };
  return { ok: false, reason: outcome.reason };
}
