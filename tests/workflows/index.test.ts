import { describe, expect, it } from "vitest";
import { getShortestPaths } from "xstate/graph";
import {
  allowedEvents,
  applyEvent,
  isFinalState,
  refusalFor,
  startSnapshot,
  stateLabel,
  stateOf,
  statesOf,
  stateTagColour,
  tagClass,
  workflows,
  WorkflowContractError,
  type PersistedSnapshot,
  type WorkflowKind,
} from "../../workflows/index";
import { tagColours } from "../../workflows/presentation";
import { bidEventCases, serializeBid } from "./graph";
import { BEFORE_DEADLINE, bidInput, journey, people, submissionFacts } from "./support";

const at = BEFORE_DEADLINE;
const requestCertification = {
  type: "REQUEST_CERTIFICATION" as const,
  actor: people.leadOfficer,
  at,
  facts: submissionFacts(),
};

describe("startSnapshot and applyEvent", () => {
  it("start a record as plain JSON in its first state", () => {
    const snapshot = startSnapshot("bid", bidInput);
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
    expect(snapshot).toMatchObject({ status: "active", value: "draft", context: { bidId: "bid-1", resubmissions: 0 } });
    expect(stateOf(snapshot)).toBe("draft");
  });

  it("apply an event purely: the stored snapshot is not changed and the result says from, to and what was validated", () => {
    const before = startSnapshot("bid", bidInput);
    const copy = structuredClone(before);
    const result = applyEvent("bid", before, { ...requestCertification, extra: "dropped" } as typeof requestCertification);
    expect(before).toEqual(copy);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.from).toBe("draft");
    expect(result.to).toBe("awaitingCertification");
    expect(result.final).toBe(false);
    expect(result.event).not.toHaveProperty("extra");
    expect(JSON.parse(JSON.stringify(result.snapshot))).toEqual(result.snapshot);
    expect(result.snapshot.context).toMatchObject({ certificationRequested: { at, by: people.leadOfficer.userId } });
  });

  it("refuse an unknown action with a sentence", () => {
    const result = applyEvent("bid", startSnapshot("bid", bidInput), { type: "DELETE", actor: people.admin, at } as never);
    expect(result).toEqual({ ok: false, reason: "That is not something that can be done to a bid." });
  });

  it("throw a contract error for an event the server built wrongly", () => {
    const snapshot = startSnapshot("bid", bidInput);
    expect(() => applyEvent("bid", snapshot, { type: "WITHDRAW", reason: "x" } as never)).toThrow(WorkflowContractError);
    expect(() => applyEvent("bid", snapshot, { ...requestCertification, at: "yesterday" })).toThrow(/at/);
    expect(() => applyEvent("bid", snapshot, { ...requestCertification, facts: undefined } as never)).toThrow(/does not match the bid contract/);
  });

  it("throw a contract error for a snapshot this machine cannot restore", () => {
    const broken = { ...startSnapshot("bid", bidInput), value: "limbo" } as PersistedSnapshot;
    expect(() => applyEvent("bid", broken, requestCertification)).toThrow(WorkflowContractError);
  });

  it("answer refusalFor with the same sentence as applyEvent", () => {
    const snapshot = startSnapshot("bid", bidInput);
    expect(refusalFor("bid", snapshot, requestCertification)).toBeNull();
    expect(refusalFor("bid", snapshot, { ...requestCertification, actor: people.partnerOfficer })).toBe(
      "Only an officer of the lead council can send this bid for certification.",
    );
  });

  it("carry a version for each machine", () => {
    expect(Object.fromEntries(Object.entries(workflows).map(([k, w]) => [k, w.version]))).toEqual({
      bid: 1,
      assessment: 1,
      project: 1,
    });
  });
});

describe("allowedEvents", () => {
  it("offers each person only what they can do now", () => {
    const draft = startSnapshot("bid", bidInput);
    expect(allowedEvents("bid", draft, people.leadOfficer)).toEqual(["REQUEST_CERTIFICATION", "WITHDRAW"]);
    expect(allowedEvents("bid", draft, people.partnerOfficer)).toEqual([]);
    expect(allowedEvents("bid", draft, people.fundTeam)).toEqual([]);
    const awaiting = journey("bid", bidInput, [requestCertification]).snapshot;
    expect(allowedEvents("bid", awaiting, people.leadCertifier)).toEqual(["CERTIFY", "DECLINE_CERTIFICATION"]);
    expect(allowedEvents("bid", awaiting, people.partnerCertifier)).toEqual([]);
  });

  it("offers nothing once a record is finished", () => {
    const withdrawn = journey("bid", bidInput, [{ type: "WITHDRAW", actor: people.leadOfficer, at, reason: "Done." }]);
    expect(allowedEvents("bid", withdrawn.snapshot, people.leadOfficer)).toEqual([]);
  });

  it("never offers an admin a workflow action, and always offers whatever applyEvent would accept", () => {
    const paths = getShortestPaths(workflows.bid.machine, {
      input: bidInput,
      events: bidEventCases,
      serializeState: serializeBid,
    });
    expect(paths.length).toBeGreaterThan(10);
    for (const { state } of paths) {
      const stored = JSON.parse(JSON.stringify(workflows.bid.machine.getPersistedSnapshot(state))) as PersistedSnapshot;
      expect(allowedEvents("bid", stored, people.admin)).toEqual([]);
      for (const event of bidEventCases) {
        if (applyEvent("bid", stored, event).ok) {
          expect(allowedEvents("bid", stored, event.actor)).toContain(event.type);
        }
      }
    }
  });
});

describe("state labels and tags", () => {
  it("label states for people", () => {
    expect(stateLabel("bid", "awaitingCertification")).toBe("Awaiting certification");
    expect(stateLabel("bid", "resubmitted")).toBe("Resubmitted");
    expect(stateLabel("assessment", "returned")).toBe("Returned for rework");
    expect(stateLabel("project", "pilot_inReview")).toBe("Pilot: in review");
  });

  it("show bidders a held decision as pending", () => {
    expect(stateLabel("bid", "recommended")).toBe("Recommended (held)");
    expect(stateLabel("bid", "recommended", { audience: "applicant" })).toBe("Decision pending");
    expect(stateLabel("bid", "notRecommended", { audience: "applicant" })).toBe("Decision pending");
    expect(stateLabel("bid", "funded", { audience: "applicant" })).toBe("Funded");
    expect(stateTagColour("bid", "recommended", { audience: "applicant" })).toBe(stateTagColour("bid", "moderation"));
  });

  it("give every state of every machine a label and a GOV.UK tag colour", () => {
    for (const kind of Object.keys(workflows) as WorkflowKind[]) {
      for (const state of statesOf(kind)) {
        expect(stateLabel(kind, state)).toMatch(/^[A-Z]/);
        expect(tagColours).toContain(stateTagColour(kind, state));
      }
    }
    expect(stateTagColour("bid", "funded")).toBe("green");
    expect(stateTagColour("bid", "ineligible")).toBe("red");
    expect(tagClass("green")).toBe("govuk-tag govuk-tag--green");
  });

  it("refuse a state the machine does not have", () => {
    expect(() => stateLabel("bid", "limbo")).toThrow(WorkflowContractError);
  });

  it("know which states are final", () => {
    expect(isFinalState("bid", "funded")).toBe(true);
    expect(isFinalState("bid", "recommended")).toBe(false);
    expect(isFinalState("project", "closed")).toBe(true);
    expect(isFinalState("project", "stopped")).toBe(false);
  });
});
