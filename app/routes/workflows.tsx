import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import type { AnyStateNode } from "xstate";
import { authorise } from "~/auth/access.server.ts";
import { StateDiagram } from "~/engine/state-diagram.tsx";
import { Table } from "~/components/table.tsx";
import { layoutMachine } from "~/engine/diagram-layout.ts";
import { eventTitle } from "~/engine/timeline.server.ts";
import { checkNamesOf } from "../../workflows/events.ts";
import { toMermaid, workflows, type WorkflowKind } from "../../workflows/index.ts";
import { titled } from "~/utils/title.ts";

export const meta = titled(() => ["Workflows"]);

const descriptions: Record<WorkflowKind, string> = {
  bid: "From a council's first draft to a published funding decision.",
  assessment: "One assessor's assessment of one bid, from invitation to confirmed scores.",
  project: "A funded bid moving through Scan, Pilot and Scale, with a gate review at the end of each stage.",
};

/** Everything on this page is read from the machines themselves, so it cannot drift. */
export async function loader({ request }: LoaderFunctionArgs) {
  await authorise(request, "routes/workflows");
  const machines = (Object.keys(workflows) as WorkflowKind[]).map((kind) => {
    const definition = workflows[kind];
    const machine = definition.machine;
    const label = (key: string) => (machine.root.states[key] as AnyStateNode | undefined)?.description ?? key;
    const checks = definition.checks as Record<string, { rule: string }>;
    const transitions: { from: string; event: string; to: string; rules: string[] }[] = [];
    for (const node of Object.values(machine.root.states) as AnyStateNode[]) {
      for (const [eventType, list] of node.transitions) {
        for (const transition of list) {
          transitions.push({
            from: label(node.key),
            event: eventTitle(eventType),
            to: label(transition.target?.[0]?.key ?? node.key),
            rules: checkNamesOf(transition.guard).map((name) => checks[name]?.rule ?? name),
          });
        }
      }
    }
    return {
      kind,
      noun: definition.noun,
      version: definition.version,
      description: descriptions[kind],
      diagram: layoutMachine(machine),
      transitions,
      mermaid: toMermaid(machine),
    };
  });
  return { machines };
}

export default function Workflows() {
  const { machines } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="govuk-heading-l">Workflows</h1>
      <p className="govuk-body">
        How bids, assessments and projects move from one status to the next, and the rules that decide whether they may. These diagrams are drawn from the same
        definitions the service runs on.
      </p>
      <ul className="govuk-list">
        {machines.map((m) => (
          <li key={m.kind}>
            <a className="govuk-link" href={`#${m.kind}`}>
              {m.noun[0]!.toUpperCase() + m.noun.slice(1)}
            </a>
          </li>
        ))}
      </ul>
      {machines.map((m) => (
        <section key={m.kind} aria-labelledby={m.kind} className="govuk-!-margin-bottom-9">
          <h2 className="govuk-heading-m" id={m.kind}>
            {m.noun[0]!.toUpperCase() + m.noun.slice(1)}
          </h2>
          <p className="govuk-body">
            {m.description} <span className="govuk-caption-m">Machine version {m.version}.</span>
          </p>
          <StateDiagram
            diagram={m.diagram}
            id={`${m.kind}-diagram`}
            title={`Diagram of the ${m.noun} workflow: ${m.diagram.nodes.length} statuses. The table below lists every step.`}
          />
          <Table
            caption={`Every step of the ${m.noun} workflow`}
            captionClass="govuk-table__caption--s"
            head={["From", "What happens", "To", "Rules"]}
            rows={m.transitions.map((t) => [
              t.from,
              t.event,
              t.to,
              t.rules.length ? (
                <ul className="govuk-list govuk-body-s">
                  {t.rules.map((r) => (
                    <li key={r}>{r}</li>
                  ))}
                </ul>
              ) : (
                "None"
              ),
            ])}
          />
          <details className="govuk-details">
            <summary className="govuk-details__summary">
              <span className="govuk-details__summary-text">Diagram source (Mermaid)</span>
            </summary>
            <div className="govuk-details__text">
              <pre className="app-diagram">{m.mermaid}</pre>
            </div>
          </details>
        </section>
      ))}
    </>
  );
}
