import { assertEvent, assign, setup } from "xstate";
import { z } from "zod";
import { actorHasRole, baseEventSchema, checksFor, guardFromChecks, reasonField, reasonGiven, type Check } from "./events";
import { isBlank, joinList } from "./format";
import type { StatePresentation } from "./presentation";

// One assessor's assessment of one bid. Scores live in the database; the machine holds
// only what decides who may do what next (the declared conflict, how often it was returned).

const event = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) => baseEventSchema.extend({ type: z.literal(type) }).extend(shape);

export const assessmentEventSchema = z.discriminatedUnion("type", [
  event("ACCEPT", {}),
  event("DECLINE", { reason: reasonField }),
  event("DECLARE_INTERESTS", {
    /** What the assessor declares, or "None". */
    interests: z.string().optional(),
    /** True when the assessor judges that an interest stops them assessing fairly. */
    conflict: z.boolean(),
  }),
  event("START_SCORING", {}),
  event("SAVE_DRAFT", {}),
  event("SUBMIT_SCORES", {
    facts: z.object({
      /** Labels of the fund's criteria that have no score yet. */
      unscoredCriteria: z.array(z.string()),
      /** Labels of scored criteria with no written justification. */
      unjustifiedCriteria: z.array(z.string()),
    }),
  }),
  event("RETURN_FOR_REWORK", { reason: reasonField }),
  event("CONFIRM_SCORES", {}),
  event("UNASSIGN", { reason: reasonField }),
  // The bid went back to the council for changes while it was being assessed.
  event("PAUSE_FOR_CHANGES", {
    reason: reasonField,
    /** Titles of the sections the council was asked to change. */
    sections: z.array(z.string()),
    facts: z.object({
      /** A digest of each section's answers as they stood, so the return can say which changed. */
      sectionDigests: z.record(z.string(), z.string()),
    }),
  }),
  // The council resubmitted and the bid is back in assessment.
  event("REOPEN_AFTER_CHANGES", {
    facts: z.object({
      /** Titles of the sections whose answers differ from when the assessment was paused. */
      changedSections: z.array(z.string()),
    }),
  }),
]);
export type AssessmentEvent = z.infer<typeof assessmentEventSchema>;
export type AssessmentEventType = AssessmentEvent["type"];
export const assessmentEventTypes = assessmentEventSchema.options.map((o) => o.shape.type.value) as AssessmentEventType[];

export interface AssessmentInput {
  assessmentId: string;
  bidId: string;
  assessorUserId: string;
  /** The lead's and every partner's organisation id: their staff may never assess the bid. */
  partnershipOrganisationIds: string[];
}

interface Stamp {
  at: string;
  by: string;
}

/** The states an assessment can be paused in, each of which it returns to (or to scoring) after the changes. */
export const pausableStates = ["invited", "accepted", "interestsDeclared", "scoring", "submitted", "returned", "resubmitted"] as const;
export type PausableState = (typeof pausableStates)[number];

/** Paused in one of these, the assessor had scores (a draft or submitted): they come back to scoring. */
const scoredStates: readonly PausableState[] = ["scoring", "submitted", "returned", "resubmitted"];

export interface AssessmentContext extends AssessmentInput {
  declined: (Stamp & { reason: string }) | null;
  interests: (Stamp & { text: string; conflict: boolean }) | null;
  draftSavedAt: string | null;
  submissions: number;
  returns: number;
  lastReturn: (Stamp & { reason: string }) | null;
  confirmed: Stamp | null;
  unassigned: (Stamp & { reason: string }) | null;
  /** While the bid is back with the council: why, which sections, and where the assessment was. */
  paused?: (Stamp & { reason: string; sections: string[]; from: PausableState; sectionDigests: Record<string, string> }) | null;
  /** The last return after changes: the sections that changed, and whether the assessor had scored before. */
  reopened?: (Stamp & { changedSections: string[]; hadScores: boolean }) | null;
}

export const assessmentEventWording: Record<AssessmentEventType, { action: string; refusedAs: string; reasonFor?: string }> = {
  ACCEPT: { action: "accept this assessment", refusedAs: "accepted" },
  DECLINE: { action: "decline this assessment", refusedAs: "declined", reasonFor: "decline" },
  DECLARE_INTERESTS: { action: "declare interests for this assessment", refusedAs: "given a declaration of interests" },
  START_SCORING: { action: "score this bid", refusedAs: "opened for scoring" },
  SAVE_DRAFT: { action: "save scores for this bid", refusedAs: "saved as a draft" },
  SUBMIT_SCORES: { action: "submit scores for this bid", refusedAs: "submitted" },
  RETURN_FOR_REWORK: { action: "return this assessment for rework", refusedAs: "returned for rework", reasonFor: "return an assessment" },
  CONFIRM_SCORES: { action: "confirm these scores", refusedAs: "confirmed" },
  UNASSIGN: { action: "unassign this assessor", refusedAs: "unassigned", reasonFor: "unassign an assessor" },
  PAUSE_FOR_CHANGES: {
    action: "pause this assessment while the bid is changed",
    refusedAs: "paused for changes",
    reasonFor: "pause an assessment for changes",
  },
  REOPEN_AFTER_CHANGES: { action: "reopen this assessment after the changes", refusedAs: "reopened after changes" },
};

export type AssessmentState =
  "invited" | "accepted" | "declined" | "interestsDeclared" | "scoring" | "submitted" | "returned" | "resubmitted" | "confirmed" | "unassigned" | "paused";

export const assessmentStates: Record<AssessmentState, StatePresentation> = {
  invited: { label: "Invited", tag: "blue", phrase: "is waiting for the assessor to accept" },
  accepted: { label: "Accepted", tag: "light-blue", phrase: "is waiting for a declaration of interests" },
  declined: { label: "Declined", tag: "grey", phrase: "was declined" },
  interestsDeclared: { label: "Interests declared", tag: "light-blue", phrase: "is ready to be scored" },
  scoring: { label: "Scoring", tag: "yellow", phrase: "is being scored" },
  submitted: { label: "Submitted", tag: "green", phrase: "has been submitted" },
  returned: { label: "Returned for rework", tag: "orange", phrase: "has been returned for rework" },
  resubmitted: { label: "Resubmitted", tag: "green", phrase: "has been resubmitted" },
  confirmed: { label: "Confirmed", tag: "turquoise", phrase: "has been confirmed by the moderator" },
  unassigned: { label: "Unassigned", tag: "grey", phrase: "has been unassigned" },
  paused: { label: "Paused for changes", tag: "orange", phrase: "is paused while the council changes the bid" },
};

type AssessmentCheck = Check<AssessmentContext, AssessmentEvent>;

const pausedWhile = (state: PausableState): AssessmentCheck => ({
  rule: `After changes, an assessment paused while ${assessmentStates[state].label.toLowerCase()} returns there.`,
  needs: "actor",
  refuse: (context) => (context.paused?.from === state ? null : `This assessment was not ${assessmentStates[state].label.toLowerCase()} when it was paused.`),
});

export const assessmentChecks = {
  actorIsAssignedAssessor: {
    rule: "Only the assessor invited to the bid acts on the assessment.",
    needs: "actor",
    refuse: (context, event) =>
      event.actor.role === "assessor" && event.actor.userId === context.assessorUserId
        ? null
        : `Only the assessor invited to this bid can ${assessmentEventWording[event.type].action}.`,
  },
  assessorOutsidePartnership: {
    rule: "An assessor employed by the lead or a partner council never assesses that bid.",
    needs: "actor",
    refuse: (context, event) =>
      context.partnershipOrganisationIds.includes(event.actor.organisationId)
        ? "You cannot assess this bid because your organisation is part of its partnership."
        : null,
  },
  actorIsFundTeam: actorHasRole<AssessmentContext, AssessmentEvent>(
    ["fundTeam"],
    "the fund team",
    Object.fromEntries(Object.entries(assessmentEventWording).map(([type, w]) => [type, w.action])),
  ),
  reasonGiven: reasonGiven<AssessmentContext, AssessmentEvent>(
    Object.fromEntries(Object.entries(assessmentEventWording).flatMap(([type, w]) => (w.reasonFor ? [[type, w.reasonFor]] : []))),
  ),
  interestsStated: {
    rule: "Every assessor declares interests for every assignment, even if there are none.",
    needs: "payload",
    refuse: (_context, event) => (event.type === "DECLARE_INTERESTS" && isBlank(event.interests) ? "Declare your interests, or say that you have none." : null),
  },
  noConflictDeclared: {
    rule: "An assessor who declared a conflict of interest cannot score the bid.",
    needs: "actor",
    refuse: (context) =>
      context.interests?.conflict ? "You cannot score this bid because you declared a conflict of interest. The fund team will reassign it." : null,
  },
  scoresComplete: {
    rule: "Every criterion has a score and a written justification.",
    needs: "payload",
    refuse: (_context, event) => {
      if (event.type !== "SUBMIT_SCORES") return null;
      const { unscoredCriteria, unjustifiedCriteria } = event.facts;
      const problems: string[] = [];
      if (unscoredCriteria.length > 0) problems.push(`${joinList(unscoredCriteria)} ${unscoredCriteria.length === 1 ? "has" : "have"} no score`);
      if (unjustifiedCriteria.length > 0)
        problems.push(`${joinList(unjustifiedCriteria)} ${unjustifiedCriteria.length === 1 ? "has" : "have"} no justification`);
      return problems.length === 0 ? null : `These scores cannot be submitted because ${problems.join(", and ")}.`;
    },
  },
  neverSubmitted: {
    rule: "A first submission is 'submitted'; a later one (after rework, or after the bid was changed) is 'resubmitted'.",
    needs: "actor",
    refuse: (context) => (context.submissions === 0 ? null : "This assessment has been submitted before."),
  },
  submittedBefore: {
    rule: "A first submission is 'submitted'; a later one (after rework, or after the bid was changed) is 'resubmitted'.",
    needs: "actor",
    refuse: (context) => (context.submissions > 0 ? null : "This assessment has not been submitted before."),
  },
  // Where a paused assessment goes back to: an assessor who had not started scoring picks
  // up where they were; one who had scores reviews them against the changed bid.
  pausedWhileInvited: pausedWhile("invited"),
  pausedWhileAccepted: pausedWhile("accepted"),
  pausedWithInterestsDeclared: pausedWhile("interestsDeclared"),
  pausedWithScores: {
    rule: "After changes, an assessment that had scores (a draft or submitted) reopens for scoring, so that they are looked at again.",
    needs: "actor",
    refuse: (context) => (context.paused && scoredStates.includes(context.paused.from) ? null : "This assessment had no scores before it was paused."),
  },
} satisfies Record<string, AssessmentCheck>;

export type AssessmentCheckName = keyof typeof assessmentChecks;
const requires = checksFor<AssessmentCheckName>();

const stamp = (event: AssessmentEvent): Stamp => ({ at: event.at, by: event.actor.userId });
const describe = (state: AssessmentState) => ({ description: assessmentStates[state].label });

// Fund team can take an assessment away until scores are in (conflict, illness, no reply).
const unassignable = () => ({
  UNASSIGN: {
    target: "unassigned" as const,
    guard: requires("actorIsFundTeam", "reasonGiven"),
    actions: "recordUnassignment" as const,
  },
});

const submitScores = () => ({
  SUBMIT_SCORES: [
    {
      target: "submitted" as const,
      guard: requires("actorIsAssignedAssessor", "scoresComplete", "neverSubmitted"),
      actions: "recordSubmission" as const,
    },
    {
      target: "resubmitted" as const,
      guard: requires("actorIsAssignedAssessor", "scoresComplete", "submittedBefore"),
      actions: "recordSubmission" as const,
    },
  ],
});

const moderate = () => ({
  RETURN_FOR_REWORK: {
    target: "returned" as const,
    guard: requires("actorIsFundTeam", "reasonGiven"),
    actions: "recordReturn" as const,
  },
  CONFIRM_SCORES: {
    target: "confirmed" as const,
    guard: requires("actorIsFundTeam"),
    actions: "recordConfirmation" as const,
  },
});

// Asking the council for changes pauses every assessment still in play: nothing is scored
// against answers that are about to change, and nothing already scored is thrown away.
const pausable = (from: PausableState) => ({
  PAUSE_FOR_CHANGES: {
    target: "paused" as const,
    guard: requires("actorIsFundTeam", "reasonGiven"),
    actions: { type: "recordPause" as const, params: { from } },
  },
});

export const assessmentMachine = setup({
  types: {
    context: {} as AssessmentContext,
    events: {} as AssessmentEvent,
    input: {} as AssessmentInput,
  },
  guards: {
    checks: guardFromChecks<AssessmentContext, AssessmentEvent>(assessmentChecks),
  },
  actions: {
    recordDecline: assign({
      declined: ({ event }) => {
        assertEvent(event, "DECLINE");
        return { ...stamp(event), reason: event.reason!.trim() };
      },
    }),
    recordInterests: assign({
      interests: ({ event }) => {
        assertEvent(event, "DECLARE_INTERESTS");
        return { ...stamp(event), text: event.interests!.trim(), conflict: event.conflict };
      },
    }),
    recordDraft: assign({ draftSavedAt: ({ event }) => event.at }),
    recordSubmission: assign({ submissions: ({ context }) => context.submissions + 1 }),
    recordReturn: assign({
      returns: ({ context }) => context.returns + 1,
      lastReturn: ({ event }) => {
        assertEvent(event, "RETURN_FOR_REWORK");
        return { ...stamp(event), reason: event.reason!.trim() };
      },
    }),
    recordConfirmation: assign({ confirmed: ({ event }) => stamp(event) }),
    recordPause: assign({
      paused: ({ event }, params: { from: PausableState }) => {
        assertEvent(event, "PAUSE_FOR_CHANGES");
        return {
          ...stamp(event),
          reason: event.reason!.trim(),
          sections: event.sections.filter((s) => !isBlank(s)),
          from: params.from,
          sectionDigests: { ...event.facts.sectionDigests },
        };
      },
    }),
    recordReopening: assign({
      reopened: ({ context, event }) => {
        assertEvent(event, "REOPEN_AFTER_CHANGES");
        const from = context.paused?.from;
        return { ...stamp(event), changedSections: [...event.facts.changedSections], hadScores: from !== undefined && scoredStates.includes(from) };
      },
      paused: null,
    }),
    recordUnassignment: assign({
      unassigned: ({ event }) => {
        assertEvent(event, "UNASSIGN");
        return { ...stamp(event), reason: event.reason!.trim() };
      },
    }),
  },
}).createMachine({
  id: "assessment",
  initial: "invited",
  context: ({ input }) => ({
    assessmentId: input.assessmentId,
    bidId: input.bidId,
    assessorUserId: input.assessorUserId,
    partnershipOrganisationIds: [...input.partnershipOrganisationIds],
    declined: null,
    interests: null,
    draftSavedAt: null,
    submissions: 0,
    returns: 0,
    lastReturn: null,
    confirmed: null,
    unassigned: null,
    paused: null,
    reopened: null,
  }),
  states: {
    invited: {
      ...describe("invited"),
      on: {
        ACCEPT: { target: "accepted", guard: requires("actorIsAssignedAssessor", "assessorOutsidePartnership") },
        DECLINE: {
          target: "declined",
          guard: requires("actorIsAssignedAssessor", "reasonGiven"),
          actions: "recordDecline",
        },
        ...unassignable(),
        ...pausable("invited"),
      },
    },
    accepted: {
      ...describe("accepted"),
      on: {
        DECLARE_INTERESTS: {
          target: "interestsDeclared",
          guard: requires("actorIsAssignedAssessor", "interestsStated"),
          actions: "recordInterests",
        },
        ...unassignable(),
        ...pausable("accepted"),
      },
    },
    interestsDeclared: {
      ...describe("interestsDeclared"),
      on: {
        START_SCORING: { target: "scoring", guard: requires("actorIsAssignedAssessor", "noConflictDeclared") },
        ...unassignable(),
        ...pausable("interestsDeclared"),
      },
    },
    scoring: {
      ...describe("scoring"),
      on: {
        SAVE_DRAFT: { guard: requires("actorIsAssignedAssessor"), actions: "recordDraft" },
        ...submitScores(),
        ...unassignable(),
        ...pausable("scoring"),
      },
    },
    submitted: { ...describe("submitted"), on: { ...moderate(), ...pausable("submitted") } },
    returned: {
      ...describe("returned"),
      on: {
        START_SCORING: { target: "scoring", guard: requires("actorIsAssignedAssessor", "noConflictDeclared") },
        ...unassignable(),
        ...pausable("returned"),
      },
    },
    resubmitted: { ...describe("resubmitted"), on: { ...moderate(), ...pausable("resubmitted") } },
    // Waiting for the council: nothing is scored, and nobody is taken off, until the bid is back.
    paused: {
      ...describe("paused"),
      on: {
        REOPEN_AFTER_CHANGES: [
          { target: "invited" as const, guard: requires("actorIsFundTeam", "pausedWhileInvited"), actions: "recordReopening" as const },
          { target: "accepted" as const, guard: requires("actorIsFundTeam", "pausedWhileAccepted"), actions: "recordReopening" as const },
          {
            target: "interestsDeclared" as const,
            guard: requires("actorIsFundTeam", "pausedWithInterestsDeclared"),
            actions: "recordReopening" as const,
          },
          {
            target: "scoring" as const,
            guard: requires("actorIsFundTeam", "pausedWithScores"),
            actions: "recordReopening" as const,
          },
        ],
      },
    },
    declined: { ...describe("declined"), type: "final" },
    confirmed: { ...describe("confirmed"), type: "final" },
    unassigned: { ...describe("unassigned"), type: "final" },
  },
});

export function assessmentRefusedInState(type: AssessmentEventType, state: AssessmentState): string {
  return `This assessment ${assessmentStates[state].phrase}, so it cannot be ${assessmentEventWording[type].refusedAs}.`;
}
