import { randomUUID } from "node:crypto";
import type { SignedInUser } from "~/auth/session.server.ts";
import { db, sqlIn } from "~/db/database.server.ts";
import type { Prisma } from "~/generated/prisma/client.ts";
import { logger } from "~/log/log.server.ts";
import { roundRules, roundRulesSelect } from "~/rounds/rules.ts";
import { actorOf, applyWorkflowEvent, CHANGED_BY_SOMEONE_ELSE, recordCreation, type ApplyOutcome } from "~/engine/apply-event.server.ts";
import type { Tx } from "~/engine/records.server.ts";
import { contextOf, startSnapshot, workflows, type Actor, type FundRules, type PersistedSnapshot, type WorkflowEvent } from "../../workflows/index.ts";
import { conflictRefusal, planAssignments, type BidToStaff, type PartnershipMember, type PoolAssessor, type Shortfall } from "./assignment.ts";
import { SUBMITTED_STATES, UNFINISHED_STATES } from "./states.ts";
import { missingParts, readScores, type CriterionScores } from "./scoring.ts";
import { lockRound, writeScores } from "./sql.server.ts";
import { notFound } from "~/http/errors.server.ts";

/** An assessment that is declined or unassigned no longer counts for anything. */
export const INACTIVE_STATES = ["declined", "unassigned"] as const;
export const isActive = (state: string) => !(INACTIVE_STATES as readonly string[]).includes(state);

/** Bids that can take (or replace) assessors: waiting for assessment, or being assessed. */
export const STAFFABLE_BID_STATES = ["eligible", "inAssessment"] as const;

/**
 * Steps the service takes for the fund team by rule, not by anyone's click (a replacement
 * after a decline, moderation once the last scores arrive). The timeline shows them as
 * done by Springboard.
 */
export const automaticActor: Actor & { name: string } = { userId: "springboard", role: "fundTeam", organisationId: "springboard", name: "Springboard" };

const conflictDeclared = (a: { snapshot: unknown }) => Boolean(contextOf("assessment", a.snapshot as PersistedSnapshot).interests?.conflict);

// ---------------------------------------------------------------- the round's pool

export async function roundBySlug(slug: string | undefined) {
  const round = slug
    ? await db().round.findUnique({ where: { slug }, select: { id: true, slug: true, name: true, assessmentDueAt: true, ...roundRulesSelect } })
    : null;
  if (!round) throw notFound();
  return { ...round, rulesParsed: roundRules(round) };
}

/** Active assignments per assessor in the round: what balancing counts. */
async function loadsInRound(tx: Tx, roundId: string): Promise<Map<string, number>> {
  const rows = await tx.assessment.groupBy({
    by: ["assessorUserId"],
    where: { bid: { roundId }, state: { notIn: [...INACTIVE_STATES] } },
    _count: { _all: true },
  });
  return new Map(rows.map((r) => [r.assessorUserId, r._count._all]));
}

export async function poolOf(roundId: string, tx: Tx = db()): Promise<(PoolAssessor & { email: string })[]> {
  const [members, loads] = await Promise.all([
    tx.roundAssessor.findMany({
      where: { roundId, user: { role: "assessor" } },
      select: { user: { select: { id: true, name: true, email: true, organisation: { select: { id: true, name: true } } } } },
    }),
    loadsInRound(tx, roundId),
  ]);
  return members
    .map(({ user }) => ({
      userId: user.id,
      name: user.name,
      email: user.email,
      organisationId: user.organisation.id,
      organisationName: user.organisation.name,
      load: loads.get(user.id) ?? 0,
    }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId));
}

/** Assessors who could join the round's pool. */
export async function assessorsOutsidePool(roundId: string) {
  return db().user.findMany({
    where: { role: "assessor", roundsAssessing: { none: { roundId } } },
    select: { id: true, name: true, email: true, organisation: { select: { name: true } } },
    orderBy: [{ name: "asc" }, { id: "asc" }],
  });
}

export async function addToPool(roundId: string, userId: string): Promise<string | null> {
  const user = await db().user.findUnique({ where: { id: userId }, select: { role: true } });
  if (!user || user.role !== "assessor") return "Choose an assessor to add";
  // Adding someone already there is harmless (two people adding the same assessor at once).
  await db().roundAssessor.createMany({ data: [{ roundId, userId }], skipDuplicates: true });
  return null;
}

/** Taking someone out of the pool stops new assignments; their current ones stay until unassigned. */
export async function removeFromPool(roundId: string, userId: string) {
  await db().roundAssessor.deleteMany({ where: { roundId, userId } });
}

// ---------------------------------------------------------------- partnerships and assignment

const staffingSelect = {
  id: true,
  reference: true,
  title: true,
  state: true,
  version: true,
  roundId: true,
  leadOrganisation: { select: { id: true, name: true } },
  partners: { where: { status: "accepted" }, select: { organisation: { select: { id: true, name: true } } } },
  assessments: { select: { id: true, assessorUserId: true, state: true, snapshot: true } },
} satisfies Prisma.BidSelect;

type StaffingBid = Prisma.BidGetPayload<{ select: typeof staffingSelect }>;

export function partnershipOf(bid: Pick<StaffingBid, "leadOrganisation" | "partners">): PartnershipMember[] {
  return [
    { organisationId: bid.leadOrganisation.id, name: bid.leadOrganisation.name, role: "lead" },
    ...bid.partners.map((p) => ({ organisationId: p.organisation.id, name: p.organisation.name, role: "partner" as const })),
  ];
}

const bidLabel = (bid: { reference: string; title: string }) => `${bid.reference} (${bid.title})`;

/** Active assessments that can still produce scores: a declared conflict takes an assessor out of the count. */
export function countingAssessors(assessments: { state: string; snapshot: unknown }[]) {
  return assessments.filter((a) => isActive(a.state) && !conflictDeclared(a)).length;
}

function toStaff(bid: StaffingBid, needed: number): BidToStaff {
  return {
    bidId: bid.id,
    label: bidLabel(bid),
    partnership: partnershipOf(bid),
    activeAssessorIds: bid.assessments.filter((a) => isActive(a.state)).map((a) => a.assessorUserId),
    formerAssessorIds: bid.assessments.filter((a) => !isActive(a.state)).map((a) => a.assessorUserId),
    // A conflicted assessor stays on the bid until unassigned, but cannot score, so the
    // bid needs someone else as well.
    needed: needed + bid.assessments.filter((a) => isActive(a.state) && conflictDeclared(a)).length,
  };
}

async function createAssessment(
  tx: Tx,
  bid: { id: string; title: string; reference: string; partnership: PartnershipMember[] },
  assessorUserId: string,
  actor: Actor & { name: string },
  options: { reason: string | null; dueAt: Date | null; at: Date },
) {
  const id = randomUUID();
  const snapshot = startSnapshot("assessment", {
    assessmentId: id,
    bidId: bid.id,
    assessorUserId,
    partnershipOrganisationIds: bid.partnership.map((m) => m.organisationId),
  });
  await tx.assessment.create({
    data: {
      id,
      bidId: bid.id,
      assessorUserId,
      assignmentReason: options.reason,
      dueAt: options.dueAt,
      state: "invited",
      snapshot: snapshot as unknown as Prisma.InputJsonValue,
      machineVersion: workflows.assessment.version,
    },
  });
  await recordCreation(tx, "assessment", { id, title: bid.title, reference: bid.reference, snapshot }, actor, options.at);
  return id;
}

// Long enough for a whole round's invitations on a slow machine.
const TRANSACTION = { timeout: 60_000, maxWait: 30_000 };

/**
 * Fills the empty places on every bid in the round that can take assessors (or only the
 * bid given), balancing the load and never breaking the conflict rule. Runs under a lock
 * on the round, so two people pressing the button at once give one set of assignments.
 */
export async function assignAutomatically(
  roundId: string,
  actor: Actor & { name: string },
  onlyBidId?: string,
): Promise<{ created: number; assessors: number; shortfalls: Shortfall[] }> {
  const at = new Date();
  return db().$transaction(async (tx) => {
    if (!(await lockRound(sqlIn(tx), roundId))) throw notFound();
    const round = await tx.round.findUniqueOrThrow({ where: { id: roundId }, select: { assessmentDueAt: true, ...roundRulesSelect } });
    const needed = roundRules(round).assessment.assessorsPerBid;
    const bids = await tx.bid.findMany({
      where: { roundId, state: { in: [...STAFFABLE_BID_STATES] }, ...(onlyBidId ? { id: onlyBidId } : {}) },
      select: staffingSelect,
      orderBy: [{ reference: "asc" }],
    });
    const pool = await poolOf(roundId, tx);
    const plan = planAssignments(
      bids.map((b) => toStaff(b, needed)),
      pool,
    );
    const byId = new Map(bids.map((b) => [b.id, b]));
    for (const assignment of plan.assignments) {
      const bid = byId.get(assignment.bidId)!;
      await createAssessment(tx, { ...bid, partnership: partnershipOf(bid) }, assignment.assessorUserId, actor, {
        reason: null,
        dueAt: round.assessmentDueAt,
        at,
      });
    }
    // Both figures: one assessor may take several bids, and the page says which is which.
    return { created: plan.assignments.length, assessors: new Set(plan.assignments.map((a) => a.assessorUserId)).size, shortfalls: plan.shortfalls };
  }, TRANSACTION);
}

/** A named assessor from the pool, by hand, with the reason kept on the assignment. */
export async function assignByHand(
  user: SignedInUser,
  bidId: string,
  assessorUserId: string,
  reason: string,
): Promise<{ ok: true } | { ok: false; field: "assessorUserId" | "assignReason"; message: string }> {
  const at = new Date();
  return db().$transaction(async (tx) => {
    const bid = await tx.bid.findUnique({ where: { id: bidId }, select: { ...staffingSelect, round: { select: { assessmentDueAt: true } } } });
    if (!bid) throw notFound();
    await lockRound(sqlIn(tx), bid.roundId);
    if (!(STAFFABLE_BID_STATES as readonly string[]).includes(bid.state)) {
      return { ok: false as const, field: "assessorUserId" as const, message: "Assessors can only be assigned to a bid that is eligible or in assessment." };
    }
    const pool = await poolOf(bid.roundId, tx);
    const assessor = pool.find((a) => a.userId === assessorUserId);
    if (!assessor) return { ok: false as const, field: "assessorUserId" as const, message: "Choose an assessor from the round's pool" };
    const partnership = partnershipOf(bid);
    const conflict = conflictRefusal(assessor, partnership);
    if (conflict) return { ok: false as const, field: "assessorUserId" as const, message: conflict };
    const previous = bid.assessments.find((a) => a.assessorUserId === assessorUserId);
    if (previous) {
      return {
        ok: false as const,
        field: "assessorUserId" as const,
        message: isActive(previous.state)
          ? `${assessor.name} is already assigned to this bid.`
          : `${assessor.name} has already ${previous.state === "declined" ? "declined" : "been taken off"} this bid, so cannot be assigned it again.`,
      };
    }
    await createAssessment(
      tx,
      { ...bid, partnership },
      assessorUserId,
      { ...actorOf(user), name: user.name },
      { reason, dueAt: bid.round.assessmentDueAt, at },
    );
    return { ok: true as const };
  }, TRANSACTION);
}

// ---------------------------------------------------------------- the bid's side

export async function assignmentsOf(bidId: string) {
  const bid = await db().bid.findUnique({
    where: { id: bidId },
    select: { ...staffingSelect, snapshot: true, round: { select: { id: true, slug: true, name: true, closesAt: true, ...roundRulesSelect } } },
  });
  if (!bid) throw notFound();
  const rules = roundRules(bid.round);
  const assessments = await db().assessment.findMany({
    where: { bidId },
    select: {
      id: true,
      state: true,
      version: true,
      snapshot: true,
      assignmentReason: true,
      dueAt: true,
      createdAt: true,
      assessor: { select: { id: true, name: true, email: true, organisation: { select: { name: true } } } },
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return {
    bid,
    rules,
    partnership: partnershipOf(bid),
    counting: countingAssessors(bid.assessments),
    assessments: assessments.map((a) => {
      const context = contextOf("assessment", a.snapshot as unknown as PersistedSnapshot);
      return {
        id: a.id,
        state: a.state,
        version: a.version,
        active: isActive(a.state),
        assessor: { id: a.assessor.id, name: a.assessor.name, email: a.assessor.email, organisation: a.assessor.organisation.name },
        assignmentReason: a.assignmentReason,
        dueAt: a.dueAt?.toISOString() ?? null,
        declinedReason: context.declined?.reason ?? null,
        unassignedReason: context.unassigned?.reason ?? null,
        interests: context.interests ? { text: context.interests.text, conflict: context.interests.conflict } : null,
      };
    }),
  };
}

export async function startAssessmentFacts(tx: Tx, bidId: string): Promise<{ rules: FundRules; assessorsAssigned: number }> {
  const bid = await tx.bid.findUniqueOrThrow({
    where: { id: bidId },
    select: { round: { select: roundRulesSelect }, assessments: { select: { state: true, snapshot: true } } },
  });
  return { rules: roundRules(bid.round), assessorsAssigned: countingAssessors(bid.assessments) };
}

const eventAt = () => new Date().toISOString();

export async function startAssessment(user: SignedInUser, bidId: string, expectedVersion?: number): Promise<ApplyOutcome> {
  const facts = await startAssessmentFacts(db(), bidId);
  return applyWorkflowEvent("bid", bidId, { type: "START_ASSESSMENT", actor: actorOf(user), at: eventAt(), facts }, { expectedVersion, actorName: user.name });
}

/** Starts every eligible bid in the round that has enough assessors; says which could not start. */
export async function startAllReady(user: SignedInUser, roundId: string): Promise<{ started: number; refusals: string[] }> {
  const bids = await db().bid.findMany({
    where: { roundId, state: "eligible" },
    select: { id: true, reference: true, title: true, round: { select: roundRulesSelect }, assessments: { select: { state: true, snapshot: true } } },
    orderBy: { reference: "asc" },
  });
  let started = 0;
  const refusals: string[] = [];
  for (const bid of bids) {
    if (countingAssessors(bid.assessments) < roundRules(bid.round).assessment.assessorsPerBid) continue;
    const outcome = await startAssessment(user, bid.id);
    if (outcome.ok) started++;
    else refusals.push(`${bidLabel(bid)}: ${outcome.reason}`);
  }
  return { started, refusals };
}

export async function moderationFacts(tx: Tx, bidId: string) {
  const bid = await tx.bid.findUniqueOrThrow({
    where: { id: bidId },
    select: { round: { select: roundRulesSelect }, assessments: { select: { state: true, snapshot: true } } },
  });
  const active = bid.assessments.filter((a) => isActive(a.state));
  const submitted = active.filter((a) => (SUBMITTED_STATES as readonly string[]).includes(a.state)).length;
  return { rules: roundRules(bid.round), assessmentsSubmitted: submitted, assessmentsOutstanding: active.length - submitted };
}

export async function beginModeration(actor: Actor & { name: string }, bidId: string, expectedVersion?: number): Promise<ApplyOutcome> {
  const facts = await moderationFacts(db(), bidId);
  return applyWorkflowEvent(
    "bid",
    bidId,
    {
      type: "BEGIN_MODERATION",
      actor: { userId: actor.userId, role: actor.role, organisationId: actor.organisationId, senior: actor.senior },
      at: eventAt(),
      facts,
    },
    { expectedVersion, actorName: actor.name },
  );
}

/** Moves the bid to moderation if its scores are all in; quietly does nothing otherwise. */
export async function moderateIfComplete(bidId: string) {
  const bid = await db().bid.findUnique({ where: { id: bidId }, select: { state: true } });
  if (bid?.state !== "inAssessment") return;
  const facts = await moderationFacts(db(), bidId);
  if (facts.assessmentsOutstanding > 0 || facts.assessmentsSubmitted < facts.rules.assessment.assessorsPerBid) return;
  await beginModeration(automaticActor, bidId);
}

// ---------------------------------------------------------------- the assessor's side

const assessmentSelect = {
  id: true,
  state: true,
  version: true,
  snapshot: true,
  scores: true,
  dueAt: true,
  assessorUserId: true,
  createdAt: true,
  bid: {
    select: {
      id: true,
      reference: true,
      title: true,
      state: true,
      answers: true,
      amountRequestedPence: true,
      leadOrganisation: { select: { id: true, name: true } },
      partners: { where: { status: "accepted" }, select: { organisation: { select: { id: true, name: true } } } },
      round: { select: { id: true, slug: true, name: true, closesAt: true, questions: true, ...roundRulesSelect } },
    },
  },
} satisfies Prisma.AssessmentSelect;

export type LoadedAssessment = Prisma.AssessmentGetPayload<{ select: typeof assessmentSelect }>;

/**
 * The assessment, if this person may see it: its own assessor, or the fund team. Anyone
 * else is told it is not there.
 */
export async function loadAssessmentFor(user: SignedInUser, id: string | undefined, allowFundTeam = true) {
  const assessment = id ? await db().assessment.findUnique({ where: { id }, select: assessmentSelect }) : null;
  if (!assessment) throw notFound();
  const own = user.role === "assessor" && assessment.assessorUserId === user.id;
  if (!own && !(allowFundTeam && user.role === "fundTeam")) throw notFound();
  return { assessment, rules: roundRules(assessment.bid.round), context: contextOf("assessment", assessment.snapshot as unknown as PersistedSnapshot) };
}

/** States in which the assessor may read the bid's answers: interests declared, with no conflict. */
export function mayReadBid(assessment: { state: string; snapshot: unknown }): boolean {
  // Paused for changes: as it was before the pause.
  const state =
    assessment.state === "paused" ? (contextOf("assessment", assessment.snapshot as PersistedSnapshot).paused?.from ?? "invited") : assessment.state;
  if (["invited", "accepted", "declined", "unassigned"].includes(state)) return false;
  return !conflictDeclared(assessment);
}

/** While the bid is back with the council: what it was asked to change. */
export function pauseOf(assessment: { state: string; snapshot: unknown }) {
  if (assessment.state !== "paused") return null;
  const paused = contextOf("assessment", assessment.snapshot as PersistedSnapshot).paused;
  return paused ? { reason: paused.reason, sections: paused.sections, at: paused.at } : null;
}

/**
 * The sections changed since the assessor scored the bid, while they are looking at it again
 * (reopened after the council's changes, not yet submitted); null otherwise.
 */
export function changedSinceScored(assessment: { state: string; snapshot: unknown }): string[] | null {
  if (assessment.state !== "scoring") return null;
  const reopened = contextOf("assessment", assessment.snapshot as PersistedSnapshot).reopened;
  return reopened?.hadScores ? reopened.changedSections : null;
}

export function hasSubmittedOnce(assessment: { state: string; snapshot: unknown }): boolean {
  return contextOf("assessment", assessment.snapshot as PersistedSnapshot).submissions > 0;
}

type AssessorEvent =
  | { type: "ACCEPT" }
  | { type: "DECLINE"; reason: string }
  | { type: "DECLARE_INTERESTS"; interests: string; conflict: boolean }
  | { type: "START_SCORING" }
  | { type: "RETURN_FOR_REWORK"; reason: string }
  | { type: "UNASSIGN"; reason: string };

/**
 * What follows a committed change by rule. The person's own change is already saved, so a
 * failure here must not tell them otherwise: the fund team's buttons do the same again.
 */
async function followUp(what: string, step: () => Promise<unknown>) {
  try {
    await step();
  } catch (error) {
    logger().error({ err: error, step: what }, "A step after an assessment change failed");
  }
}

/** Applies an assessment event for the person, with what must follow it once it commits. */
export async function actOnAssessment(user: SignedInUser, assessmentId: string, fields: AssessorEvent, expectedVersion?: number): Promise<ApplyOutcome> {
  const event = { ...fields, actor: actorOf(user), at: eventAt() } as WorkflowEvent<"assessment">;
  const outcome = await applyWorkflowEvent("assessment", assessmentId, event, { expectedVersion, actorName: user.name });
  if (!outcome.ok) return outcome;
  const { bidId, roundId } = await db()
    .assessment.findUniqueOrThrow({ where: { id: assessmentId }, select: { bidId: true, bid: { select: { roundId: true } } } })
    .then((a) => ({ bidId: a.bidId, roundId: a.bid.roundId }));
  // A decline or a declared conflict leaves the bid short: a replacement is asked at once.
  if (fields.type === "DECLINE" || (fields.type === "DECLARE_INTERESTS" && fields.conflict)) {
    await followUp("finding a replacement assessor", () => assignAutomatically(roundId, automaticActor, bidId));
  }
  // Someone taken off a bid may have been the last one still outstanding.
  if (fields.type === "UNASSIGN") await followUp("beginning moderation", () => moderateIfComplete(bidId));
  return outcome;
}

/** Keeps the assessor's scores as a draft: the event is recorded and the scores written with it. */
export async function saveDraft(user: SignedInUser, assessmentId: string, scores: CriterionScores, expectedVersion?: number): Promise<ApplyOutcome> {
  const opened = await openForScoring(user, assessmentId, expectedVersion);
  if (!opened.ok) return opened;
  return applyWorkflowEvent(
    "assessment",
    assessmentId,
    { type: "SAVE_DRAFT", actor: actorOf(user), at: eventAt() },
    { expectedVersion: opened.version, actorName: user.name, alsoInTransaction: (sql) => writeScores(sql, assessmentId, scores) },
  );
}

export async function submitScores(
  user: SignedInUser,
  assessmentId: string,
  scores: CriterionScores,
  criteria: FundRules["assessment"]["criteria"],
  expectedVersion?: number,
): Promise<ApplyOutcome> {
  const opened = await openForScoring(user, assessmentId, expectedVersion);
  if (!opened.ok) return opened;
  const outcome = await applyWorkflowEvent(
    "assessment",
    assessmentId,
    { type: "SUBMIT_SCORES", actor: actorOf(user), at: eventAt(), facts: missingParts(scores, criteria) },
    { expectedVersion: opened.version, actorName: user.name, alsoInTransaction: (sql) => writeScores(sql, assessmentId, scores) },
  );
  if (outcome.ok) {
    const { bidId } = await db().assessment.findUniqueOrThrow({ where: { id: assessmentId }, select: { bidId: true } });
    await followUp("beginning moderation", () => moderateIfComplete(bidId));
  }
  return outcome;
}

/**
 * Coming back to a returned assessment, or to one whose interests were just declared, opens
 * it for scoring first. Answers the version the next event should expect.
 */
async function openForScoring(
  user: SignedInUser,
  assessmentId: string,
  expectedVersion: number | undefined,
): Promise<{ ok: true; version: number } | Extract<ApplyOutcome, { ok: false }>> {
  const current = await db().assessment.findUnique({ where: { id: assessmentId }, select: { state: true, version: true } });
  if (!current) throw notFound();
  if (expectedVersion !== undefined && expectedVersion !== current.version) return { ok: false, code: "conflict", reason: CHANGED_BY_SOMEONE_ELSE };
  if (current.state !== "interestsDeclared" && current.state !== "returned") return { ok: true, version: current.version };
  const started = await applyWorkflowEvent(
    "assessment",
    assessmentId,
    { type: "START_SCORING", actor: actorOf(user), at: eventAt() },
    { expectedVersion: current.version, actorName: user.name },
  );
  return started.ok ? { ok: true, version: started.version } : started;
}

/** The other assessors' submitted scores, as "Assessor 1", "Assessor 2"…, never their names. */
export async function othersScores(assessment: { id: string; bid: { id: string } }) {
  const others = await db().assessment.findMany({
    where: { bidId: assessment.bid.id, id: { not: assessment.id }, state: { in: [...SUBMITTED_STATES] } },
    select: { scores: true },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return others.map((o, i) => ({ label: `Assessor ${i + 1}`, scores: readScores(o.scores) }));
}

export const ASSIGNMENTS_PAGE_SIZE = 50;

/** The assessor's own assignments, newest first, with what to do next, a page at a time. */
export async function assignmentsPage(user: SignedInUser, requestedPage: number) {
  const total = await db().assessment.count({ where: { assessorUserId: user.id } });
  const pages = Math.max(1, Math.ceil(total / ASSIGNMENTS_PAGE_SIZE));
  const page = Math.min(Math.max(1, requestedPage), pages);
  return { assignments: await assignmentsFor(user, { skip: (page - 1) * ASSIGNMENTS_PAGE_SIZE, take: ASSIGNMENTS_PAGE_SIZE }), page, pages, total };
}

/** The assessor's own assignments, newest first, with what to do next. */
export async function assignmentsFor(user: SignedInUser, window: { skip?: number; take?: number } = {}) {
  const rows = await db().assessment.findMany({
    ...window,
    where: { assessorUserId: user.id },
    select: {
      id: true,
      state: true,
      snapshot: true,
      dueAt: true,
      bid: { select: { reference: true, title: true, state: true, leadOrganisation: { select: { name: true } }, round: { select: { name: true } } } },
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  const now = new Date();
  return rows.map((a) => ({
    id: a.id,
    state: a.state,
    dueAt: a.dueAt?.toISOString() ?? null,
    overdue: Boolean(a.dueAt && a.dueAt < now && UNFINISHED_STATES.includes(a.state)),
    reference: a.bid.reference,
    title: a.bid.title,
    lead: a.bid.leadOrganisation.name,
    round: a.bid.round.name,
    // A bid withdrawn while it was back with the council never returns to its assessors.
    next: a.state === "paused" && a.bid.state === "withdrawn" ? { text: "Nothing: the council withdrew the bid", href: null } : nextStep(a),
  }));
}

export function nextStep(a: { state: string; snapshot: unknown }): { text: string; href: "page" | "score" | null } {
  switch (a.state) {
    case "invited":
      return { text: "Accept or decline the invitation", href: "page" };
    case "accepted":
      return { text: "Declare your interests", href: "page" };
    case "interestsDeclared":
      return conflictDeclared(a)
        ? { text: "Nothing: you declared a conflict, and the fund team will reassign the bid", href: null }
        : { text: "Score the bid", href: "score" };
    case "scoring":
      return changedSinceScored(a)
        ? { text: "Look at the changed sections and submit your scores again", href: "score" }
        : { text: "Finish scoring and submit", href: "score" };
    case "paused":
      return { text: "Nothing for now: the bid is back with the council for changes, and we will email you when it returns", href: null };
    case "returned":
      return { text: "Rework your scores and submit them again", href: "score" };
    case "submitted":
    case "resubmitted":
      return { text: "Nothing: your scores are with the moderator. You can now see the other assessors' scores", href: "score" };
    case "confirmed":
      return { text: "Nothing: the moderator confirmed your scores", href: "score" };
    default:
      return { text: "Nothing", href: null };
  }
}
