import { createHash } from "node:crypto";
import type { SignedInUser } from "~/auth/session.server.ts";
import { bidSections, readAnswers, sectionTitle, type BidSectionKey } from "~/bid-form/sections.ts";
import { db } from "~/db/database.server.ts";
import { logger } from "~/log/log.server.ts";
import { actorOf, applyWorkflowEvent, type ApplyOutcome } from "~/engine/apply-event.server.ts";
import { automaticActor, startAssessmentFacts } from "./assessments.server.ts";
import { pausableStates, type AssessmentContext } from "../../workflows/assessment.ts";
import { contextOf, type Actor, type PersistedSnapshot } from "../../workflows/index.ts";

// Changes asked for while a bid is being assessed. The bid machine sends the bid back to
// the council (REQUEST_CHANGES from inAssessment); every assessment still in play is then
// paused, keeping its scores. When the council resubmits, the bid goes straight back into
// assessment and each paused assessment reopens for the same assessor, who is told which
// sections changed.

const eventAt = () => new Date().toISOString();
const actorOnly = (actor: Actor): Actor => ({ userId: actor.userId, role: actor.role, organisationId: actor.organisationId, senior: actor.senior });

/** A short digest of each section's answers, by key: enough to tell whether a section changed. */
export function sectionDigests(answers: unknown): Record<string, string> {
  const read = readAnswers(answers);
  return Object.fromEntries(
    bidSections.map((s) => [
      s.key,
      createHash("sha256")
        .update(JSON.stringify(read.sections[s.key] ?? {}))
        .digest("hex")
        .slice(0, 16),
    ]),
  );
}

/** The titles of the sections whose answers differ from the digests taken when the assessment was paused. */
export function changedSectionTitles(before: Record<string, string>, answers: unknown): string[] {
  const now = sectionDigests(answers);
  return bidSections.filter((s) => before[s.key] !== undefined && before[s.key] !== now[s.key]).map((s) => s.title);
}

/**
 * Applies one event to each assessment in turn. Someone saving their scores at the same
 * moment makes the engine refuse with a conflict; the event is tried again on the new version.
 */
async function applyToEach(ids: string[], event: (id: string) => Promise<Parameters<typeof applyWorkflowEvent<"assessment">>[2] | null>, actorName: string) {
  for (const id of ids) {
    for (let attempt = 0; attempt < 3; attempt++) {
      const built = await event(id);
      if (!built) break;
      const outcome = await applyWorkflowEvent("assessment", id, built, { actorName });
      if (outcome.ok || outcome.code !== "conflict") {
        if (!outcome.ok) logger().error({ assessmentId: id, reason: outcome.reason }, "An assessment could not follow its bid");
        break;
      }
    }
  }
}

/**
 * The fund team asks the council for changes to a bid in assessment. Once the bid is back
 * with the council, its assessments are paused in the same way whoever asked.
 */
export async function requestChangesDuringAssessment(
  user: SignedInUser,
  bidId: string,
  fields: { reason: string; sections: BidSectionKey[] },
  expectedVersion?: number,
): Promise<ApplyOutcome> {
  const outcome = await applyWorkflowEvent(
    "bid",
    bidId,
    { type: "REQUEST_CHANGES", actor: actorOf(user), at: eventAt(), reason: fields.reason, sections: fields.sections.map(sectionTitle) },
    { expectedVersion, actorName: user.name },
  );
  if (outcome.ok) await pauseAssessments(bidId, { ...actorOf(user), name: user.name });
  return outcome;
}

/** Pauses every assessment of a bid that went back to the council from assessment. Safe to repeat. */
export async function pauseAssessments(bidId: string, actor: Actor & { name: string }) {
  const bid = await db().bid.findUnique({
    where: { id: bidId },
    select: { state: true, snapshot: true, answers: true, assessments: { select: { id: true, state: true } } },
  });
  if (!bid || bid.state !== "changesRequested") return;
  const request = contextOf("bid", bid.snapshot as unknown as PersistedSnapshot).changeRequest;
  if (request?.during !== "inAssessment") return;
  // The answers as the assessors read them: what the return is compared with.
  const digests = sectionDigests(bid.answers);
  const ids = bid.assessments.filter((a) => (pausableStates as readonly string[]).includes(a.state)).map((a) => a.id);
  await applyToEach(
    ids,
    async (id) => {
      const assessment = await db().assessment.findUnique({ where: { id }, select: { state: true } });
      if (!assessment || !(pausableStates as readonly string[]).includes(assessment.state)) return null;
      return {
        type: "PAUSE_FOR_CHANGES",
        actor: actorOnly(actor),
        at: eventAt(),
        reason: request.reason,
        sections: request.sections,
        facts: { sectionDigests: digests },
      };
    },
    actor.name,
  );
}

/** Reopens every paused assessment of a bid that is back in assessment, saying which sections changed. Safe to repeat. */
export async function reopenAssessments(bidId: string, actor: Actor & { name: string } = automaticActor) {
  const bid = await db().bid.findUnique({
    where: { id: bidId },
    select: { state: true, answers: true, assessments: { where: { state: "paused" }, select: { id: true } } },
  });
  if (!bid || bid.state !== "inAssessment") return;
  await applyToEach(
    bid.assessments.map((a) => a.id),
    async (id) => {
      const assessment = await db().assessment.findUnique({ where: { id }, select: { state: true, snapshot: true } });
      if (assessment?.state !== "paused") return null;
      const paused = (assessment.snapshot as unknown as { context: AssessmentContext }).context.paused;
      return {
        type: "REOPEN_AFTER_CHANGES",
        actor: actorOnly(actor),
        at: eventAt(),
        facts: { changedSections: changedSectionTitles(paused?.sectionDigests ?? {}, bid.answers) },
      };
    },
    actor.name,
  );
}

/**
 * After the council resubmits. A bid changed at the fund team's request during assessment
 * goes straight back to its assessors rather than waiting for the fund team to press
 * "Start assessment": it was found eligible already, its assessors accepted and declared
 * their interests already, and the machine allows nothing else from here but withdrawal,
 * so a person's click would decide nothing and only hold the assessors up. Should it be
 * refused (too few assessors left), the bid stays resubmitted and the fund team starts it
 * from the bid's assessors page, which reopens the assessments the same way.
 */
export async function returnToAssessment(bidId: string): Promise<ApplyOutcome | null> {
  const bid = await db().bid.findUnique({ where: { id: bidId }, select: { state: true, snapshot: true } });
  if (!bid || bid.state !== "resubmitted") return null;
  if (contextOf("bid", bid.snapshot as unknown as PersistedSnapshot).changeRequest?.during !== "inAssessment") return null;
  const facts = await startAssessmentFacts(db(), bidId);
  const outcome = await applyWorkflowEvent(
    "bid",
    bidId,
    { type: "START_ASSESSMENT", actor: actorOnly(automaticActor), at: eventAt(), facts },
    { actorName: automaticActor.name },
  );
  if (outcome.ok) await reopenAssessments(bidId);
  return outcome;
}

/**
 * Finishes what a request for changes left half-done. The bid's transition and each
 * assessment's pause or reopening are separate writes (each compare-and-set, each safe to
 * repeat), so a process that stops between them leaves a bid with the council whose
 * assessments are still open, a resubmitted bid not yet back in assessment, or a bid back in
 * assessment whose assessments are still paused. Run every minute by a scheduled job; on
 * more than one worker at once the engine's version check lets one write win and the other
 * find nothing left to do. Returns the bids it moved on.
 */
export async function finishInterruptedChanges(limit = 100): Promise<string[]> {
  const bids = await db().bid.findMany({
    where: {
      OR: [
        { state: "changesRequested", assessments: { some: { state: { in: [...pausableStates] } } } },
        { state: "resubmitted", assessments: { some: { state: "paused" } } },
        { state: "inAssessment", assessments: { some: { state: "paused" } } },
      ],
    },
    select: { id: true, state: true },
    take: limit,
  });
  for (const bid of bids) {
    if (bid.state === "changesRequested") await pauseAssessments(bid.id, automaticActor);
    else if (bid.state === "resubmitted") await returnToAssessment(bid.id);
    else await reopenAssessments(bid.id);
  }
  return bids.map((b) => b.id);
}
