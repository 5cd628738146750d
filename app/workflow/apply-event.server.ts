import type { SignedInUser } from "~/auth/session.server.ts";
import { db } from "~/db/database.server.ts";
import { env } from "~/env.server.ts";
import type { Prisma } from "~/generated/prisma/client.ts";
import { enqueueEmail } from "~/mail/outbox.server.ts";
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
import { recipientsFor } from "./recipients.server.ts";
import { recordTables, type Tx } from "./records.server.ts";

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
  /** Replaceable for tests that prove a failure part-way leaves nothing behind. */
  enqueue?: typeof enqueueEmail;
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
 */
export async function applyWorkflowEvent<K extends WorkflowKind>(
  kind: K,
  recordId: string,
  event: WorkflowEvent<K>,
  options: ApplyOptions = {},
): Promise<ApplyOutcome> {
  const table = recordTables[kind];
  const record = await table.load(db(), recordId);
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

  const enqueue = options.enqueue ?? enqueueEmail;
  try {
    return await db().$transaction(async (tx) => {
      const won = await table.write(tx, recordId, record.version, { state: result.to, snapshot: result.snapshot });
      if (won !== 1) throw new Conflict();
      const accepted = result.event as { type: string; actor: Actor; at: string; reason?: string } & Record<string, unknown>;
      const history = await tx.transitionHistory.create({
        data: {
          recordType: kind,
          recordId,
          fromState: result.from,
          toState: result.to,
          event: accepted.type,
          actorUserId: accepted.actor.userId,
          actorRole: accepted.actor.role,
          reason: accepted.reason?.trim() || null,
          payload: historyPayload(accepted),
          at: new Date(accepted.at),
        },
        select: { id: true },
      });
      const sent = await notify(tx, kind, recordId, result.notifications, {
        title: record.title,
        reference: record.reference,
        link: new URL(table.path(recordId), env().APP_URL).toString(),
        actor: options.actorName ?? (await actorName(tx, accepted.actor.userId)),
        reason: accepted.reason?.trim() || null,
        details: details(accepted),
        transitionId: history.id,
        enqueue,
      });
      return { ok: true as const, from: result.from, to: result.to, version: record.version + 1, historyId: history.id, notifications: sent };
    });
  } catch (error) {
    if (error instanceof Conflict) return { ok: false, code: "conflict", reason: CHANGED_BY_SOMEONE_ELSE };
    throw error;
  }
}

/**
 * For code that creates a workflow record: the history row and emails for entering the
 * machine's initial state. Call it in the transaction that inserts the record.
 */
export async function recordCreation(
  tx: Tx,
  kind: WorkflowKind,
  record: { id: string; title: string; reference: string; snapshot: PersistedSnapshot },
  actor: Actor & { name: string },
  at: Date,
) {
  const state = stateOf(record.snapshot);
  const history = await tx.transitionHistory.create({
    data: { recordType: kind, recordId: record.id, fromState: "", toState: state, event: "CREATE", actorUserId: actor.userId, actorRole: actor.role, at },
    select: { id: true },
  });
  await notify(tx, kind, record.id, notificationsFor(kind, null, state, null), {
    title: record.title,
    reference: record.reference,
    link: new URL(recordTables[kind].path(record.id), env().APP_URL).toString(),
    actor: actor.name,
    reason: null,
    details: [],
    transitionId: history.id,
    enqueue: enqueueEmail,
  });
  return history.id;
}

async function notify(
  tx: Tx,
  kind: WorkflowKind,
  recordId: string,
  rows: NotificationRow[],
  message: Omit<WorkflowEmailData, "name"> & { transitionId: string; enqueue: typeof enqueueEmail },
): Promise<number> {
  let count = 0;
  // One email per person per template, however many of their roles a row names.
  const sent = new Set<string>();
  for (const row of rows) {
    for (const recipient of await recipientsFor(tx, kind, recordId, row.role)) {
      const key = `${row.template}:${recipient.userId}`;
      if (sent.has(key)) continue;
      sent.add(key);
      const data: WorkflowEmailData = {
        name: recipient.name,
        title: message.title,
        reference: message.reference,
        link: message.link,
        actor: message.actor,
        reason: message.reason,
        details: message.details,
      };
      await message.enqueue(tx, {
        template: row.template,
        to: recipient.email,
        userId: recipient.userId,
        transitionId: message.transitionId,
        data: data as unknown as Record<string, unknown>,
      });
      count++;
    }
  }
  return count;
}

async function actorName(tx: Tx, userId: string): Promise<string> {
  const user = await tx.user.findUnique({ where: { id: userId }, select: { name: true } });
  return user?.name ?? "Someone";
}

/** What the event carried besides who and when: recorded so the timeline can explain it. */
function historyPayload(event: Record<string, unknown>): Prisma.InputJsonValue {
  const { type: _type, actor: _actor, at: _at, reason: _reason, facts, ...rest } = event;
  const payload: Record<string, unknown> = { ...rest };
  if (facts && typeof facts === "object") {
    // The fund's whole rule set is already held on the fund; keep the facts that decided this.
    const { rules: _rules, ...decisive } = facts as Record<string, unknown>;
    payload.facts = decisive;
  }
  return JSON.parse(JSON.stringify(payload)) as Prisma.InputJsonValue;
}

function details(event: Record<string, unknown>): string[] {
  const lines: string[] = [];
  if (Array.isArray(event.sections) && event.sections.length) lines.push(`Sections reopened: ${event.sections.join(", ")}`);
  if (typeof event.message === "string" && event.message.trim()) lines.push(event.message.trim());
  if (typeof event.outcome === "string") lines.push(`Vote: ${event.outcome}`);
  if (typeof event.lessons === "string" && event.lessons.trim()) lines.push(`Lessons: ${event.lessons.trim()}`);
  return lines;
}
