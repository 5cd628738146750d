import type { SqlQuery } from "~/db/database.server.ts";
import type { RecipientRole, WorkflowKind } from "../../workflows/notification-matrix.ts";
import { recordAssessors, usersInRoles, type Partnership, type UserRow } from "./sql.server.ts";

export interface Recipient {
  userId: string;
  email: string;
  name: string;
  /** The person's choice for non-essential email: immediate, digest or off. */
  preference: string;
}

/** The people of some roles, read with the record itself (records.server.ts, loadRecord). */
export interface PreloadedPeople {
  roles: readonly RecipientRole[];
  /** Whether the actor's name was asked for. */
  actor: boolean;
  users: UserRow[];
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
    if (roles.includes("assessor")) byRole.set("assessor", (await recordAssessors(sql, kind, recordId)).map(toRecipient));
    return { byRole, actorName: actorUserId ? (preloaded.users.find((u) => u.is_actor)?.name ?? null) : null };
  }
  const users = await usersInRoles(sql, roles, partnership, actorUserId);
  const byRole = new Map<RecipientRole, Recipient[]>();
  roles.forEach((role, i) => byRole.set(role, users.filter((u) => u[`r${i}`]).map(toRecipient)));
  if (roles.includes("assessor")) byRole.set("assessor", (await recordAssessors(sql, kind, recordId)).map(toRecipient));
  return { byRole, actorName: users.find((u) => u.is_actor)?.name ?? null };
}
