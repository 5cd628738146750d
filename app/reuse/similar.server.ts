import type { SignedInUser } from "~/auth/session.server.ts";
import { openForAdoption } from "~/adoptions/adoptions.server.ts";
import { readAnswers, type BidSectionKey } from "~/bid-form/sections.ts";
import { database, db } from "~/db/database.server.ts";
import { participantKinds } from "../../workflows/rules.ts";
import { MARK_END, MARK_START, markedWords, snippetParts, stageTag, type SimilarWorkItem } from "./similar-work.ts";
import { notFound } from "~/http/errors.server.ts";

/**
 * Similar work: the funded projects (any round, any fund) and published case studies most
 * like what a council has written so far. Everything searched is in the SimilarWork table,
 * one row per funded project, kept by database triggers (prisma/migrations/…_similar_work):
 * the project's own words, its funded bid's answers about the problem and the approach, and
 * its case study only once published. A bid that was never funded is never in it, so no
 * council's draft can reach another council through here.
 *
 * Ranking: PostgreSQL full-text search, an OR of the draft's words (stemmed), ranked with
 * ts_rank over the weighted document (titles count most), blended with the trigram
 * similarity of the two titles (pg_trgm), which catches what stemming misses ("e-forms" and
 * "eforms", a plural the dictionary does not know). A floor keeps unrelated work out: a
 * match must share at least MIN_SHARED of the draft's words and reach MIN_SCORE.
 * tests/integration/similar-work.test.ts measures the precision of the top three on a
 * labelled set.
 */

/** The sections whose answers say what the work is: the query is made of these. */
export const QUERY_SECTIONS: readonly BidSectionKey[] = ["summary", "problem", "approach"];

export const SIMILAR_LIMIT = 5;
// The draft's most frequent words, at most this many: a long draft must not make every
// document a candidate, nor the query slow.
const MAX_QUERY_WORDS = 48;
// Candidates ranked in full (score, shared words, highlighting), from the text search and
// from the title trigram index.
const TEXT_CANDIDATES = 40;
const TITLE_CANDIDATES = 10;
const MIN_SHARED = 3;
const MIN_SCORE = 0.05;

// Words nearly every bid uses: they say nothing about what the work is, so the query leaves
// them out (and they do not count as shared). Stemmed by PostgreSQL as the documents are.
export const COMMON_WORDS =
  "council councils resident residents service services online digital staff people work will use using make bid project pilot local authority partner partners across improve deliver team new one time way need needs";
// Once there is enough funded work for PostgreSQL's statistics of the documents to be worth
// reading (ANALYZE keeps each lexeme's share of documents), the draft's words found in more
// than this share of all documents are left out too: like COMMON_WORDS, they say nothing
// about what the work is, and each would make nearly every document a candidate.
const EVERYWHERE = 0.2;
const EVERYWHERE_FROM = 1000;
// How far the title's trigram similarity counts against the text rank.
const TITLE_WEIGHT = 0.35;

export interface SimilarQuery {
  /** Everything written so far. */
  text: string;
  /** The bid's title alone, matched by trigrams against funded titles. */
  title: string;
}

/** The bid's own words: its title and the answers of the summary, problem and approach sections. */
export function draftQuery(bid: { title: string; answers: unknown }): SimilarQuery {
  const answers = readAnswers(bid.answers);
  const parts = [bid.title];
  for (const key of QUERY_SECTIONS) {
    for (const value of Object.values(answers.sections[key] ?? {})) if (typeof value === "string") parts.push(value);
  }
  return { text: parts.join("\n"), title: bid.title };
}

export interface SimilarMatch {
  projectId: string;
  title: string;
  reference: string;
  state: string;
  serviceArea: string;
  leadOrganisationId: string;
  lead: string;
  adopters: number;
  caseStudySlug: string | null;
  caseStudyTitle: string | null;
  score: number;
  shared: number;
  /** The summary (or the case study's problem), highlighted with MARK_START/MARK_END. */
  snippet: string;
  /** Everything public about the work, every shared word highlighted. */
  marked: string;
}

// Marks the server puts around shared words; stripped from the text first, so only ts_headline's count.
const clean = (column: string) => `translate(${column}, E'\\x01\\x02', '')`;
const HEADLINE_OPTIONS = `'StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=35, MinWords=15, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "'`;
// A summary up to this long is shown whole; a longer one as its best fragments.
const WHOLE_SNIPPET = 320;
const ALL_OPTIONS = `'StartSel=${MARK_START}, StopSel=${MARK_END}, HighlightAll=true'`;

const SEARCH = `
WITH everywhere AS (
  SELECT e.lexeme
  FROM pg_stats st
  CROSS JOIN LATERAL unnest(st.most_common_elems::text::text[], st.most_common_elem_freqs) AS e(lexeme, freq)
  WHERE st.schemaname = current_schema() AND st.tablename = 'SimilarWork' AND st.attname = 'document' AND e.lexeme IS NOT NULL AND e.freq > ${EVERYWHERE}
    AND (SELECT reltuples FROM pg_class WHERE oid = '"SimilarWork"'::regclass) >= ${EVERYWHERE_FROM}
), lexemes AS (
  SELECT u.lexeme
  FROM unnest(to_tsvector('english', $1::text)) u
  WHERE length(u.lexeme) > 2 AND u.lexeme !~ '[''\\\\]' AND NOT (u.lexeme = ANY(tsvector_to_array(to_tsvector('english', $7::text))))
    AND NOT EXISTS (SELECT 1 FROM everywhere e WHERE e.lexeme = u.lexeme)
  ORDER BY coalesce(array_length(u.positions, 1), 1) DESC, u.lexeme
  LIMIT ${MAX_QUERY_WORDS}
), q AS (
  SELECT string_agg('''' || lexeme || '''', ' | ')::tsquery AS query, array_agg(lexeme) AS words FROM lexemes
), by_text AS (
  SELECT s."projectId", ts_rank(s.document, q.query, 1) AS rank
  FROM "SimilarWork" s, q
  WHERE q.query IS NOT NULL AND s.document @@ q.query AND NOT (s."projectId" = ANY($3::text[]))
  ORDER BY rank DESC, s."projectId"
  LIMIT ${TEXT_CANDIDATES}
), by_title AS (
  SELECT s."projectId", 0::real AS rank
  FROM "SimilarWork" s
  WHERE length($2::text) > 3 AND s.title %> $2::text AND NOT (s."projectId" = ANY($3::text[]))
  LIMIT ${TITLE_CANDIDATES}
), candidates AS (
  SELECT "projectId", max(rank) AS rank FROM (SELECT * FROM by_text UNION ALL SELECT * FROM by_title) c GROUP BY "projectId"
), scored AS (
  SELECT c."projectId", c.rank,
    CASE WHEN length($2::text) > 3 THEN word_similarity($2::text, s.title) ELSE 0 END AS title_similarity,
    (SELECT count(*) FROM unnest(s.document) d, q WHERE d.lexeme = ANY(q.words))::int AS shared
  FROM candidates c JOIN "SimilarWork" s ON s."projectId" = c."projectId"
), ranked AS (
  SELECT *, (rank / (rank + 0.25)) * ${1 - TITLE_WEIGHT} + title_similarity * ${TITLE_WEIGHT} AS score
  FROM scored
  WHERE shared >= $5
)
SELECT r."projectId", p.title, p.reference, p.state, p."serviceArea", p."leadOrganisationId", o.name AS lead,
  r.score::float8 AS score, r.shared,
  (SELECT count(*)::int FROM "Adoption" a WHERE a."projectId" = p.id AND a.status <> 'stopped') AS adopters,
  cs.slug AS "caseStudySlug", cs.title AS "caseStudyTitle",
  ts_headline('english', t.shown, q.query, CASE WHEN length(t.shown) <= ${WHOLE_SNIPPET} THEN ${ALL_OPTIONS} ELSE ${HEADLINE_OPTIONS} END) AS snippet,
  ts_headline('english', ${clean(`concat_ws(' ', p.title, p.summary, p."serviceArea", cs.title, cs.problem, cs.approach, cs.outcome, cs.lessons)`)}, q.query, ${ALL_OPTIONS}) AS marked
FROM ranked r
JOIN "Project" p ON p.id = r."projectId"
JOIN "Organisation" o ON o.id = p."leadOrganisationId"
LEFT JOIN "CaseStudy" cs ON cs."projectId" = p.id AND cs.status = 'published'
CROSS JOIN LATERAL (SELECT ${clean(`coalesce(nullif(p.summary, ''), cs.problem, '')`)} AS shown) t
CROSS JOIN q
WHERE r.score >= $6
ORDER BY r.score DESC, p.reference
LIMIT $4`;

/** The funded work most like the query, best first; `exclude` leaves out projects by id. */
export async function findSimilarWork(
  query: SimilarQuery,
  options: { exclude?: string[]; limit?: number; floor?: { shared: number; score: number } } = {},
): Promise<SimilarMatch[]> {
  // eslint-disable-next-line no-control-regex -- \u0001 and \u0002 are the search's own markers, which a query may not contain
  const text = query.text.replace(/[\u0001\u0002]/g, " ").trim();
  if (!text) return [];
  const { rows } = await database().sql<SimilarMatch>(SEARCH, [
    text.slice(0, 60_000),
    query.title.trim().slice(0, 200),
    options.exclude ?? [],
    options.limit ?? SIMILAR_LIMIT,
    options.floor?.shared ?? MIN_SHARED,
    options.floor?.score ?? MIN_SCORE,
    COMMON_WORDS,
  ]);
  return rows;
}

/** Makes every project's row again from the records, in one statement: after a bulk load, or to repair. */
export async function rebuildSimilarWork(): Promise<number> {
  const { rows } = await database().sql<{ made: string }>(`SELECT springboard_similar_work_rebuild() AS made`);
  return Number(rows[0]?.made ?? 0);
}

/**
 * The panel for a bid's own council (what the viewer may do with each item follows from
 * their role and council), or for the fund team and assessors (no actions).
 */
export async function similarWorkFor(
  viewer: Pick<SignedInUser, "role" | "organisation">,
  bid: { id: string; title: string; answers: unknown },
  options: { actions: boolean; limit?: number } = { actions: true },
): Promise<SimilarWorkItem[]> {
  const own = await database().sql<{ id: string }>(`SELECT id FROM "Project" WHERE "bidId" = $1`, [bid.id]);
  const matches = await findSimilarWork(draftQuery(bid), { exclude: own.rows.map((r) => r.id), limit: options.limit });
  if (!matches.length) return [];
  const council = viewer.organisation.id;
  const adopting = options.actions
    ? await database().sql<{ id: string; projectId: string }>(
        `SELECT id, "projectId" FROM "Adoption" WHERE "organisationId" = $1 AND "projectId" = ANY($2::text[])`,
        [council, matches.map((m) => m.projectId)],
      )
    : { rows: [] };
  const adoptionOf = new Map(adopting.rows.map((a) => [a.projectId, a.id]));
  const officer = options.actions && viewer.role === "councilOfficer";
  const mayAdopt = officer && (participantKinds as readonly string[]).includes(viewer.organisation.kind);
  return matches.map((m): SimilarWorkItem => {
    const theirs = m.leadOrganisationId !== council;
    const adoptionId = adoptionOf.get(m.projectId) ?? null;
    const stage = stageTag(m.state);
    return {
      projectId: m.projectId,
      title: m.title,
      reference: m.reference,
      lead: m.lead,
      href: `/funded/${encodeURIComponent(m.reference)}`,
      stage,
      scale: stage.text === "Scale" || stage.text === "Completed" ? { adopters: m.adopters } : null,
      serviceArea: m.serviceArea,
      snippet: snippetParts(m.snippet),
      sharedWords: markedWords(m.marked),
      caseStudy: m.caseStudySlug ? { href: `/hub/${m.caseStudySlug}`, title: m.caseStudyTitle ?? m.title } : null,
      canAdopt: mayAdopt && theirs && !adoptionId && openForAdoption(m.state),
      adoptionHref: adoptionId ? `/projects/${m.projectId}/adoptions/${adoptionId}` : null,
      canContact: officer && theirs,
    };
  });
}

/** One piece of funded work as the panel shows it (without the highlighting), for its contact page. */
export async function similarWorkOf(viewer: Pick<SignedInUser, "role" | "organisation">, projectId: string | undefined) {
  const project = projectId
    ? await db().project.findUnique({
        where: { id: projectId },
        select: {
          id: true,
          title: true,
          reference: true,
          summary: true,
          state: true,
          leadOrganisationId: true,
          leadOrganisation: { select: { name: true } },
          caseStudy: { select: { slug: true, title: true, status: true } },
          adoptions: { where: { status: { not: "stopped" } }, select: { id: true } },
        },
      })
    : null;
  if (!project) throw notFound();
  const council = viewer.organisation.id;
  const own = await db().adoption.findUnique({ where: { projectId_organisationId: { projectId: project.id, organisationId: council } }, select: { id: true } });
  const theirs = project.leadOrganisationId !== council;
  const officer = viewer.role === "councilOfficer";
  const stage = stageTag(project.state);
  const caseStudy = project.caseStudy?.status === "published" ? { href: `/hub/${project.caseStudy.slug}`, title: project.caseStudy.title } : null;
  return {
    id: project.id,
    title: project.title,
    reference: project.reference,
    summary: project.summary,
    lead: project.leadOrganisation.name,
    href: `/funded/${encodeURIComponent(project.reference)}`,
    stage,
    scale: stage.text === "Scale" || stage.text === "Completed" ? { adopters: project.adoptions.length } : null,
    caseStudy,
    canAdopt: officer && theirs && !own && openForAdoption(project.state) && (participantKinds as readonly string[]).includes(viewer.organisation.kind),
    adoptionHref: own ? `/projects/${project.id}/adoptions/${own.id}` : null,
    canContact: officer && theirs,
  };
}

/** The bid's own councils' people see the panel while the bid is being written (or changed at the fund team's request). */
export function showsSimilarWork(relation: string, state: string): boolean {
  return ["leadOfficer", "leadCertifier", "partnerOfficer", "partnerCertifier"].includes(relation) && (state === "draft" || state === "changesRequested");
}
