import type { SqlQuery } from "~/db/database.server.ts";

// The public pages' SQL: each page is one statement with its per-project figures (sums,
// counts, partner names) worked out in the database, where Prisma's API would make a query
// per relation and spend about twice the CPU on each. docs/decisions/0015-data-access.md.

export interface FundedProjectRow {
  id: string;
  reference: string;
  title: string;
  state: string;
  leadName: string;
  partnerNames: string[] | null;
  awardedPence: string | number;
  /** The newest gate decision stored in the project's snapshot, if any. */
  latestDecision: unknown;
  adopters: number;
}

const FUNDED_FROM = `FROM "Project" p JOIN "Organisation" o ON o.id = p."leadOrganisationId"
  WHERE ($1::text IS NULL OR p.title ILIKE $1 OR p.reference ILIKE $1 OR o.name ILIKE $1)`;

/** How many funded projects match `pattern` (an ILIKE pattern, or null for all). */
export async function countFundedProjects(sql: SqlQuery, pattern: string | null): Promise<number> {
  const { rows } = await sql<{ total: number }>(`SELECT count(*)::int AS total ${FUNDED_FROM}`, [pattern]);
  return rows[0]?.total ?? 0;
}

/** One page of the funded projects matching `pattern`, newest reference first. */
export async function fundedProjectsPage(sql: SqlQuery, pattern: string | null, page: { limit: number; offset: number }): Promise<FundedProjectRow[]> {
  const { rows } = await sql<FundedProjectRow>(
    `SELECT p.id, p.reference, p.title, p.state, o.name AS "leadName",
       p.snapshot->'context'->'decisions'->-1 AS "latestDecision",
       (SELECT count(*)::int FROM "Adoption" a WHERE a."projectId" = p.id AND a.status <> 'stopped') AS adopters,
       (SELECT array_agg(po.name ORDER BY po.name) FROM "BidPartner" bp JOIN "Organisation" po ON po.id = bp."organisationId"
         WHERE bp."bidId" = p."bidId" AND bp.status = 'accepted') AS "partnerNames",
       (SELECT coalesce(sum(t."amountPence"), 0) FROM "ProjectTranche" t WHERE t."projectId" = p.id) AS "awardedPence"
     ${FUNDED_FROM}
     ORDER BY p.reference DESC
     LIMIT $2 OFFSET $3`,
    [pattern, Math.trunc(page.limit), Math.trunc(page.offset)],
  );
  return rows;
}

export interface FundedProjectDetail {
  id: string;
  reference: string;
  title: string;
  summary: string;
  serviceArea: string;
  state: string;
  leadName: string;
  leadCode: string;
  fundName: string;
  roundName: string;
  createdAt: Date;
  snapshot: unknown;
}

export async function fundedProjectByReference(sql: SqlQuery, reference: string): Promise<FundedProjectDetail | undefined> {
  const { rows } = await sql<FundedProjectDetail>(
    `SELECT p.id, p.reference, p.title, p.summary, p."serviceArea", p.state, p."createdAt", p.snapshot, o.name AS "leadName", o.code AS "leadCode",
       f.name AS "fundName", r.name AS "roundName"
     FROM "Project" p JOIN "Organisation" o ON o.id = p."leadOrganisationId"
       JOIN "Bid" b ON b.id = p."bidId" JOIN "Round" r ON r.id = b."roundId" JOIN "Fund" f ON f.id = r."fundId"
     WHERE p.reference = $1`,
    [reference],
  );
  return rows[0];
}

/** The partners who accepted, the awards, the adoptions and the published case study of one project. */
export async function fundedProjectParts(sql: SqlQuery, projectId: string) {
  const [partners, tranches, adoptions, caseStudy] = await Promise.all([
    sql<{ name: string; code: string }>(
      `SELECT o.name, o.code FROM "BidPartner" bp JOIN "Project" p ON p."bidId" = bp."bidId" JOIN "Organisation" o ON o.id = bp."organisationId"
       WHERE p.id = $1 AND bp.status = 'accepted' ORDER BY o.name`,
      [projectId],
    ),
    sql<{ id: string; stage: string; amountPence: number; reason: string; createdAt: Date }>(
      `SELECT id, stage::text AS stage, "amountPence", reason, "createdAt" FROM "ProjectTranche" WHERE "projectId" = $1 ORDER BY "createdAt", id`,
      [projectId],
    ),
    sql<{ name: string; status: string; goLiveOn: Date | null }>(
      `SELECT o.name, a.status, a."goLiveOn" FROM "Adoption" a JOIN "Organisation" o ON o.id = a."organisationId" WHERE a."projectId" = $1 ORDER BY o.name`,
      [projectId],
    ),
    sql<{ slug: string; title: string }>(`SELECT slug, title FROM "CaseStudy" WHERE "projectId" = $1 AND status = 'published'`, [projectId]),
  ]);
  return { partners: partners.rows, tranches: tranches.rows, adoptions: adoptions.rows, caseStudy: caseStudy.rows[0] ?? null };
}

export interface AwardRow {
  trancheId: string;
  trancheStage: string;
  amountPence: number;
  reason: string;
  awardedAt: Date;
  projectId: string;
  reference: string;
  title: string;
  summary: string;
  projectUpdatedAt: Date;
  leadCode: string;
  leadKind: string;
  leadTypeCode: string | null;
  leadName: string;
  leadOfficialName: string;
  roundSlug: string;
  roundName: string;
  fundName: string;
}

/**
 * Up to `limit` awards after the tranche `after` (null: from the first), oldest first. The
 * cursor is the last tranche's id, so no timestamp makes a round trip through the driver.
 */
export async function awardsAfter(sql: SqlQuery, after: string | null, limit: number): Promise<AwardRow[]> {
  const { rows } = await sql<AwardRow>(
    `SELECT t.id AS "trancheId", t.stage::text AS "trancheStage", t."amountPence", t.reason, t."createdAt" AS "awardedAt",
       p.id AS "projectId", p.reference, p.title, p.summary, p."updatedAt" AS "projectUpdatedAt",
       o.code AS "leadCode", o.kind::text AS "leadKind", o."councilTypeCode" AS "leadTypeCode", o.name AS "leadName", o."officialName" AS "leadOfficialName",
       r.slug AS "roundSlug", r.name AS "roundName", f.name AS "fundName"
     FROM "ProjectTranche" t
       JOIN "Project" p ON p.id = t."projectId"
       JOIN "Organisation" o ON o.id = p."leadOrganisationId"
       JOIN "Bid" b ON b.id = p."bidId" JOIN "Round" r ON r.id = b."roundId" JOIN "Fund" f ON f.id = r."fundId"
     WHERE ($1::text IS NULL OR (t."createdAt", t.id) > (SELECT c."createdAt", c.id FROM "ProjectTranche" c WHERE c.id = $1))
     ORDER BY t."createdAt", t.id
     LIMIT $2`,
    [after, Math.trunc(limit)],
  );
  return rows;
}
