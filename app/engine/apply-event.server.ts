import { randomUUID } from "node:crypto";
import type { SignedInUser } from "~/auth/session.server.ts";
import { database, sqlIn, type SqlQuery } from "~/db/database.server.ts";
import { env } from "~/env.server.ts";
import { composeEmail } from "~/mail/outbox.server.ts";
import type { ComposedEmail } from "~/mail/sql.server.ts";
import { insertEmails } from "~/mail/sql.server.ts";
import { transitionWritten } from "~/observability/transition.server.ts";
import {
  applyEvent,
  notificationsFor,
  stateOf,
  workflows,
  WorkflowContractError,
  type Actor,
  type NotificationRow,
  type PersistedSnapshot,
  type WorkflowEvent,
  type WorkflowKind,
} from "../../workflows/index.ts";
import type { WorkflowEmailData } from "../../emails/workflow.ts";
import type { RecipientRole } from "../../workflows/notification-matrix.ts";
import { transitionsOf } from "../../workflows/transitions.ts";
import { eventDetails } from "./event-details.ts";
import { recipientsFor } from "./recipients.server.ts";
import type { Partnership } from "./sql.server.ts";
import { loadRecord, recordPath, type StoredRecord, type Tx } from "./records.server.ts";
import { insertCreationHistory, writeTransition } from "./sql.server.ts";

export const CHANGED_BY_SOMEONE_ELSE =
  "This record was changed by someone else while you were looking at it. Nothing you did has been saved yet: check the latest version below and try again.";

export type ApplyOutcome =
  | { ok: true; from: string; to: string; version: number; historyId: string; notifications: number }
  | { ok: false; code: "refused" | "conflict" | "not-found"; reason: string };

export interface ApplyOptions {
  /** The version the person saw; if the record has moved on since, the event is refused. */
  expectedVersion?: number;
  /** Who acted, by name, for emails (the actor in the event carries only ids). */
  actorName?: string;
  /**
   * More writes that belong to this transition (a confirmation email, say), run inside its
   * transaction after the engine's own writes and before the commit: if it throws, nothing
   * of the transition is kept.
   */
  alsoInTransaction?: (sql: SqlQuery, change: { transitionId: string; from: string; to: string }) => Promise<void>;
  /**
   * More emails that belong to this transition (the submission confirmation, say), composed
   * before the write and written by the same statement as the engine's own, so no explicit
   * transaction is needed: if it throws, nothing of the transition is written.
   */
  alsoEmails?: (sql: SqlQuery, change: { transitionId: string; from: string; to: string }) => Promise<ComposedEmail[]>;
}

/** The workflow actor for a signed-in user. */
export function actorOf(user: SignedInUser): Actor {
  return { userId: user.id, role: user.role, organisationId: user.organisation.id, senior: user.senior };
}

class Conflict extends Error {}

/**
 * The one way a workflow record changes state. Loads the record, restores its machine,
 * asks whether the event is allowed (a refusal comes back as a sentence), computes the
 * next state with XState's pure `transition`, then in one transaction: compare-and-set
 * the record on its version, write a history row, and write one outbox row per person
 * the notification matrix names. Either all of that is written or none of it.
 *
 * It talks to the database in SQL rather than through Prisma: this is the hottest write
 * path in the service, and Prisma's per-query cost dominated it (docs/decisions/0007).
 */
export async function applyWorkflowEvent<K extends WorkflowKind>(
  kind: K,
  recordId: string,
  event: WorkflowEvent<K>,
  options: ApplyOptions = {},
): Promise<ApplyOutcome> {
  const db = database();
  // The people this event's emails could go to are read with the record, so the write follows
  // at once; a role the event cannot reach is read for nothing, but never one it needs.
  const record = await loadRecord(db.sql, kind, recordId, {
    roles: rolesFor(kind, (event as { type: string }).type),
    actorUserId: options.actorName ? null : (((event as { actor?: { userId?: unknown } }).actor?.userId as string | undefined) ?? null),
  });
  if (!record) return { ok: false, code: "not-found", reason: `There is no such ${workflows[kind].noun}.` };
  if (options.expectedVersion !== undefined && options.expectedVersion !== record.version) {
    return { ok: false, code: "conflict", reason: CHANGED_BY_SOMEONE_ELSE };
  }
  if (record.machineVersion !== workflows[kind].version) {
    throw new WorkflowContractError(
      `${kind} ${recordId} was stored by machine version ${record.machineVersion}; this code runs version ${workflows[kind].version}. Migrate stored snapshots before deploying.`,
    );
  }
  const result = applyEvent(kind, record.snapshot, event);
  if (!result.ok) return { ok: false, code: "refused", reason: result.reason };

  const accepted = result.event as { type: string; actor: Actor; at: string; reason?: string } & Record<string, unknown>;
  const reason = accepted.reason?.trim() || null;
  // One statement writes the state, history and emails together (writeTransition), so it
  // is atomic on its own; an explicit transaction is needed only for extra writes.
  const inTransaction = <T>(fn: (sql: SqlQuery) => Promise<T>) => (options.alsoInTransaction ? db.sqlTransaction(fn) : fn(db.sql));
  try {
    const outcome = await inTransaction(async (sql) => {
      const historyId = randomUUID();
      const notifications = () =>
        composeNotifications(sql, kind, recordId, record.partnership, result.notifications, accepted.actor.userId, record.people, {
          title: record.title,
          reference: record.reference,
          link: new URL(recordPath(kind, recordId), env().APP_URL).toString(),
          actor: options.actorName ?? null,
          reason,
          details: eventDetails(accepted),
          transitionId: historyId,
        });
      const extras = async () => (options.alsoEmails ? options.alsoEmails(sql, { transitionId: historyId, from: result.from, to: result.to }) : []);
      // Outside an explicit transaction the two reads are independent statements, so on
      // PostgreSQL they go out together on two pooled connections; inside one, in turn.
      const [emails, extra] = options.alsoInTransaction ? [await notifications(), await extras()] : await Promise.all([notifications(), extras()]);
      const history = {
        id: historyId,
        from: result.from,
        to: result.to,
        event: accepted.type,
        actorUserId: accepted.actor.userId,
        actorRole: accepted.actor.role,
        reason,
        payload: historyPayload(accepted),
        at: new Date(accepted.at),
      };
      const written = extra.length ? [...emails, ...extra] : emails;
      if (!(await writeTransition(sql, kind, recordId, record.version, { state: result.to, snapshot: result.snapshot }, history, written))) {
        throw new Conflict();
      }
      await options.alsoInTransaction?.(sql, { transitionId: historyId, from: result.from, to: result.to });
      return { ok: true as const, from: result.from, to: result.to, version: record.version + 1, historyId, notifications: emails.length };
    });
    // Committed: only a transition that was kept is logged and counted.
    transitionWritten({ machine: kind, recordId, from: result.from, to: result.to, event: accepted.type });
    return outcome;
  } catch (error) {
    if (error instanceof Conflict) return { ok: false, code: "conflict", reason: CHANGED_BY_SOMEONE_ELSE };
    throw error;
  }
}

/**
 * For code that creates a workflow record: the history row and emails for entering the
 * machine's initial state. Call it with the Prisma transaction that inserted the record; it
 * writes the same rows as recordCreationInSql, over that transaction's connection.
 */
export async function recordCreation(
  tx: Tx,
  kind: WorkflowKind,
  record: { id: string; title: string; reference: string; snapshot: PersistedSnapshot },
  actor: Actor & { name: string },
  at: Date,
) {
  return recordCreationInSql(sqlIn(tx), kind, record, actor, at);
}

/**
 * recordCreation for code that holds only the engine's SQL: a record created inside another
 * record's transition (a project made by publishing its bid's decision, in alsoInTransaction).
 */
export async function recordCreationInSql(
  sql: SqlQuery,
  kind: WorkflowKind,
  record: { id: string; title: string; reference: string; snapshot: PersistedSnapshot },
  actor: Actor & { name: string },
  at: Date,
) {
  const state = stateOf(record.snapshot);
  const stored = await loadRecord(sql, kind, record.id);
  if (!stored) throw new Error(`recordCreationInSql: insert ${kind} ${record.id} first, in the same transaction`);
  const historyId = randomUUID();
  await insertCreationHistory(sql, { id: historyId, kind, recordId: record.id, state, actorUserId: actor.userId, actorRole: actor.role, at });
  const emails = await composeNotifications(sql, kind, record.id, stored.partnership, notificationsFor(kind, null, state, null), actor.userId, undefined, {
    title: record.title,
    reference: record.reference,
    link: new URL(recordPath(kind, record.id), env().APP_URL).toString(),
    actor: actor.name,
    reason: null,
    details: [],
    transitionId: historyId,
  });
  await insertEmails(sql, emails);
  // Written in the caller's transaction: if that rolls back, the request's line says it failed.
  transitionWritten({ machine: kind, recordId: record.id, from: null, to: state, event: "CREATE" });
  return historyId;
}

/** One rendered email per person per template the matrix names for this transition. */
async function composeNotifications(
  sql: SqlQuery,
  kind: WorkflowKind,
  recordId: string,
  partnership: Partnership,
  rows: NotificationRow[],
  actorUserId: string,
  preloaded: StoredRecord["people"],
  message: Omit<WorkflowEmailData, "name" | "actor"> & { actor: string | null; transitionId: string },
): Promise<ComposedEmail[]> {
  if (!rows.length) return [];
  const roles = [...new Set(rows.map((row) => row.role))];
  const { byRole, actorName } = await recipientsFor(sql, kind, recordId, roles, partnership, message.actor ? null : actorUserId, preloaded);
  const emails: ComposedEmail[] = [];
  const sent = new Set<string>();
  for (const row of rows) {
    for (const recipient of byRole.get(row.role) ?? []) {
      const key = `${row.template}:${recipient.userId}`;
      if (sent.has(key)) continue;
      sent.add(key);
      const data: WorkflowEmailData = {
        name: recipient.name,
        title: message.title,
        reference: message.reference,
        link: message.link,
        actor: message.actor ?? actorName ?? "Someone",
        reason: message.reason,
        details: message.details,
      };
      emails.push(
        composeEmail(
          {
            template: row.template,
            to: recipient.email,
            userId: recipient.userId,
            transitionId: message.transitionId,
            essential: row.essential,
            data: data as unknown as Record<string, unknown>,
          },
          recipient.preference,
        ),
      );
    }
  }
  return emails;
}

/**
 * Every role the notification matrix could name for an event of this type, over every way the
 * machine can take it (from any state, to any target): worked out once per kind and event.
 */
const foreseenRoles = new Map<string, RecipientRole[]>();
function rolesFor(kind: WorkflowKind, eventType: string): RecipientRole[] {
  const key = `${kind}:${eventType}`;
  let roles = foreseenRoles.get(key);
  if (!roles) {
    const found = new Set<RecipientRole>();
    for (const t of transitionsOf(kind)) {
      if (t.event === eventType) for (const row of notificationsFor(kind, t.from, t.to, eventType)) found.add(row.role);
    }
    roles = [...found].sort();
    foreseenRoles.set(key, roles);
  }
  return roles;
}

/** What the event carried besides who and when: recorded so the timeline can explain it. */
function historyPayload(event: Record<string, unknown>): Record<string, unknown> {
  const { type: _type, actor: _actor, at: _at, reason: _reason, facts, ...rest } = event;
  const payload: Record<string, unknown> = { ...rest };
  if (facts && typeof facts === "object") {
    // The fund's whole rule set is already held on the fund; keep the facts that decided this.
    const { rules: _rules, ...decisive } = facts as Record<string, unknown>;
    payload.facts = decisive;
  }
  return JSON.parse(JSON.stringify(payload)) as Record<string, unknown>;
}
