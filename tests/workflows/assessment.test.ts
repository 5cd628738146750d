import { describe, expect, it } from "vitest";
import type { AssessmentContext, AssessmentEvent } from "../../workflows/assessment";
import { applyEvent, startSnapshot, type PersistedSnapshot } from "../../workflows/index";
import { BEFORE_DEADLINE, assessmentInput, expectRefused, journey, people } from "./support";

const at = BEFORE_DEADLINE;
const complete = { unscoredCriteria: [], unjustifiedCriteria: [] };

const step = {
  accept: { type: "ACCEPT", actor: people.assessor, at },
  declareNone: { type: "DECLARE_INTERESTS", actor: people.assessor, at, interests: "None", conflict: false },
  declareConflict: {
    type: "DECLARE_INTERESTS",
    actor: people.assessor,
    at,
    interests: "I advised Newtown Council on this service last year.",
    conflict: true,
  },
  startScoring: { type: "START_SCORING", actor: people.assessor, at },
  saveDraft: { type: "SAVE_DRAFT", actor: people.assessor, at: "2025-03-02T14:00:00Z" },
  submit: { type: "SUBMIT_SCORES", actor: people.assessor, at, facts: complete },
  returnForRework: { type: "RETURN_FOR_REWORK", actor: people.fundTeam, at, reason: "Justify the deliverability score." },
  confirm: { type: "CONFIRM_SCORES", actor: people.fundTeam, at },
} satisfies Record<string, AssessmentEvent>;

const scoring = [step.accept, step.declareNone, step.startScoring];
const at_ = (events: AssessmentEvent[]): PersistedSnapshot =>
  events.length === 0 ? startSnapshot("assessment", assessmentInput) : journey("assessment", assessmentInput, events).snapshot;

describe("an assessment's journey", () => {
  it("goes from invitation to confirmed scores", () => {
    const result = journey("assessment", assessmentInput, [...scoring, step.saveDraft, step.submit, step.confirm]);
    expect(result.history).toEqual([
      "invited",
      "accepted",
      "interestsDeclared",
      "scoring",
      "scoring",
      "submitted",
      "confirmed",
    ]);
    expect(result.final).toBe(true);
  });

  it("stays in scoring when a draft is saved, and records when", () => {
    const result = journey("assessment", assessmentInput, [...scoring, step.saveDraft]);
    expect(result.from).toBe("scoring");
    expect(result.to).toBe("scoring");
    expect((result.snapshot.context as unknown as AssessmentContext).draftSavedAt).toBe("2025-03-02T14:00:00Z");
  });

  it("comes back from rework as resubmitted", () => {
    const result = journey("assessment", assessmentInput, [
      ...scoring,
      step.submit,
      step.returnForRework,
      step.startScoring,
      step.submit,
    ]);
    expect(result.history.slice(-4)).toEqual(["submitted", "returned", "scoring", "resubmitted"]);
    const context = result.snapshot.context as unknown as AssessmentContext;
    expect(context.returns).toBe(1);
    expect(context.lastReturn?.reason).toBe("Justify the deliverability score.");
    const confirmed = applyEvent("assessment", result.snapshot, step.confirm);
    expect(confirmed.ok && confirmed.to).toBe("confirmed");
  });

  it("ends when the assessor declines, with a reason", () => {
    const result = journey("assessment", assessmentInput, [
      { type: "DECLINE", actor: people.assessor, at, reason: "I am on leave." },
    ]);
    expect(result.to).toBe("declined");
    expect((result.snapshot.context as unknown as AssessmentContext).declined?.reason).toBe("I am on leave.");
  });
});

describe("assessment rules", () => {
  it("needs a reason to decline", () => {
    expectRefused(
      "assessment",
      at_([]),
      { type: "DECLINE", actor: people.assessor, at, reason: "" },
      "A reason is required to decline.",
    );
  });

  it("is for the invited assessor only", () => {
    expectRefused(
      "assessment",
      at_([]),
      { ...step.accept, actor: people.otherAssessor },
      "Only the assessor invited to this bid can accept this assessment.",
    );
    expectRefused(
      "assessment",
      at_(scoring),
      { ...step.submit, actor: people.fundTeam },
      "Only the assessor invited to this bid can submit scores for this bid.",
    );
  });

  it("never lets someone employed by the partnership assess the bid", () => {
    expectRefused(
      "assessment",
      at_([]),
      { ...step.accept, actor: { ...people.partnerAssessor, userId: people.assessor.userId } },
      "You cannot assess this bid because your organisation is part of its partnership.",
    );
  });

  it("needs interests declared, even when there are none", () => {
    expectRefused(
      "assessment",
      at_([step.accept]),
      { ...step.declareNone, interests: "  " },
      "Declare your interests, or say that you have none.",
    );
  });

  it("stops an assessor who declared a conflict from scoring; the fund team unassigns them", () => {
    const conflicted = at_([step.accept, step.declareConflict]);
    expectRefused(
      "assessment",
      conflicted,
      step.startScoring,
      "You cannot score this bid because you declared a conflict of interest. The fund team will reassign it.",
    );
    expectRefused(
      "assessment",
      conflicted,
      { type: "UNASSIGN", actor: people.fundTeam, at },
      "A reason is required to unassign an assessor.",
    );
    const result = applyEvent("assessment", conflicted, {
      type: "UNASSIGN",
      actor: people.fundTeam,
      at,
      reason: "Conflict of interest.",
    });
    expect(result.ok && result.to).toBe("unassigned");
  });

  it("submits only scores that are complete and justified", () => {
    expectRefused(
      "assessment",
      at_(scoring),
      { ...step.submit, facts: { unscoredCriteria: ["Value for money"], unjustifiedCriteria: ["Deliverability", "Strategic fit"] } },
      "These scores cannot be submitted because Value for money has no score, and Deliverability and Strategic fit have no justification.",
    );
  });

  it("needs the moderator's reason to return an assessment, and only the fund team moderates", () => {
    const submitted = at_([...scoring, step.submit]);
    expectRefused(
      "assessment",
      submitted,
      { ...step.returnForRework, reason: "" },
      "A reason is required to return an assessment.",
    );
    expectRefused(
      "assessment",
      submitted,
      { ...step.confirm, actor: people.assessor },
      "Only the fund team can confirm these scores.",
    );
  });

  it("explains events that do not fit the assessment's state", () => {
    expectRefused(
      "assessment",
      at_([]),
      step.submit,
      "This assessment is waiting for the assessor to accept, so it cannot be submitted.",
    );
    expectRefused(
      "assessment",
      at_([...scoring, step.submit]),
      { type: "UNASSIGN", actor: people.fundTeam, at, reason: "Too late" },
      "This assessment has been submitted, so it cannot be unassigned.",
    );
  });
});
