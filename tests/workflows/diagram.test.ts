import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { assessmentMachine } from "../../workflows/assessment";
import { bidMachine } from "../../workflows/bid";
import { toMermaid, workflowsMarkdown } from "../../workflows/diagram";
import { projectMachine } from "../../workflows/project";

const docsPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../docs/workflows.md");

describe("workflow diagrams", () => {
  it("draw every state and every transition of each machine", () => {
    for (const machine of [bidMachine, assessmentMachine, projectMachine]) {
      const diagram = toMermaid(machine);
      expect(diagram.split("\n")[0]).toBe("stateDiagram-v2");
      for (const node of Object.values(machine.root.states)) {
        expect(diagram).toMatch(new RegExp(`^  state .*\\b${node.key}\\b`, "m"));
        for (const [eventType, transitions] of node.transitions) {
          for (const transition of transitions) {
            const target = transition.target?.[0]?.key ?? node.key;
            expect(diagram).toMatch(new RegExp(`^  ${node.key} --> ${target} : .*\\b${eventType}\\b`, "m"));
          }
        }
        if (node.type === "final") expect(diagram).toContain(`  ${node.key} --> [*]`);
      }
    }
  });

  it("label states, show the rules that route them and draw choices as choices", () => {
    const bid = toMermaid(bidMachine);
    expect(bid).toContain('  state "Awaiting certification" as awaitingCertification');
    expect(bid).toContain("  [*] --> draft");
    expect(bid).toContain("  recommended --> funded : PUBLISH_DECISION");
    expect(bid).toContain("  moderation --> notRecommended : DRAW_FUNDING_LINE [disagreementsResolved, belowFundingLine]");
    const project = toMermaid(projectMachine);
    expect(project).toContain("  state starting <<choice>>");
    expect(project).toContain("  scale_inReview --> completed : VOTE or SIGN_OFF_FINANCE [decidesGo]");
    expect(toMermaid(assessmentMachine)).toContain("  scoring --> scoring : SAVE_DRAFT");
  });

  it("match docs/workflows.md, so the documentation cannot drift", () => {
    const generated = workflowsMarkdown();
    // UPDATE_WORKFLOW_DOCS=1 rewrites the file; the comparison below still runs.
    if (process.env.UPDATE_WORKFLOW_DOCS === "1") writeFileSync(docsPath, generated);
    expect(readFileSync(docsPath, "utf8")).toBe(generated);
  });
});
