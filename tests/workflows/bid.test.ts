import { describe, expect, it } from "vitest";
import type { BidContext, BidEvent } from "../../workflows/bid";
import { applyEvent, startSnapshot, type PersistedSnapshot } from "../../workflows/index";
import { defaultFundRules } from "../../workflows/rules";
import { AFTER_DEADLINE, BEFORE_DEADLINE, LEAD, bidInput, expectRefused, journey, people, submissionFacts } from "./support";

const at = BEFORE_DEADLINE;
const assessors = { rules: defaultFundRules, assessorsAssigned: 2 };
const scored = { rules: defaultFundRules, assessmentsSubmitted: 2, assessmentsOutstanding: 0 };
const aboveLine = { aboveLine: true, rank: 1, moderatedScore: 4.1, unresolvedDisagreements: 0 };

const step = {
  requestCertification: { type: "REQUEST_CERTIFICATION", actor: people.leadOfficer, at, facts: submissionFacts() },
  certify: { type: "CERTIFY", actor: people.leadCertifier, at, facts: submissionFacts() },
  beginEligibilityCheck: { type: "BEGIN_ELIGIBILITY_CHECK", actor: people.fundTeam, at },
  markEligible: { type: "MARK_ELIGIBLE", actor: people.fundTeam, at },
  startAssessment: { type: "START_ASSESSMENT", actor: people.fundTeam, at, facts: assessors },
  beginModeration: { type: "BEGIN_MODERATION", actor: people.fundTeam, at, facts: scored },
  drawFundingLine: { type: "DRAW_FUNDING_LINE", actor: people.fundTeam, at, facts: aboveLine },
  publishDecision: { type: "PUBLISH_DECISION", actor: people.fundTeam, at, message: "Congratulations." },
} satisfies Record<string, BidEvent>;

const bidAt = (events: BidEvent[]): PersistedSnapshot => (events.length === 0 ? startSnapshot("bid", bidInput) : journey("bid", bidInput, events).snapshot);

const upTo = {
  awaitingCertification: [step.requestCertification],
  eligibilityCheck: [step.requestCertification, step.certify, step.beginEligibilityCheck],
  inAssessment: [step.requestCertification, step.certify, step.beginEligibilityCheck, step.markEligible, step.startAssessment],
  moderation: [step.requestCertification, step.certify, step.beginEligibilityCheck, step.markEligible, step.startAssessment, step.beginModeration],
} satisfies Record<string, BidEvent[]>;

describe("a bid's journey", () => {
  it("goes from draft to funded, with the decision held until it is published", () => {
    const result = journey("bid", bidInput, [...upTo.moderation, step.drawFundingLine, step.publishDecision]);
    expect(result.history).toEqual([
      "draft",
      "awaitingCertification",
      "submitted",
      "eligibilityCheck",
      "eligible",
      "inAssessment",
      "moderation",
      "recommended",
      "funded",
    ]);
    expect(result.final).toBe(true);
    const context = result.snapshot.context as unknown as BidContext;
    expect(context.decision).toEqual({ outcome: "funded", at, by: people.fundTeam.userId, message: "Congratulations." });
    expect(context.submitted).toEqual({ at, by: people.leadCertifier.userId });
  });

  it("ends as not funded when it falls below the funding line", () => {
    const below = { ...step.drawFundingLine, facts: { ...aboveLine, aboveLine: false, rank: 12 } };
    const result = journey("bid", bidInput, [...upTo.moderation, below, step.publishDecision]);
    expect(result.history.slice(-2)).toEqual(["notRecommended", "notFunded"]);
  });

  it("can be returned to moderation before publication when the funding line moves", () => {
    const result = journey("bid", bidInput, [
      ...upTo.moderation,
      step.drawFundingLine,
      { type: "REDRAW_FUNDING_LINE", actor: people.fundTeam, at, reason: "The budget was cut." },
    ]);
    expect(result.to).toBe("moderation");
    expect((result.snapshot.context as unknown as BidContext).fundingLine).toBeNull();
  });

  it("goes back to draft with the certifier's reason when certification is declined", () => {
    const result = journey("bid", bidInput, [
      step.requestCertification,
      { type: "DECLINE_CERTIFICATION", actor: people.leadCertifier, at, reason: "The budget does not add up." },
    ]);
    expect(result.to).toBe("draft");
    expect((result.snapshot.context as unknown as BidContext).lastDeclinedCertification).toEqual({
      at,
      by: people.leadCertifier.userId,
      reason: "The budget does not add up.",
    });
  });

  it("comes back from a change request as resubmitted, and returns to assessment if that is where changes were asked for", () => {
    const result = journey("bid", bidInput, [
      ...upTo.inAssessment,
      { type: "REQUEST_CHANGES", actor: people.fundTeam, at, reason: "Show the savings.", sections: ["benefits"] },
      { type: "RESUBMIT", actor: people.leadOfficer, at, summary: "Savings added." },
    ]);
    expect(result.history.slice(-2)).toEqual(["changesRequested", "resubmitted"]);
    const context = result.snapshot.context as unknown as BidContext;
    expect(context.resubmissions).toBe(1);
    expect(context.changeRequest).toMatchObject({ sections: ["benefits"], during: "inAssessment" });
    const back = applyEvent("bid", result.snapshot, step.startAssessment);
    expect(back.ok && back.to).toBe("inAssessment");
  });

  it("sends a bid changed during the eligibility check back to the eligibility check", () => {
    const resubmitted = bidAt([
      ...upTo.eligibilityCheck,
      { type: "REQUEST_CHANGES", actor: people.fundTeam, at, reason: "Add the third partner.", sections: ["partners"] },
      { type: "RESUBMIT", actor: people.leadOfficer, at },
    ]);
    expectRefused(
      "bid",
      resubmitted,
      step.startAssessment,
      "This resubmitted bid needs its eligibility checked again, because the changes were asked for during the eligibility check.",
    );
    const result = applyEvent("bid", resubmitted, step.beginEligibilityCheck);
    expect(result.ok && result.to).toBe("eligibilityCheck");
  });

  it("can be reinstated after being found ineligible", () => {
    const result = journey("bid", bidInput, [
      ...upTo.eligibilityCheck,
      { type: "MARK_INELIGIBLE", actor: people.fundTeam, at, reason: "Lead is a fire authority." },
      { type: "REINSTATE", actor: people.fundTeam, at, reason: "The lead is the county council." },
    ]);
    expect(result.history.slice(-2)).toEqual(["ineligible", "eligible"]);
    expect((result.snapshot.context as unknown as BidContext).ineligibility).toBeNull();
  });

  it("can be withdrawn by the lead at any point before the decision", () => {
    const result = journey("bid", bidInput, [
      ...upTo.moderation,
      step.drawFundingLine,
      { type: "WITHDRAW", actor: people.leadOfficer, at, reason: "A partner pulled out." },
    ]);
    expect(result.to).toBe("withdrawn");
    expect(result.final).toBe(true);
  });
});

describe("submitting for certification", () => {
  const draft = () => startSnapshot("bid", bidInput);
  const request = (facts = submissionFacts(), when = at): BidEvent => ({
    type: "REQUEST_CERTIFICATION",
    actor: people.leadOfficer,
    at: when,
    facts,
  });
  const councils = submissionFacts().councils;

  it("is refused when a partner has not signed the Local Digital Declaration", () => {
    const facts = submissionFacts({ councils: councils.map((c, i) => (i === 1 ? { ...c, signedDeclaration: false } : c)) });
    expectRefused("bid", draft(), request(facts), "This bid cannot be submitted because: Newtown Council has not signed the Local Digital Declaration.");
  });

  it("does not need the declaration when the fund does not ask for it", () => {
    const rules = structuredClone(defaultFundRules);
    rules.eligibility.declarationRequired = false;
    const facts = submissionFacts({ rules, councils: councils.map((c) => ({ ...c, signedDeclaration: false })) });
    expect(applyEvent("bid", draft(), request(facts)).ok).toBe(true);
  });

  it("is refused after the round's deadline", () => {
    expectRefused(
      "bid",
      draft(),
      request(submissionFacts(), AFTER_DEADLINE),
      "This bid cannot be submitted because the round closed at midday on 3 March 2025.",
    );
  });

  it("is refused at the exact moment of the deadline", () => {
    expectRefused("bid", draft(), request(submissionFacts(), submissionFacts().deadline), /round closed/);
  });

  it("needs at least three councils including the lead", () => {
    expectRefused(
      "bid",
      draft(),
      request(submissionFacts({ councils: councils.slice(0, 2) })),
      "This bid cannot be submitted because: the partnership has 2 councils and needs at least 3, including the lead.",
    );
  });

  it("lets a combined authority lead but not a fire authority", () => {
    const leadAs = (kind: string) => submissionFacts({ councils: councils.map((c, i) => (i === 0 ? { ...c, name: "Leadshire", kind } : c)) });
    expect(applyEvent("bid", draft(), request(leadAs("combinedAuthority"))).ok).toBe(true);
    expectRefused(
      "bid",
      draft(),
      request(leadAs("fireAuthority")),
      "This bid cannot be submitted because: Leadshire is a fire authority, and fire authorities may only be partners.",
    );
  });

  it("lets a fire authority be a partner, and a fund change who may lead", () => {
    const withFire = councils.map((c, i) => (i === 2 ? { ...c, name: "Essex Fire", kind: "fireAuthority" } : c));
    expect(applyEvent("bid", draft(), request(submissionFacts({ councils: withFire }))).ok).toBe(true);
    const rules = structuredClone(defaultFundRules);
    rules.eligibility.leadKinds.push("fireAuthority");
    const fireLead = councils.map((c, i) => (i === 0 ? { ...c, kind: "fireAuthority" } : c));
    expect(applyEvent("bid", draft(), request(submissionFacts({ rules, councils: fireLead }))).ok).toBe(true);
  });

  it("refuses organisations that may not take part at all", () => {
    const withMinistry = councils.map((c, i) => (i === 2 ? { ...c, name: "MHCLG", kind: "ministry" } : c));
    expectRefused(
      "bid",
      draft(),
      request(submissionFacts({ councils: withMinistry })),
      "This bid cannot be submitted because: MHCLG is a government department, and government departments may not be partners.",
    );
  });

  it("refuses a council that already leads the most bids allowed in the round", () => {
    expect(applyEvent("bid", draft(), request(submissionFacts({ leadBidsInRound: 1 }))).ok).toBe(true);
    expectRefused(
      "bid",
      draft(),
      request(submissionFacts({ leadBidsInRound: 2 })),
      "This bid cannot be submitted because: Leadville Council already leads 2 other bids in this round, and a council may lead at most 2.",
    );
  });

  it("holds the amount to the stage's cap, or the round's own", () => {
    expect(applyEvent("bid", draft(), request(submissionFacts({ amountRequestedPence: 80_000_00 }))).ok).toBe(true);
    expectRefused(
      "bid",
      draft(),
      request(submissionFacts({ amountRequestedPence: 90_000_00 })),
      "This bid cannot be submitted because: the amount asked for, £90,000, is above the scan stage cap of £80,000.",
    );
    expect(applyEvent("bid", draft(), request(submissionFacts({ stage: "pilot", amountRequestedPence: 90_000_00 }))).ok).toBe(true);
    expectRefused(
      "bid",
      draft(),
      request(submissionFacts({ stage: "pilot", amountRequestedPence: 90_000_00, capPence: 50_000_00 })),
      /above the pilot stage cap of £50,000/,
    );
    expectRefused("bid", draft(), request(submissionFacts({ amountRequestedPence: 0 })), /must be more than £0/);
  });

  it("needs every section of the task list complete", () => {
    expectRefused(
      "bid",
      draft(),
      request(submissionFacts({ incompleteSections: ["Budget"] })),
      "This bid cannot be submitted because: the Budget section is not complete.",
    );
    expectRefused(
      "bid",
      draft(),
      request(submissionFacts({ incompleteSections: ["Budget", "Team", "Risks"] })),
      "This bid cannot be submitted because: these sections are not complete: Budget, Team and Risks.",
    );
  });

  it("lists every problem at once", () => {
    const facts = submissionFacts({
      councils: councils.slice(0, 2).map((c) => ({ ...c, signedDeclaration: c.role === "lead" })),
      amountRequestedPence: 100_000_00,
    });
    expectRefused(
      "bid",
      draft(),
      request(facts),
      "This bid cannot be submitted because: Newtown Council has not signed the Local Digital Declaration; the partnership has 2 councils and needs at least 3, including the lead; the amount asked for, £100,000, is above the scan stage cap of £80,000.",
    );
  });

  it("refuses facts about a different lead council", () => {
    const facts = submissionFacts({ councils: councils.map((c) => ({ ...c, role: "partner" as const })) });
    expectRefused("bid", draft(), request(facts), /the lead council is missing from the partnership/);
  });

  it("is for the lead council's officers only", () => {
    expectRefused("bid", draft(), { ...request(), actor: people.partnerOfficer }, "Only an officer of the lead council can send this bid for certification.");
    expectRefused("bid", draft(), { ...request(), actor: people.leadCertifier }, "Only an officer of the lead council can send this bid for certification.");
  });
});

describe("certification", () => {
  const awaiting = () => bidAt(upTo.awaitingCertification);

  it("is for the lead council's certifier only", () => {
    expectRefused("bid", awaiting(), { ...step.certify, actor: people.partnerCertifier }, "Only the lead council's certifier can certify this bid.");
    expectRefused("bid", awaiting(), { ...step.certify, actor: people.leadOfficer }, "Only the lead council's certifier can certify this bid.");
  });

  it("checks the partnership and the deadline again, because both can change while the certifier considers it", () => {
    const lapsed = submissionFacts({
      councils: submissionFacts().councils.map((c, i) => (i === 2 ? { ...c, signedDeclaration: false } : c)),
    });
    expectRefused(
      "bid",
      awaiting(),
      { ...step.certify, facts: lapsed },
      "This bid cannot be submitted because: Oldbury Council has not signed the Local Digital Declaration.",
    );
    expectRefused("bid", awaiting(), { ...step.certify, at: AFTER_DEADLINE }, /the round closed at midday on 3 March 2025/);
  });

  it("needs a reason to decline", () => {
    for (const reason of [undefined, "", "   "]) {
      expectRefused("bid", awaiting(), { type: "DECLINE_CERTIFICATION", actor: people.leadCertifier, at, reason }, "A reason is required to decline.");
    }
  });

  it("cannot happen to a draft, and a submitted bid cannot be sent again", () => {
    expectRefused("bid", startSnapshot("bid", bidInput), step.certify, "This bid is a draft, so it cannot be certified.");
    expectRefused("bid", bidAt(upTo.eligibilityCheck), step.requestCertification, "This bid has already been submitted.");
  });
});

describe("the fund team's steps", () => {
  it("are the fund team's alone", () => {
    expectRefused(
      "bid",
      bidAt([step.requestCertification, step.certify]),
      { ...step.beginEligibilityCheck, actor: people.leadOfficer },
      "Only the fund team can begin the eligibility check.",
    );
    expectRefused(
      "bid",
      bidAt([...upTo.moderation, step.drawFundingLine]),
      { ...step.publishDecision, actor: people.admin },
      "Only the fund team can publish the decision.",
    );
  });

  it("need reasons to mark ineligible, reinstate, ask for changes or return to moderation", () => {
    const checking = bidAt(upTo.eligibilityCheck);
    expectRefused("bid", checking, { type: "MARK_INELIGIBLE", actor: people.fundTeam, at, reason: " " }, "A reason is required to mark a bid ineligible.");
    expectRefused("bid", checking, { type: "REQUEST_CHANGES", actor: people.fundTeam, at, sections: ["budget"] }, "A reason is required to ask for changes.");
    expectRefused(
      "bid",
      checking,
      { type: "REQUEST_CHANGES", actor: people.fundTeam, at, reason: "Clarify the budget.", sections: [" "] },
      "Choose at least one section that needs changes.",
    );
    const ineligible = journey("bid", bidInput, [
      ...upTo.eligibilityCheck,
      { type: "MARK_INELIGIBLE", actor: people.fundTeam, at, reason: "Out of scope." },
    ]).snapshot;
    expectRefused("bid", ineligible, { type: "REINSTATE", actor: people.fundTeam, at }, "A reason is required to reinstate a bid.");
    const recommended = bidAt([...upTo.moderation, step.drawFundingLine]);
    expectRefused(
      "bid",
      recommended,
      { type: "REDRAW_FUNDING_LINE", actor: people.fundTeam, at, reason: "" },
      "A reason is required to return a bid to moderation.",
    );
  });

  it("start assessment only with the fund's number of assessors assigned", () => {
    const eligible = bidAt([...upTo.eligibilityCheck, step.markEligible]);
    expectRefused(
      "bid",
      eligible,
      { ...step.startAssessment, facts: { rules: defaultFundRules, assessorsAssigned: 1 } },
      "Assessment cannot start because 1 assessor is assigned and this fund needs 2.",
    );
    const fiveAssessors = structuredClone(defaultFundRules);
    fiveAssessors.assessment.assessorsPerBid = 5;
    expectRefused(
      "bid",
      eligible,
      { ...step.startAssessment, facts: { rules: fiveAssessors, assessorsAssigned: 3 } },
      "Assessment cannot start because 3 assessors are assigned and this fund needs 5.",
    );
  });

  it("begin moderation only when every assessment is in", () => {
    const assessing = bidAt(upTo.inAssessment);
    expectRefused(
      "bid",
      assessing,
      { ...step.beginModeration, facts: { ...scored, assessmentsSubmitted: 1, assessmentsOutstanding: 1 } },
      "Moderation cannot begin while 1 assessment is still outstanding.",
    );
    expectRefused(
      "bid",
      assessing,
      { ...step.beginModeration, facts: { ...scored, assessmentsSubmitted: 1, assessmentsOutstanding: 0 } },
      "Moderation cannot begin because 1 assessment has been submitted and this fund needs 2.",
    );
  });

  it("draw the funding line only on moderated scores", () => {
    expectRefused(
      "bid",
      bidAt(upTo.moderation),
      { ...step.drawFundingLine, facts: { ...aboveLine, unresolvedDisagreements: 2 } },
      "The funding line cannot be drawn for this bid because 2 criteria still need a consensus score.",
    );
  });

  it("cannot publish a decision before the funding line is drawn", () => {
    expectRefused("bid", bidAt(upTo.moderation), step.publishDecision, "This bid is in moderation, so it cannot be given a published decision.");
  });
});

describe("withdrawing", () => {
  const withdraw = (reason?: string): BidEvent => ({ type: "WITHDRAW", actor: people.leadOfficer, at, reason });

  it("needs a reason and the lead council", () => {
    expectRefused("bid", startSnapshot("bid", bidInput), withdraw(""), "A reason is required to withdraw a bid.");
    expectRefused(
      "bid",
      startSnapshot("bid", bidInput),
      { ...withdraw("We are leaving."), actor: people.partnerOfficer },
      "Only an officer of the lead council can withdraw this bid.",
    );
  });

  it("is impossible once the decision is published", () => {
    const funded = bidAt([...upTo.moderation, step.drawFundingLine, step.publishDecision]);
    expectRefused("bid", funded, withdraw("Too late?"), "A bid cannot be withdrawn once the decision is published.");
    const notFunded = bidAt([...upTo.moderation, { ...step.drawFundingLine, facts: { ...aboveLine, aboveLine: false } }, step.publishDecision]);
    expectRefused("bid", notFunded, withdraw("Too late?"), "A bid cannot be withdrawn once the decision is published.");
  });

  it("happens once", () => {
    const withdrawn = journey("bid", bidInput, [withdraw("Changed our minds.")]).snapshot;
    expect(withdrawn.context).toMatchObject({ withdrawal: { reason: "Changed our minds.", by: people.leadOfficer.userId } });
    expectRefused("bid", withdrawn, withdraw("Again."), "This bid has already been withdrawn.");
    expect(withdrawn.context.leadOrganisationId).toBe(LEAD);
  });
});
