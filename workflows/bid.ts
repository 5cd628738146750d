import { assertEvent, assign, setup } from "xstate";
import { z } from "zod";
import { actorHasRole, baseEventSchema, checksFor, guardFromChecks, isoDateTime, reasonField, reasonGiven, type Check } from "./events";
import { formatDateTime } from "./dates";
import { formatMoney, isBlank, joinList, plural } from "./format";
import { factsRulesSchema, organisationKindLabels, stageLabels, stages, type EligibilityCode, type EligibilityProblem } from "./rules";
import type { StatePresentation } from "./presentation";

// A bid's life from first draft to a published decision. Pure: every fact the guards need
// (the partnership, the deadline, how many assessors are assigned…) arrives in the event's
// `facts`, supplied by the server from the database at the moment the event is applied.

// ---------------------------------------------------------------- facts and events

export const partnershipMemberSchema = z.object({
  organisationId: z.string().min(1),
  name: z.string().min(1),
  /** Organisation.kind: council, combinedAuthority, fireAuthority, … */
  kind: z.string().min(1),
  role: z.enum(["lead", "partner"]),
  signedDeclaration: z.boolean(),
});
export type PartnershipMember = z.infer<typeof partnershipMemberSchema>;

/** Everything the eligibility rules look at, read from the database when the bid is sent. */
export const submissionFactsSchema = z.object({
  rules: factsRulesSchema,
  /** The round's closing time (Round.closesAt). */
  deadline: isoDateTime,
  /** The round's stage (Round.stage). */
  stage: z.enum(stages),
  amountRequestedPence: z.number().int().nonnegative(),
  /** The round's own cap when it sets one (Round.capPence); otherwise the fund's stage cap. */
  capPence: z.number().int().nonnegative().optional(),
  /** The lead and every partner that accepted, each once. */
  councils: z.array(partnershipMemberSchema),
  /** Other bids in this round led by the same organisation, awaiting certification or later, not withdrawn. */
  leadBidsInRound: z.number().int().nonnegative(),
  /** Titles of task-list sections not yet marked complete. */
  incompleteSections: z.array(z.string()),
});
export type SubmissionFacts = z.infer<typeof submissionFactsSchema>;

const event = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) => baseEventSchema.extend({ type: z.literal(type) }).extend(shape);

export const bidEventSchema = z.discriminatedUnion("type", [
  event("REQUEST_CERTIFICATION", { facts: submissionFactsSchema }),
  event("CERTIFY", { facts: submissionFactsSchema }),
  event("DECLINE_CERTIFICATION", { reason: reasonField }),
  event("BEGIN_ELIGIBILITY_CHECK", {}),
  event("MARK_ELIGIBLE", {}),
  event("MARK_INELIGIBLE", { reason: reasonField }),
  event("REINSTATE", { reason: reasonField }),
  event("REQUEST_CHANGES", { reason: reasonField, sections: z.array(z.string()).optional() }),
  event("RESUBMIT", { summary: z.string().optional() }),
  event("START_ASSESSMENT", {
    facts: z.object({ rules: factsRulesSchema, assessorsAssigned: z.number().int().nonnegative() }),
  }),
  event("BEGIN_MODERATION", {
    facts: z.object({
      rules: factsRulesSchema,
      assessmentsSubmitted: z.number().int().nonnegative(),
      assessmentsOutstanding: z.number().int().nonnegative(),
    }),
  }),
  event("DRAW_FUNDING_LINE", {
    facts: z.object({
      /** Whether the round's budget reaches this bid in the moderated ranking. */
      aboveLine: z.boolean(),
      rank: z.number().int().min(1),
      moderatedScore: z.number(),
      /** Criteria flagged for moderation that still have no consensus score. */
      unresolvedDisagreements: z.number().int().nonnegative(),
    }),
  }),
  event("REDRAW_FUNDING_LINE", { reason: reasonField }),
  event("PUBLISH_DECISION", {
    message: z.string().optional(),
    /** The assessors' feedback for the bidders, one sentence each (anonymised: "Assessor 1"). */
    feedback: z.array(z.string()).optional(),
  }),
  event("WITHDRAW", { reason: reasonField }),
]);
export type BidEvent = z.infer<typeof bidEventSchema>;
export type BidEventType = BidEvent["type"];
export const bidEventTypes = bidEventSchema.options.map((o) => o.shape.type.value) as BidEventType[];

// ---------------------------------------------------------------- context

export interface BidInput {
  bidId: string;
  roundId: string;
  leadOrganisationId: string;
}

interface Stamp {
  at: string;
  by: string;
}

export interface BidContext extends BidInput {
  certificationRequested: Stamp | null;
  lastDeclinedCertification: (Stamp & { reason: string }) | null;
  submitted: Stamp | null;
  ineligibility: (Stamp & { reason: string }) | null;
  changeRequest: (Stamp & { reason: string; sections: string[]; during: "eligibilityCheck" | "inAssessment" }) | null;
  resubmissions: number;
  fundingLine: (Stamp & { aboveLine: boolean; rank: number; moderatedScore: number }) | null;
  decision: (Stamp & { outcome: "funded" | "notFunded"; message: string }) | null;
  withdrawal: (Stamp & { reason: string }) | null;
}

// ---------------------------------------------------------------- wording

/** How each event reads in a sentence: "Only … can <action>", "… so it cannot be <refusedAs>". */
export const bidEventWording: Record<BidEventType, { action: string; refusedAs: string; reasonFor?: string }> = {
  REQUEST_CERTIFICATION: { action: "send this bid for certification", refusedAs: "sent for certification" },
  CERTIFY: { action: "certify this bid", refusedAs: "certified" },
  DECLINE_CERTIFICATION: { action: "decline to certify this bid", refusedAs: "declined", reasonFor: "decline" },
  BEGIN_ELIGIBILITY_CHECK: { action: "begin the eligibility check", refusedAs: "checked for eligibility" },
  MARK_ELIGIBLE: { action: "mark this bid eligible", refusedAs: "marked eligible" },
  MARK_INELIGIBLE: { action: "mark this bid ineligible", refusedAs: "marked ineligible", reasonFor: "mark a bid ineligible" },
  REINSTATE: { action: "reinstate this bid", refusedAs: "reinstated", reasonFor: "reinstate a bid" },
  REQUEST_CHANGES: { action: "ask for changes to this bid", refusedAs: "sent back for changes", reasonFor: "ask for changes" },
  RESUBMIT: { action: "resubmit this bid", refusedAs: "resubmitted" },
  START_ASSESSMENT: { action: "start the assessment", refusedAs: "sent for assessment" },
  BEGIN_MODERATION: { action: "begin moderation", refusedAs: "moderated" },
  DRAW_FUNDING_LINE: { action: "draw the funding line", refusedAs: "placed against the funding line" },
  REDRAW_FUNDING_LINE: {
    action: "return this bid to moderation",
    refusedAs: "returned to moderation",
    reasonFor: "return a bid to moderation",
  },
  PUBLISH_DECISION: { action: "publish the decision", refusedAs: "given a published decision" },
  WITHDRAW: { action: "withdraw this bid", refusedAs: "withdrawn", reasonFor: "withdraw a bid" },
};

export type BidState =
  | "draft"
  | "awaitingCertification"
  | "submitted"
  | "resubmitted"
  | "eligibilityCheck"
  | "eligible"
  | "ineligible"
  | "changesRequested"
  | "inAssessment"
  | "moderation"
  | "recommended"
  | "notRecommended"
  | "funded"
  | "notFunded"
  | "withdrawn";

const pending = "Decision pending";

export const bidStates: Record<BidState, StatePresentation> = {
  draft: { label: "Draft", tag: "grey", phrase: "is a draft" },
  awaitingCertification: { label: "Awaiting certification", tag: "yellow", phrase: "is awaiting certification" },
  submitted: { label: "Submitted", tag: "blue", phrase: "has been submitted" },
  resubmitted: { label: "Resubmitted", tag: "blue", phrase: "has been resubmitted" },
  eligibilityCheck: { label: "Eligibility check", tag: "light-blue", phrase: "is having its eligibility checked" },
  eligible: { label: "Eligible", tag: "turquoise", phrase: "is eligible and waiting for assessment" },
  ineligible: { label: "Ineligible", tag: "red", phrase: "is ineligible" },
  changesRequested: { label: "Changes requested", tag: "orange", phrase: "is back with the bidders for changes" },
  inAssessment: { label: "In assessment", tag: "purple", phrase: "is in assessment" },
  // Held states: bidders see "Decision pending" until the fund team publishes.
  moderation: { label: "Moderation", tag: "purple", phrase: "is in moderation", applicantLabel: pending },
  recommended: { label: "Recommended (held)", tag: "pink", phrase: "is recommended, with the decision held", applicantLabel: pending },
  notRecommended: { label: "Below the funding line (held)", tag: "pink", phrase: "is below the funding line, with the decision held", applicantLabel: pending },
  funded: { label: "Funded", tag: "green", phrase: "is funded" },
  notFunded: { label: "Not funded", tag: "red", phrase: "was not funded" },
  withdrawn: { label: "Withdrawn", tag: "grey", phrase: "has been withdrawn" },
};

// ---------------------------------------------------------------- eligibility

/**
 * Every reason the partnership cannot submit yet, each a clause that completes
 * "This bid cannot be submitted because: …". Exported for the task-list page.
 */
export function eligibilityProblems(facts: SubmissionFacts, leadOrganisationId: string): string[] {
  return eligibilityFindings(facts, leadOrganisationId).map((p) => p.text);
}

/** The same reasons, each with the code of the rule it breaks (for the eligibility panel). */
export function eligibilityFindings(facts: SubmissionFacts, leadOrganisationId: string): EligibilityProblem[] {
  const { rules, councils } = facts;
  const found: EligibilityProblem[] = [];
  const add = (text: string, code: EligibilityCode) => {
    found.push({ code, text });
  };
  const lead = councils.find((c) => c.role === "lead");
  if (!lead || lead.organisationId !== leadOrganisationId) {
    add("the lead council is missing from the partnership", "lead");
  }
  if (rules.eligibility.declarationRequired) {
    for (const council of councils) {
      if (!council.signedDeclaration) add(`${council.name} has not signed the Local Digital Declaration`, "declaration");
    }
  }
  if (councils.length < rules.eligibility.minCouncils) {
    add(`the partnership has ${plural(councils.length, "council")} and needs at least ${rules.eligibility.minCouncils}, including the lead`, "councils");
  }
  const kindLabel = (kind: string) => organisationKindLabels[kind] ?? { one: `a ${kind}`, many: `${kind}s` };
  for (const council of councils) {
    const kinds = council.role === "lead" ? rules.eligibility.leadKinds : rules.eligibility.partnerKinds;
    if ((kinds as readonly string[]).includes(council.kind)) continue;
    const label = kindLabel(council.kind);
    const canPartner = (rules.eligibility.partnerKinds as readonly string[]).includes(council.kind);
    add(
      council.role === "lead" && canPartner
        ? `${council.name} is ${label.one}, and ${label.many} may only be partners`
        : `${council.name} is ${label.one}, and ${label.many} may not ${council.role === "lead" ? "lead" : "be partners"}`,
      "kinds",
    );
  }
  if (facts.leadBidsInRound >= rules.eligibility.maxLeadBidsPerCouncilPerRound) {
    add(
      `${lead?.name ?? "the lead council"} already leads ${plural(facts.leadBidsInRound, "other bid")} in this round, and a council may lead at most ${rules.eligibility.maxLeadBidsPerCouncilPerRound}`,
      "leadBids",
    );
  }
  const cap = facts.capPence ?? rules.caps[facts.stage];
  if (facts.amountRequestedPence <= 0) {
    add("the amount asked for must be more than £0", "amount");
  } else if (facts.amountRequestedPence > cap) {
    add(
      `the amount asked for, ${formatMoney(facts.amountRequestedPence)}, is above the ${stageLabels[facts.stage].toLowerCase()} stage cap of ${formatMoney(cap)}`,
      "amount",
    );
  }
  if (facts.incompleteSections.length === 1) {
    add(`the ${facts.incompleteSections[0]} section is not complete`, "sections");
  } else if (facts.incompleteSections.length > 1) {
    add(`these sections are not complete: ${joinList(facts.incompleteSections)}`, "sections");
  }
  return found;
}

// ---------------------------------------------------------------- checks (guards with sentences)

type BidCheck = Check<BidContext, BidEvent>;
const wordingOf = (type: BidEventType) => bidEventWording[type];

export const bidChecks = {
  actorIsLeadOfficer: {
    rule: "Only an officer of the lead council acts for the bid.",
    needs: "actor",
    refuse: (context, event) =>
      event.actor.role === "councilOfficer" && event.actor.organisationId === context.leadOrganisationId
        ? null
        : `Only an officer of the lead council can ${wordingOf(event.type).action}.`,
  },
  actorIsLeadCertifier: {
    rule: "Only the lead council's certifier (s151 officer or delegate) certifies its submission.",
    needs: "actor",
    refuse: (context, event) =>
      event.actor.role === "certifier" && event.actor.organisationId === context.leadOrganisationId
        ? null
        : `Only the lead council's certifier can ${wordingOf(event.type).action}.`,
  },
  actorIsFundTeam: actorHasRole<BidContext, BidEvent>(
    ["fundTeam"],
    "the fund team",
    Object.fromEntries(Object.entries(bidEventWording).map(([type, w]) => [type, w.action])),
  ),
  reasonGiven: reasonGiven<BidContext, BidEvent>(
    Object.fromEntries(Object.entries(bidEventWording).flatMap(([type, w]) => (w.reasonFor ? [[type, w.reasonFor]] : []))),
  ),
  roundIsOpen: {
    rule: "Nothing can be submitted after the round's deadline.",
    needs: "payload",
    refuse: (_context, event) => {
      if (event.type !== "REQUEST_CERTIFICATION" && event.type !== "CERTIFY") return null;
      return Date.parse(event.at) < Date.parse(event.facts.deadline)
        ? null
        : `This bid cannot be submitted because the round closed at ${formatDateTime(event.facts.deadline)}.`;
    },
  },
  partnershipIsEligible: {
    rule: "Every partner has signed the Local Digital Declaration, the partnership is big enough, each organisation may take its role, the lead has bids to spare, the amount is within the cap and every section is complete.",
    needs: "payload",
    refuse: (context, event) => {
      if (event.type !== "REQUEST_CERTIFICATION" && event.type !== "CERTIFY") return null;
      const problems = eligibilityProblems(event.facts, context.leadOrganisationId);
      return problems.length === 0 ? null : `This bid cannot be submitted because: ${problems.join("; ")}.`;
    },
  },
  sectionsChosen: {
    rule: "A change request names the sections to change.",
    needs: "payload",
    refuse: (_context, event) =>
      event.type === "REQUEST_CHANGES" && (event.sections ?? []).filter((s) => !isBlank(s)).length === 0
        ? "Choose at least one section that needs changes."
        : null,
  },
  enoughAssessorsAssigned: {
    rule: "Assessment starts only when the fund's number of assessors is assigned.",
    needs: "payload",
    refuse: (_context, event) => {
      if (event.type !== "START_ASSESSMENT") return null;
      const needed = event.facts.rules.assessment.assessorsPerBid;
      const assigned = event.facts.assessorsAssigned;
      return assigned >= needed
        ? null
        : `Assessment cannot start because ${assigned === 1 ? "1 assessor is" : `${assigned} assessors are`} assigned and this fund needs ${needed}.`;
    },
  },
  assessmentsComplete: {
    rule: "Moderation begins when every assigned assessment is submitted, and at least the fund's number of assessors have scored.",
    needs: "payload",
    refuse: (_context, event) => {
      if (event.type !== "BEGIN_MODERATION") return null;
      const { assessmentsOutstanding, assessmentsSubmitted, rules } = event.facts;
      if (assessmentsOutstanding > 0) {
        return `Moderation cannot begin while ${plural(assessmentsOutstanding, "assessment is", "assessments are")} still outstanding.`;
      }
      const needed = rules.assessment.assessorsPerBid;
      return assessmentsSubmitted >= needed
        ? null
        : `Moderation cannot begin because ${plural(assessmentsSubmitted, "assessment has", "assessments have")} been submitted and this fund needs ${needed}.`;
    },
  },
  disagreementsResolved: {
    rule: "The funding line is drawn only on moderated scores: every flagged criterion has a consensus score.",
    needs: "payload",
    refuse: (_context, event) => {
      if (event.type !== "DRAW_FUNDING_LINE") return null;
      const open = event.facts.unresolvedDisagreements;
      return open === 0
        ? null
        : `The funding line cannot be drawn for this bid because ${plural(open, "criterion still needs", "criteria still need")} a consensus score.`;
    },
  },
  aboveFundingLine: {
    rule: "The round's budget reaches this bid in the moderated ranking.",
    needs: "payload",
    refuse: (_context, event) => (event.type === "DRAW_FUNDING_LINE" && event.facts.aboveLine ? null : "This bid is below the funding line."),
  },
  belowFundingLine: {
    rule: "The round's budget runs out before this bid in the moderated ranking.",
    needs: "payload",
    refuse: (_context, event) => (event.type === "DRAW_FUNDING_LINE" && !event.facts.aboveLine ? null : "This bid is above the funding line."),
  },
  changesCameFromAssessment: {
    rule: "A bid changed at the assessors' request goes back to assessment; otherwise its eligibility is checked again.",
    needs: "actor",
    refuse: (context) =>
      context.changeRequest?.during === "inAssessment"
        ? null
        : "This resubmitted bid needs its eligibility checked again, because the changes were asked for during the eligibility check.",
  },
} satisfies Record<string, BidCheck>;

export type BidCheckName = keyof typeof bidChecks;
const requires = checksFor<BidCheckName>();

// ---------------------------------------------------------------- machine

const stamp = (event: BidEvent): Stamp => ({ at: event.at, by: event.actor.userId });

const withdrawable = () => ({
  WITHDRAW: {
    target: "withdrawn" as const,
    guard: requires("actorIsLeadOfficer", "reasonGiven"),
    actions: "recordWithdrawal" as const,
  },
});

const describe = (state: BidState) => ({ description: bidStates[state].label });

export const bidMachine = setup({
  types: {
    context: {} as BidContext,
    events: {} as BidEvent,
    input: {} as BidInput,
  },
  guards: {
    checks: guardFromChecks<BidContext, BidEvent>(bidChecks),
  },
  actions: {
    recordCertificationRequest: assign({ certificationRequested: ({ event }) => stamp(event) }),
    recordDeclinedCertification: assign({
      lastDeclinedCertification: ({ event }) => {
        assertEvent(event, "DECLINE_CERTIFICATION");
        return { ...stamp(event), reason: event.reason!.trim() };
      },
      certificationRequested: null,
    }),
    recordSubmission: assign({ submitted: ({ event }) => stamp(event) }),
    recordIneligibility: assign({
      ineligibility: ({ event }) => {
        assertEvent(event, "MARK_INELIGIBLE");
        return { ...stamp(event), reason: event.reason!.trim() };
      },
    }),
    clearIneligibility: assign({ ineligibility: null }),
    recordChangeRequest: assign({
      changeRequest: ({ event }, params: { during: "eligibilityCheck" | "inAssessment" }) => {
        assertEvent(event, "REQUEST_CHANGES");
        return {
          ...stamp(event),
          reason: event.reason!.trim(),
          sections: (event.sections ?? []).filter((s) => s.trim() !== ""),
          during: params.during,
        };
      },
    }),
    recordResubmission: assign({ resubmissions: ({ context }) => context.resubmissions + 1 }),
    recordFundingLine: assign({
      fundingLine: ({ event }) => {
        assertEvent(event, "DRAW_FUNDING_LINE");
        const { aboveLine, rank, moderatedScore } = event.facts;
        return { ...stamp(event), aboveLine, rank, moderatedScore };
      },
    }),
    clearFundingLine: assign({ fundingLine: null }),
    publishDecision: assign({
      decision: ({ event }, params: { outcome: "funded" | "notFunded" }) => {
        assertEvent(event, "PUBLISH_DECISION");
        return { ...stamp(event), outcome: params.outcome, message: event.message?.trim() ?? "" };
      },
    }),
    recordWithdrawal: assign({
      withdrawal: ({ event }) => {
        assertEvent(event, "WITHDRAW");
        return { ...stamp(event), reason: event.reason!.trim() };
      },
    }),
  },
}).createMachine({
  id: "bid",
  initial: "draft",
  context: ({ input }) => ({
    bidId: input.bidId,
    roundId: input.roundId,
    leadOrganisationId: input.leadOrganisationId,
    certificationRequested: null,
    lastDeclinedCertification: null,
    submitted: null,
    ineligibility: null,
    changeRequest: null,
    resubmissions: 0,
    fundingLine: null,
    decision: null,
    withdrawal: null,
  }),
  states: {
    draft: {
      ...describe("draft"),
      on: {
        REQUEST_CERTIFICATION: {
          target: "awaitingCertification",
          guard: requires("actorIsLeadOfficer", "roundIsOpen", "partnershipIsEligible"),
          actions: "recordCertificationRequest",
        },
        ...withdrawable(),
      },
    },
    awaitingCertification: {
      ...describe("awaitingCertification"),
      on: {
        // Certifying is the moment of submission, so the deadline and eligibility are
        // checked again: partners can drop out while the certifier considers it.
        CERTIFY: {
          target: "submitted",
          guard: requires("actorIsLeadCertifier", "roundIsOpen", "partnershipIsEligible"),
          actions: "recordSubmission",
        },
        DECLINE_CERTIFICATION: {
          target: "draft",
          guard: requires("actorIsLeadCertifier", "reasonGiven"),
          actions: "recordDeclinedCertification",
        },
        ...withdrawable(),
      },
    },
    submitted: {
      ...describe("submitted"),
      on: {
        BEGIN_ELIGIBILITY_CHECK: { target: "eligibilityCheck", guard: requires("actorIsFundTeam") },
        ...withdrawable(),
      },
    },
    resubmitted: {
      ...describe("resubmitted"),
      on: {
        BEGIN_ELIGIBILITY_CHECK: { target: "eligibilityCheck", guard: requires("actorIsFundTeam") },
        START_ASSESSMENT: {
          target: "inAssessment",
          guard: requires("actorIsFundTeam", "changesCameFromAssessment", "enoughAssessorsAssigned"),
        },
        ...withdrawable(),
      },
    },
    eligibilityCheck: {
      ...describe("eligibilityCheck"),
      on: {
        MARK_ELIGIBLE: { target: "eligible", guard: requires("actorIsFundTeam") },
        MARK_INELIGIBLE: {
          target: "ineligible",
          guard: requires("actorIsFundTeam", "reasonGiven"),
          actions: "recordIneligibility",
        },
        REQUEST_CHANGES: {
          target: "changesRequested",
          guard: requires("actorIsFundTeam", "reasonGiven", "sectionsChosen"),
          actions: { type: "recordChangeRequest", params: { during: "eligibilityCheck" } },
        },
        ...withdrawable(),
      },
    },
    ineligible: {
      ...describe("ineligible"),
      on: {
        REINSTATE: {
          target: "eligible",
          guard: requires("actorIsFundTeam", "reasonGiven"),
          actions: "clearIneligibility",
        },
        ...withdrawable(),
      },
    },
    eligible: {
      ...describe("eligible"),
      on: {
        START_ASSESSMENT: {
          target: "inAssessment",
          guard: requires("actorIsFundTeam", "enoughAssessorsAssigned"),
        },
        ...withdrawable(),
      },
    },
    changesRequested: {
      ...describe("changesRequested"),
      on: {
        RESUBMIT: {
          target: "resubmitted",
          guard: requires("actorIsLeadOfficer"),
          actions: "recordResubmission",
        },
        ...withdrawable(),
      },
    },
    inAssessment: {
      ...describe("inAssessment"),
      on: {
        BEGIN_MODERATION: {
          target: "moderation",
          guard: requires("actorIsFundTeam", "assessmentsComplete"),
        },
        REQUEST_CHANGES: {
          target: "changesRequested",
          guard: requires("actorIsFundTeam", "reasonGiven", "sectionsChosen"),
          actions: { type: "recordChangeRequest", params: { during: "inAssessment" } },
        },
        ...withdrawable(),
      },
    },
    moderation: {
      ...describe("moderation"),
      on: {
        DRAW_FUNDING_LINE: [
          {
            target: "recommended",
            guard: requires("actorIsFundTeam", "disagreementsResolved", "aboveFundingLine"),
            actions: "recordFundingLine",
          },
          {
            target: "notRecommended",
            guard: requires("actorIsFundTeam", "disagreementsResolved", "belowFundingLine"),
            actions: "recordFundingLine",
          },
        ],
        ...withdrawable(),
      },
    },
    // Held: decisions are published together, so nothing here is visible to bidders yet.
    recommended: {
      ...describe("recommended"),
      on: {
        PUBLISH_DECISION: {
          target: "funded",
          guard: requires("actorIsFundTeam"),
          actions: { type: "publishDecision", params: { outcome: "funded" } },
        },
        REDRAW_FUNDING_LINE: {
          target: "moderation",
          guard: requires("actorIsFundTeam", "reasonGiven"),
          actions: "clearFundingLine",
        },
        ...withdrawable(),
      },
    },
    notRecommended: {
      ...describe("notRecommended"),
      on: {
        PUBLISH_DECISION: {
          target: "notFunded",
          guard: requires("actorIsFundTeam"),
          actions: { type: "publishDecision", params: { outcome: "notFunded" } },
        },
        REDRAW_FUNDING_LINE: {
          target: "moderation",
          guard: requires("actorIsFundTeam", "reasonGiven"),
          actions: "clearFundingLine",
        },
        ...withdrawable(),
      },
    },
    funded: { ...describe("funded"), type: "final" },
    notFunded: { ...describe("notFunded"), type: "final" },
    withdrawn: { ...describe("withdrawn"), type: "final" },
  },
});

/** The sentence for an event the bid's current state does not accept at all. */
export function bidRefusedInState(type: BidEventType, state: BidState): string {
  if (type === "WITHDRAW" && (state === "funded" || state === "notFunded")) {
    return "A bid cannot be withdrawn once the decision is published.";
  }
  if (type === "WITHDRAW" && state === "withdrawn") return "This bid has already been withdrawn.";
  const beforeSubmission: BidState[] = ["draft", "awaitingCertification", "withdrawn"];
  if ((type === "REQUEST_CERTIFICATION" || type === "CERTIFY") && !beforeSubmission.includes(state)) {
    return "This bid has already been submitted.";
  }
  return `This bid ${bidStates[state].phrase}, so it cannot be ${bidEventWording[type].refusedAs}.`;
}
