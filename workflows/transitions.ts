import type { AnyStateMachine, AnyStateNode } from "xstate";
import { assessmentMachine } from "./assessment";
import { bidMachine } from "./bid";
import { lifecycles, type LifecycleKind } from "./lifecycles";
import type { NotifiedKind } from "./notification-matrix";
import { projectMachine } from "./project";

// Every change each record can go through, read from the machines' own definitions, so a
// new state or event shows up here (and in the notification matrix's test) without anyone
// remembering to list it.

export interface Transition {
  machine: NotifiedKind;
  /** null: the record is created. */
  from: string | null;
  /** null: the record is created. */
  event: string | null;
  to: string;
}

export const notifiedMachines: Record<NotifiedKind, AnyStateMachine> = {
  bid: bidMachine,
  assessment: assessmentMachine,
  project: projectMachine,
  partnership: lifecycles.partnership.machine,
  adoption: lifecycles.adoption.machine,
  caseStudy: lifecycles.caseStudy.machine,
};

export const lifecycleKinds = Object.keys(lifecycles) as LifecycleKind[];

/** A state whose only way out is an eventless choice (the project's "starting"). */
const isChoice = (node: AnyStateNode) => (node.always?.length ?? 0) > 0 && node.transitions.size === 0;

/** Where arriving at a node can end up: itself, or each branch of its choice. */
function settle(node: AnyStateNode): string[] {
  if (!isChoice(node)) return [node.key];
  return [...new Set(node.always!.flatMap((t) => (t.target ?? [node]).flatMap((target) => settle(target))))];
}

export function transitionsOf(machine: NotifiedKind): Transition[] {
  const definition = notifiedMachines[machine];
  const found = new Map<string, Transition>();
  const add = (t: Transition) => found.set(`${t.from}|${t.event}|${t.to}`, t);
  const initial = definition.root.initial?.target?.[0];
  if (initial) for (const to of settle(initial)) add({ machine, from: null, event: null, to });
  for (const node of Object.values(definition.root.states) as AnyStateNode[]) {
    if (isChoice(node)) continue;
    for (const [event, candidates] of node.transitions) {
      for (const candidate of candidates) {
        const targets = candidate.target ?? [node];
        for (const target of targets) for (const to of settle(target)) add({ machine, from: node.key, event, to });
      }
    }
  }
  return [...found.values()];
}

export const describeTransition = (t: Transition) =>
  t.from === null ? `${t.machine}: created in "${t.to}"` : `${t.machine}: "${t.from}" --${t.event}--> "${t.to}"`;
