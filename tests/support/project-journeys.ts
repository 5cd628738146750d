import { expect } from "vitest";
import { applyWorkflowEvent } from "~/engine/apply-event.server.ts";
import { defaultFundRules, gateReadiness, governanceTier } from "../../workflows/index.ts";
import { actor, createFundedProject } from "../../bench/support/fixtures.ts";

type Funded = Awaited<ReturnType<typeof createFundedProject>>;
const at = () => new Date().toISOString();

/**
 * Runs the project's current gate through the real engine to the outcome given: the lead
 * asks for the review with the evidence its tier needs, the fund team opens it and one
 * approver votes (enough for tier 1, which a small award is in).
 */
export async function decideGate(
  funded: Funded,
  stage: "scan" | "pilot" | "scale",
  outcome: "go" | "stop" | "conditionalGo",
  conditions: { text: string; dueDate: string }[] = [],
) {
  const rules = defaultFundRules;
  const cumulativeFundingPence = funded.awardPence + 10_000_00;
  const tier = governanceTier(cumulativeFundingPence, rules);
  const evidenceKeys = gateReadiness(tier.tier, stage, [], rules).required.map((r) => r.key);
  const projectId = funded.project.id;
  const steps = [
    { type: "REQUEST_GATE_REVIEW", actor: actor(funded.officer), at: at(), facts: { rules, cumulativeFundingPence, evidenceKeys } },
    { type: "OPEN_REVIEW", actor: actor(funded.fundTeam), at: at() },
    {
      type: "VOTE",
      actor: actor(funded.approver),
      at: at(),
      outcome,
      reason: outcome === "stop" ? "The pilot did not reduce demand." : "Strong evidence.",
      ...(outcome === "conditionalGo" ? { conditions } : {}),
    },
  ];
  for (const event of steps) {
    const result = await applyWorkflowEvent("project", projectId, event as never, { actorName: "Test" });
    expect(result.ok, JSON.stringify(result)).toBe(true);
  }
}

/** A project stopped at its pilot gate. */
export async function stoppedPilot(options: { title?: string } = {}) {
  const funded = await createFundedProject({ stage: "pilot", title: options.title });
  await decideGate(funded, "pilot", "stop");
  return funded;
}

/** A project that passed its scale gate and so completed. */
export async function completedProject(options: { title?: string } = {}) {
  const funded = await createFundedProject({ stage: "scale", title: options.title });
  await decideGate(funded, "scale", "go");
  return funded;
}
