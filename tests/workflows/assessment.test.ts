import { describe, expect, it } from "vitest";
import type { AssessmentContext, AssessmentEvent } from "../../workflows/assessment";
import { applyEvent, notificationsFor, startSnapshot, type NotificationRow, type PersistedSnapshot } from "../../workflows/index";
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
    expect(result.history).toEqual(["invited", "accepted", "interestsDeclared", "scoring", "scoring", "submitted", "confirmed"]);
    expect(result.final).toBe(true);
  });

  it("stays in scoring when a draft is saved, and records when", () => {
    const result = journey("assessment", assessmentInput, [...scoring, step.saveDraft]);
    expect(result.from).toBe("scoring");
    expect(result.to).toBe("scoring");
    expect((result.snapshot.context as unknown as AssessmentContext).draftSavedAt).toBe("2025-03-02T14:00:00Z");
  });

  it("comes back from rework as resubmitted", () => {
    const result = journey("assessment", assessmentInput, [...scoring, step.submit, step.returnForRework, step.startScoring, step.submit]);
    expect(result.history.slice(-4)).toEqual(["submitted", "returned", "scoring", "resubmitted"]);
    const context = result.snapshot.context as unknown as AssessmentContext;
    expect(context.returns).toBe(1);
    expect(context.lastReturn?.reason).toBe("Justify the deliverability score.");
    const confirmed = applyEvent("assessment", result.snapshot, step.confirm);
    expect(confirmed.ok && confirmed.to).toBe("confirmed");
  });

  it("ends when the assessor declines, with a reason", () => {
    const result = journey("assessment", assessmentInput, [{ type: "DECLINE", actor: people.assessor, at, reason: "I am on leave." }]);
    expect(result.to).toBe("declined");
    expect((result.snapshot.context as unknown as AssessmentContext).declined?.reason).toBe("I am on leave.");
  });
});

describe("assessment rules", () => {
  it("needs a reason to decline", () => {
    expectRefused("assessment", at_([]), { type: "DECLINE", actor: people.assessor, at, reason: "" }, "A reason is required to decline.");
  });

  it("is for the invited assessor only", () => {
    expectRefused("assessment", at_([]), { ...step.accept, actor: people.otherAssessor }, "Only the assessor invited to this bid can accept this assessment.");
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
    expectRefused("assessment", at_([step.accept]), { ...step.declareNone, interests: "  " }, "Declare your interests, or say that you have none.");
  });

  it("stops an assessor who declared a conflict from scoring; the fund team unassigns them", () => {
    const conflicted = at_([step.accept, step.declareConflict]);
    expectRefused(
      "assessment",
      conflicted,
      step.startScoring,
      "You cannot score this bid because you declared a conflict of interest. The fund team will reassign it.",
    );
    expectRefused("assessment", conflicted, { type: "UNASSIGN", actor: people.fundTeam, at }, "A reason is required to unassign an assessor.");
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
    expectRefused("assessment", submitted, { ...step.returnForRework, reason: "" }, "A reason is required to return an assessment.");
    expectRefused("assessment", submitted, { ...step.confirm, actor: people.assessor }, "Only the fund team can confirm these scores.");
  });

  it("explains events that do not fit the assessment's state", () => {
    expectRefused("assessment", at_([]), step.submit, "This assessment is waiting for the assessor to accept, so it cannot be submitted.");
    expectRefused(
      "assessment",
      at_([...scoring, step.submit]),
      { type: "UNASSIGN", actor: people.fundTeam, at, reason: "Too late" },
      "This assessment has been submitted, so it cannot be unassigned.",
    );
  });
});

describe("an assessment while its bid is back with the council for changes", () => {
  const pause = {
    type: "PAUSE_FOR_CHANGES",
    actor: people.fundTeam,
    at,
    reason: "The costs leave out the partners' staff time.",
    sections: ["Costs"],
    facts: { sectionDigests: { costs: "before", summary: "same" } },
  } satisfies AssessmentEvent;
  const reopen = {
    type: "REOPEN_AFTER_CHANGES",
    actor: people.fundTeam,
    at: "2025-03-09T10:00:00Z",
    facts: { changedSections: ["Costs"] },
  } satisfies AssessmentEvent;
  const contextOf = (snapshot: PersistedSnapshot) => snapshot.context as unknown as AssessmentContext;

  const cases: { name: string; before: AssessmentEvent[]; back: string }[] = [
    { name: "invited", before: [], back: "invited" },
    { name: "accepted", before: [step.accept], back: "accepted" },
    { name: "interestsDeclared", before: [step.accept, step.declareNone], back: "interestsDeclared" },
    { name: "scoring", before: scoring, back: "scoring" },
    { name: "submitted", before: [...scoring, step.submit], back: "scoring" },
    { name: "returned", before: [...scoring, step.submit, step.returnForRework], back: "scoring" },
    { name: "resubmitted", before: [...scoring, step.submit, step.returnForRework, step.startScoring, step.submit], back: "scoring" },
  ];

  for (const { name, before, back } of cases) {
    it(`is paused from ${name}, keeping why and where it was, and reopens to ${back}`, () => {
      const paused = applyEvent("assessment", at_(before), pause);
      expect(paused.ok && paused.from).toBe(name);
      if (!paused.ok) return;
      expect(paused.to).toBe("paused");
      expect(contextOf(paused.snapshot).paused).toEqual({
        at,
        by: people.fundTeam.userId,
        reason: "The costs leave out the partners' staff time.",
        sections: ["Costs"],
        from: name,
        sectionDigests: { costs: "before", summary: "same" },
      });
      const reopened = applyEvent("assessment", paused.snapshot, reopen);
      expect(reopened.ok && reopened.to).toBe(back);
      if (!reopened.ok) return;
      const context = contextOf(reopened.snapshot);
      expect(context.paused).toBeNull();
      expect(context.reopened).toEqual({ at: reopen.at, by: people.fundTeam.userId, changedSections: ["Costs"], hadScores: back === "scoring" });
    });
  }

  it("cannot be scored, saved or taken off while paused, and says why", () => {
    const paused = journey("assessment", assessmentInput, [...scoring, step.saveDraft, pause]).snapshot;
    expectRefused("assessment", paused, step.submit, "This assessment is paused while the council changes the bid, so it cannot be submitted.");
    expectRefused("assessment", paused, step.saveDraft, "This assessment is paused while the council changes the bid, so it cannot be saved as a draft.");
    expectRefused(
      "assessment",
      paused,
      { type: "UNASSIGN", actor: people.fundTeam, at, reason: "Ill" },
      "This assessment is paused while the council changes the bid, so it cannot be unassigned.",
    );
    expectRefused("assessment", paused, pause, "This assessment is paused while the council changes the bid, so it cannot be paused for changes.");
  });

  it("is paused and reopened only by the fund team, and paused only with a reason", () => {
    const submitted = at_([...scoring, step.submit]);
    expectRefused("assessment", submitted, { ...pause, actor: people.assessor }, "Only the fund team can pause this assessment while the bid is changed.");
    expectRefused("assessment", submitted, { ...pause, reason: " " }, "A reason is required to pause an assessment for changes.");
    const paused = journey("assessment", assessmentInput, [...scoring, step.submit, pause]).snapshot;
    expectRefused("assessment", paused, { ...reopen, actor: people.assessor }, "Only the fund team can reopen this assessment after the changes.");
  });

  it("cannot be reopened unless it was paused, nor paused once it is finished", () => {
    expectRefused("assessment", at_(scoring), reopen, "This assessment is being scored, so it cannot be reopened after changes.");
    expectRefused(
      "assessment",
      at_([...scoring, step.submit, step.confirm]),
      pause,
      "This assessment has been confirmed by the moderator, so it cannot be paused for changes.",
    );
  });

  it("comes back from the changes as resubmitted when it had been submitted, and as submitted when it had not", () => {
    const again = journey("assessment", assessmentInput, [...scoring, step.submit, pause, reopen, step.submit]);
    expect(again.history.slice(-4)).toEqual(["submitted", "paused", "scoring", "resubmitted"]);
    expect(contextOf(again.snapshot).submissions).toBe(2);
    const first = journey("assessment", assessmentInput, [...scoring, step.saveDraft, pause, reopen, step.submit]);
    expect(first.to).toBe("submitted");
  });

  it("lets an assessor paused before accepting answer the invitation once the bid is back", () => {
    const back = journey("assessment", assessmentInput, [pause, reopen, step.accept, step.declareNone, step.startScoring, step.submit]);
    expect(back.history).toEqual(["invited", "paused", "invited", "accepted", "interestsDeclared", "scoring", "submitted"]);
  });

  it("keeps a declared conflict through the pause: the assessor still cannot score", () => {
    const back = journey("assessment", assessmentInput, [step.accept, step.declareConflict, pause, reopen]).snapshot;
    expectRefused(
      "assessment",
      back,
      step.startScoring,
      "You cannot score this bid because you declared a conflict of interest. The fund team will reassign it.",
    );
  });
});

describe("who hears of a pause for changes", () => {
  const summary = (rows: NotificationRow[]) => rows.map((r) => `${r.role}:${r.template}:${r.essential ? "essential" : "digest"}`);

  it("tells the assessor when the assessment is paused and when it is back, and nothing else", () => {
    for (const from of ["invited", "accepted", "interestsDeclared", "scoring", "submitted", "returned", "resubmitted"]) {
      expect(summary(notificationsFor("assessment", from, "paused", "PAUSE_FOR_CHANGES"))).toEqual(["assessor:assessment-paused:essential"]);
    }
    // Reopening to where it was is not a new invitation, acceptance or declaration.
    for (const to of ["invited", "accepted", "interestsDeclared", "scoring"]) {
      expect(summary(notificationsFor("assessment", "paused", to, "REOPEN_AFTER_CHANGES"))).toEqual(["assessor:assessment-reopened:essential"]);
    }
    expect(summary(notificationsFor("assessment", "invited", "accepted", "ACCEPT"))).toEqual(["fundTeam:assessment-accepted:digest"]);
    expect(summary(notificationsFor("assessment", null, "invited", null))).toEqual(["assessor:assessment-invited:essential"]);
  });

  it("tells the assessors of a bid withdrawn while it was back with the council", () => {
    expect(
      notificationsFor("bid", "changesRequested", "withdrawn", "WITHDRAW")
        .filter((r) => r.role === "assessor")
        .map((r) => r.template),
    ).toEqual(["bid-withdrawn-assessor"]);
  });
});
