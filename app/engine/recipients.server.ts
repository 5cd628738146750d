import type { SqlQuery } from "~/db/database.server.ts";
import type { RecipientRole, WorkflowKind } from "../../workflows/notification-matrix.ts";

export interface Recipient {
  userId: string;
  email: string;
  name: string;
  /** The person's choice for non-essential email: immediate, digest or off. */
  preference: string;
}

/** The organisations of a record's bid: its lead and the partners who accepted. */
export interface Partnership {
  lead: string;
  partners: string[];
}

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

/** The people of some roles, read with the record itself (records.server.ts, loadRecord). */
export interface PreloadedPeople {
  roles: readonly RecipientRole[];
  /** Whether the actor's name was asked for. */
  actor: boolean;
  users: UserRow[];
}

/**
 * A json column for the query that loads a record: every user that one of `roles` (but
 * assessors, read from the assessments) means for it, with flags saying which, and the actor
 * when `actorParam` names one. `lead` and `partners` are the query's expressions for the
 * record's lead organisation and accepting partners. Null when no role names anyone here.
 */
export function peopleColumn(roles: readonly RecipientRole[], lead: string, partners: string, actorParam: string | null): string | null {
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

const toRecipient = (u: { id: string; email: string; name: string; preference: string }): Recipient => ({
  userId: u.id,
  email: u.email,
  name: u.name,
  preference: u.preference,
});

/**
 * The people each role means for one record (the roles are described in
 * workflows/notification-matrix.ts), found with one query for all the roles, inside the
 * transition's transaction so the list matches the moment of the change. The actor's
 * name comes back from the same query, for the emails' "who did it".
 */
export async function recipientsFor(
  sql: SqlQuery,
  kind: WorkflowKind,
  recordId: string,
  roles: readonly RecipientRole[],
  partnership: Partnership,
  actorUserId: string | null,
  preloaded?: PreloadedPeople,
): Promise<{ byRole: Map<RecipientRole, Recipient[]>; actorName: string | null }> {
  // Read with the record when the roles were foreseen (loadRecord): then only assessors,
  // if asked for, need a query of their own.
  if (preloaded && (preloaded.actor || !actorUserId) && roles.every((role) => role === "assessor" || preloaded.roles.includes(role))) {
    const byRole = new Map<RecipientRole, Recipient[]>();
    for (const role of roles) {
      const i = preloaded.roles.indexOf(role);
      if (role !== "assessor") byRole.set(role, preloaded.users.filter((u) => u[`r${i}`]).map(toRecipient));
    }
    if (roles.includes("assessor")) byRole.set("assessor", await assessorsOf(sql, kind, recordId));
    return { byRole, actorName: actorUserId ? (preloaded.users.find((u) => u.is_actor)?.name ?? null) : null };
  }
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  // Each role's rule is written once, in SQL; the query says which of them each user meets.
  const conditions = roles.map((role) => conditionFor(role, partnership, param));
  const actor = actorUserId ? `id = ${param(actorUserId)}` : null;
  const wanted = [...conditions, actor].filter((c): c is string => c !== null);
  let users: UserRow[] = [];
  if (wanted.length) {
    const text = `SELECT id, email, name, "emailPreference"::text AS preference, ${actor ?? "false"} AS is_actor
             ${conditions.map((c, i) => `, ${c ?? "false"} AS r${i}`).join("")}
           FROM "User" WHERE ${wanted.join(" OR ")} ORDER BY email`;
    users = (await sql<UserRow>(text, params, statementName(text))).rows;
  }
  const byRole = new Map<RecipientRole, Recipient[]>();
  roles.forEach((role, i) => byRole.set(role, users.filter((u) => u[`r${i}`]).map(toRecipient)));
  if (roles.includes("assessor")) byRole.set("assessor", await assessorsOf(sql, kind, recordId));
  return { byRole, actorName: users.find((u) => u.is_actor)?.name ?? null };
}

/** The record's assessors: the assessment's own, or every assessor still on the bid. */
async function assessorsOf(sql: SqlQuery, kind: WorkflowKind, recordId: string): Promise<Recipient[]> {
  const bidCondition =
    kind === "assessment"
      ? `a.id = $1`
      : kind === "bid"
        ? `a."bidId" = $1 AND a.state NOT IN ('declined', 'unassigned')`
        : `a."bidId" = (SELECT "bidId" FROM "Project" WHERE id = $1) AND a.state NOT IN ('declined', 'unassigned')`;
  const { rows } = await sql<{ id: string; email: string; name: string; preference: string }>(
    `SELECT u.id, u.email, u.name, u."emailPreference"::text AS preference
     FROM "Assessment" a JOIN "User" u ON u.id = a."assessorUserId" WHERE ${bidCondition} ORDER BY u.email`,
    [recordId],
    `assessors-of-${kind}`,
  );
  return rows.map(toRecipient);
}
