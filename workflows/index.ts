/**
 * Springboard's workflows: the bid, assessment and project machines and the one pure API
 * the server uses to move a record through them. Nothing here touches the database, email
 * or the clock; the server supplies every fact and every time.
 *
 * ## How the server applies an event (one place: app/engine/apply-event.server.ts)
 *   1. Load the record's `snapshot` (JSON), `machineVersion` and row `version`.
 *   2. Build the event: `{ type, actor, at, …fields, facts? }` (see below).
 *   3. `const result = applyEvent(kind, snapshot, event)`.
 *   4. `result.ok === false`: show `result.reason` to the person (it is a full sentence).
 *      A thrown `WorkflowContractError` is a server bug (bad snapshot, missing facts): 500.
 *   5. `result.ok === true`: in one transaction, compare-and-set the row on `version`, write
 *      `state = result.to`, `snapshot = result.snapshot`, a TransitionHistory row
 *      (`result.from`, `result.to`, event type, actor, reason, `at`), and one outbox row per
 *      recipient of each of `result.notifications`.
 *   New records: `startSnapshot(kind, input)`, `state = stateOf(snapshot)`, machineVersion =
 *   `workflows[kind].version`, and `notificationsFor(kind, null, state, null)` for the emails.
 *
 * ## Every event
 *   actor: { userId, role, organisationId, senior? }  (senior: User.senior, for gate votes)
 *   at:    ISO 8601 date-time with offset: when the person acted (the server's clock)
 *   reason (where the event takes one): the person's words; blank is refused with a sentence.
 *
 * ## Facts: what the server reads from the database and passes in `event.facts`
 *   Bid REQUEST_CERTIFICATION and CERTIFY: `SubmissionFacts` (bid.ts)
 *     rules                 the fund's rules (Fund.rules, parsed with fundRulesSchema)
 *     deadline              Round.closesAt
 *     stage                 Round.stage
 *     amountRequestedPence  Bid.amountRequestedPence
 *     capPence?             Round.capPence, when the round sets its own cap
 *     councils[]            the lead and each partner that accepted: organisationId, name,
 *                           kind (Organisation.kind), role "lead"|"partner",
 *                           signedDeclaration (Organisation.declarationSignedAt != null)
 *     leadBidsInRound       other bids in the round led by the same organisation that are
 *                           awaiting certification or later and not withdrawn
 *     incompleteSections[]  titles of task-list sections not marked complete
 *   Bid START_ASSESSMENT:  { rules, assessorsAssigned }  (accepted, not declined/unassigned)
 *   Bid BEGIN_MODERATION:  { rules, assessmentsSubmitted, assessmentsOutstanding }
 *   Bid DRAW_FUNDING_LINE: { aboveLine, rank, moderatedScore, unresolvedDisagreements }
 *     computed for the whole round at once by drawing the funding line over the moderated
 *     ranking; send one DRAW_FUNDING_LINE per bid in moderation.
 *   Assessment SUBMIT_SCORES: { unscoredCriteria[], unjustifiedCriteria[] } (criterion labels)
 *   Project REQUEST_GATE_REVIEW: { rules, cumulativeFundingPence, evidenceKeys[] }
 *     cumulativeFundingPence includes the tranche the gate would release; evidenceKeys are
 *     the keys (FundRules.governance.evidenceLabels) of evidence attached for this stage.
 *
 * ## Machine input (startSnapshot)
 *   bid:        { bidId, roundId, leadOrganisationId }
 *   assessment: { assessmentId, bidId, assessorUserId, partnershipOrganisationIds[] }
 *   project:    { projectId, bidId, leadOrganisationId, startStage? } (startStage: Round.stage)
 *
 * Store `workflows[kind].version` with each snapshot; bump it when a machine changes in a
 * way old snapshots cannot follow, and migrate them.
 */
import { createActor, getNextTransitions, initialTransition, type AnyActorScope, type AnyMachineSnapshot, type AnyStateMachine, type Snapshot } from "xstate";
import { z } from "zod";
import {
  assessmentEventSchema,
  assessmentEventTypes,
  assessmentChecks,
  assessmentMachine,
  assessmentRefusedInState,
  assessmentStates,
  type AssessmentContext,
  type AssessmentEvent,
  type AssessmentInput,
  type AssessmentState,
} from "./assessment";
import {
  bidChecks,
  bidEventSchema,
  bidEventTypes,
  bidMachine,
  bidRefusedInState,
  bidStates,
  type BidContext,
  type BidEvent,
  type BidInput,
  type BidState,
} from "./bid";
import { checkNamesOf, runChecks, type Actor, type CheckTable } from "./events";
import { notificationsFor, type NotificationRow, type WorkflowKind } from "./notification-matrix";
import type { StatePresentation, TagColour } from "./presentation";
import {
  projectChecks,
  projectEventSchema,
  projectEventTypes,
  projectMachine,
  projectRefusedInState,
  projectStates,
  type ProjectContext,
  type ProjectEvent,
  type ProjectInput,
  type ProjectState,
} from "./project";

export type { WorkflowKind, NotificationRow };
export type { Actor, Role } from "./events";
export type { TagColour } from "./presentation";
export { roles, actorSchema } from "./events";
export { tagClass } from "./presentation";
export { notificationMatrix, notificationsFor } from "./notification-matrix";
export { governanceTier, gateReadiness, quorum } from "./tiers";
export type { GateVote, GateCondition, QuorumResult, TierDecision, GateReadiness } from "./tiers";
export { fundRulesSchema, defaultFundRules, parseFundRules, stages, gateOutcomes } from "./rules";
export type { FundRules, Stage, GateOutcome, GovernanceTier } from "./rules";
export { eligibilityProblems, submissionFactsSchema } from "./bid";
export type { SubmissionFacts, BidEvent, BidContext, BidInput, BidState } from "./bid";
export type { AssessmentEvent, AssessmentContext, AssessmentInput, AssessmentState } from "./assessment";
export type { ProjectEvent, ProjectContext, ProjectInput, ProjectState } from "./project";
export { stageOfState } from "./project";
export { toMermaid } from "./diagram";

export interface WorkflowTypes {
  bid: { input: BidInput; event: BidEvent; context: BidContext; state: BidState };
  assessment: { input: AssessmentInput; event: AssessmentEvent; context: AssessmentContext; state: AssessmentState };
  project: { input: ProjectInput; event: ProjectEvent; context: ProjectContext; state: ProjectState };
}
export type WorkflowInput<K extends WorkflowKind> = WorkflowTypes[K]["input"];
export type WorkflowEvent<K extends WorkflowKind> = WorkflowTypes[K]["event"];
export type WorkflowEventType<K extends WorkflowKind> = WorkflowEvent<K>["type"];
export type WorkflowState<K extends WorkflowKind> = WorkflowTypes[K]["state"];

/** A snapshot as stored: plain JSON (no class instances, no undefined). */
export interface PersistedSnapshot {
  status: "active" | "done" | "error" | "stopped";
  value: string;
  context: Record<string, unknown>;
  historyValue?: unknown;
  children?: Record<string, unknown>;
  [key: string]: unknown;
}

/** A bug in how the server called the workflows (not something a person did wrong). */
export class WorkflowContractError extends Error {
  override name = "WorkflowContractError";
}

interface Definition {
  machine: AnyStateMachine;
  version: number;
  noun: string;
  eventSchema: z.ZodType;
  eventTypes: readonly string[];
  checks: CheckTable<unknown, unknown>;
  states: Record<string, StatePresentation>;
  refusedInState: (type: string, state: string) => string;
}

export const workflows = {
  bid: {
    machine: bidMachine,
    version: 1,
    noun: "bid",
    eventSchema: bidEventSchema,
    eventTypes: bidEventTypes,
    checks: bidChecks,
    states: bidStates,
    refusedInState: bidRefusedInState,
  },
  assessment: {
    machine: assessmentMachine,
    version: 1,
    noun: "assessment",
    eventSchema: assessmentEventSchema,
    eventTypes: assessmentEventTypes,
    checks: assessmentChecks,
    states: assessmentStates,
    refusedInState: assessmentRefusedInState,
  },
  project: {
    machine: projectMachine,
    version: 1,
    noun: "project",
    eventSchema: projectEventSchema,
    eventTypes: projectEventTypes,
    checks: projectChecks,
    states: projectStates,
    refusedInState: projectRefusedInState,
  },
} as const;

const definitionOf = (kind: WorkflowKind): Definition => {
  const definition = (workflows as Record<string, unknown>)[kind];
  if (!definition) throw new WorkflowContractError(`There is no workflow called "${kind}".`);
  return definition as Definition;
};

const toJson = (value: unknown): PersistedSnapshot => JSON.parse(JSON.stringify(value)) as PersistedSnapshot;

/** The name of the state a snapshot is in (every machine here is flat). */
export function stateOf(snapshot: { value: unknown }): string {
  if (typeof snapshot.value !== "string") {
    throw new WorkflowContractError(`Workflow snapshots are flat; got state ${JSON.stringify(snapshot.value)}.`);
  }
  return snapshot.value;
}

/** The persisted snapshot for a new record. */
export function startSnapshot<K extends WorkflowKind>(kind: K, input: WorkflowInput<K>): PersistedSnapshot {
  const { machine } = definitionOf(kind);
  const [snapshot] = initialTransition(machine, input);
  return toJson(machine.getPersistedSnapshot(snapshot));
}

// XState's pure `transition` builds a throwaway actor on every call, and that actor works out
// the machine's initial state without its input, which throws inside XState and is caught:
// the stack trace alone was about half the CPU of applying an event. These machines are flat,
// spawn, raise and send nothing, and run only `assign`, so one inert scope per machine serves
// every call: as in `transition`, any other action is handed to the scope and not run.
const inertScopes = new WeakMap<AnyStateMachine, AnyActorScope>();

function inertScope(machine: AnyStateMachine, persisted: PersistedSnapshot): AnyActorScope {
  let scope = inertScopes.get(machine);
  if (!scope) {
    // Made from a stored snapshot, so the actor restores it rather than starting without input.
    const self = createActor(machine, { snapshot: persisted as unknown as Snapshot<unknown> });
    scope = {
      self,
      id: "",
      sessionId: "",
      system: self.system,
      logger: () => undefined,
      defer: () => undefined,
      emit: () => undefined,
      stopChild: () => undefined,
      actionExecutor: () => undefined,
    };
    inertScopes.set(machine, scope);
  }
  return scope;
}

function restore(definition: Definition, persisted: PersistedSnapshot): AnyMachineSnapshot {
  try {
    return definition.machine.resolveState(persisted as Parameters<AnyStateMachine["resolveState"]>[0]);
  } catch (error) {
    throw new WorkflowContractError(
      `This ${definition.noun} snapshot cannot be restored (state ${JSON.stringify(persisted?.value)}): ${(error as Error).message}`,
    );
  }
}

/** The context of a stored snapshot, typed. */
export function contextOf<K extends WorkflowKind>(_kind: K, snapshot: PersistedSnapshot): WorkflowTypes[K]["context"] {
  return snapshot.context as unknown as WorkflowTypes[K]["context"];
}

export type ApplyResult<K extends WorkflowKind = WorkflowKind> =
  | {
      ok: true;
      snapshot: PersistedSnapshot;
      from: string;
      to: string;
      /** The event as validated (unknown fields dropped): record this. */
      event: WorkflowEvent<K>;
      /** True when the record reached a final state. */
      final: boolean;
      notifications: NotificationRow[];
    }
  | { ok: false; reason: string };

function parseEvent(definition: Definition, event: unknown): { type: string } & Record<string, unknown> {
  const parsed = definition.eventSchema.safeParse(event);
  if (!parsed.success) {
    throw new WorkflowContractError(
      `This ${(event as { type?: unknown })?.type ?? "untyped"} event does not match the ${definition.noun} contract:\n${z.prettifyError(parsed.error)}`,
    );
  }
  return parsed.data as { type: string } & Record<string, unknown>;
}

/** The sentence for an event that the snapshot refuses. */
function explainRefusal(definition: Definition, snapshot: AnyMachineSnapshot, event: { type: string }): string {
  const state = stateOf(snapshot);
  const candidates = snapshot.status === "active" ? getNextTransitions(snapshot).filter((t) => t.eventType === event.type) : [];
  if (candidates.length === 0) return definition.refusedInState(event.type, state);
  for (const candidate of candidates) {
    const refusal = runChecks(definition.checks, checkNamesOf(candidate.guard), snapshot.context, event);
    if (refusal) return refusal;
  }
  return `This ${definition.noun} cannot be changed that way now.`;
}

/**
 * Applies one event to a stored snapshot, purely: restore, check, compute the next
 * snapshot with `transition`. Refusals come back as a sentence for the person.
 */
export function applyEvent<K extends WorkflowKind>(kind: K, persisted: PersistedSnapshot, event: WorkflowEvent<K>): ApplyResult<K> {
  const definition = definitionOf(kind);
  const type = (event as { type?: unknown } | null)?.type;
  if (typeof type !== "string" || !definition.eventTypes.includes(type)) {
    return { ok: false, reason: `That is not something that can be done to a ${definition.noun}.` };
  }
  const parsed = parseEvent(definition, event);
  const snapshot = restore(definition, persisted);
  const from = stateOf(snapshot);
  if (snapshot.status !== "active" || !snapshot.can(parsed)) {
    return { ok: false, reason: explainRefusal(definition, snapshot, parsed) };
  }
  const next = definition.machine.transition(snapshot, parsed, inertScope(definition.machine, persisted)) as AnyMachineSnapshot;
  const to = stateOf(next);
  return {
    ok: true,
    snapshot: toJson(definition.machine.getPersistedSnapshot(next)),
    from,
    to,
    event: parsed as WorkflowEvent<K>,
    final: next.status === "done",
    notifications: notificationsFor(kind, from, to, parsed),
  };
}

/**
 * Why an event would be refused, or null if it would be accepted: the same answer as
 * `applyEvent`, for pages that explain before the person tries.
 */
export function refusalFor<K extends WorkflowKind>(kind: K, persisted: PersistedSnapshot, event: WorkflowEvent<K>): string | null {
  const result = applyEvent(kind, persisted, event);
  return result.ok ? null : result.reason;
}

/**
 * The event types this person could send now, judged on who they are and the record's
 * state (not on form fields or facts, which the person has not supplied yet). Drives which
 * buttons a page offers; `applyEvent` still has the last word.
 */
export function allowedEvents<K extends WorkflowKind>(kind: K, persisted: PersistedSnapshot, actor: Actor): WorkflowEventType<K>[] {
  const definition = definitionOf(kind);
  const snapshot = restore(definition, persisted);
  if (snapshot.status !== "active") return [];
  const allowed = new Set<string>();
  for (const candidate of getNextTransitions(snapshot)) {
    const type = candidate.eventType;
    if (!definition.eventTypes.includes(type) || allowed.has(type)) continue;
    const probe = { type, actor, at: "" };
    if (runChecks(definition.checks, checkNamesOf(candidate.guard), snapshot.context, probe, "actor") === null) {
      allowed.add(type);
    }
  }
  return definition.eventTypes.filter((type) => allowed.has(type)) as WorkflowEventType<K>[];
}

function presentation(kind: WorkflowKind, state: string): StatePresentation {
  const found = definitionOf(kind).states[state];
  if (!found) throw new WorkflowContractError(`The ${kind} workflow has no state "${state}".`);
  return found;
}

/**
 * The label for a state: "Awaiting certification". Bidders (`audience: "applicant"`) see
 * "Decision pending" while a decision is held.
 */
export function stateLabel(kind: WorkflowKind, state: string, options: { audience?: "staff" | "applicant" } = {}): string {
  const p = presentation(kind, state);
  return options.audience === "applicant" ? (p.applicantLabel ?? p.label) : p.label;
}

/** The GOV.UK tag colour for a state (`govuk-tag--<colour>`); held states look pending to bidders. */
export function stateTagColour(kind: WorkflowKind, state: string, options: { audience?: "staff" | "applicant" } = {}): TagColour {
  const p = presentation(kind, state);
  return options.audience === "applicant" && p.applicantLabel ? "purple" : p.tag;
}

/** Every state of a workflow, in definition order (for filters and reports). */
export function statesOf(kind: WorkflowKind): string[] {
  return Object.keys(definitionOf(kind).machine.root.states);
}

export function isFinalState(kind: WorkflowKind, state: string): boolean {
  return definitionOf(kind).machine.root.states[state]?.type === "final";
}
