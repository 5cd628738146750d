import type { SqlQuery } from "~/db/database.server.ts";
import type { Stage } from "../../workflows/index.ts";

// The hub's SQL, all of it: what Prisma's API cannot say (full-text search and its ranking),
// and the lessons draft that a stop writes inside the gate decision's SQL transaction.
// Why SQL here and not elsewhere: docs/decisions/0015-data-access.md.

// The text searched: the title counts most, then lessons and outcome, then the rest.
const DOCUMENT = `
  setweight(to_tsvector('english', cs.title), 'A') ||
  setweight(to_tsvector('english', cs.lessons || ' ' || cs.outcome), 'B') ||
  setweight(to_tsvector('english', cs.problem || ' ' || cs.approach || ' ' || cs."serviceArea"), 'C') ||
  setweight(to_tsvector('english', cs.evidence || ' ' || cs."reusableOutputs"), 'D')`;

export interface CaseStudySearch {
  q: string | null;
  serviceArea: string | null;
  stage: string | null;
  outcome: "completed" | "stopped" | null;
}

export interface CaseStudyMatch {
  slug: string;
  title: string;
  serviceArea: string;
  stage: Stage;
  lessons: string;
  outcome: string;
  problem: string;
  publishedAt: Date;
  leadName: string;
  /** The project's state, which says whether it stopped. */
  state: string;
}

const WHERE = `
    cs.status = 'published'
    AND ($1::text IS NULL OR (${DOCUMENT}) @@ websearch_to_tsquery('english', $1))
    AND ($2::text IS NULL OR cs."serviceArea" = $2)
    AND ($3::text IS NULL OR cs.stage::text = $3)
    AND ($4::text IS NULL OR ($4 = 'stopped') = (p.state IN ('stopped', 'closed')))`;

const searchParams = (search: CaseStudySearch) => [search.q, search.serviceArea, search.stage, search.outcome];

/** How many published case studies match. */
export async function countCaseStudies(sql: SqlQuery, search: CaseStudySearch): Promise<number> {
  const { rows } = await sql<{ total: number }>(
    `SELECT count(*)::int AS total FROM "CaseStudy" cs JOIN "Project" p ON p.id = cs."projectId" WHERE ${WHERE}`,
    searchParams(search),
  );
  return rows[0]?.total ?? 0;
}

/** One page of the matches, the best first (newest first without words to rank by). */
export async function searchCaseStudies(sql: SqlQuery, search: CaseStudySearch, page: { limit: number; offset: number }): Promise<CaseStudyMatch[]> {
  const { rows } = await sql<CaseStudyMatch & { rank: number }>(
    `SELECT cs.slug, cs.title, cs."serviceArea", cs.stage::text AS stage, cs.lessons, cs.outcome, cs.problem, cs."publishedAt", p.state, o.name AS "leadName",
       CASE WHEN $1::text IS NULL THEN 0 ELSE ts_rank(${DOCUMENT}, websearch_to_tsquery('english', $1)) END AS rank
     FROM "CaseStudy" cs JOIN "Project" p ON p.id = cs."projectId" JOIN "Organisation" o ON o.id = p."leadOrganisationId"
     WHERE ${WHERE}
     ORDER BY rank DESC, cs."publishedAt" DESC, cs.id
     LIMIT $5 OFFSET $6`,
    [...searchParams(search), Math.trunc(page.limit), Math.trunc(page.offset)],
  );
  return rows.map(({ rank: _rank, ...row }) => row);
}

export interface StoppedProject {
  reference: string;
  title: string;
  summary: string;
  serviceArea: string;
  snapshot: unknown;
  leadOrganisationId: string;
  leadName: string;
  /** The latest stage's evaluation, if the team wrote one. */
  evaluation: string | null;
  hasCaseStudy: boolean;
}

/** What a stopped project's lessons draft is made from. */
export async function stoppedProject(sql: SqlQuery, projectId: string): Promise<StoppedProject | undefined> {
  const { rows } = await sql<StoppedProject>(
    `SELECT p.reference, p.title, p.summary, p."serviceArea", p.snapshot, p."leadOrganisationId", o.name AS "leadName",
       (SELECT e.text FROM "ProjectEvaluation" e WHERE e."projectId" = p.id ORDER BY e.stage DESC LIMIT 1) AS evaluation,
       EXISTS (SELECT 1 FROM "CaseStudy" cs WHERE cs."projectId" = p.id) AS "hasCaseStudy"
     FROM "Project" p JOIN "Organisation" o ON o.id = p."leadOrganisationId" WHERE p.id = $1`,
    [projectId],
  );
  return rows[0];
}

export interface LessonsDraft {
  id: string;
  projectId: string;
  slug: string;
  title: string;
  serviceArea: string;
  problem: string;
  approach: string;
  evidence: string;
  outcome: string;
  lessons: string;
  reusableOutputs: string;
  stage: Stage;
  at: Date;
}

/** Inserts a stop's lessons case study, waiting for the fund team's review. */
export async function insertLessonsDraft(sql: SqlQuery, draft: LessonsDraft): Promise<void> {
  await sql(
    `INSERT INTO "CaseStudy" (id, "projectId", slug, title, "serviceArea", problem, approach, evidence, outcome, lessons, "reusableOutputs", stage, status, "createdAt", "updatedAt")
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::"Stage", 'inReview', ($13::timestamptz AT TIME ZONE 'UTC'), ($13::timestamptz AT TIME ZONE 'UTC'))`,
    [
      draft.id,
      draft.projectId,
      draft.slug,
      draft.title,
      draft.serviceArea,
      draft.problem,
      draft.approach,
      draft.evidence,
      draft.outcome,
      draft.lessons,
      draft.reusableOutputs,
      draft.stage,
      draft.at.toISOString(),
    ],
  );
}
