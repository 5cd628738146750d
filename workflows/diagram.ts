import type { AnyStateMachine, AnyStateNode } from "xstate";
import { assessmentChecks, assessmentMachine, assessmentStates } from "./assessment";
import { bidChecks, bidMachine, bidStates } from "./bid";
import { checkNamesOf, type CheckTable } from "./events";
import { notificationMatrix, type WorkflowKind } from "./notification-matrix";
import type { StatePresentation } from "./presentation";
import { projectChecks, projectMachine, projectStates } from "./project";

// Diagrams drawn from the machines themselves, so the pictures in docs/workflows.md cannot
// drift from the code: a test regenerates the file's text and compares.

// Checks that only say who may act are left off the arrows: the tables below the diagrams
// list them, and the diagrams stay readable.
const whoChecks = new Set([
  "actorIsLeadOfficer",
  "actorIsLeadCertifier",
  "actorIsFundTeam",
  "actorIsAssignedAssessor",
  "actorIsGateApprover",
  "actorIsLeadOfficerOrFundTeam",
  "approverIndependent",
  "assessorOutsidePartnership",
  "notVotedYet",
  "reasonGiven",
  // Checks on what a form carries, not on where the record may go.
  "sectionsChosen",
  "interestsStated",
  "conditionsWellFormed",
  "financeSignOffNeeded",
]);

function guardLabel(guard: unknown): string {
  const names = checkNamesOf(guard).filter((name) => !whoChecks.has(name));
  return names.length === 0 ? "" : ` [${names.join(", ")}]`;
}

const quote = (text: string) => text.replace(/"/g, "'");

/** A Mermaid stateDiagram-v2 of a flat machine: every state, transition and guard. */
export function toMermaid(machine: AnyStateMachine): string {
  const lines = ["stateDiagram-v2"];
  const nodes = Object.values(machine.root.states) as AnyStateNode[];
  for (const node of nodes) {
    const isChoice = node.always && node.always.length > 0 && node.transitions.size === 0;
    lines.push(isChoice ? `  state ${node.key} <<choice>>` : `  state "${quote(node.description ?? node.key)}" as ${node.key}`);
  }
  const initial = machine.root.initial?.target?.[0];
  if (initial) lines.push(`  [*] --> ${initial.key}`);
  for (const node of nodes) {
    for (const transition of node.always ?? []) {
      const target = transition.target?.[0]?.key ?? node.key;
      const label = guardLabel(transition.guard).trim() || "otherwise";
      lines.push(`  ${node.key} --> ${target} : ${label}`);
    }
    // Events that lead to the same place under the same rule share one arrow.
    const arrows = new Map<string, { target: string; events: string[]; guard: string }>();
    for (const [eventType, transitions] of node.transitions) {
      for (const transition of transitions) {
        const target = transition.target?.[0]?.key ?? node.key;
        const guard = guardLabel(transition.guard);
        const key = `${target}|${guard}`;
        const arrow = arrows.get(key) ?? { target, events: [], guard };
        if (!arrow.events.includes(eventType)) arrow.events.push(eventType);
        arrows.set(key, arrow);
      }
    }
    for (const arrow of arrows.values()) {
      lines.push(`  ${node.key} --> ${arrow.target} : ${arrow.events.join(" or ")}${arrow.guard}`);
    }
    if (node.type === "final") lines.push(`  ${node.key} --> [*]`);
  }
  return lines.join("\n");
}

interface Documented {
  kind: WorkflowKind;
  title: string;
  intro: string;
  machine: AnyStateMachine;
  states: Record<string, StatePresentation>;
  checks: CheckTable<never, never>;
}

const documented: Documented[] = [
  {
    kind: "bid",
    title: "Bid",
    intro: "From draft to a published decision. Decisions are held in `recommended` and `notRecommended` until the fund team publishes them together.",
    machine: bidMachine,
    states: bidStates,
    checks: bidChecks as CheckTable<never, never>,
  },
  {
    kind: "assessment",
    title: "Assessment",
    intro: "One per assessor per bid. A declared conflict of interest stops scoring; the fund team then unassigns the assessor.",
    machine: assessmentMachine,
    states: assessmentStates,
    checks: assessmentChecks as CheckTable<never, never>,
  },
  {
    kind: "project",
    title: "Project",
    intro:
      "A funded bid moving through gated stages. The gate's tier is fixed when the review is requested; the decision is the most cautious outcome voted for once the tier's quorum is met.",
    machine: projectMachine,
    states: projectStates,
    checks: projectChecks as CheckTable<never, never>,
  },
];

const cell = (text: string) => text.replace(/\|/g, "\\|");

/** The whole of docs/workflows.md. */
export function workflowsMarkdown(): string {
  const out: string[] = [
    "# Workflows",
    "",
    "Generated from `workflows/*.ts` by `tests/workflows/diagram.test.ts`; do not edit by hand.",
    "To regenerate: `UPDATE_WORKFLOW_DOCS=1 npx vitest run tests/workflows/diagram.test.ts`.",
    "",
    "Arrows show the event and the checks that decide between outcomes; the checks on who may",
    "act and on reasons are listed in each machine's table of rules.",
  ];
  for (const doc of documented) {
    out.push("", `## ${doc.title}`, "", doc.intro, "", "```mermaid", toMermaid(doc.machine), "```", "");
    out.push("| State | Label | Tag |", "|---|---|---|");
    for (const [state, p] of Object.entries(doc.states)) {
      const label = p.applicantLabel ? `${p.label} (bidders see "${p.applicantLabel}")` : p.label;
      out.push(`| \`${state}\` | ${cell(label)} | ${p.tag} |`);
    }
    out.push("", "| Check | Rule |", "|---|---|");
    for (const [name, check] of Object.entries(doc.checks)) out.push(`| \`${name}\` | ${cell(check.rule)} |`);
    out.push("", "| Notified when | Role | Template | Essential |", "|---|---|---|---|");
    for (const row of notificationMatrix.filter((r) => r.machine === doc.kind)) {
      const when = /^[A-Z_]+$/.test(row.to)
        ? `\`${row.to}\``
        : row.from === null
          ? `created in \`${row.to}\``
          : row.from
            ? `\`${row.from}\` → \`${row.to}\``
            : `enters \`${row.to}\``;
      out.push(`| ${when} | ${row.role} | \`${row.template}\` | ${row.essential ? "yes" : "no"} |`);
    }
  }
  return `${out.join("\n")}\n`;
}
