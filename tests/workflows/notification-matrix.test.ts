import { describe, expect, it } from "vitest";
import { applyEvent, startSnapshot } from "../../workflows/index";
import { templates } from "../../emails/index";
import {
  notificationMatrix,
  notificationsFor,
  serviceEmails,
  silentEntriesFor,
  silentTransitions,
  type NotificationRow,
  type NotifiedKind,
} from "../../workflows/notification-matrix";
import { describeTransition, notifiedMachines, transitionsOf } from "../../workflows/transitions";
import { defaultFundRules } from "../../workflows/rules";
import { BEFORE_DEADLINE, bidInput, evidenceFor, fundingFor, journey, people, projectInput, submissionFacts } from "./support";

const summary = (rows: NotificationRow[]) => rows.map((r) => `${r.role}:${r.template}:${r.essential ? "essential" : "digest"}`);

describe("the notification matrix", () => {
  it("names only states and events that exist, and templates that exist", () => {
    for (const row of notificationMatrix) {
      const stageless = (s: string) => (row.machine === "project" ? s.replace(/^(scan|pilot|scale)_/, "") : s);
      const states = Object.keys(notifiedMachines[row.machine].root.states).map(stageless);
      const events = transitionsOf(row.machine).map((t) => t.event);
      if (/^[A-Z_]+$/.test(row.to)) expect(events, `${row.machine} has no event ${row.to}`).toContain(row.to);
      else expect(states, `${row.machine} has no state ${row.to}`).toContain(row.to);
      if (typeof row.from === "string") expect(states).toContain(row.from);
      expect(Object.keys(templates), `The matrix names "${row.template}", which is not in emails/index.ts`).toContain(row.template);
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
    expect(summary(notificationsFor("project", "pilot_inReview", "pilot_inReview", "VOTE"))).toEqual(["fundTeam:project-gate-vote-recorded:digest"]);
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
    expect(result.ok && result.notifications).toEqual(notificationsFor("bid", "draft", "awaitingCertification", "REQUEST_CERTIFICATION"));
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

const kinds = Object.keys(notifiedMachines) as NotifiedKind[];

const howToAdd = (t: ReturnType<typeof transitionsOf>[number]) => {
  const stageless = (s: string) => (t.machine === "project" ? s.replace(/^(scan|pilot|scale)_/, "") : s);
  const from = t.from === null ? "null" : JSON.stringify(stageless(t.from));
  return [
    `${describeTransition(t)} sends no email and is not listed as silent.`,
    `Add to workflows/notification-matrix.ts either a row that emails someone, e.g.`,
    // A change that stays put is named by its event; one that moves, by the state it enters.
    `  ...rows("${t.machine}", { to: ${JSON.stringify(t.from === t.to ? t.event : stageless(t.to))}${t.from === null ? ", from: null" : ""}, template: "<template in emails/index.ts>" }, { <role>: <essential> }),`,
    `or an entry in silentTransitions saying why nobody needs to hear of it:`,
    `  { machine: "${t.machine}", from: ${from}, event: ${t.event === null ? "null" : JSON.stringify(t.event)}, reason: "<why>" },`,
  ].join("\n");
};

describe("every change either emails someone or is silent on purpose", () => {
  it("finds the changes of every machine from its definition, including creation and choices", () => {
    const project = transitionsOf("project");
    expect(
      project
        .filter((t) => t.from === null)
        .map((t) => t.to)
        .sort(),
    ).toEqual(["pilot_delivering", "scale_delivering", "scan_delivering"]);
    expect(project).toContainEqual({ machine: "project", from: "pilot_inReview", event: "VOTE", to: "stopped" });
    expect(transitionsOf("assessment")).toContainEqual({ machine: "assessment", from: "scoring", event: "SAVE_DRAFT", to: "scoring" });
    expect(transitionsOf("adoption")).toContainEqual({ machine: "adoption", from: "planning", event: "MARK_LIVE", to: "live" });
    expect(transitionsOf("adoption")).not.toContainEqual({ machine: "adoption", from: "live", event: "MARK_LIVE", to: "live" });
  });

  for (const kind of kinds) {
    it(`covers every ${kind} transition`, () => {
      const missing = transitionsOf(kind).filter(
        (t) => notificationsFor(kind, t.from, t.to, t.event).length === 0 && silentEntriesFor(kind, t.from, t.event, t.to).length === 0,
      );
      expect(missing.map(howToAdd), missing.map(howToAdd).join("\n\n")).toEqual([]);
    });
  }

  it("lists as silent only changes that exist and send nothing, each with a reason", () => {
    for (const entry of silentTransitions) {
      const matched = transitionsOf(entry.machine).filter((t) => silentEntriesFor(entry.machine, t.from, t.event, t.to).includes(entry));
      expect(matched.length, `silent entry ${JSON.stringify(entry)} matches no transition of the ${entry.machine} machine`).toBeGreaterThan(0);
      for (const t of matched) {
        expect(notificationsFor(entry.machine, t.from, t.to, t.event), `${describeTransition(t)} is listed as silent but the matrix emails it`).toEqual([]);
      }
      expect(entry.reason.trim().length).toBeGreaterThan(10);
    }
  });

  it("accounts for every template: each is sent by the matrix or listed as one of the service's own emails", () => {
    const named = new Set([...notificationMatrix.map((r) => r.template), ...serviceEmails.map((e) => e.template)]);
    const unlisted = Object.keys(templates).filter((name) => !named.has(name));
    expect(unlisted, `Add these to the matrix or to serviceEmails in workflows/notification-matrix.ts: ${unlisted.join(", ")}`).toEqual([]);
    for (const email of serviceEmails)
      expect(Object.keys(templates), `serviceEmails names "${email.template}", which is not in emails/index.ts`).toContain(email.template);
    expect(serviceEmails.filter((e) => notificationMatrix.some((r) => r.template === e.template))).toEqual([]);
  });

  it("tells the lead when a partner answers, the invited council when invited, and the author about their case study", () => {
    expect(summary(notificationsFor("partnership", null, "invited", null))).toEqual(["invitedOfficer:bid-partner-invited:essential"]);
    expect(summary(notificationsFor("partnership", "declined", "invited", "INVITE"))).toEqual(["invitedOfficer:bid-partner-invited:essential"]);
    expect(summary(notificationsFor("partnership", "invited", "accepted", "ACCEPT"))).toEqual(["councilOfficer:bid-partner-answered:digest"]);
    expect(summary(notificationsFor("partnership", "invited", "declined", "DECLINE"))).toEqual(["councilOfficer:bid-partner-answered:essential"]);
    expect(summary(notificationsFor("adoption", "planning", "live", "MARK_LIVE"))).toEqual([
      "councilOfficer:adoption-updated:digest",
      "fundTeam:adoption-updated:digest",
    ]);
    expect(notificationsFor("adoption", "live", "live", "EDIT_NOTE")).toEqual([]);
    expect(summary(notificationsFor("adoption", null, "registered", null))).toEqual([
      "councilOfficer:adoption-registered:digest",
      "fundTeam:adoption-registered:digest",
    ]);
    expect(summary(notificationsFor("caseStudy", "inReview", "returned", "RETURN"))).toEqual(["author:case-study-returned:essential"]);
    expect(summary(notificationsFor("caseStudy", "inReview", "published", "PUBLISH"))).toEqual(["author:case-study-published:digest"]);
    expect(summary(notificationsFor("caseStudy", "returned", "inReview", "SUBMIT_FOR_REVIEW"))).toEqual(["fundTeam:case-study-submitted:essential"]);
    // A stopped project's lessons, drafted by its gate: one email each, not a "submitted" as well.
    expect(summary(notificationsFor("caseStudy", "draft", "inReview", "DRAFT_FROM_STOP"))).toEqual([
      "fundTeam:case-study-drafted-from-stop:essential",
      "councilOfficer:case-study-drafted-from-stop:digest",
    ]);
  });
});
