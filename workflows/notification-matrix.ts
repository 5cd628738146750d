// Who hears of which transition, as data (the product's "a matrix: transition × role →
// template"). The server turns each row's role into people for the record in hand and
// writes one outbox row per person in the same transaction as the transition:
//   councilOfficer - officers of the lead council
//   partnerOfficer - officers of each partner council that accepted
//   certifier      - certifiers of the lead council
//   assessor       - the assessment's assessor (assessment rows) or the bid's assessors
//   fundTeam       - the fund team
//   gateApprover   - the gate approvers (for a review: those who can vote on it)
//   invitedOfficer - officers of the council a partnership row is about (the one invited)
//   author         - the case study's author: whoever last sent it for review
// For partnerships, adoptions and case studies (workflows/lifecycles.ts) councilOfficer means
// the officers of the bid's or project's lead council, never the adopting council's.
// `essential: false` rows may be held for a person's daily digest; essential ones never are.

export type WorkflowKind = "bid" | "assessment" | "project";
/** Every kind of record whose changes the matrix covers. */
export type NotifiedKind = WorkflowKind | "partnership" | "adoption" | "caseStudy";
export type RecipientRole = "councilOfficer" | "certifier" | "assessor" | "fundTeam" | "gateApprover" | "partnerOfficer" | "invitedOfficer" | "author";

export interface NotificationRow {
  machine: NotifiedKind;
  /**
   * A state name (the row fires when the record enters that state from a different one) or
   * an event type in capitals (the row fires whenever that event is applied). Project state
   * names are given without their stage ("inReview" matches scan_inReview, pilot_inReview…).
   */
  to: string;
  /** Only when leaving this state (stage-less for projects); null: only when the record is created. */
  from?: string | null;
  role: RecipientRole;
  template: string;
  essential: boolean;
}

type RowSpec = Omit<NotificationRow, "machine" | "role" | "essential">;
const rows = (machine: NotifiedKind, spec: RowSpec, roles: Record<string, boolean>): NotificationRow[] =>
  Object.entries(roles).map(([role, essential]) => ({
    machine,
    ...spec,
    role: role as RecipientRole,
    essential,
  }));

export const notificationMatrix: readonly NotificationRow[] = [
  // Bid
  ...rows("bid", { to: "awaitingCertification", template: "bid-certification-requested" }, { certifier: true }),
  ...rows("bid", { to: "DECLINE_CERTIFICATION", template: "bid-certification-declined" }, { councilOfficer: true }),
  ...rows("bid", { to: "submitted", template: "bid-submitted" }, { councilOfficer: true, partnerOfficer: true, certifier: false, fundTeam: false }),
  ...rows("bid", { to: "eligible", template: "bid-eligible" }, { councilOfficer: false }),
  ...rows("bid", { to: "ineligible", template: "bid-ineligible" }, { councilOfficer: true, partnerOfficer: true }),
  ...rows("bid", { to: "REINSTATE", template: "bid-reinstated" }, { councilOfficer: true, partnerOfficer: false }),
  ...rows("bid", { to: "changesRequested", template: "bid-changes-requested" }, { councilOfficer: true, partnerOfficer: false }),
  ...rows("bid", { to: "resubmitted", template: "bid-resubmitted" }, { fundTeam: true, councilOfficer: false }),
  ...rows("bid", { to: "withdrawn", template: "bid-withdrawn" }, { fundTeam: true, partnerOfficer: true, councilOfficer: false }),
  ...rows("bid", { to: "withdrawn", from: "inAssessment", template: "bid-withdrawn-assessor" }, { assessor: true }),
  // Back with the council at the assessors' request: its assessors are waiting for it (none when asked during the eligibility check).
  ...rows("bid", { to: "withdrawn", from: "changesRequested", template: "bid-withdrawn-assessor" }, { assessor: true }),
  ...rows("bid", { to: "funded", template: "bid-decision-funded" }, { councilOfficer: true, partnerOfficer: true, certifier: false }),
  ...rows("bid", { to: "notFunded", template: "bid-decision-not-funded" }, { councilOfficer: true, partnerOfficer: true, certifier: false }),

  // Assessment (the initial state is entered from nothing when the assessor is invited)
  ...rows("assessment", { to: "invited", from: null, template: "assessment-invited" }, { assessor: true }),
  // Only on the assessor's own step: coming back from a pause is told by assessment-reopened.
  ...rows("assessment", { to: "accepted", from: "invited", template: "assessment-accepted" }, { fundTeam: false }),
  ...rows("assessment", { to: "declined", template: "assessment-declined" }, { fundTeam: true }),
  ...rows("assessment", { to: "interestsDeclared", from: "accepted", template: "assessment-interests-declared" }, { fundTeam: false }),
  ...rows("assessment", { to: "submitted", template: "assessment-submitted" }, { fundTeam: false, assessor: false }),
  ...rows("assessment", { to: "returned", template: "assessment-returned" }, { assessor: true }),
  ...rows("assessment", { to: "resubmitted", template: "assessment-resubmitted" }, { fundTeam: false }),
  ...rows("assessment", { to: "confirmed", template: "assessment-confirmed" }, { assessor: false }),
  ...rows("assessment", { to: "unassigned", template: "assessment-unassigned" }, { assessor: true }),
  ...rows("assessment", { to: "paused", template: "assessment-paused" }, { assessor: true }),
  // The state it reopens to depends on where it was, so the row names the event.
  ...rows("assessment", { to: "REOPEN_AFTER_CHANGES", template: "assessment-reopened" }, { assessor: true }),

  // Project
  ...rows("project", { to: "delivering", from: null, template: "project-started" }, { councilOfficer: true, partnerOfficer: true }),
  ...rows("project", { to: "gateRequested", template: "project-gate-review-requested" }, { fundTeam: true, councilOfficer: false }),
  ...rows("project", { to: "RETURN_GATE_REQUEST", template: "project-gate-request-returned" }, { councilOfficer: true }),
  ...rows("project", { to: "inReview", template: "project-gate-review-opened" }, { gateApprover: true, councilOfficer: false }),
  ...rows("project", { to: "VOTE", template: "project-gate-vote-recorded" }, { fundTeam: false }),
  ...rows("project", { to: "SIGN_OFF_FINANCE", template: "project-gate-finance-signed-off" }, { fundTeam: false }),
  ...(["delivering", "stopped", "completed"] as const).flatMap((to) =>
    rows(
      "project",
      { to, from: "inReview", template: "project-gate-decision" },
      { councilOfficer: true, partnerOfficer: true, gateApprover: false, fundTeam: false },
    ),
  ),
  ...rows("project", { to: "completed", template: "project-completed" }, { fundTeam: false }),
  ...rows("project", { to: "RECORD_CONDITION_MET", template: "project-condition-met" }, { councilOfficer: false }),
  ...rows("project", { to: "closed", template: "project-closed" }, { fundTeam: false, councilOfficer: false }),

  // Partnership: one council's place in a bid. The lead needs a replacement when one declines.
  ...rows("partnership", { to: "invited", template: "bid-partner-invited" }, { invitedOfficer: true }),
  ...rows("partnership", { to: "accepted", template: "bid-partner-answered" }, { councilOfficer: false }),
  ...rows("partnership", { to: "declined", template: "bid-partner-answered" }, { councilOfficer: true }),

  // Adoption: the adopting council's own record, reported to the product's lead and the fund
  // team (never to the adopting council, which made the change).
  ...rows("adoption", { to: "registered", from: null, template: "adoption-registered" }, { councilOfficer: false, fundTeam: false }),
  ...["MARK_REGISTERED", "MARK_PLANNING", "MARK_LIVE", "MARK_STOPPED", "CHANGE_GO_LIVE_DATE", "CHANGE_SAVINGS"].flatMap((to) =>
    rows("adoption", { to, template: "adoption-updated" }, { councilOfficer: false, fundTeam: false }),
  ),

  // Case study. Named by event: a stopped project's lessons reach review another way.
  ...rows("caseStudy", { to: "SUBMIT_FOR_REVIEW", template: "case-study-submitted" }, { fundTeam: true }),
  ...rows("caseStudy", { to: "DRAFT_FROM_STOP", template: "case-study-drafted-from-stop" }, { fundTeam: true, councilOfficer: false }),
  ...rows("caseStudy", { to: "returned", template: "case-study-returned" }, { author: true }),
  ...rows("caseStudy", { to: "published", template: "case-study-published" }, { author: false }),
];

/**
 * Changes that send no email, each with why. The matrix's test walks every transition of
 * every machine and fails on any that neither sends an email above nor is listed here.
 * `from` and `to` are stage-less for projects; `from: "*"` means from any state; `to` left
 * out means wherever the event leads.
 */
export interface SilentTransition {
  machine: NotifiedKind;
  from: string | null;
  event: string | null;
  to?: string;
  reason: string;
}

export const silentTransitions: readonly SilentTransition[] = [
  // Bid
  { machine: "bid", from: null, event: null, reason: "A new draft is seen only by the officers who started it." },
  { machine: "bid", from: "submitted", event: "BEGIN_ELIGIBILITY_CHECK", reason: "The fund team's own working step; bidders hear the result." },
  { machine: "bid", from: "resubmitted", event: "BEGIN_ELIGIBILITY_CHECK", reason: "The fund team's own working step; bidders hear the result." },
  { machine: "bid", from: "resubmitted", event: "START_ASSESSMENT", reason: "The bid goes back to its assessors, who already have it on their list." },
  { machine: "bid", from: "eligible", event: "START_ASSESSMENT", reason: "Assessors are told by their own invitations (assessment-invited)." },
  { machine: "bid", from: "inAssessment", event: "BEGIN_MODERATION", reason: 'Moderation is internal to the fund team; bidders see "Decision pending".' },
  { machine: "bid", from: "moderation", event: "DRAW_FUNDING_LINE", reason: "Decisions are held until the fund team publishes them together." },
  { machine: "bid", from: "recommended", event: "REDRAW_FUNDING_LINE", reason: "A held decision moving back to moderation is internal to the fund team." },
  { machine: "bid", from: "notRecommended", event: "REDRAW_FUNDING_LINE", reason: "A held decision moving back to moderation is internal to the fund team." },

  // Assessment
  { machine: "assessment", from: "interestsDeclared", event: "START_SCORING", reason: "Starting to score is the assessor's own step." },
  {
    machine: "assessment",
    from: "returned",
    event: "START_SCORING",
    reason: "The assessor reopens their own returned assessment; the fund team hears when it is resubmitted.",
  },
  { machine: "assessment", from: "scoring", event: "SAVE_DRAFT", reason: "Draft scores are the assessor's own work in progress." },

  // Partnership
  {
    machine: "partnership",
    from: "*",
    event: "REMOVE",
    reason: "The lead council takes a council off its own bid before sign-off; the council then no longer sees the bid.",
  },

  // Adoption
  {
    machine: "adoption",
    from: "*",
    event: "EDIT_NOTE",
    reason: "The note is the adopting council's working record; the lead council reads it on the adoptions page.",
  },

  // Case study
  {
    machine: "caseStudy",
    from: null,
    event: null,
    reason: "A new draft is seen only by the lead council that started it; one drafted from a stop decision is told of as it goes for review.",
  },
  { machine: "caseStudy", from: "*", event: "SAVE_DRAFT", reason: "Saving a draft is the lead council's own work in progress." },
];

const stageless = (machine: NotifiedKind, state: string) =>
  machine === "project" && /^(scan|pilot|scale)_/.test(state) ? state.slice(state.indexOf("_") + 1) : state;

const isEventName = (to: string) => /^[A-Z][A-Z_]*$/.test(to);

/**
 * The rows for one applied event. `fromState` is null when a record is created (its initial
 * state is entered from nothing); `event` is the event or its type, or null on creation.
 */
export function notificationsFor(machine: NotifiedKind, fromState: string | null, toState: string, event: { type: string } | string | null): NotificationRow[] {
  const eventType = typeof event === "string" ? event : (event?.type ?? null);
  const from = fromState === null ? null : stageless(machine, fromState);
  const to = stageless(machine, toState);
  const moved = fromState !== toState;
  return notificationMatrix.filter((row) => {
    if (row.machine !== machine) return false;
    if (row.from !== undefined && row.from !== from) return false;
    if (isEventName(row.to)) return row.to === eventType;
    return moved && row.to === to;
  });
}

/** The silent-list entries that match one transition (states as the machine names them). */
export function silentEntriesFor(machine: NotifiedKind, fromState: string | null, event: string | null, toState: string): SilentTransition[] {
  const from = fromState === null ? null : stageless(machine, fromState);
  const to = stageless(machine, toState);
  return silentTransitions.filter(
    (entry) =>
      entry.machine === machine &&
      entry.event === event &&
      (entry.from === "*" ? from !== null : entry.from === from) &&
      (entry.to === undefined || entry.to === to),
  );
}

/**
 * The emails the service sends that are not a record's change (so not rows above): sign-in,
 * access, confirmations, reminders, digests and feedback. With the matrix, this names every
 * template in emails/index.ts; a test fails on a template that is in neither.
 */
export interface ServiceEmail {
  template: string;
  group: "Signing in and access" | "Bids" | "Reminders" | "Digests and feedback";
  when: string;
  recipients: string;
}

export const serviceEmails: readonly ServiceEmail[] = [
  { template: "sign-in-link", group: "Signing in and access", when: "Someone asks for a sign-in link", recipients: "The person signing in" },
  { template: "user-invited", group: "Signing in and access", when: "An administrator gives someone access", recipients: "The person given access" },
  {
    template: "access-request-confirm",
    group: "Signing in and access",
    when: "Someone asks to join their council",
    recipients: "The person asking, to confirm their address",
  },
  {
    template: "access-request-waiting",
    group: "Signing in and access",
    when: "A confirmed request to join a council is waiting",
    recipients: "That council's officers, or the fund team where it has none",
  },
  { template: "access-request-approved", group: "Signing in and access", when: "A request to join a council is approved", recipients: "The person who asked" },
  { template: "access-request-declined", group: "Signing in and access", when: "A request to join a council is declined", recipients: "The person who asked" },
  { template: "bid-confirmation", group: "Bids", when: "A bid is signed off and submitted", recipients: "Lead council officers" },
  {
    template: "similar-work-message",
    group: "Bids",
    when: "A council drafting a bid writes to the lead of similar funded work",
    recipients: "The project's lead council officers, or the fund team where it has none",
  },
  {
    template: "round-deadline-approaching",
    group: "Reminders",
    when: "A round closes within 7 days and the bid is still a draft",
    recipients: "Lead council officers",
  },
  {
    template: "project-gate-review-due",
    group: "Reminders",
    when: "A planned gate review is due within 14 days, or has passed",
    recipients: "Lead council officers",
  },
  {
    template: "project-milestone-overdue",
    group: "Reminders",
    when: "A milestone passes its due date without being marked done",
    recipients: "Lead council officers",
  },
  {
    template: "project-condition-due",
    group: "Reminders",
    when: "A gate condition is due within 7 days, or has passed unmet",
    recipients: "Lead council officers",
  },
  {
    template: "daily-digest",
    group: "Digests and feedback",
    when: "Each morning, when someone has emails held for their digest",
    recipients: "Each person who chose a daily summary",
  },
  { template: "feedback-received", group: "Digests and feedback", when: "Someone gives feedback on the service", recipients: "The fund team" },
];
