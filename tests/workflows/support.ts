import { expect } from "vitest";
import type { AnyMachineSnapshot } from "xstate";
import type { SubmissionFacts } from "../../workflows/bid";
import {
  applyEvent,
  startSnapshot,
  type Actor,
  type ApplyResult,
  type PersistedSnapshot,
  type WorkflowEvent,
  type WorkflowInput,
  type WorkflowKind,
} from "../../workflows/index";
import { defaultFundRules, type FundRules } from "../../workflows/rules";

// The people and facts the workflow tests act with. Each test builds its own records from
// these; nothing is shared between tests but constants.

export const LEAD = "org-leadville";
export const PARTNER_1 = "org-newtown";
export const PARTNER_2 = "org-oldbury";
export const MINISTRY = "org-ministry";
export const ASSESSORS = "org-open-assessors";

export const people = {
  leadOfficer: { userId: "u-priya", role: "councilOfficer", organisationId: LEAD },
  partnerOfficer: { userId: "u-tom", role: "councilOfficer", organisationId: PARTNER_1 },
  leadCertifier: { userId: "u-david", role: "certifier", organisationId: LEAD },
  partnerCertifier: { userId: "u-aisha", role: "certifier", organisationId: PARTNER_1 },
  fundTeam: { userId: "u-alex", role: "fundTeam", organisationId: MINISTRY },
  admin: { userId: "u-sam", role: "admin", organisationId: MINISTRY },
  assessor: { userId: "u-grace", role: "assessor", organisationId: ASSESSORS },
  otherAssessor: { userId: "u-kemi", role: "assessor", organisationId: ASSESSORS },
  partnerAssessor: { userId: "u-ned", role: "assessor", organisationId: PARTNER_1 },
  seniorApprover: { userId: "u-ruth", role: "gateApprover", organisationId: MINISTRY, senior: true },
  approver: { userId: "u-omar", role: "gateApprover", organisationId: MINISTRY, senior: false },
  secondApprover: { userId: "u-lena", role: "gateApprover", organisationId: MINISTRY, senior: false },
  leadCouncilApprover: { userId: "u-ivy", role: "gateApprover", organisationId: LEAD, senior: true },
} satisfies Record<string, Actor>;

export const DEADLINE = "2025-03-03T12:00:00Z";
export const BEFORE_DEADLINE = "2025-03-01T09:30:00Z";
export const AFTER_DEADLINE = "2025-03-04T09:00:00Z";
export const LATER = "2025-05-01T10:00:00Z";

export const bidInput = { bidId: "bid-1", roundId: "round-1", leadOrganisationId: LEAD };
export const assessmentInput = {
  assessmentId: "assessment-1",
  bidId: "bid-1",
  assessorUserId: people.assessor.userId,
  partnershipOrganisationIds: [LEAD, PARTNER_1, PARTNER_2],
};
export const projectInput = { projectId: "project-1", bidId: "bid-1", leadOrganisationId: LEAD };

/** A partnership that passes every default eligibility rule, changed by `changes`. */
export function submissionFacts(changes: Partial<SubmissionFacts> = {}): SubmissionFacts {
  return {
    rules: defaultFundRules,
    deadline: DEADLINE,
    stage: "scan",
    amountRequestedPence: 60_000_00,
    councils: [
      { organisationId: LEAD, name: "Leadville Council", kind: "council", role: "lead", signedDeclaration: true },
      { organisationId: PARTNER_1, name: "Newtown Council", kind: "council", role: "partner", signedDeclaration: true },
      { organisationId: PARTNER_2, name: "Oldbury Council", kind: "council", role: "partner", signedDeclaration: true },
    ],
    leadBidsInRound: 0,
    incompleteSections: [],
    ...changes,
  };
}

/** Evidence keys that satisfy `tier` at every stage under the default rules. */
export function evidenceFor(tier: number, rules: FundRules = defaultFundRules): string[] {
  return rules.governance.tiers.find((t) => t.tier === tier)!.evidence.scan;
}

export const fundingFor: Record<number, number> = { 1: 60_000_00, 2: 420_000_00, 3: 900_000_00 };

/** Applies events in order, failing the test at the first refusal; returns the last result. */
export function journey<K extends WorkflowKind>(
  kind: K,
  input: WorkflowInput<K>,
  events: WorkflowEvent<K>[],
): Extract<ApplyResult<K>, { ok: true }> & { history: string[] } {
  let snapshot: PersistedSnapshot = startSnapshot(kind, input);
  const history = [snapshot.value];
  let last: ApplyResult<K> | undefined;
  for (const event of events) {
    last = applyEvent(kind, snapshot, event);
    if (!last.ok) throw new Error(`${event.type} was refused in ${snapshot.value}: ${last.reason}`);
    snapshot = last.snapshot;
    history.push(snapshot.value);
  }
  if (!last || !last.ok) throw new Error("journey needs at least one event");
  return { ...last, history };
}

export function expectRefused<K extends WorkflowKind>(kind: K, snapshot: PersistedSnapshot, event: WorkflowEvent<K>, reason: string | RegExp) {
  const result = applyEvent(kind, snapshot, event);
  expect(result.ok).toBe(false);
  if (!result.ok) {
    if (typeof reason === "string") expect(result.reason).toBe(reason);
    else expect(result.reason).toMatch(reason);
  }
  return result;
}

/** The flat state name of a live snapshot. */
export const stateName = (snapshot: AnyMachineSnapshot) => snapshot.value as string;
