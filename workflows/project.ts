import { assertEvent, assign, setup } from "xstate";
import { z } from "zod";
import { actorHasRole, baseEventSchema, checksFor, guardFromChecks, isoDate, reasonField, reasonGiven, type Check } from "./events";
import { formatDate } from "./dates";
import { isBlank, joinList } from "./format";
import type { StatePresentation } from "./presentation";
import { factsRulesSchema, gateOutcomes, stageLabels, stages, type GateOutcome, type Stage } from "./rules";
import { gateReadiness, governanceTier, quorum, type FinanceSignOff, type GateCondition, type GateVote, type QuorumResult } from "./tiers";

// A funded project's journey through gated stages: scan > pilot > scale > completed.
// The machine is flat (one state per stage and step, e.g. `pilot_inReview`) so a snapshot
// is plain JSON with no spawned children, and the stage is visible in the state name that
// the server stores. `context.stage` mirrors it for the guards.
//
// How gate votes combine (the data lives in FundRules.governance):
// - the tier is fixed when the review is requested, from cumulative funding including the
//   tranche at stake, and the review keeps a copy of that tier's rules;
// - each gate approver votes once; the decision is made as soon as the tier's quorum is met
//   (enough approvers, a senior one where required, finance sign-off where required);
// - the decision is the most cautious outcome voted for (`outcomePrecedence`, default
//   stop > recycle > hold > conditional go > go), so a single "stop" stops the project.

// ---------------------------------------------------------------- facts and events

const event = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) => baseEventSchema.extend({ type: z.literal(type) }).extend(shape);

export const gateConditionSchema = z.object({ text: z.string(), dueDate: z.string() });

export const projectEventSchema = z.discriminatedUnion("type", [
  event("REQUEST_GATE_REVIEW", {
    facts: z.object({
      rules: factsRulesSchema,
      /** Funding awarded so far plus the tranche this gate would release. */
      cumulativeFundingPence: z.number().int().nonnegative(),
      /** Keys of the evidence items attached to the project for this stage. */
      evidenceKeys: z.array(z.string()),
    }),
  }),
  event("RETURN_GATE_REQUEST", { reason: reasonField }),
  event("OPEN_REVIEW", {}),
  event("VOTE", {
    outcome: z.enum(gateOutcomes),
    reason: reasonField,
    /** Conditional go only: each condition with a due date (YYYY-MM-DD). */
    conditions: z.array(gateConditionSchema).optional(),
  }),
  event("SIGN_OFF_FINANCE", { note: z.string().optional() }),
  event("RECORD_CONDITION_MET", { conditionId: z.string(), note: z.string().optional() }),
  event("RECORD_LESSONS", { lessons: z.string().optional() }),
]);
export type ProjectEvent = z.infer<typeof projectEventSchema>;
export type ProjectEventType = ProjectEvent["type"];
export const projectEventTypes = projectEventSchema.options.map((o) => o.shape.type.value) as ProjectEventType[];

// ---------------------------------------------------------------- context

export interface ProjectInput {
  projectId: string;
  bidId: string;
  leadOrganisationId: string;
  /** The stage the funded bid was for (Round.stage); scan when not given. */
  startStage?: Stage;
}

interface Stamp {
  at: string;
  by: string;
}

export interface GateReview {
  stage: Stage;
  requested: Stamp;
  opened: Stamp | null;
  cumulativeFundingPence: number;
  tier: number;
  tierReason: string;
  approvers: number;
  seniorRequired: boolean;
  financeSignOff: boolean;
  requiredEvidence: string[];
  evidenceKeys: string[];
  outcomePrecedence: GateOutcome[];
  votes: GateVote[];
  financeSignedOff: FinanceSignOff | null;
}

export interface GateDecision {
  stage: Stage;
  outcome: GateOutcome;
  at: string;
  tier: number;
  tierReason: string;
  requiredEvidence: string[];
  evidenceKeys: string[];
  votes: GateVote[];
  financeSignedOff: FinanceSignOff | null;
}

export interface ProjectCondition extends GateCondition {
  id: string;
  /** The stage whose gate set the condition. */
  setAtGate: Stage;
  met: (Stamp & { note: string }) | null;
}

export interface ProjectContext {
  projectId: string;
  bidId: string;
  leadOrganisationId: string;
  startStage: Stage;
  stage: Stage;
  review: GateReview | null;
  decisions: GateDecision[];
  conditions: ProjectCondition[];
  holds: Record<Stage, number>;
  recycles: Record<Stage, number>;
  lessons: (Stamp & { text: string }) | null;
}

// ---------------------------------------------------------------- wording and presentation

export const projectEventWording: Record<ProjectEventType, { action: string; refusedAs: string; reasonFor?: string }> = {
  REQUEST_GATE_REVIEW: { action: "request a gate review", refusedAs: "sent for a gate review" },
  RETURN_GATE_REQUEST: {
    action: "return this gate request",
    refusedAs: "returned to delivery",
    reasonFor: "return a gate request",
  },
  OPEN_REVIEW: { action: "open this gate review", refusedAs: "opened for review" },
  VOTE: { action: "vote on this gate review", refusedAs: "voted on", reasonFor: "vote" },
  SIGN_OFF_FINANCE: { action: "sign off this gate for finance", refusedAs: "signed off for finance" },
  RECORD_CONDITION_MET: { action: "record that a condition is met", refusedAs: "given a met condition" },
  RECORD_LESSONS: { action: "record the lessons learned", refusedAs: "given its lessons" },
};

export const projectSteps = ["delivering", "gateRequested", "inReview"] as const;
export type ProjectStep = (typeof projectSteps)[number];
export type ProjectState = `${Stage}_${ProjectStep}` | "starting" | "stopped" | "closed" | "completed";

const stepPresentation: Record<ProjectStep, (stage: Stage) => StatePresentation> = {
  delivering: (s) => ({ label: `${stageLabels[s]}: delivering`, tag: "blue", phrase: `is delivering its ${s} stage` }),
  gateRequested: (s) => ({
    label: `${stageLabels[s]}: gate review requested`,
    tag: "yellow",
    phrase: `is waiting for its ${s} gate review to open`,
  }),
  inReview: (s) => ({ label: `${stageLabels[s]}: in review`, tag: "purple", phrase: `is in its ${s} gate review` }),
};

export const projectStates = {
  starting: { label: "Starting", tag: "grey", phrase: "is starting" },
  ...Object.fromEntries(stages.flatMap((stage) => projectSteps.map((step) => [`${stage}_${step}`, stepPresentation[step](stage)]))),
  stopped: { label: "Stopped: lessons to record", tag: "red", phrase: "has been stopped" },
  closed: { label: "Closed", tag: "grey", phrase: "is closed" },
  completed: { label: "Completed", tag: "green", phrase: "has completed its scale stage" },
} as Record<ProjectState, StatePresentation>;

export function nextStage(stage: Stage): Stage | null {
  return stages[stages.indexOf(stage) + 1] ?? null;
}

/** The stage a state belongs to, or null for starting, stopped, closed and completed. */
export function stageOfState(state: string): Stage | null {
  const prefix = state.split("_")[0];
  return (stages as readonly string[]).includes(prefix!) && state.includes("_") ? (prefix as Stage) : null;
}

// ---------------------------------------------------------------- gate arithmetic

function voteFrom(event: Extract<ProjectEvent, { type: "VOTE" }>): GateVote {
  return {
    userId: event.actor.userId,
    senior: event.actor.senior === true,
    outcome: event.outcome,
    reason: (event.reason ?? "").trim(),
    conditions: event.outcome === "conditionalGo" ? (event.conditions ?? []).map((c) => ({ text: c.text.trim(), dueDate: c.dueDate })) : [],
    at: event.at,
  };
}

/** The review as it would be with this event applied. */
function reviewWith(review: GateReview, event: ProjectEvent): GateReview {
  if (event.type === "VOTE") return { ...review, votes: [...review.votes, voteFrom(event)] };
  if (event.type === "SIGN_OFF_FINANCE") {
    return { ...review, financeSignedOff: { userId: event.actor.userId, at: event.at, note: (event.note ?? "").trim() } };
  }
  return review;
}

export function reviewQuorum(review: GateReview): QuorumResult {
  return quorum(review.votes, review, {
    financeSignOff: review.financeSignedOff,
    outcomePrecedence: review.outcomePrecedence,
  });
}

function decisionAfter(context: ProjectContext, event: ProjectEvent): GateOutcome | null {
  if (!context.review) return null;
  const result = reviewQuorum(reviewWith(context.review, event));
  return result.decided ? result.outcome : null;
}

// ---------------------------------------------------------------- checks

type ProjectCheck = Check<ProjectContext, ProjectEvent>;
const actions = Object.fromEntries(Object.entries(projectEventWording).map(([type, w]) => [type, w.action]));

const decides = (outcome: GateOutcome): ProjectCheck => ({
  rule: `The quorum is met and the most cautious vote is "${outcome}".`,
  needs: "payload",
  refuse: (context, event) => (decisionAfter(context, event) === outcome ? null : `This gate has not decided "${outcome}".`),
});

const startsIn = (stage: Stage): ProjectCheck => ({
  rule: `The funded bid was for the ${stage} stage.`,
  needs: "actor",
  refuse: (context) => (context.startStage === stage ? null : `This project does not start at ${stage}.`),
});

export const projectChecks = {
  actorIsLeadOfficer: {
    rule: "Only an officer of the lead council acts for the project.",
    needs: "actor",
    refuse: (context, event) =>
      event.actor.role === "councilOfficer" && event.actor.organisationId === context.leadOrganisationId
        ? null
        : `Only an officer of the lead council can ${projectEventWording[event.type].action}.`,
  },
  actorIsFundTeam: actorHasRole<ProjectContext, ProjectEvent>(["fundTeam"], "the fund team", actions),
  actorIsLeadOfficerOrFundTeam: {
    rule: "The lead council or the fund team records what a stopped project taught.",
    needs: "actor",
    refuse: (context, event) =>
      event.actor.role === "fundTeam" || (event.actor.role === "councilOfficer" && event.actor.organisationId === context.leadOrganisationId)
        ? null
        : `Only an officer of the lead council or the fund team can ${projectEventWording[event.type].action}.`,
  },
  actorIsGateApprover: actorHasRole<ProjectContext, ProjectEvent>(["gateApprover"], "a gate approver", actions),
  approverIndependent: {
    rule: "Nobody votes on a gate for their own organisation's project.",
    needs: "actor",
    refuse: (context, event) =>
      event.actor.organisationId === context.leadOrganisationId ? "You cannot vote on a gate review for your own council's project." : null,
  },
  notVotedYet: {
    rule: "Each approver votes once on a gate review.",
    needs: "actor",
    refuse: (context, event) => (context.review?.votes.some((v) => v.userId === event.actor.userId) ? "You have already voted on this gate review." : null),
  },
  reasonGiven: reasonGiven<ProjectContext, ProjectEvent>(
    Object.fromEntries(Object.entries(projectEventWording).flatMap(([type, w]) => (w.reasonFor ? [[type, w.reasonFor]] : []))),
  ),
  conditionsWellFormed: {
    rule: "A conditional go sets at least one condition, each with a due date; other outcomes set none.",
    needs: "payload",
    refuse: (_context, event) => {
      if (event.type !== "VOTE") return null;
      const conditions = event.conditions ?? [];
      if (event.outcome !== "conditionalGo") {
        return conditions.length > 0 ? "Only a conditional go can set conditions." : null;
      }
      if (conditions.length === 0) return "A conditional go needs at least one condition, each with a due date.";
      const today = event.at.slice(0, 10);
      for (const [index, condition] of conditions.entries()) {
        const which = conditions.length === 1 ? "The condition" : `Condition ${index + 1}`;
        if (isBlank(condition.text)) return `${which} needs a description.`;
        if (!isoDate.safeParse(condition.dueDate).success) return `${which} needs a due date.`;
        if (condition.dueDate < today) return `${which} needs a due date that is not in the past.`;
      }
      return null;
    },
  },
  earlierConditionsMet: {
    rule: "Conditions set at earlier gates are met before the next gate review.",
    needs: "actor",
    refuse: (context) => {
      const open = context.conditions.filter((c) => c.met === null);
      return open.length === 0
        ? null
        : `A gate review cannot be requested until ${open.length === 1 ? "this condition is" : "these conditions are"} met: ${joinList(
            open.map((c) => `${c.text} (due ${formatDate(c.dueDate)})`),
          )}.`;
    },
  },
  gateEvidenceReady: {
    rule: "Every evidence item the tier requires at this stage is attached.",
    needs: "payload",
    refuse: (context, event) => {
      if (event.type !== "REQUEST_GATE_REVIEW") return null;
      const { rules, cumulativeFundingPence, evidenceKeys } = event.facts;
      const tier = governanceTier(cumulativeFundingPence, rules);
      const readiness = gateReadiness(tier.tier, context.stage, evidenceKeys, rules);
      return readiness.ready
        ? null
        : `A gate review cannot be requested until this evidence is attached: ${readiness.missing.map((m) => m.label).join("; ")}. (${tier.reason}.)`;
    },
  },
  financeSignOffNeeded: {
    rule: "Finance signs off only gates whose tier requires it, once.",
    needs: "actor",
    refuse: (context) => {
      if (!context.review?.financeSignOff) return "This gate does not need finance sign-off.";
      return context.review.financeSignedOff ? "Finance has already signed off this gate review." : null;
    },
  },
  conditionOpen: {
    rule: "A condition is marked met once.",
    needs: "payload",
    refuse: (context, event) => {
      if (event.type !== "RECORD_CONDITION_MET") return null;
      const condition = context.conditions.find((c) => c.id === event.conditionId);
      if (!condition) return "This project has no such condition.";
      return condition.met ? "That condition has already been met." : null;
    },
  },
  lessonsGiven: {
    rule: "A stopped project is closed only once its lessons are recorded, for the case-study hub.",
    needs: "payload",
    refuse: (_context, event) => (event.type === "RECORD_LESSONS" && isBlank(event.lessons) ? "Write down what this project taught before closing it." : null),
  },
  decidesStop: decides("stop"),
  decidesRecycle: decides("recycle"),
  decidesHold: decides("hold"),
  decidesConditionalGo: decides("conditionalGo"),
  decidesGo: decides("go"),
  startsInPilot: startsIn("pilot"),
  startsInScale: startsIn("scale"),
} satisfies Record<string, ProjectCheck>;

export type ProjectCheckName = keyof typeof projectChecks;
const requires = checksFor<ProjectCheckName>();

// ---------------------------------------------------------------- machine

const stamp = (event: ProjectEvent): Stamp => ({ at: event.at, by: event.actor.userId });

type GateEvent = "VOTE" | "SIGN_OFF_FINANCE";

/** The decisive transitions out of a stage's review, for a vote or a finance sign-off. */
function gateDecisions(stage: Stage, eventType: GateEvent) {
  const next = nextStage(stage);
  const record = eventType === "VOTE" ? ("recordVote" as const) : ("recordFinanceSignOff" as const);
  const common: ProjectCheckName[] =
    eventType === "VOTE"
      ? ["actorIsGateApprover", "approverIndependent", "notVotedYet", "reasonGiven", "conditionsWellFormed"]
      : ["actorIsFundTeam", "financeSignOffNeeded"];
  const conclude = (outcome: GateOutcome) => [record, { type: "concludeGate" as const, params: { outcome } }];
  const onward = next ? (`${next}_delivering` as const) : ("completed" as const);
  return [
    { target: "stopped", guard: requires(...common, "decidesStop"), actions: conclude("stop") },
    { target: `${stage}_delivering`, guard: requires(...common, "decidesRecycle"), actions: conclude("recycle") },
    { target: `${stage}_delivering`, guard: requires(...common, "decidesHold"), actions: conclude("hold") },
    { target: onward, guard: requires(...common, "decidesConditionalGo"), actions: conclude("conditionalGo") },
    { target: onward, guard: requires(...common, "decidesGo"), actions: conclude("go") },
    // Quorum not met yet: the vote (or sign-off) is recorded and the review stays open.
    { guard: requires(...common), actions: [record] },
  ];
}

function stageStates(stage: Stage) {
  const describe = (step: ProjectStep) => ({ description: projectStates[`${stage}_${step}`].label });
  return {
    [`${stage}_delivering`]: {
      ...describe("delivering"),
      on: {
        REQUEST_GATE_REVIEW: {
          target: `${stage}_gateRequested`,
          guard: requires("actorIsLeadOfficer", "earlierConditionsMet", "gateEvidenceReady"),
          actions: "recordGateRequest",
        },
        RECORD_CONDITION_MET: {
          guard: requires("actorIsFundTeam", "conditionOpen"),
          actions: "recordConditionMet",
        },
      },
    },
    [`${stage}_gateRequested`]: {
      ...describe("gateRequested"),
      on: {
        OPEN_REVIEW: { target: `${stage}_inReview`, guard: requires("actorIsFundTeam"), actions: "openReview" },
        RETURN_GATE_REQUEST: {
          target: `${stage}_delivering`,
          guard: requires("actorIsFundTeam", "reasonGiven"),
          actions: "withdrawReview",
        },
      },
    },
    [`${stage}_inReview`]: {
      ...describe("inReview"),
      on: {
        VOTE: gateDecisions(stage, "VOTE"),
        SIGN_OFF_FINANCE: gateDecisions(stage, "SIGN_OFF_FINANCE"),
      },
    },
  };
}

export const projectMachine = setup({
  types: {
    context: {} as ProjectContext,
    events: {} as ProjectEvent,
    input: {} as ProjectInput,
  },
  guards: {
    checks: guardFromChecks<ProjectContext, ProjectEvent>(projectChecks),
  },
  actions: {
    recordGateRequest: assign({
      review: ({ context, event }) => {
        assertEvent(event, "REQUEST_GATE_REVIEW");
        const { rules, cumulativeFundingPence, evidenceKeys } = event.facts;
        const tier = governanceTier(cumulativeFundingPence, rules);
        const readiness = gateReadiness(tier.tier, context.stage, evidenceKeys, rules);
        return {
          stage: context.stage,
          requested: stamp(event),
          opened: null,
          cumulativeFundingPence,
          tier: tier.tier,
          tierReason: tier.reason,
          approvers: tier.rules.approvers,
          seniorRequired: tier.rules.seniorRequired,
          financeSignOff: tier.rules.financeSignOff,
          requiredEvidence: readiness.required.map((r) => r.key),
          evidenceKeys: [...new Set(evidenceKeys)],
          outcomePrecedence: [...rules.governance.outcomePrecedence],
          votes: [],
          financeSignedOff: null,
        } satisfies GateReview;
      },
    }),
    withdrawReview: assign({ review: null }),
    openReview: assign({
      review: ({ context, event }) => (context.review ? { ...context.review, opened: stamp(event) } : null),
    }),
    recordVote: assign({
      review: ({ context, event }) => (context.review ? reviewWith(context.review, event) : null),
    }),
    recordFinanceSignOff: assign({
      review: ({ context, event }) => (context.review ? reviewWith(context.review, event) : null),
    }),
    concludeGate: assign(({ context, event }, params: { outcome: GateOutcome }) => {
      const review = context.review!;
      const result = reviewQuorum(review);
      const stage = context.stage;
      const decision: GateDecision = {
        stage,
        outcome: params.outcome,
        at: event.at,
        tier: review.tier,
        tierReason: review.tierReason,
        requiredEvidence: review.requiredEvidence,
        evidenceKeys: review.evidenceKeys,
        votes: review.votes,
        financeSignedOff: review.financeSignedOff,
      };
      const newConditions: ProjectCondition[] =
        result.decided && params.outcome === "conditionalGo"
          ? result.conditions.map((c, index) => ({
              ...c,
              id: `${stage}-${context.decisions.length + 1}-${index + 1}`,
              setAtGate: stage,
              met: null,
            }))
          : [];
      const moves = params.outcome === "go" || params.outcome === "conditionalGo";
      return {
        review: null,
        decisions: [...context.decisions, decision],
        conditions: [...context.conditions, ...newConditions],
        stage: moves ? (nextStage(stage) ?? stage) : stage,
        holds: params.outcome === "hold" ? { ...context.holds, [stage]: context.holds[stage] + 1 } : context.holds,
        recycles: params.outcome === "recycle" ? { ...context.recycles, [stage]: context.recycles[stage] + 1 } : context.recycles,
      };
    }),
    recordConditionMet: assign({
      conditions: ({ context, event }) => {
        assertEvent(event, "RECORD_CONDITION_MET");
        return context.conditions.map((c) => (c.id === event.conditionId ? { ...c, met: { ...stamp(event), note: (event.note ?? "").trim() } } : c));
      },
    }),
    recordLessons: assign({
      lessons: ({ event }) => {
        assertEvent(event, "RECORD_LESSONS");
        return { ...stamp(event), text: event.lessons!.trim() };
      },
    }),
  },
}).createMachine({
  id: "project",
  initial: "starting",
  context: ({ input }) => {
    const startStage = input.startStage ?? "scan";
    return {
      projectId: input.projectId,
      bidId: input.bidId,
      leadOrganisationId: input.leadOrganisationId,
      startStage,
      stage: startStage,
      review: null,
      decisions: [],
      conditions: [],
      holds: { scan: 0, pilot: 0, scale: 0 },
      recycles: { scan: 0, pilot: 0, scale: 0 },
      lessons: null,
    };
  },
  states: {
    // A funded pilot or scale bid starts at its own stage; resolved within the first step.
    starting: {
      description: projectStates.starting.label,
      always: [
        { target: "pilot_delivering", guard: requires("startsInPilot") },
        { target: "scale_delivering", guard: requires("startsInScale") },
        { target: "scan_delivering" },
      ],
    },
    ...stageStates("scan"),
    ...stageStates("pilot"),
    ...stageStates("scale"),
    stopped: {
      description: projectStates.stopped.label,
      on: {
        RECORD_LESSONS: {
          target: "closed",
          guard: requires("actorIsLeadOfficerOrFundTeam", "lessonsGiven"),
          actions: "recordLessons",
        },
      },
    },
    closed: { description: projectStates.closed.label, type: "final" },
    completed: { description: projectStates.completed.label, type: "final" },
  },
});

export function projectRefusedInState(type: ProjectEventType, state: ProjectState): string {
  if (type === "REQUEST_GATE_REVIEW" && state.endsWith("_gateRequested")) {
    return "A gate review has already been requested for this stage.";
  }
  if (type === "REQUEST_GATE_REVIEW" && state.endsWith("_inReview")) {
    return "This stage's gate review is already under way.";
  }
  if (type === "VOTE" && state.endsWith("_gateRequested")) {
    return "Votes can be cast once the fund team opens the gate review.";
  }
  return `This project ${projectStates[state].phrase}, so it cannot be ${projectEventWording[type].refusedAs}.`;
}
