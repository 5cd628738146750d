import { randomUUID } from "node:crypto";
import { jsonColumn } from "~/db/json.server.ts";
import { database, sqlIn, type SqlQuery } from "~/db/database.server.ts";
import { composeEmail } from "~/mail/outbox.server.ts";
import type { ComposedEmail } from "~/mail/sql.server.ts";
import { insertEmails } from "~/mail/sql.server.ts";
import { transitionWritten } from "~/observability/transition.server.ts";
import { lifecycleInitialState, lifecycles, lifecycleTarget, type LifecycleKind } from "../../workflows/lifecycles.ts";
import { notificationsFor, type NotificationRow, type RecipientRole } from "../../workflows/notification-matrix.ts";
import { type Tx } from "./records.server.ts";
import { councilOfficers, fundTeam, insertChangeHistory, personById, type PersonRow } from "./sql.server.ts";
import type { TimelineEntry } from "./timeline-entry.ts";

// Changes to a partnership, an adoption or a case study: written to the same history as the
// workflow records' transitions (so they show on timelines), and emailed as the notification
// matrix says, in the caller's transaction, so the change, its history and its emails are
// kept together or not at all.

export interface RecordChange {
  /** The event, as the record's machine in workflows/lifecycles.ts names it; null on creation. */
  event: string | null;
  from: string | null;
  to: string;
  reason?: string | null;
  /** What changed, in words, for the timeline: "Savings so far: £12,500 (was £0)". */
  details?: string[];
}

export interface ChangeSubject {
  kind: LifecycleKind;
  /** The history's record id: the bid (partnership), the adoption or the case study. */
  recordId: string;
  /** Whose officers `councilOfficer` means: the bid's or project's lead council. */
  leadOrganisationId: string;
  /** Whose officers `invitedOfficer` means: the council a partnership change is about. */
  invitedOrganisationId?: string;
  /** Who `author` means; when unknown (written before authors were recorded), the lead's officers. */
  authorUserId?: string | null;
  /** Kept with each history row, for the timeline (the council's name, say). */
  payload?: Record<string, unknown>;
}

export interface ChangeActor {
  /** Null for a change the service makes itself (a case study drafted from a stop decision). */
  userId: string | null;
  role: string | null;
}

async function peopleFor(sql: SqlQuery, role: RecipientRole, subject: ChangeSubject): Promise<PersonRow[]> {
  switch (role) {
    case "councilOfficer":
      return councilOfficers(sql, subject.leadOrganisationId);
    case "invitedOfficer":
      return subject.invitedOrganisationId ? councilOfficers(sql, subject.invitedOrganisationId) : [];
    case "fundTeam":
      return fundTeam(sql);
    case "author":
      return subject.authorUserId ? personById(sql, subject.authorUserId) : councilOfficers(sql, subject.leadOrganisationId);
    default:
      throw new Error(`The notification matrix names ${role} for a ${subject.kind}, which has no such people.`);
  }
}

type DataFor = (template: string, recipient: { name: string }, changes: RecordChange[]) => Record<string, unknown>;

/**
 * Writes the history row for each change and the emails the matrix names for them. One
 * person gets one email per template, however many of the changes name it (a save that
 * changes an adoption's status and savings is one email); `dataFor` fills it, knowing
 * which of the changes it reports.
 */
export async function recordChanges(
  tx: Tx,
  subject: ChangeSubject,
  actor: ChangeActor,
  changes: RecordChange[],
  dataFor: DataFor,
  at = new Date(),
): Promise<{ historyIds: string[]; emails: ComposedEmail[] }> {
  return recordChangesInSql(sqlIn(tx), subject, actor, changes, dataFor, at);
}

/**
 * recordChanges for code that holds only the engine's SQL: a change made inside a workflow
 * record's transition (a case study drafted by the gate decision that stopped its project).
 * recordChanges writes through this too, so history rows are written one way.
 */
export async function recordChangesInSql(
  sql: SqlQuery,
  subject: ChangeSubject,
  actor: ChangeActor,
  changes: RecordChange[],
  dataFor: DataFor,
  at = new Date(),
): Promise<{ historyIds: string[]; emails: ComposedEmail[] }> {
  const { kind } = subject;
  const historyIds: string[] = [];
  const named: { row: NotificationRow; change: RecordChange; historyId: string }[] = [];
  for (const [index, change] of changes.entries()) {
    const allowed =
      change.from === null
        ? change.event === null && change.to === lifecycleInitialState(kind)
        : lifecycleTarget(kind, change.from, change.event ?? "") === change.to;
    if (!allowed)
      throw new Error(`A ${lifecycles[kind].noun} cannot go from ${change.from ?? "nothing"} to ${change.to} by ${change.event ?? "being created"}.`);
    const historyId = randomUUID();
    // A millisecond apart, so the timeline (newest first, by time) keeps the changes' order:
    // these ids, unlike Prisma's, do not sort by when they were made.
    const when = new Date(at.getTime() + index).toISOString();
    await insertChangeHistory(sql, {
      id: historyId,
      recordType: subject.kind,
      recordId: subject.recordId,
      fromState: change.from ?? "",
      toState: change.to,
      event: change.event ?? "CREATE",
      actorUserId: actor.userId,
      actorRole: actor.role,
      reason: change.reason?.trim() || null,
      payload: { ...subject.payload, details: change.details ?? [] },
      at: when,
    });
    historyIds.push(historyId);
    // Written in the caller's transaction: if that rolls back, the request's line says it failed.
    transitionWritten({ machine: kind, recordId: subject.recordId, from: change.from, to: change.to, event: change.event ?? "CREATE" });
    for (const row of notificationsFor(kind, change.from, change.to, change.event)) named.push({ row, change, historyId });
  }

  const people = new Map<RecipientRole, PersonRow[]>();
  for (const role of new Set(named.map((n) => n.row.role))) people.set(role, await peopleFor(sql, role, subject));
  const emails: ComposedEmail[] = [];
  const sent = new Set<string>();
  for (const { row, historyId } of named) {
    const reported = named.filter((n) => n.row.template === row.template).map((n) => n.change);
    for (const person of people.get(row.role) ?? []) {
      const key = `${row.template}:${person.id}`;
      if (sent.has(key)) continue;
      sent.add(key);
      emails.push(
        composeEmail(
          {
            template: row.template,
            to: person.email,
            userId: person.id,
            transitionId: historyId,
            essential: row.essential,
            data: dataFor(row.template, person, [...new Set(reported)]),
          },
          person.emailPreference,
        ),
      );
    }
  }
  await insertEmails(sql, emails);
  return { historyIds, emails };
}

const titles: Record<LifecycleKind, Record<string, (payload: Record<string, unknown>) => string>> = {
  partnership: {
    CREATE: (p) => `${p.council} invited to be a partner`,
    INVITE: (p) => `${p.council} invited again`,
    ACCEPT: (p) => `${p.council} accepted the invitation`,
    DECLINE: (p) => `${p.council} declined the invitation`,
    REMOVE: (p) => `${p.council} taken off the bid`,
  },
  adoption: {
    CREATE: () => "Registered to adopt",
    MARK_REGISTERED: () => "Status changed",
    MARK_PLANNING: () => "Status changed",
    MARK_LIVE: () => "Went live",
    MARK_STOPPED: () => "Stopped adopting",
    CHANGE_GO_LIVE_DATE: () => "Go-live date changed",
    CHANGE_SAVINGS: () => "Savings changed",
    EDIT_NOTE: () => "Note changed",
  },
  caseStudy: {
    CREATE: () => "Case study started",
    SAVE_DRAFT: () => "Draft saved",
    SUBMIT_FOR_REVIEW: () => "Sent to the fund team for review",
    DRAFT_FROM_STOP: () => "Drafted from the stop decision and sent to the fund team for review",
    RETURN: () => "Returned to the project team",
    PUBLISH: () => "Published in the knowledge hub",
  },
};

export interface HistoryRow {
  id: string;
  recordType: string;
  fromState: string;
  toState: string;
  event: string;
  reason: string | null;
  payload: Record<string, unknown>;
  /** ISO 8601, UTC, to the millisecond. */
  at: string;
  /** "Name, Council", or "Springboard" for the service itself. */
  actor: string;
}

/**
 * A record's history rows under each of `recordTypes` (a bid's own and its partnership's),
 * newest first, at most 200 of each, with who made each change: one prepared statement,
 * where it was a query for each type and one more for the people named. Workflow timelines
 * (timeline.server.ts) and the smaller records' below both read it so.
 */
export async function historyOf(recordTypes: readonly string[], recordId: string): Promise<HistoryRow[]> {
  const { rows } = await database().sql<Omit<HistoryRow, "payload"> & { payload: unknown }>(
    `SELECT h.id, h."recordType", h."fromState", h."toState", h.event, h.reason, h.payload,
       to_char(h.at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
       CASE WHEN o.id IS NULL THEN 'Springboard' ELSE u.name || ', ' || o.name END AS actor
     FROM unnest($1::text[]) AS kind(type)
     CROSS JOIN LATERAL (
       SELECT * FROM "TransitionHistory" WHERE "recordType" = kind.type AND "recordId" = $2 ORDER BY at DESC, id DESC LIMIT 200
     ) h
     LEFT JOIN "User" u ON u.id = h."actorUserId"
     LEFT JOIN "Organisation" o ON o.id = u."organisationId"
     ORDER BY h.at DESC, h.id DESC`,
    [recordTypes, recordId],
    "history_of",
  );
  return rows.map((row) => ({ ...row, payload: jsonColumn<Record<string, unknown> | null>(row.payload) ?? {} }));
}

/** A lifecycle record's history rows (historyOf) in the shape of a workflow record's timeline. */
export function changeEntries(kind: LifecycleKind, rows: readonly HistoryRow[]): TimelineEntry[] {
  const label = (state: string) => lifecycles[kind].states[state]?.label ?? state;
  return rows.map((row) => {
    const details = Array.isArray(row.payload.details) ? row.payload.details.filter((d): d is string => typeof d === "string") : [];
    return {
      id: row.id,
      at: row.at,
      title: titles[kind][row.event]?.(row.payload) ?? row.event,
      actor: row.actor,
      from: row.fromState ? label(row.fromState) : null,
      to: label(row.toState),
      reason: row.reason,
      details,
    };
  });
}

/** The history of these records, newest first, in the same shape as a workflow record's timeline. */
export async function changeTimeline(kind: LifecycleKind, recordId: string): Promise<TimelineEntry[]> {
  return changeEntries(kind, await historyOf([kind], recordId));
}

/** Who last sent a case study for review: its author, for the fund team's answer. */
export async function caseStudyAuthor(tx: Tx, caseStudyId: string): Promise<string | null> {
  const row = await tx.transitionHistory.findFirst({
    where: { recordType: "caseStudy", recordId: caseStudyId, event: "SUBMIT_FOR_REVIEW" },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    select: { actorUserId: true },
  });
  return row?.actorUserId ?? null;
}
