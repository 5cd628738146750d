import type { SqlQuery } from "~/db/database.server.ts";
import { emailValues, OUTBOX_COLUMNS, parameters, type ComposedEmail } from "~/mail/sql.server.ts";
import type { PersistedSnapshot, WorkflowKind } from "../../workflows/index.ts";
import type { RecipientRole } from "../../workflows/notification-matrix.ts";

/** The organisations of a record's bid: its lead and the partners who accepted. */
export interface Partnership {
  lead: string;
  partners: string[];
}

/** Roles whose people to read with the record, and whose name to read as the actor's. */
export interface PeopleWanted {
  roles: readonly RecipientRole[];
  actorUserId: string | null;
}

// The workflow engine's SQL. A transition is the hottest write path in the service: one
// statement loads the record with the people its emails go to, and one writes the state, the
// history and the emails together, each prepared once per shape (npm run bench:transitions;
// docs/decisions/0007-workflow-engine.md). The history of a record's creation, and of a
// partnership, adoption or case study change, is written here too, inside the caller's
// transaction. docs/decisions/0015-data-access.md.

// ---------------------------------------------------------------- a workflow record, loaded and moved on

// The partners of the record's bid who accepted; the partnership decides who is emailed.
const partners = `COALESCE((SELECT array_agg(bp."organisationId" ORDER BY bp."organisationId") FROM "BidPartner" bp
  WHERE bp."bidId" = b.id AND bp.status = 'accepted'), ARRAY[]::text[]) AS partners`;

const tables: Record<WorkflowKind, { table: string; load: string }> = {
  bid: {
    table: `"Bid"`,
    load: `SELECT b.id, b.state, b.snapshot, b."machineVersion", b.version, b.title, b.reference, b."leadOrganisationId" AS lead, ${partners}
           FROM "Bid" b WHERE b.id = $1`,
  },
  assessment: {
    table: `"Assessment"`,
    load: `SELECT a.id, a.state, a.snapshot, a."machineVersion", a.version, b.title, b.reference, b."leadOrganisationId" AS lead, ${partners}
           FROM "Assessment" a JOIN "Bid" b ON b.id = a."bidId" WHERE a.id = $1`,
  },
  project: {
    table: `"Project"`,
    load: `SELECT p.id, p.state, p.snapshot, p."machineVersion", p.version, p.title, p.reference, b."leadOrganisationId" AS lead, ${partners}
           FROM "Project" p JOIN "Bid" b ON b.id = p."bidId" WHERE p.id = $1`,
  },
};

/** A workflow record as loaded; some drivers hand back the snapshot, the partners and the people as text. */
export interface RecordRow {
  id: string;
  state: string;
  snapshot: PersistedSnapshot | string;
  machineVersion: number;
  version: number;
  title: string;
  reference: string;
  lead: string;
  partners: string[] | string;
  /** Present when people were asked for. */
  people?: UserRow[] | string | null;
}

// Loading queries with people, by their text: a few shapes per kind, each prepared once.
const loadNames = new Map<string, string>();

/**
 * The record, and with `people` the people those roles mean for it (and the actor's name) in
 * the same statement, so that a transition whose recipients were foreseen needs no second read
 * before its write.
 */
export async function selectRecord(sql: SqlQuery, kind: WorkflowKind, id: string, people?: PeopleWanted): Promise<RecordRow | undefined> {
  const column = people ? peopleColumn(people.roles, "rec.lead", "rec.partners", people.actorUserId ? "$2" : null) : null;
  if (people && column) {
    const text = `SELECT rec.*, ${column} AS people FROM (${tables[kind].load}) rec`;
    let name = loadNames.get(text);
    if (!name) loadNames.set(text, (name = `load-${kind}-with-people-${loadNames.size + 1}`));
    return (await sql<RecordRow>(text, people.actorUserId ? [id, people.actorUserId] : [id], name)).rows[0];
  }
  return (await sql<RecordRow>(tables[kind].load, [id], `load-${kind}`)).rows[0];
}

export interface RecordWrite {
  state: string;
  snapshot: PersistedSnapshot;
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

/** The history row for entering the machine's initial state, for a record just inserted in the same transaction. */
export async function insertCreationHistory(
  sql: SqlQuery,
  row: { id: string; kind: WorkflowKind; recordId: string; state: string; actorUserId: string; actorRole: string; at: Date },
): Promise<void> {
  await sql(
    `INSERT INTO "TransitionHistory" (id, "recordType", "recordId", "fromState", "toState", event, "actorUserId", "actorRole", payload, at)
     VALUES ($1, $2, $3, '', $4, 'CREATE', $5, $6, '{}'::jsonb, $7::timestamp)`,
    [row.id, row.kind, row.recordId, row.state, row.actorUserId, row.actorRole, row.at],
  );
}

// ---------------------------------------------------------------- who a workflow record's emails go to

/** A user a workflow record's emails could go to, with the roles they fill for it. */
export interface UserRow {
  id: string;
  email: string;
  name: string;
  preference: string;
  /** Whether the user is the actor, and which of the asked-for roles they fill (r0, r1, …). */
  is_actor: boolean;
  [role: `r${number}`]: boolean;
}

/** Which users a role means for a record, as SQL; null when nobody. */
function conditionFor(role: RecipientRole, partnership: Partnership, param: (value: unknown) => string): string | null {
  if (role === "partnerOfficer" && !partnership.partners.length) return null;
  return conditionOver(role, { lead: () => param(partnership.lead), partners: () => `ARRAY[${partnership.partners.map(param).join(", ")}]::text[]` });
}

/**
 * The same rules over SQL expressions for the record's lead organisation and its accepting
 * partners (a text[]), so that they can also be read in the query that loads the record.
 */
function conditionOver(role: RecipientRole, partnership: { lead: () => string; partners: () => string }): string | null {
  switch (role) {
    case "fundTeam":
      return `role = 'fundTeam'`;
    case "gateApprover":
      // Approvers from the project's own lead council cannot vote on it, so are not asked.
      return `(role = 'gateApprover' AND "organisationId" <> ${partnership.lead()})`;
    case "councilOfficer":
    case "certifier":
      return `(role = '${role}' AND "organisationId" = ${partnership.lead()})`;
    case "partnerOfficer":
      return `(role = 'councilOfficer' AND "organisationId" = ANY(${partnership.partners()}))`;
    case "assessor":
      return null; // Assessors come from the assessments, below.
    case "invitedOfficer":
    case "author":
      return null; // Partnership and case study roles: see record-changes.server.ts.
  }
}

/**
 * A json column for the query that loads a record: every user that one of `roles` (but
 * assessors, read from the assessments) means for it, with flags saying which, and the actor
 * when `actorParam` names one. `lead` and `partners` are the query's expressions for the
 * record's lead organisation and accepting partners. Null when no role names anyone here.
 */
function peopleColumn(roles: readonly RecipientRole[], lead: string, partners: string, actorParam: string | null): string | null {
  const conditions = roles.map((role) => conditionOver(role, { lead: () => lead, partners: () => partners }));
  const actor = actorParam ? `u.id = ${actorParam}` : null;
  const wanted = [...conditions, actor].filter((c): c is string => c !== null);
  if (!wanted.length) return null;
  const flags = conditions.map((c, i) => `, 'r${i}', ${c ?? "false"}`).join("");
  return `(SELECT json_agg(json_build_object('id', u.id, 'email', u.email, 'name', u.name, 'preference', u."emailPreference"::text,
             'is_actor', ${actor ?? "false"}${flags}) ORDER BY u.email)
           FROM "User" u WHERE ${wanted.join(" OR ")})`;
}

// The query's text depends only on which roles are asked for, how many partners the bid has
// and whether the actor's name is wanted: a handful of shapes, each prepared once per
// connection (parsed and planned once) under a name of its own, rather than on every transition.
const statementNames = new Map<string, string>();
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `recipients-${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * Every user one of `roles` (but assessors) means for a record of this partnership, and the
 * actor when asked for, in one query, with flags saying which; nothing is read when no role
 * names anyone.
 */
export async function usersInRoles(sql: SqlQuery, roles: readonly RecipientRole[], partnership: Partnership, actorUserId: string | null): Promise<UserRow[]> {
  const { values, param } = parameters();
  // Each role's rule is written once, in SQL; the query says which of them each user meets.
  const conditions = roles.map((role) => conditionFor(role, partnership, param));
  const actor = actorUserId ? `id = ${param(actorUserId)}` : null;
  const wanted = [...conditions, actor].filter((c): c is string => c !== null);
  if (!wanted.length) return [];
  const text = `SELECT id, email, name, "emailPreference"::text AS preference, ${actor ?? "false"} AS is_actor
             ${conditions.map((c, i) => `, ${c ?? "false"} AS r${i}`).join("")}
           FROM "User" WHERE ${wanted.join(" OR ")} ORDER BY email`;
  return (await sql<UserRow>(text, values, statementName(text))).rows;
}

export interface AssessorRow {
  id: string;
  email: string;
  name: string;
  preference: string;
}

/** The record's assessors: the assessment's own, or every assessor still on the bid. */
export async function recordAssessors(sql: SqlQuery, kind: WorkflowKind, recordId: string): Promise<AssessorRow[]> {
  const bidCondition =
    kind === "assessment"
      ? `a.id = $1`
      : kind === "bid"
        ? `a."bidId" = $1 AND a.state NOT IN ('declined', 'unassigned')`
        : `a."bidId" = (SELECT "bidId" FROM "Project" WHERE id = $1) AND a.state NOT IN ('declined', 'unassigned')`;
  const { rows } = await sql<AssessorRow>(
    `SELECT u.id, u.email, u.name, u."emailPreference"::text AS preference
     FROM "Assessment" a JOIN "User" u ON u.id = a."assessorUserId" WHERE ${bidCondition} ORDER BY u.email`,
    [recordId],
    `assessors-of-${kind}`,
  );
  return rows;
}

// ---------------------------------------------------------------- changes to a partnership, an adoption or a case study

/** Someone a partnership, adoption or case study change is emailed to. */
export interface PersonRow {
  id: string;
  email: string;
  name: string;
  emailPreference: string;
}

const personColumns = `id, email, name, "emailPreference"::text AS "emailPreference"`;

/** A council's officers. */
export async function councilOfficers(sql: SqlQuery, organisationId: string): Promise<PersonRow[]> {
  const { rows } = await sql<PersonRow>(`SELECT ${personColumns} FROM "User" WHERE role = 'councilOfficer' AND "organisationId" = $1 ORDER BY email`, [
    organisationId,
  ]);
  return rows;
}

/** Everyone in the fund team. */
export async function fundTeam(sql: SqlQuery): Promise<PersonRow[]> {
  return (await sql<PersonRow>(`SELECT ${personColumns} FROM "User" WHERE role = 'fundTeam' ORDER BY email`)).rows;
}

/** One user, if there is one. */
export async function personById(sql: SqlQuery, userId: string): Promise<PersonRow[]> {
  return (await sql<PersonRow>(`SELECT ${personColumns} FROM "User" WHERE id = $1`, [userId])).rows;
}

export interface ChangeHistoryRow {
  id: string;
  recordType: string;
  recordId: string;
  /** Empty on creation. */
  fromState: string;
  toState: string;
  event: string;
  actorUserId: string | null;
  actorRole: string | null;
  reason: string | null;
  payload: Record<string, unknown>;
  /** An ISO time, stored as UTC. */
  at: string;
}

/** One history row of a change. */
export async function insertChangeHistory(sql: SqlQuery, row: ChangeHistoryRow): Promise<void> {
  await sql(
    `INSERT INTO "TransitionHistory" (id, "recordType", "recordId", "fromState", "toState", event, "actorUserId", "actorRole", reason, payload, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, ($11::timestamptz AT TIME ZONE 'UTC'))`,
    [
      row.id,
      row.recordType,
      row.recordId,
      row.fromState,
      row.toState,
      row.event,
      row.actorUserId,
      row.actorRole,
      row.reason,
      JSON.stringify(row.payload),
      row.at,
    ],
  );
}
