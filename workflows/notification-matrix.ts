// Who hears of which transition, as data (PRODUCT.md: "a matrix: transition × role →
// template"). The server turns each row's role into people for the record in hand and
// writes one outbox row per person in the same transaction as the transition:
//   councilOfficer - officers of the lead council
//   partnerOfficer - officers of each partner council that accepted
//   certifier      - certifiers of the lead council
//   assessor       - the assessment's assessor (assessment rows) or the bid's assessors
//   fundTeam       - the fund team
//   gateApprover   - the gate approvers (for a review: those who can vote on it)
// `essential: false` rows may be held for a person's daily digest; essential ones never are.

export type WorkflowKind = "bid" | "assessment" | "project";
export type RecipientRole =
  | "councilOfficer"
  | "certifier"
  | "assessor"
  | "fundTeam"
  | "gateApprover"
  | "partnerOfficer";

export interface NotificationRow {
  machine: WorkflowKind;
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
const rows = (machine: WorkflowKind, spec: RowSpec, roles: Record<string, boolean>): NotificationRow[] =>
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
  ...rows("bid", { to: "funded", template: "bid-decision-funded" }, { councilOfficer: true, partnerOfficer: true, certifier: false }),
  ...rows("bid", { to: "notFunded", template: "bid-decision-not-funded" }, { councilOfficer: true, partnerOfficer: true, certifier: false }),

  // Assessment (the initial state is entered from nothing when the assessor is invited)
  ...rows("assessment", { to: "invited", template: "assessment-invited" }, { assessor: true }),
  ...rows("assessment", { to: "accepted", template: "assessment-accepted" }, { fundTeam: false }),
  ...rows("assessment", { to: "declined", template: "assessment-declined" }, { fundTeam: true }),
  ...rows("assessment", { to: "interestsDeclared", template: "assessment-interests-declared" }, { fundTeam: false }),
  ...rows("assessment", { to: "submitted", template: "assessment-submitted" }, { fundTeam: false, assessor: false }),
  ...rows("assessment", { to: "returned", template: "assessment-returned" }, { assessor: true }),
  ...rows("assessment", { to: "resubmitted", template: "assessment-resubmitted" }, { fundTeam: false }),
  ...rows("assessment", { to: "confirmed", template: "assessment-confirmed" }, { assessor: false }),
  ...rows("assessment", { to: "unassigned", template: "assessment-unassigned" }, { assessor: true }),

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
];

const stageless = (machine: WorkflowKind, state: string) =>
  machine === "project" && /^(scan|pilot|scale)_/.test(state) ? state.slice(state.indexOf("_") + 1) : state;

const isEventName = (to: string) => /^[A-Z][A-Z_]*$/.test(to);

/**
 * The rows for one applied event. `fromState` is null when a record is created (its initial
 * state is entered from nothing); `event` is the event or its type, or null on creation.
 */
export function notificationsFor(
  machine: WorkflowKind,
  fromState: string | null,
  toState: string,
  event: { type: string } | string | null,
): NotificationRow[] {
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
