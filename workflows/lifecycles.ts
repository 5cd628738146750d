import { createMachine, type AnyStateMachine } from "xstate";
import type { StatePresentation } from "./presentation";

// The smaller records whose changes concern someone but that need no guards of their own:
// a council's place in a bid's partnership, a council adopting a product, and a project's
// case study. Their pages check who may act; these machines say which changes exist, so the
// notification matrix can name them and its test can prove none is forgotten.

export type LifecycleKind = "partnership" | "adoption" | "caseStudy";

const everyStateMay = <S extends string>(states: readonly S[], events: Record<string, S | null>) =>
  Object.fromEntries(
    states.map((state) => [
      state,
      {
        on: Object.fromEntries(
          Object.entries(events)
            // An event that names the state it leads to is not offered in that state.
            .filter(([, target]) => target !== state)
            .map(([event, target]) => [event, target ? { target } : {}]),
        ),
      },
    ]),
  );

/** A council invited to a bid: it answers, and the lead may invite it again or take it off. */
export const partnershipMachine = createMachine({
  id: "partnership",
  initial: "invited",
  states: {
    invited: { on: { ACCEPT: { target: "accepted" }, DECLINE: { target: "declined" }, REMOVE: { target: "removed" } } },
    accepted: { on: { REMOVE: { target: "removed" } } },
    declined: { on: { INVITE: { target: "invited" }, REMOVE: { target: "removed" } } },
    removed: { type: "final" },
  },
});

export const adoptionStatusValues = ["registered", "planning", "live", "stopped"] as const;

/**
 * An adopting council's record: it may move to any status, and change its go-live date,
 * savings and note, whatever its status (one save can make several of these changes).
 */
export const adoptionMachine = createMachine({
  id: "adoption",
  initial: "registered",
  states: everyStateMay(adoptionStatusValues, {
    MARK_REGISTERED: "registered",
    MARK_PLANNING: "planning",
    MARK_LIVE: "live",
    MARK_STOPPED: "stopped",
    CHANGE_GO_LIVE_DATE: null,
    CHANGE_SAVINGS: null,
    EDIT_NOTE: null,
  }),
});

/** The status event for moving an adoption to a status. */
export const adoptionStatusEvent = (status: string) => `MARK_${status.toUpperCase()}`;

/**
 * A case study: the lead council drafts and sends it; the fund team returns or publishes it.
 * A project stopped at a gate has its lessons drafted from the stop decision and sent for
 * review at once (DRAFT_FROM_STOP), in the decision's own transaction.
 */
export const caseStudyMachine = createMachine({
  id: "caseStudy",
  initial: "draft",
  states: {
    draft: { on: { SAVE_DRAFT: {}, SUBMIT_FOR_REVIEW: { target: "inReview" }, DRAFT_FROM_STOP: { target: "inReview" } } },
    returned: { on: { SAVE_DRAFT: {}, SUBMIT_FOR_REVIEW: { target: "inReview" } } },
    inReview: { on: { RETURN: { target: "returned" }, PUBLISH: { target: "published" } } },
    published: { type: "final" },
  },
});

export const lifecycles: Record<LifecycleKind, { machine: AnyStateMachine; noun: string; states: Record<string, Pick<StatePresentation, "label" | "tag">> }> = {
  partnership: {
    machine: partnershipMachine,
    noun: "partnership",
    states: {
      invited: { label: "Invited", tag: "yellow" },
      accepted: { label: "Partner", tag: "green" },
      declined: { label: "Declined", tag: "red" },
      removed: { label: "Removed", tag: "grey" },
    },
  },
  adoption: {
    machine: adoptionMachine,
    noun: "adoption",
    states: {
      registered: { label: "Registered", tag: "grey" },
      planning: { label: "Planning", tag: "blue" },
      live: { label: "Live", tag: "green" },
      stopped: { label: "Stopped", tag: "red" },
    },
  },
  caseStudy: {
    machine: caseStudyMachine,
    noun: "case study",
    states: {
      draft: { label: "Draft", tag: "grey" },
      inReview: { label: "In review", tag: "yellow" },
      returned: { label: "Returned", tag: "orange" },
      published: { label: "Published", tag: "green" },
    },
  },
};

/**
 * Where an event takes one of these records from a state, or null if the machine has no
 * such change there. `from` null is the record being created: only its first state may follow.
 */
export function lifecycleTarget(kind: LifecycleKind, from: string | null, event: string): string | null {
  const { machine } = lifecycles[kind];
  if (from === null || !Object.hasOwn(machine.root.states, from)) return null;
  // Read from the definition: these machines have no guards, and a change that stays put
  // (savings changed) has neither target nor actions, which XState's can() counts as nothing.
  const candidates = machine.root.states[from]!.transitions.get(event);
  if (!candidates?.length) return null;
  return candidates[0]!.target?.[0]?.key ?? from;
}

export const lifecycleInitialState = (kind: LifecycleKind) => lifecycles[kind].machine.root.initial!.target![0]!.key;
