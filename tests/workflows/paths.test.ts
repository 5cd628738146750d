import { describe, expect, it } from "vitest";
import type { AnyMachineSnapshot, AnyStateMachine } from "xstate";
import { assessmentMachine } from "../../workflows/assessment";
import { bidEventWording, bidMachine, eligibilityProblems, type BidContext } from "../../workflows/bid";
import { projectMachine, stageOfState, nextStage, type ProjectContext } from "../../workflows/project";
import { defaultFundRules, stages, type Stage } from "../../workflows/rules";
import { gateReadiness, governanceTier } from "../../workflows/tiers";
import {
  assessmentEventCases,
  bidEventCases,
  finalStates,
  projectEventCases,
  projectSimpleCases,
  restingStates,
  serializeAssessment,
  serializeBid,
  serializeProject,
  walk,
  type Walk,
} from "./graph";
import { assessmentInput, bidInput, people, projectInput } from "./support";

// Every machine walked with xstate/graph: shortest paths to every state, every simple path,
// and every edge of the state graph, checked against the rules that must hold on all of them.

const name = (snapshot: AnyMachineSnapshot) => snapshot.value as string;
const accepted = (w: Walk) => w.edges.filter((e) => e.from.can(e.event));
const endStates = (w: Walk, which: "shortest" | "simple") => new Set(w[which].map((p) => name(p.state)));

function commonInvariants(machine: AnyStateMachine, w: Walk, cases: (s: AnyMachineSnapshot) => { type: string }[]) {
  it("reaches every state the machine defines", () => {
    expect([...endStates(w, "shortest")].sort()).toEqual(restingStates(machine).sort());
  });

  it("reaches every final state, by shortest and by simple paths", () => {
    const finals = finalStates(machine);
    expect(finals.length).toBeGreaterThan(0);
    for (const final of finals) {
      expect(endStates(w, "shortest")).toContain(final);
      expect(endStates(w, "simple")).toContain(final);
    }
  });

  it("has no dead ends: every reachable non-final state accepts some event", () => {
    const stuck = w.shortest
      .map((p) => p.state)
      .filter((s) => s.status === "active" && !cases(s).some((event) => s.can(event as never)))
      .map(name);
    expect(stuck).toEqual([]);
  });

  it("keeps every reachable snapshot as plain JSON that restores to the same state", () => {
    for (const path of [...w.shortest, ...w.simple]) {
      const persisted = JSON.parse(JSON.stringify(machine.getPersistedSnapshot(path.state)));
      const restored = machine.resolveState(persisted);
      expect(restored.value).toEqual(path.state.value);
      expect(restored.context).toEqual(path.state.context);
    }
  });

  it("never accepts an event with a blank reason where a reason is required", () => {
    const reasoned = new Set(
      ["DECLINE_CERTIFICATION", "MARK_INELIGIBLE", "REINSTATE", "REQUEST_CHANGES", "REDRAW_FUNDING_LINE", "WITHDRAW"]
        .concat(["DECLINE", "RETURN_FOR_REWORK", "UNASSIGN", "PAUSE_FOR_CHANGES"])
        .concat(["RETURN_GATE_REQUEST", "VOTE"]),
    );
    const blank = accepted(w).filter((e) => reasoned.has(e.event.type) && !(e.event.reason ?? "").trim());
    expect(blank).toEqual([]);
  });
}

describe("bid: every path", () => {
  const w = walk(bidMachine, { input: bidInput, events: bidEventCases, serializeState: serializeBid });

  commonInvariants(bidMachine, w, () => bidEventCases);

  it("reaches funded only through a published decision on a bid above the funding line", () => {
    const toFunded = [...w.shortest, ...w.simple].filter((p) => name(p.state) === "funded");
    expect(toFunded.length).toBeGreaterThan(0);
    for (const path of toFunded) {
      const last = path.steps[path.steps.length - 1]!;
      expect(last.event.type).toBe("PUBLISH_DECISION");
      expect(last.event.actor.role).toBe("fundTeam");
      const drawn = path.steps.filter((s) => s.event.type === "DRAW_FUNDING_LINE");
      expect(drawn.at(-1)?.event.facts.aboveLine).toBe(true);
      expect((path.state.context as BidContext).decision?.outcome).toBe("funded");
    }
    const edgesIntoFunded = accepted(w).filter((e) => name(e.to) === "funded");
    expect(edgesIntoFunded.map((e) => e.event.type)).toEqual(edgesIntoFunded.map(() => "PUBLISH_DECISION"));
  });

  it("ends below the funding line as not funded, also only on publication", () => {
    const edges = accepted(w).filter((e) => name(e.to) === "notFunded");
    expect(edges.length).toBeGreaterThan(0);
    for (const edge of edges) {
      expect(name(edge.from)).toBe("notRecommended");
      expect(edge.event.type).toBe("PUBLISH_DECISION");
    }
  });

  it("is only sent for certification and certified when eligible, before the deadline, by the right people", () => {
    const submissions = accepted(w).filter((e) => ["awaitingCertification", "submitted"].includes(name(e.to)) && name(e.from) !== name(e.to));
    expect(submissions.length).toBeGreaterThan(0);
    for (const { from, event, to } of submissions) {
      expect(event.type).toBe(name(to) === "submitted" ? "CERTIFY" : "REQUEST_CERTIFICATION");
      expect(event.actor.organisationId).toBe(bidInput.leadOrganisationId);
      expect(event.actor.role).toBe(event.type === "CERTIFY" ? "certifier" : "councilOfficer");
      expect(Date.parse(event.at)).toBeLessThan(Date.parse(event.facts.deadline));
      expect(eligibilityProblems(event.facts, (from.context as BidContext).leadOrganisationId)).toEqual([]);
    }
  });

  it("is withdrawn only by the lead council, and never after a decision", () => {
    const withdrawals = accepted(w).filter((e) => name(e.to) === "withdrawn");
    expect(new Set(withdrawals.map((e) => name(e.from))).size).toBe(12);
    for (const { from, event } of withdrawals) {
      expect(event.actor).toEqual(people.leadOfficer);
      expect(["funded", "notFunded"]).not.toContain(name(from));
    }
  });

  it("shows a resubmitted bid as 'resubmitted' and returns it to where the changes were asked for", () => {
    const fromResubmitted = accepted(w).filter((e) => name(e.from) === "resubmitted" && name(e.to) !== "withdrawn");
    for (const { from, to } of fromResubmitted) {
      const during = (from.context as BidContext).changeRequest?.during;
      if (name(to) === "inAssessment") expect(during).toBe("inAssessment");
      else expect(name(to)).toBe("eligibilityCheck");
    }
    expect(fromResubmitted.map((e) => name(e.to))).toContain("inAssessment");
  });

  it("accepts every event only from the roles its wording names", () => {
    const fundTeamEvents = [
      "BEGIN_ELIGIBILITY_CHECK",
      "MARK_ELIGIBLE",
      "MARK_INELIGIBLE",
      "REINSTATE",
      "REQUEST_CHANGES",
      "START_ASSESSMENT",
      "BEGIN_MODERATION",
      "DRAW_FUNDING_LINE",
      "REDRAW_FUNDING_LINE",
      "PUBLISH_DECISION",
    ];
    for (const { event } of accepted(w)) {
      expect(Object.keys(bidEventWording)).toContain(event.type);
      if (fundTeamEvents.includes(event.type)) expect(event.actor.role).toBe("fundTeam");
    }
  });
});

describe("assessment: every path", () => {
  const w = walk(assessmentMachine, {
    input: assessmentInput,
    events: assessmentEventCases,
    serializeState: serializeAssessment,
  });

  commonInvariants(assessmentMachine, w, () => assessmentEventCases);

  it("never lets an assessor who declared a conflict score the bid", () => {
    const intoScoring = accepted(w).filter((e) => name(e.to) === "scoring" && name(e.from) !== "scoring");
    expect(intoScoring.length).toBeGreaterThan(0);
    for (const { from } of intoScoring) expect(from.context.interests?.conflict).toBe(false);
    const conflicted = w.shortest.filter((p) => p.state.context.interests?.conflict === true).map((p) => name(p.state));
    expect(conflicted).toContain("interestsDeclared");
    expect(conflicted).not.toContain("scoring");
  });

  it("only lets the invited assessor, from outside the partnership, act as assessor", () => {
    const assessorEvents = ["ACCEPT", "DECLINE", "DECLARE_INTERESTS", "START_SCORING", "SAVE_DRAFT", "SUBMIT_SCORES"];
    for (const { event } of accepted(w).filter((e) => assessorEvents.includes(e.event.type))) {
      expect(event.actor).toEqual(people.assessor);
    }
  });

  it("submits only complete scores, and calls any submission after the first (after rework, or after the bid changed) 'resubmitted'", () => {
    const submissions = accepted(w).filter((e) => e.event.type === "SUBMIT_SCORES");
    expect(new Set(submissions.map((e) => name(e.to)))).toEqual(new Set(["submitted", "resubmitted"]));
    for (const { from, event, to } of submissions) {
      expect(event.facts.unscoredCriteria).toEqual([]);
      expect(event.facts.unjustifiedCriteria).toEqual([]);
      expect(name(to)).toBe(from.context.submissions > 0 ? "resubmitted" : "submitted");
    }
  });

  it("pauses only at the fund team's word, with a reason, and reopens to where it was, or to scoring when it had scores", () => {
    const pauses = accepted(w).filter((e) => e.event.type === "PAUSE_FOR_CHANGES");
    expect(new Set(pauses.map((e) => name(e.from)))).toEqual(
      new Set(["invited", "accepted", "interestsDeclared", "scoring", "submitted", "returned", "resubmitted"]),
    );
    for (const { from, event, to } of pauses) {
      expect(event.actor.role).toBe("fundTeam");
      expect(name(to)).toBe("paused");
      expect(to.context.paused.from).toBe(name(from));
    }
    const reopenings = accepted(w).filter((e) => e.event.type === "REOPEN_AFTER_CHANGES");
    expect(reopenings.length).toBeGreaterThan(0);
    for (const { from, to } of reopenings) {
      const was = from.context.paused.from as string;
      expect(name(to)).toBe(["invited", "accepted", "interestsDeclared"].includes(was) ? was : "scoring");
      expect(to.context.paused).toBeNull();
      expect(to.context.reopened.hadScores).toBe(name(to) === "scoring");
    }
    // Paused, nothing can be scored and nobody taken off.
    const fromPaused = accepted(w).filter((e) => name(e.from) === "paused");
    expect(new Set(fromPaused.map((e) => e.event.type))).toEqual(new Set(["REOPEN_AFTER_CHANGES"]));
  });
});

describe("project: every path", () => {
  const walks = (["scan", "pilot", "scale"] as Stage[]).map((startStage) => ({
    startStage,
    w: walk(projectMachine, {
      input: { ...projectInput, startStage },
      events: projectEventCases,
      simpleEvents: projectSimpleCases,
      serializeState: serializeProject,
    }),
  }));
  const fromScan = walks[0]!.w;

  commonInvariants(projectMachine, fromScan, projectEventCases);

  it("starts each funded bid at its own stage", () => {
    for (const { startStage, w } of walks) {
      // A path's first step is the machine's own start ("xstate.init").
      const initial = w.shortest.find((p) => p.steps.every((step) => step.event.type === "xstate.init"))!;
      expect(name(initial.state)).toBe(`${startStage}_delivering`);
    }
  });

  it("never moves past a gate without the evidence and approvals its tier requires", () => {
    for (const { w } of walks) {
      const onward = accepted(w).filter((e) => {
        const stage = stageOfState(name(e.from));
        const next = stage && nextStage(stage);
        return name(e.from).endsWith("_inReview") && name(e.to) === (next ? `${next}_delivering` : "completed");
      });
      expect(onward.length).toBeGreaterThan(0);
      for (const { from, event, to } of onward) {
        const review = (from.context as ProjectContext).review!;
        const stage = stageOfState(name(from))!;
        const tier = governanceTier(review.cumulativeFundingPence, defaultFundRules);
        expect(gateReadiness(tier.tier, stage, review.evidenceKeys, defaultFundRules).ready).toBe(true);
        const votes = [...review.votes, ...(event.type === "VOTE" ? [{ userId: event.actor.userId, senior: event.actor.senior, outcome: event.outcome }] : [])];
        expect(new Set(votes.map((v) => v.userId)).size).toBeGreaterThanOrEqual(tier.rules.approvers);
        if (tier.rules.seniorRequired) expect(votes.some((v) => v.senior)).toBe(true);
        if (tier.rules.financeSignOff) {
          expect(review.financeSignedOff !== null || event.type === "SIGN_OFF_FINANCE").toBe(true);
        }
        expect(votes.every((v) => v.outcome === "go" || v.outcome === "conditionalGo")).toBe(true);
        expect(["go", "conditionalGo"]).toContain((to.context as ProjectContext).decisions.at(-1)?.outcome);
      }
      // Every tier's rules were exercised on the way.
      expect(new Set(onward.map((e) => (e.from.context as ProjectContext).review!.tier))).toEqual(new Set([1, 2, 3]));
    }
  });

  it("asks for a gate review only with the tier's evidence and with earlier conditions met", () => {
    const requests = accepted(fromScan).filter((e) => e.event.type === "REQUEST_GATE_REVIEW");
    expect(requests.length).toBeGreaterThan(0);
    for (const { from, event } of requests) {
      const context = from.context as ProjectContext;
      const tier = governanceTier(event.facts.cumulativeFundingPence, defaultFundRules);
      expect(gateReadiness(tier.tier, context.stage, event.facts.evidenceKeys, defaultFundRules).missing).toEqual([]);
      expect(context.conditions.filter((c) => c.met === null)).toEqual([]);
      expect(event.actor).toEqual(people.leadOfficer);
    }
  });

  it("stops on any stop vote once the quorum is met, and closes only with lessons recorded", () => {
    const stops = accepted(fromScan).filter((e) => name(e.to) === "stopped");
    expect(stops.length).toBeGreaterThan(0);
    for (const { to } of stops) expect((to.context as ProjectContext).decisions.at(-1)?.outcome).toBe("stop");
    const closes = accepted(fromScan).filter((e) => name(e.to) === "closed");
    expect(closes.length).toBeGreaterThan(0);
    for (const { from, event } of closes) {
      expect(name(from)).toBe("stopped");
      expect(event.type).toBe("RECORD_LESSONS");
      expect(event.lessons.trim()).not.toBe("");
    }
  });

  it("holds and recycles keep the project in the same stage", () => {
    const repeats = accepted(fromScan).filter(
      (e) => name(e.from).endsWith("_inReview") && name(e.to).endsWith("_delivering") && stageOfState(name(e.to)) === stageOfState(name(e.from)),
    );
    const outcomes = new Set(repeats.map((e) => (e.to.context as ProjectContext).decisions.at(-1)?.outcome));
    expect(outcomes).toEqual(new Set(["hold", "recycle"]));
    for (const { from, to } of repeats) {
      const stage = stageOfState(name(from))!;
      const before = from.context as ProjectContext;
      const after = to.context as ProjectContext;
      expect(after.holds[stage] + after.recycles[stage]).toBe(before.holds[stage] + before.recycles[stage] + 1);
    }
  });

  it("keeps context.stage in step with the state name and never records a vote from the lead council", () => {
    for (const { w } of walks) {
      for (const path of w.shortest) {
        const context = path.state.context as ProjectContext;
        const stage = stageOfState(name(path.state));
        if (stage) expect(context.stage).toBe(stage);
        const voters = [...(context.review?.votes ?? []), ...context.decisions.flatMap((d) => d.votes)];
        expect(voters.map((v) => v.userId)).not.toContain(people.leadCouncilApprover.userId);
      }
    }
  });

  it("on every simple path to completion, passes every gate from the start stage with a go", () => {
    for (const { startStage, w } of walks) {
      const completions = w.simple.filter((p) => name(p.state) === "completed");
      expect(completions.length).toBeGreaterThan(0);
      for (const path of completions) {
        const passed = (path.state.context as ProjectContext).decisions.filter((d) => d.outcome === "go" || d.outcome === "conditionalGo").map((d) => d.stage);
        expect(passed).toEqual(stages.slice(stages.indexOf(startStage)));
      }
    }
  });
});
