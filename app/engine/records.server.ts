import type { SqlQuery } from "~/db/database.server.ts";
import type { Prisma, PrismaClient } from "~/generated/prisma/client.ts";
import type { PersistedSnapshot, WorkflowKind } from "../../workflows/index.ts";
import { emailValues, OUTBOX_COLUMNS, parameters, type ComposedEmail } from "~/mail/outbox.server.ts";
import { peopleColumn, type Partnership, type PreloadedPeople, type UserRow } from "./recipients.server.ts";
import type { RecipientRole } from "../../workflows/notification-matrix.ts";

export type Tx = Prisma.TransactionClient | PrismaClient;

/** What the engine needs of any workflow record, whichever table holds it. */
export interface StoredRecord {
  id: string;
  state: string;
  snapshot: PersistedSnapshot;
  machineVersion: number;
  version: number;
  title: string;
  reference: string;
  /** Who the record's emails go to is worked out from its bid's partnership. */
  partnership: Partnership;
  /** The people of the roles asked for at loading, when any were. */
  people?: PreloadedPeople;
}

/** Roles whose people to read with the record, and whose name to read as the actor's. */
export interface PeopleWanted {
  roles: readonly RecipientRole[];
  actorUserId: string | null;
}

export interface RecordWrite {
  state: string;
  snapshot: PersistedSnapshot;
}

// The partners of the record's bid who accepted; the partnership decides who is emailed.
const partners = `COALESCE((SELECT array_agg(bp."organisationId" ORDER BY bp."organisationId") FROM "BidPartner" bp
  WHERE bp."bidId" = b.id AND bp.status = 'accepted'), ARRAY[]::text[]) AS partners`;

const tables: Record<WorkflowKind, { table: string; load: string; path: (id: string) => string }> = {
  bid: {
    table: `"Bid"`,
    load: `SELECT b.id, b.state, b.snapshot, b."machineVersion", b.version, b.title, b.reference, b."leadOrganisationId" AS lead, ${partners}
           FROM "Bid" b WHERE b.id = $1`,
    path: (id) => `/bids/${id}`,
  },
  assessment: {
    table: `"Assessment"`,
    load: `SELECT a.id, a.state, a.snapshot, a."machineVersion", a.version, b.title, b.reference, b."leadOrganisationId" AS lead, ${partners}
           FROM "Assessment" a JOIN "Bid" b ON b.id = a."bidId" WHERE a.id = $1`,
    path: (id) => `/assessments/${id}`,
  },
  project: {
    table: `"Project"`,
    load: `SELECT p.id, p.state, p.snapshot, p."machineVersion", p.version, p.title, p.reference, b."leadOrganisationId" AS lead, ${partners}
           FROM "Project" p JOIN "Bid" b ON b.id = p."bidId" WHERE p.id = $1`,
    path: (id) => `/projects/${id}`,
  },
};

interface Row {
  id: string;
  state: string;
  snapshot: PersistedSnapshot | string;
  machineVersion: number;
  version: number;
  title: string;
  reference: string;
  lead: string;
  partners: string[] | string;
}

// Loading queries with people, by their text: a few shapes per kind, each prepared once.
const loadNames = new Map<string, string>();

/**
 * A workflow record with what the engine needs of it. With `people`, the same statement also
 * reads the people those roles mean for it (and the actor's name), so that a transition
 * whose recipients were foreseen needs no second read before its write.
 */
export async function loadRecord(sql: SqlQuery, kind: WorkflowKind, id: string, people?: PeopleWanted): Promise<StoredRecord | null> {
  const column = people ? peopleColumn(people.roles, "rec.lead", "rec.partners", people.actorUserId ? "$2" : null) : null;
  let rows: (Row & { people?: UserRow[] | string | null })[];
  if (people && column) {
    const text = `SELECT rec.*, ${column} AS people FROM (${tables[kind].load}) rec`;
    let name = loadNames.get(text);
    if (!name) loadNames.set(text, (name = `load-${kind}-with-people-${loadNames.size + 1}`));
    rows = (await sql<Row & { people: UserRow[] | string | null }>(text, people.actorUserId ? [id, people.actorUserId] : [id], name)).rows;
  } else {
    rows = (await sql<Row>(tables[kind].load, [id], `load-${kind}`)).rows;
  }
  const row = rows[0];
  if (!row) return null;
  const users = typeof row.people === "string" ? (JSON.parse(row.people) as UserRow[]) : (row.people ?? []);
  return {
    ...(people ? { people: { roles: people.roles, actor: people.actorUserId !== null, users } } : {}),
    id: row.id,
    state: row.state,
    snapshot: typeof row.snapshot === "string" ? JSON.parse(row.snapshot) : row.snapshot,
    machineVersion: Number(row.machineVersion),
    version: Number(row.version),
    title: row.title,
    reference: row.reference,
    partnership: { lead: row.lead, partners: Array.isArray(row.partners) ? row.partners : parseArray(row.partners) },
  };
}

export interface HistoryRow {
  id: string;
  from: string;
  to: string;
  event: string;
  actorUserId: string;
  actorRole: string;
  reason: string | null;
  payload: Record<string, unknown>;
  at: Date;
}

/**
 * The only code that writes a workflow record's state. In one statement: compare-and-set
 * the record on `version`, add the history row, and add the outbox rows; the history and
 * emails are written only if the compare-and-set won. Returns false when someone else
 * changed the record since it was loaded, having written nothing. Called only by
 * applyWorkflowEvent (apply-event.server.ts), inside its transaction.
 */
export async function writeTransition(
  sql: SqlQuery,
  kind: WorkflowKind,
  id: string,
  expectedVersion: number,
  change: RecordWrite,
  history: HistoryRow,
  emails: ComposedEmail[],
): Promise<boolean> {
  const { values, param } = parameters();
  const moved = `UPDATE ${tables[kind].table} SET state = ${param(change.state)}, snapshot = ${param(JSON.stringify(change.snapshot))}::jsonb,
      version = version + 1, "updatedAt" = CURRENT_TIMESTAMP
    WHERE id = ${param(id)} AND version = ${param(expectedVersion)}::int RETURNING id`;
  const recorded = `INSERT INTO "TransitionHistory" (id, "recordType", "recordId", "fromState", "toState", event, "actorUserId", "actorRole", reason, payload, at)
    SELECT ${[history.id, kind, id, history.from, history.to, history.event, history.actorUserId, history.actorRole, history.reason].map(param).join(", ")},
      ${param(JSON.stringify(history.payload))}::jsonb, ${param(history.at)}::timestamp FROM moved RETURNING id`;
  const told = emails.length
    ? `, told AS (INSERT INTO "Notification" (${OUTBOX_COLUMNS})
        SELECT * FROM (VALUES ${emailValues(emails, param)}) AS v WHERE EXISTS (SELECT 1 FROM recorded) RETURNING id)`
    : "";
  // The text depends only on the kind and the number of emails, so it is prepared once per shape.
  const { rows } = await sql<{ moved: number }>(
    `WITH moved AS (${moved}), recorded AS (${recorded})${told} SELECT (SELECT count(*) FROM moved)::int AS moved`,
    values,
    `write-${kind}-${emails.length}`,
  );
  return Number(rows[0]!.moved) === 1;
}

export const recordPath = (kind: WorkflowKind, id: string) => tables[kind].path(id);

// Some drivers hand back a Postgres array as its text form, {a,b}.
function parseArray(text: string): string[] {
  const inner = text.replace(/^\{|\}$/g, "");
  return inner ? inner.split(",").map((s) => s.replace(/^"|"$/g, "")) : [];
}
