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
  role: string;
  organisationId: string;
  preference: string;
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
  }
}

function matches(user: UserRow, role: RecipientRole, partnership: Partnership): boolean {
  switch (role) {
    case "fundTeam":
      return user.role === "fundTeam";
    case "gateApprover":
      return user.role === "gateApprover" && user.organisationId !== partnership.lead;
    case "councilOfficer":
    case "certifier":
      return user.role === role && user.organisationId === partnership.lead;
    case "partnerOfficer":
      return user.role === "councilOfficer" && partnership.partners.includes(user.organisationId);
    case "assessor":
      return false;
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
  const conditions = roles.map((role) => conditionFor(role, partnership, param)).filter((c): c is string => c !== null);
  if (actorUserId) conditions.push(`id = ${param(actorUserId)}`);
  const users = conditions.length
    ? (
        await sql<UserRow>(
          `SELECT id, email, name, role::text AS role, "organisationId", "emailPreference"::text AS preference
           FROM "User" WHERE ${conditions.join(" OR ")} ORDER BY email`,
          params,
        )
      ).rows
    : [];
  const byRole = new Map<RecipientRole, Recipient[]>();
  for (const role of roles) byRole.set(role, users.filter((u) => matches(u, role, partnership)).map(toRecipient));
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
  const actor = actorUserId ? users.find((u) => u.id === actorUserId) : undefined;
  return { byRole, actorName: actor?.name ?? null };
}
