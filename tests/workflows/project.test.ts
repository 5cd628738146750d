import { describe, expect, it } from "vitest";
import { applyEvent, startSnapshot, type Actor, type PersistedSnapshot } from "../../workflows/index";
import { reviewQuorum, type ProjectContext, type ProjectEvent } from "../../workflows/project";
import { defaultFundRules, type GateOutcome } from "../../workflows/rules";
import { LATER, evidenceFor, expectRefused, fundingFor, journey, people, projectInput } from "./support";

const at = LATER;
type Approver = Actor;

const requestGate = (tier: number, evidence = evidenceFor(tier)): ProjectEvent => ({
  type: "REQUEST_GATE_REVIEW",
  actor: people.leadOfficer,
  at,
  facts: { rules: defaultFundRules, cumulativeFundingPence: fundingFor[tier]!, evidenceKeys: evidence },
});
const openReview: ProjectEvent = { type: "OPEN_REVIEW", actor: people.fundTeam, at };
const vote = (actor: Approver, outcome: GateOutcome, extra: Partial<Extract<ProjectEvent, { type: "VOTE" }>> = {}): ProjectEvent => ({
  type: "VOTE",
  actor,
  at,
  outcome,
  reason: `Voted ${outcome}.`,
  ...(outcome === "conditionalGo" ? { conditions: [{ text: "Publish the code openly", dueDate: "2025-07-01" }] } : {}),
  ...extra,
});
const financeSignOff: ProjectEvent = { type: "SIGN_OFF_FINANCE", actor: people.fundTeam, at, note: "Affordable." };

const contextOf = (snapshot: PersistedSnapshot) => snapshot.context as unknown as ProjectContext;
const inReview = (tier: number) => journey("project", projectInput, [requestGate(tier), openReview]).snapshot;

describe("a project's journey", () => {
  it("passes scan, pilot and scale gates, with controls rising with the money", () => {
    const result = journey("project", projectInput, [
      requestGate(1),
      openReview,
      vote(people.approver, "go"),
      requestGate(2),
      openReview,
      vote(people.approver, "go"),
      vote(people.seniorApprover, "go"),
      requestGate(3),
      openReview,
      vote(people.approver, "go"),
      vote(people.secondApprover, "go"),
      vote(people.seniorApprover, "go"),
      financeSignOff,
    ]);
    expect(result.history.filter((s, i, all) => s !== all[i - 1])).toEqual([
      "scan_delivering",
      "scan_gateRequested",
      "scan_inReview",
      "pilot_delivering",
      "pilot_gateRequested",
      "pilot_inReview",
      "scale_delivering",
      "scale_gateRequested",
      "scale_inReview",
      "completed",
    ]);
    expect(result.final).toBe(true);
    const decisions = contextOf(result.snapshot).decisions;
    expect(decisions.map((d) => [d.stage, d.tier, d.outcome, d.votes.length])).toEqual([
      ["scan", 1, "go", 1],
      ["pilot", 2, "go", 2],
      ["scale", 3, "go", 3],
    ]);
    expect(decisions[2]!.financeSignedOff?.note).toBe("Affordable.");
  });

  it("starts a funded pilot bid at the pilot stage", () => {
    expect(startSnapshot("project", { ...projectInput, startStage: "pilot" }).value).toBe("pilot_delivering");
    expect(startSnapshot("project", projectInput).value).toBe("scan_delivering");
  });

  it("records the tier and the reason for it when the review is requested", () => {
    const review = contextOf(inReview(2)).review!;
    expect(review).toMatchObject({
      stage: "scan",
      tier: 2,
      tierReason: "Tier 2 because cumulative funding of £420,000 is above £100,000 and up to £500,000",
      approvers: 2,
      seniorRequired: true,
      financeSignOff: false,
      opened: { at, by: people.fundTeam.userId },
    });
  });
});

describe("requesting a gate review", () => {
  it("needs the evidence the tier requires, and says which tier applies and why", () => {
    const delivering = startSnapshot("project", projectInput);
    expectRefused(
      "project",
      delivering,
      requestGate(2, ["evaluationSummary", "spendToDate"]),
      "A gate review cannot be requested until this evidence is attached: Metrics against baseline and target; Data protection impact assessment. (Tier 2 because cumulative funding of £420,000 is above £100,000 and up to £500,000.)",
    );
    expect(applyEvent("project", delivering, requestGate(1)).ok).toBe(true);
  });

  it("is for the lead council's officers", () => {
    expectRefused(
      "project",
      startSnapshot("project", projectInput),
      { ...requestGate(1), actor: people.partnerOfficer },
      "Only an officer of the lead council can request a gate review.",
    );
  });

  it("happens once per stage until it is decided or returned", () => {
    const requested = journey("project", projectInput, [requestGate(1)]).snapshot;
    expectRefused("project", requested, requestGate(1), "A gate review has already been requested for this stage.");
    const returned = applyEvent("project", requested, {
      type: "RETURN_GATE_REQUEST",
      actor: people.fundTeam,
      at,
      reason: "The evaluation summary is a placeholder.",
    });
    expect(returned.ok && returned.to).toBe("scan_delivering");
    if (returned.ok) expect(contextOf(returned.snapshot).review).toBeNull();
    expectRefused("project", requested, { type: "RETURN_GATE_REQUEST", actor: people.fundTeam, at }, "A reason is required to return a gate request.");
  });
});

describe("voting at a gate", () => {
  it("waits for the fund team to open the review", () => {
    const requested = journey("project", projectInput, [requestGate(1)]).snapshot;
    expectRefused("project", requested, vote(people.approver, "go"), "Votes can be cast once the fund team opens the gate review.");
    expectRefused("project", requested, { ...openReview, actor: people.approver }, "Only the fund team can open this gate review.");
  });

  it("is for gate approvers from outside the project's council, once each, with a reason", () => {
    const review = inReview(2);
    expectRefused("project", review, vote(people.leadOfficer, "go"), "Only a gate approver can vote on this gate review.");
    expectRefused("project", review, vote(people.leadCouncilApprover, "go"), "You cannot vote on a gate review for your own council's project.");
    expectRefused("project", review, vote(people.approver, "go", { reason: " " }), "A reason is required to vote.");
    const voted = applyEvent("project", review, vote(people.approver, "go"));
    expect(voted.ok && voted.to).toBe("scan_inReview");
    if (voted.ok) {
      expectRefused("project", voted.snapshot, vote(people.approver, "stop"), "You have already voted on this gate review.");
    }
  });

  it("tier 2 waits for a senior approver", () => {
    const twoJuniors = journey("project", projectInput, [requestGate(2), openReview, vote(people.approver, "go"), vote(people.secondApprover, "go")]);
    expect(twoJuniors.to).toBe("scan_inReview");
    expect(reviewQuorum(contextOf(twoJuniors.snapshot).review!)).toEqual({
      decided: false,
      needed: "Waiting for a vote from a senior approver.",
    });
    const decided = applyEvent("project", twoJuniors.snapshot, vote(people.seniorApprover, "go"));
    expect(decided.ok && decided.to).toBe("pilot_delivering");
  });

  it("tier 3 waits for three votes and finance sign-off, in either order", () => {
    const signedFirst = journey("project", projectInput, [
      requestGate(3),
      openReview,
      financeSignOff,
      vote(people.approver, "go"),
      vote(people.secondApprover, "go"),
    ]);
    expect(signedFirst.to).toBe("scan_inReview");
    const decided = applyEvent("project", signedFirst.snapshot, vote(people.seniorApprover, "go"));
    expect(decided.ok && decided.to).toBe("pilot_delivering");
    expectRefused("project", signedFirst.snapshot, financeSignOff, "Finance has already signed off this gate review.");
  });

  it("refuses finance sign-off where the tier does not need it", () => {
    expectRefused("project", inReview(1), financeSignOff, "This gate does not need finance sign-off.");
  });

  it("stops on a stop vote once the quorum is met, and closes when the lessons are recorded", () => {
    const stopped = journey("project", projectInput, [
      requestGate(2),
      openReview,
      vote(people.approver, "go"),
      vote(people.seniorApprover, "stop", { reason: "Residents did not use it." }),
    ]);
    expect(stopped.to).toBe("stopped");
    expect(stopped.final).toBe(false);
    expectRefused(
      "project",
      stopped.snapshot,
      { type: "RECORD_LESSONS", actor: people.leadOfficer, at, lessons: "" },
      "Write down what this project taught before closing it.",
    );
    expectRefused(
      "project",
      stopped.snapshot,
      { type: "RECORD_LESSONS", actor: people.partnerOfficer, at, lessons: "Start with the data." },
      "Only an officer of the lead council or the fund team can record the lessons learned.",
    );
    const closed = applyEvent("project", stopped.snapshot, {
      type: "RECORD_LESSONS",
      actor: people.fundTeam,
      at,
      lessons: "Test demand with a paper prototype first.",
    });
    expect(closed.ok && closed.to).toBe("closed");
    expect(closed.ok && closed.final).toBe(true);
  });

  it("holds or recycles the stage", () => {
    const held = journey("project", projectInput, [requestGate(1), openReview, vote(people.approver, "hold")]);
    expect(held.to).toBe("scan_delivering");
    expect(contextOf(held.snapshot).holds.scan).toBe(1);
    const recycled = journey("project", projectInput, [
      requestGate(1),
      openReview,
      vote(people.approver, "recycle"),
      requestGate(1),
      openReview,
      vote(people.approver, "recycle"),
    ]);
    expect(recycled.to).toBe("scan_delivering");
    expect(contextOf(recycled.snapshot).recycles).toEqual({ scan: 2, pilot: 0, scale: 0 });
  });

  it("moves on under conditions, each with a due date, which must be met before the next gate", () => {
    const conditional = journey("project", projectInput, [requestGate(1), openReview, vote(people.approver, "conditionalGo")]);
    expect(conditional.to).toBe("pilot_delivering");
    const [condition] = contextOf(conditional.snapshot).conditions;
    expect(condition).toEqual({
      id: "scan-1-1",
      text: "Publish the code openly",
      dueDate: "2025-07-01",
      setAtGate: "scan",
      met: null,
    });
    expectRefused(
      "project",
      conditional.snapshot,
      requestGate(1),
      "A gate review cannot be requested until this condition is met: Publish the code openly (due 1 July 2025).",
    );
    const met = applyEvent("project", conditional.snapshot, {
      type: "RECORD_CONDITION_MET",
      actor: people.fundTeam,
      at,
      conditionId: "scan-1-1",
      note: "Repository is public.",
    });
    expect(met.ok && met.to).toBe("pilot_delivering");
    if (!met.ok) return;
    expectRefused(
      "project",
      met.snapshot,
      { type: "RECORD_CONDITION_MET", actor: people.fundTeam, at, conditionId: "scan-1-1" },
      "That condition has already been met.",
    );
    expect(applyEvent("project", met.snapshot, requestGate(1)).ok).toBe(true);
  });

  it("needs well-formed conditions on a conditional go, and none on other outcomes", () => {
    const review = inReview(1);
    expectRefused(
      "project",
      review,
      vote(people.approver, "conditionalGo", { conditions: [] }),
      "A conditional go needs at least one condition, each with a due date.",
    );
    expectRefused(
      "project",
      review,
      vote(people.approver, "conditionalGo", { conditions: [{ text: "Publish", dueDate: "soon" }] }),
      "The condition needs a due date.",
    );
    expectRefused(
      "project",
      review,
      vote(people.approver, "conditionalGo", {
        conditions: [
          { text: "Publish", dueDate: "2025-07-01" },
          { text: "Share the data", dueDate: "2025-01-01" },
        ],
      }),
      "Condition 2 needs a due date that is not in the past.",
    );
    expectRefused(
      "project",
      review,
      vote(people.approver, "go", { conditions: [{ text: "Publish", dueDate: "2025-07-01" }] }),
      "Only a conditional go can set conditions.",
    );
  });
});
