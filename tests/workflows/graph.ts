import type { AnyMachineSnapshot, AnyStateMachine } from "xstate";
import { getAdjacencyMap, getShortestPaths, getSimplePaths, type StatePath } from "xstate/graph";
import type { AssessmentEvent } from "../../workflows/assessment";
import type { BidEvent } from "../../workflows/bid";
import type { ProjectContext, ProjectEvent } from "../../workflows/project";
import type { Actor } from "../../workflows/events";
import { defaultFundRules, gateOutcomes, type GateOutcome } from "../../workflows/rules";
import { AFTER_DEADLINE, BEFORE_DEADLINE, LATER, evidenceFor, fundingFor, people, submissionFacts } from "./support";

// Event cases for walking every machine with xstate/graph. Each list mixes events that
// should be accepted with ones that must be refused (wrong person, missing reason, failing
// facts), so the invariants prove the guards hold on every path, not only the happy one.

const at = BEFORE_DEADLINE;

export const bidEventCases: BidEvent[] = [
  { type: "REQUEST_CERTIFICATION", actor: people.leadOfficer, at, facts: submissionFacts() },
  { type: "REQUEST_CERTIFICATION", actor: people.leadOfficer, at: AFTER_DEADLINE, facts: submissionFacts() },
  {
    type: "REQUEST_CERTIFICATION",
    actor: people.leadOfficer,
    at,
    facts: submissionFacts({
      councils: submissionFacts().councils.map((c, i) => (i === 1 ? { ...c, signedDeclaration: false } : c)),
    }),
  },
  { type: "REQUEST_CERTIFICATION", actor: people.partnerOfficer, at, facts: submissionFacts() },
  { type: "CERTIFY", actor: people.leadCertifier, at, facts: submissionFacts() },
  { type: "CERTIFY", actor: people.leadCertifier, at: AFTER_DEADLINE, facts: submissionFacts() },
  { type: "CERTIFY", actor: people.partnerCertifier, at, facts: submissionFacts() },
  { type: "CERTIFY", actor: people.leadCertifier, at, facts: submissionFacts({ amountRequestedPence: 90_000_00 }) },
  { type: "DECLINE_CERTIFICATION", actor: people.leadCertifier, at, reason: "Budget lines do not add up." },
  { type: "DECLINE_CERTIFICATION", actor: people.leadCertifier, at, reason: "  " },
  { type: "BEGIN_ELIGIBILITY_CHECK", actor: people.fundTeam, at },
  { type: "BEGIN_ELIGIBILITY_CHECK", actor: people.leadOfficer, at },
  { type: "MARK_ELIGIBLE", actor: people.fundTeam, at },
  { type: "MARK_INELIGIBLE", actor: people.fundTeam, at, reason: "Outside the round's theme." },
  { type: "MARK_INELIGIBLE", actor: people.fundTeam, at, reason: "" },
  { type: "REINSTATE", actor: people.fundTeam, at, reason: "Theme confirmed on appeal." },
  { type: "REQUEST_CHANGES", actor: people.fundTeam, at, reason: "Clarify the budget.", sections: ["budget"] },
  { type: "REQUEST_CHANGES", actor: people.fundTeam, at, reason: "Clarify the budget.", sections: [] },
  { type: "RESUBMIT", actor: people.leadOfficer, at },
  { type: "RESUBMIT", actor: people.partnerOfficer, at },
  { type: "START_ASSESSMENT", actor: people.fundTeam, at, facts: { rules: defaultFundRules, assessorsAssigned: 2 } },
  { type: "START_ASSESSMENT", actor: people.fundTeam, at, facts: { rules: defaultFundRules, assessorsAssigned: 1 } },
  {
    type: "BEGIN_MODERATION",
    actor: people.fundTeam,
    at,
    facts: { rules: defaultFundRules, assessmentsSubmitted: 2, assessmentsOutstanding: 0 },
  },
  {
    type: "BEGIN_MODERATION",
    actor: people.fundTeam,
    at,
    facts: { rules: defaultFundRules, assessmentsSubmitted: 1, assessmentsOutstanding: 1 },
  },
  {
    type: "DRAW_FUNDING_LINE",
    actor: people.fundTeam,
    at,
    facts: { aboveLine: true, rank: 1, moderatedScore: 4.2, unresolvedDisagreements: 0 },
  },
  {
    type: "DRAW_FUNDING_LINE",
    actor: people.fundTeam,
    at,
    facts: { aboveLine: false, rank: 9, moderatedScore: 2.1, unresolvedDisagreements: 0 },
  },
  {
    type: "DRAW_FUNDING_LINE",
    actor: people.fundTeam,
    at,
    facts: { aboveLine: true, rank: 2, moderatedScore: 3.9, unresolvedDisagreements: 1 },
  },
  { type: "REDRAW_FUNDING_LINE", actor: people.fundTeam, at, reason: "Budget rose by £100,000." },
  { type: "PUBLISH_DECISION", actor: people.fundTeam, at, message: "Thank you for bidding." },
  { type: "PUBLISH_DECISION", actor: people.leadOfficer, at },
  { type: "WITHDRAW", actor: people.leadOfficer, at, reason: "A partner left." },
  { type: "WITHDRAW", actor: people.leadOfficer, at, reason: "" },
  { type: "WITHDRAW", actor: people.partnerOfficer, at, reason: "We want out." },
];

export const assessmentEventCases: AssessmentEvent[] = [
  { type: "ACCEPT", actor: people.assessor, at },
  { type: "ACCEPT", actor: people.otherAssessor, at },
  { type: "ACCEPT", actor: { ...people.partnerAssessor, userId: people.assessor.userId }, at },
  { type: "DECLINE", actor: people.assessor, at, reason: "On leave for the assessment window." },
  { type: "DECLINE", actor: people.assessor, at, reason: "" },
  { type: "DECLARE_INTERESTS", actor: people.assessor, at, interests: "None", conflict: false },
  { type: "DECLARE_INTERESTS", actor: people.assessor, at, interests: "My sister works at Newtown.", conflict: true },
  { type: "DECLARE_INTERESTS", actor: people.assessor, at, interests: " ", conflict: false },
  { type: "START_SCORING", actor: people.assessor, at },
  { type: "START_SCORING", actor: people.otherAssessor, at },
  { type: "SAVE_DRAFT", actor: people.assessor, at },
  { type: "SUBMIT_SCORES", actor: people.assessor, at, facts: { unscoredCriteria: [], unjustifiedCriteria: [] } },
  {
    type: "SUBMIT_SCORES",
    actor: people.assessor,
    at,
    facts: { unscoredCriteria: ["Value for money"], unjustifiedCriteria: [] },
  },
  { type: "RETURN_FOR_REWORK", actor: people.fundTeam, at, reason: "Justify the deliverability score." },
  { type: "RETURN_FOR_REWORK", actor: people.fundTeam, at, reason: "" },
  { type: "RETURN_FOR_REWORK", actor: people.assessor, at, reason: "Self-return" },
  { type: "CONFIRM_SCORES", actor: people.fundTeam, at },
  { type: "UNASSIGN", actor: people.fundTeam, at, reason: "Conflict of interest declared." },
  { type: "UNASSIGN", actor: people.fundTeam, at, reason: "" },
  {
    type: "PAUSE_FOR_CHANGES",
    actor: people.fundTeam,
    at,
    reason: "The costs leave out the partners' staff time.",
    sections: ["Costs"],
    facts: { sectionDigests: { costs: "a1" } },
  },
  { type: "PAUSE_FOR_CHANGES", actor: people.fundTeam, at, reason: "", sections: ["Costs"], facts: { sectionDigests: {} } },
  { type: "PAUSE_FOR_CHANGES", actor: people.assessor, at, reason: "I want a break.", sections: [], facts: { sectionDigests: {} } },
  { type: "REOPEN_AFTER_CHANGES", actor: people.fundTeam, at, facts: { changedSections: ["Costs"] } },
  { type: "REOPEN_AFTER_CHANGES", actor: people.assessor, at, facts: { changedSections: [] } },
];

type VoteEvent = Extract<ProjectEvent, { type: "VOTE" }>;
type GateRequest = Extract<ProjectEvent, { type: "REQUEST_GATE_REVIEW" }>;

const vote = (actor: Actor, outcome: GateOutcome): VoteEvent => ({
  type: "VOTE",
  actor,
  at: LATER,
  outcome,
  reason: `Voted ${outcome}.`,
  conditions: outcome === "conditionalGo" ? [{ text: "Publish the code openly", dueDate: "2025-07-01" }] : [],
});

const requestGate = (tier: number, evidence: string[]): GateRequest => ({
  type: "REQUEST_GATE_REVIEW",
  actor: people.leadOfficer,
  at: LATER,
  facts: { rules: defaultFundRules, cumulativeFundingPence: fundingFor[tier]!, evidenceKeys: evidence },
});

/** Conditions only exist once a gate sets them, so their events depend on the snapshot. */
const conditionEvents = (snapshot: AnyMachineSnapshot): ProjectEvent[] =>
  (snapshot.context as ProjectContext).conditions
    .filter((c) => c.met === null)
    .map((c) => ({ type: "RECORD_CONDITION_MET", actor: people.fundTeam, at: LATER, conditionId: c.id, note: "Done." }));

const fixedProjectCases: ProjectEvent[] = [
  ...[1, 2, 3].flatMap((tier) => [requestGate(tier, evidenceFor(tier)), requestGate(tier, evidenceFor(tier).slice(1))]),
  { ...requestGate(1, evidenceFor(1)), actor: people.partnerOfficer },
  { type: "OPEN_REVIEW", actor: people.fundTeam, at: LATER },
  { type: "OPEN_REVIEW", actor: people.approver, at: LATER },
  { type: "RETURN_GATE_REQUEST", actor: people.fundTeam, at: LATER, reason: "Evaluation summary is a placeholder." },
  { type: "RETURN_GATE_REQUEST", actor: people.fundTeam, at: LATER, reason: "" },
  ...[people.seniorApprover, people.approver, people.secondApprover].flatMap((actor) => gateOutcomes.map((outcome) => vote(actor, outcome))),
  vote(people.leadCouncilApprover, "go"),
  { ...vote(people.approver, "go"), reason: "" },
  { ...vote(people.approver, "conditionalGo"), conditions: [] },
  { type: "SIGN_OFF_FINANCE", actor: people.fundTeam, at: LATER, note: "Within the spending review settlement." },
  { type: "SIGN_OFF_FINANCE", actor: people.approver, at: LATER },
  { type: "RECORD_LESSONS", actor: people.leadOfficer, at: LATER, lessons: "Residents preferred the phone line." },
  { type: "RECORD_LESSONS", actor: people.fundTeam, at: LATER, lessons: "" },
];

export const projectEventCases = (snapshot: AnyMachineSnapshot): ProjectEvent[] => [...fixedProjectCases, ...conditionEvents(snapshot)];

/** A smaller set for simple paths: one tier-1 approver voting each way, always valid. */
export const projectSimpleCases = (snapshot: AnyMachineSnapshot): ProjectEvent[] => [
  requestGate(1, evidenceFor(1)),
  { type: "OPEN_REVIEW", actor: people.fundTeam, at: LATER },
  { type: "RETURN_GATE_REQUEST", actor: people.fundTeam, at: LATER, reason: "Not ready." },
  ...gateOutcomes.map((outcome) => vote(people.seniorApprover, outcome)),
  { type: "RECORD_LESSONS", actor: people.leadOfficer, at: LATER, lessons: "Start smaller." },
  ...conditionEvents(snapshot),
];

// Counters (resubmissions, holds, recycles) grow on every loop; the states are keyed on
// what changes behaviour, and on what the invariants look at (a review's evidence, votes
// and sign-off), so the walks stay finite without hiding a broken guard.
export const serializeBid = (snapshot: AnyMachineSnapshot) => JSON.stringify([snapshot.value, snapshot.context.changeRequest?.during ?? null]);

export const serializeAssessment = (snapshot: AnyMachineSnapshot) =>
  JSON.stringify([
    snapshot.value,
    snapshot.context.interests?.conflict ?? null,
    snapshot.context.returns > 0,
    snapshot.context.submissions > 0,
    snapshot.context.paused?.from ?? null,
  ]);

const cautionOrder = [...gateOutcomes];
export const serializeProject = (snapshot: AnyMachineSnapshot) => {
  const context = snapshot.context as ProjectContext;
  const review = context.review;
  const votes = review?.votes ?? [];
  const cautious = votes.reduce<string | null>(
    (worst, v) => (worst === null || cautionOrder.indexOf(v.outcome) < cautionOrder.indexOf(worst as never) ? v.outcome : worst),
    null,
  );
  return JSON.stringify([
    snapshot.value,
    context.conditions.some((c) => c.met === null),
    review && [review.tier, review.evidenceKeys.length, votes.length, votes.some((v) => v.senior), review.financeSignedOff !== null, cautious],
  ]);
};

export interface Walk {
  shortest: StatePath<AnyMachineSnapshot, any>[];
  simple: StatePath<AnyMachineSnapshot, any>[];
  /** Every edge found: from snapshot, event, to snapshot. */
  edges: { from: AnyMachineSnapshot; event: any; to: AnyMachineSnapshot }[];
}

export function walk(
  machine: AnyStateMachine,
  options: {
    input: unknown;
    events: any;
    simpleEvents?: any;
    serializeState: (snapshot: AnyMachineSnapshot) => string;
  },
): Walk {
  const traversal = { input: options.input, events: options.events, serializeState: options.serializeState };
  const shortest = getShortestPaths(machine, traversal);
  const simple = getSimplePaths(machine, { ...traversal, events: options.simpleEvents ?? options.events });
  const adjacency = getAdjacencyMap(machine, traversal);
  const edges = Object.values(adjacency).flatMap((vertex) =>
    Object.values(vertex.transitions as Record<string, { event: unknown; state: AnyMachineSnapshot }>).map((t) => ({
      from: vertex.state as AnyMachineSnapshot,
      event: t.event,
      to: t.state,
    })),
  );
  return { shortest, simple, edges };
}

export const finalStates = (machine: AnyStateMachine) =>
  Object.values(machine.root.states)
    .filter((node) => node.type === "final")
    .map((node) => node.key);

export const restingStates = (machine: AnyStateMachine) =>
  Object.values(machine.root.states)
    .filter((node) => !(node.always && node.always.length > 0))
    .map((node) => node.key);
