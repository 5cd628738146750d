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

interface UserRow {
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
  switch (role) {
    case "fundTeam":
      return `role = 'fundTeam'`;
    case "gateApprover":
      // Approvers from the project's own lead council cannot vote on it, so are not asked.
      return `(role = 'gateApprover' AND "organisationId" <> ${param(partnership.lead)})`;
    case "councilOfficer":
    case "certifier":
      return `(role = '${role}' AND "organisationId" = ${param(partnership.lead)})`;
    case "partnerOfficer":
      return partnership.partners.length
        ? `(role = 'councilOfficer' AND "organisationId" IN (${partnership.partners.map(param).join(", ")}))`
        : null;
    case "assessor":
      return null; // Assessors come from the assessments, below.
    case "invitedOfficer":
    case "author":
      return null; // Partnership and case study roles: see record-changes.server.ts.
  }
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
): Promise<{ byRole: Map<RecipientRole, Recipient[]>; actorName: string | null }> {
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  // Each role's rule is written once, in SQL; the query says which of them each user meets.
  const conditions = roles.map((role) => conditionFor(role, partnership, param));
  const actor = actorUserId ? `id = ${param(actorUserId)}` : null;
  const wanted = [...conditions, actor].filter((c): c is string => c !== null);
  const users = wanted.length
    ? (
        await sql<UserRow>(
          `SELECT id, email, name, "emailPreference"::text AS preference, ${actor ?? "false"} AS is_actor
             ${conditions.map((c, i) => `, ${c ?? "false"} AS r${i}`).join("")}
           FROM "User" WHERE ${wanted.join(" OR ")} ORDER BY email`,
          params,
        )
      ).rows
    : [];
  const byRole = new Map<RecipientRole, Recipient[]>();
  roles.forEach((role, i) => byRole.set(role, users.filter((u) => u[`r${i}`]).map(toRecipient)));
  if (roles.includes("assessor")) {
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
    );
    byRole.set("assessor", rows.map(toRecipient));
  }
  return { byRole, actorName: users.find((u) => u.is_actor)?.name ?? null };
}
