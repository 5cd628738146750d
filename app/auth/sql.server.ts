import type { SqlQuery } from "~/db/database.server.ts";

// The session lookup every signed-in request makes: the session, its user and the user's
// organisation in one statement. Prisma's nested select makes three (one a relation), and
// each statement's round trip costs more of the service's CPU than the statement itself
// (docs/performance.md). docs/decisions/0015-data-access.md.

export interface SessionUserRow {
  id: string;
  email: string;
  name: string;
  role: string;
  senior: boolean;
  organisationId: string;
  organisationCode: string;
  organisationName: string;
  organisationKind: string;
}

/** The user of an unexpired session, by the hash of its secret; undefined when there is none. */
export async function sessionUser(sql: SqlQuery, secretHash: string): Promise<SessionUserRow | undefined> {
  const { rows } = await sql<SessionUserRow>(
    `SELECT u.id, u.email, u.name, u.role::text AS role, u.senior,
       o.id AS "organisationId", o.code AS "organisationCode", o.name AS "organisationName", o.kind::text AS "organisationKind"
     FROM "Session" s
     JOIN "User" u ON u.id = s."userId"
     JOIN "Organisation" o ON o.id = u."organisationId"
     WHERE s."secretHash" = $1 AND s."expiresAt" > (now() AT TIME ZONE 'UTC')`,
    [secretHash],
    // Prepared: every signed-in request makes it, and planning it cost more than running it.
    "session_user",
  );
  return rows[0];
}
