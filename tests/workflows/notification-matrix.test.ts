import { describe, expect, it } from "vitest";
import { applyEvent, startSnapshot, statesOf, workflows } from "../../workflows/index";
import { notificationMatrix, notificationsFor, type NotificationRow } from "../../workflows/notification-matrix";
import { defaultFundRules } from "../../workflows/rules";
import { BEFORE_DEADLINE, bidInput, evidenceFor, fundingFor, journey, people, projectInput, submissionFacts } from "./support";

const summary = (rows: NotificationRow[]) => rows.map((r) => `${r.role}:${r.template}:${r.essential ? "essential" : "digest"}`);

describe("the notification matrix", () => {
  it("names only states and events that exist, and templates after their machine", () => {
    for (const row of notificationMatrix) {
      const definition = workflows[row.machine];
      const states = statesOf(row.machine).map((s) => (row.machine === "project" ? s.replace(/^(scan|pilot|scale)_/, "") : s));
      if (/^[A-Z_]+$/.test(row.to)) expect(definition.eventTypes as readonly string[]).toContain(row.to);
      else expect(states).toContain(row.to);
      if (typeof row.from === "string") expect(states).toContain(row.from);
      expect(row.template).toMatch(new RegExp(`^${row.machine}-[a-z]+(-[a-z]+)*$`));
    }
  });

  it("tells the certifier when certification is asked for, and the officers when it is declined", () => {
    expect(summary(notificationsFor("bid", "draft", "awaitingCertification", "REQUEST_CERTIFICATION"))).toEqual([
      "certifier:bid-certification-requested:essential",
    ]);
    expect(summary(notificationsFor("bid", "awaitingCertification", "draft", { type: "DECLINE_CERTIFICATION" }))).toEqual([
      "councilOfficer:bid-certification-declined:essential",
    ]);
  });

  it("tells the partnership and the fund team when a bid is submitted", () => {
    expect(summary(notificationsFor("bid", "awaitingCertification", "submitted", "CERTIFY"))).toEqual([
      "councilOfficer:bid-submitted:essential",
      "partnerOfficer:bid-submitted:essential",
      "certifier:bid-submitted:digest",
      "fundTeam:bid-submitted:digest",
    ]);
  });

  it("says nothing to bidders while a decision is held, then tells them together", () => {
    expect(notificationsFor("bid", "moderation", "recommended", "DRAW_FUNDING_LINE")).toEqual([]);
    expect(notificationsFor("bid", "moderation", "notRecommended", "DRAW_FUNDING_LINE")).toEqual([]);
    expect(summary(notificationsFor("bid", "recommended", "funded", "PUBLISH_DECISION"))).toEqual([
      "councilOfficer:bid-decision-funded:essential",
      "partnerOfficer:bid-decision-funded:essential",
      "certifier:bid-decision-funded:digest",
    ]);
    expect(notificationsFor("bid", "notRecommended", "notFunded", "PUBLISH_DECISION").map((r) => r.template)).toEqual([
      "bid-decision-not-funded",
      "bid-decision-not-funded",
      "bid-decision-not-funded",
    ]);
  });

  it("tells assessors about a withdrawal only if the bid was with them", () => {
    const roles = (from: string) => notificationsFor("bid", from, "withdrawn", "WITHDRAW").map((r) => r.role);
    expect(roles("inAssessment")).toContain("assessor");
    expect(roles("draft")).not.toContain("assessor");
    expect(roles("draft")).toEqual(["fundTeam", "partnerOfficer", "councilOfficer"]);
  });

  it("invites the assessor when an assessment is created", () => {
    expect(summary(notificationsFor("assessment", null, "invited", null))).toEqual(["assessor:assessment-invited:essential"]);
  });

  it("sends nothing for a transition that stays put, unless the event itself is in the matrix", () => {
    expect(notificationsFor("assessment", "scoring", "scoring", "SAVE_DRAFT")).toEqual([]);
    expect(summary(notificationsFor("project", "pilot_inReview", "pilot_inReview", "VOTE"))).toEqual([
      "fundTeam:project-gate-vote-recorded:digest",
    ]);
  });

  it("matches project states whatever their stage", () => {
    expect(notificationsFor("project", "pilot_delivering", "pilot_gateRequested", "REQUEST_GATE_REVIEW").map((r) => r.template)).toEqual([
      "project-gate-review-requested",
      "project-gate-review-requested",
    ]);
    const decision = notificationsFor("project", "pilot_inReview", "scale_delivering", "VOTE");
    expect(summary(decision)).toEqual([
      "fundTeam:project-gate-vote-recorded:digest",
      "councilOfficer:project-gate-decision:essential",
      "partnerOfficer:project-gate-decision:essential",
      "gateApprover:project-gate-decision:digest",
      "fundTeam:project-gate-decision:digest",
    ]);
    const returned = notificationsFor("project", "scan_gateRequested", "scan_delivering", "RETURN_GATE_REQUEST");
    expect(summary(returned)).toEqual(["councilOfficer:project-gate-request-returned:essential"]);
    const finished = notificationsFor("project", "scale_inReview", "completed", "SIGN_OFF_FINANCE").map((r) => r.template);
    expect(finished).toContain("project-gate-decision");
    expect(finished).toContain("project-completed");
    expect(summary(notificationsFor("project", null, "pilot_delivering", null))).toEqual([
      "councilOfficer:project-started:essential",
      "partnerOfficer:project-started:essential",
    ]);
  });

  it("comes back from applyEvent for each transition", () => {
    const result = applyEvent("bid", startSnapshot("bid", bidInput), {
      type: "REQUEST_CERTIFICATION",
      actor: people.leadOfficer,
      at: BEFORE_DEADLINE,
      facts: submissionFacts(),
    });
    expect(result.ok && result.notifications).toEqual(
      notificationsFor("bid", "draft", "awaitingCertification", "REQUEST_CERTIFICATION"),
    );
    const review = journey("project", projectInput, [
      {
        type: "REQUEST_GATE_REVIEW",
        actor: people.leadOfficer,
        at: BEFORE_DEADLINE,
        facts: { rules: defaultFundRules, cumulativeFundingPence: fundingFor[1]!, evidenceKeys: evidenceFor(1) },
      },
    ]);
    expect(review.notifications.map((r) => r.role)).toEqual(["fundTeam", "councilOfficer"]);
  });
});
