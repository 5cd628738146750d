import { stateLabel, type WorkflowKind } from "../../workflows/index.ts";
import { eventDetails } from "./event-details.ts";
import { changeEntries, historyOf, type HistoryRow } from "./record-changes.server.ts";
import type { TimelineEntry } from "./timeline-entry.ts";

export type { TimelineEntry };

// What happened, in words, for each event a person can cause.
const eventTitles: Record<string, string> = {
  CREATE: "Created",
  REQUEST_CERTIFICATION: "Asked the certifier to sign off",
  CERTIFY: "Signed off and submitted",
  DECLINE_CERTIFICATION: "Sign-off declined",
  BEGIN_ELIGIBILITY_CHECK: "Eligibility check started",
  MARK_ELIGIBLE: "Confirmed eligible",
  MARK_INELIGIBLE: "Found not eligible",
  REINSTATE: "Reinstated",
  REQUEST_CHANGES: "Changes requested",
  RESUBMIT: "Resubmitted",
  START_ASSESSMENT: "Assessment started",
  BEGIN_MODERATION: "Moderation started",
  DRAW_FUNDING_LINE: "Funding line drawn",
  REDRAW_FUNDING_LINE: "Funding line moved",
  PUBLISH_DECISION: "Decision published",
  WITHDRAW: "Withdrawn",
  ACCEPT: "Invitation accepted",
  DECLINE: "Invitation declined",
  DECLARE_INTERESTS: "Interests declared",
  START_SCORING: "Scoring started",
  SAVE_DRAFT: "Draft scores saved",
  SUBMIT_SCORES: "Scores submitted",
  RETURN_FOR_REWORK: "Returned for rework",
  CONFIRM_SCORES: "Scores confirmed",
  UNASSIGN: "Unassigned",
  PAUSE_FOR_CHANGES: "Paused while the council changes the bid",
  REOPEN_AFTER_CHANGES: "Reopened after the council's changes",
  REQUEST_GATE_REVIEW: "Gate review requested",
  RETURN_GATE_REQUEST: "Gate review request returned",
  OPEN_REVIEW: "Gate review opened",
  VOTE: "Gate vote recorded",
  SIGN_OFF_FINANCE: "Finance sign-off recorded",
  RECORD_CONDITION_MET: "Condition met",
  RECORD_LESSONS: "Lessons recorded",
};

export const eventTitle = (event: string) => eventTitles[event] ?? event.charAt(0) + event.slice(1).toLowerCase().replaceAll("_", " ");

/**
 * A record's history, newest first, in words. The route that calls this has already
 * decided the viewer may see the record; `audience` decides how much of the fund team's
 * internal progress is shown (applicants see "Decision pending", not moderation).
 */
export async function timelineFor(kind: WorkflowKind, recordId: string, audience: "staff" | "applicant"): Promise<TimelineEntry[]> {
  // A bid's partners answering belongs on the bid's own history: read with it.
  const rows = await historyOf(kind === "bid" ? ["bid", "partnership"] : [kind], recordId);
  const label = (state: string) => stateLabel(kind, state, { audience });
  const held = (state: string) => stateLabel(kind, state, { audience: "applicant" }) !== stateLabel(kind, state);
  const entries: TimelineEntry[] = [];
  const partnership: HistoryRow[] = [];
  for (const row of rows) {
    if (row.recordType !== kind) {
      partnership.push(row);
      continue;
    }
    // Reasons given while a decision is held (the funding line moved) stay with the fund team.
    const shown =
      audience === "staff" ||
      row.fromState === "" ||
      label(row.fromState) !== label(row.toState) ||
      (row.reason && !(held(row.fromState) && held(row.toState)));
    if (!shown) continue;
    entries.push({
      id: row.id,
      at: row.at,
      title: eventTitle(row.event),
      actor: row.actor,
      from: row.fromState ? label(row.fromState) : null,
      to: label(row.toState),
      reason: row.reason,
      details: eventDetails(row.payload),
    });
  }
  if (!partnership.length) return entries;
  return [...entries, ...changeEntries("partnership", partnership)].sort((a, b) => b.at.localeCompare(a.at) || b.id.localeCompare(a.id));
}
