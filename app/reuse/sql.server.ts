import type { SqlQuery } from "~/db/database.server.ts";
import { MARK_END, MARK_START } from "./similar-work.ts";

// Similar work's SQL: PostgreSQL's full-text search (to_tsvector, ts_rank, ts_headline) and
// pg_trgm's trigram similarity of titles, over the SimilarWork table the triggers keep, in
// one statement that finds, ranks and highlights the matches (npm run bench:similar-work).
// Prisma's API can express none of it. How the search ranks: app/reuse/similar.server.ts.
// docs/decisions/0015-data-access.md.

// The draft's most frequent words, at most this many: a long draft must not make every
// document a candidate, nor the query slow.
const MAX_QUERY_WORDS = 48;
// Candidates ranked in full (score, shared words, highlighting), from the text search and
// from the title trigram index.
const TEXT_CANDIDATES = 40;
const TITLE_CANDIDATES = 10;
// Words nearly every bid uses: they say nothing about what the work is, so the query leaves
// them out (and they do not count as shared). Stemmed by PostgreSQL as the documents are.
const COMMON_WORDS =
  "council councils resident residents service services online digital staff people work will use using make bid project pilot local authority partner partners across improve deliver team new one time way need needs";
// Once there is enough funded work for PostgreSQL's statistics of the documents to be worth
// reading (ANALYZE keeps each lexeme's share of documents), the draft's words found in more
// than this share of all documents are left out too: like COMMON_WORDS, they say nothing
// about what the work is, and each would make nearly every document a candidate.
const EVERYWHERE = 0.2;
const EVERYWHERE_FROM = 1000;
// How far the title's trigram similarity counts against the text rank.
const TITLE_WEIGHT = 0.35;

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
  /** The query the draft's words made (a tsquery, as text), the same on every row: kept with the ranking. */
  query: string;
}

// Marks the server puts around shared words; stripped from the text first, so only ts_headline's count.
const clean = (column: string) => `translate(${column}, E'\\x01\\x02', '')`;
const HEADLINE_OPTIONS = `'StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=35, MinWords=15, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "'`;
// A summary up to this long is shown whole; a longer one as its best fragments.
const WHOLE_SNIPPET = 320;
const ALL_OPTIONS = `'StartSel=${MARK_START}, StopSel=${MARK_END}, HighlightAll=true'`;

// The statements' parameters:
//   search:  $1 the draft's words   $2 COMMON_WORDS   $3 limit   $4 minScore   $5 title   $6 exclude   $7 minShared
//   kept:    $1 the query kept   $2 project ids   $3 scores   $4 shared words   $5 limit   $6 minScore

// The query: the draft's words that say what the work is, as an OR of stemmed words.
const QUERY = `
everywhere AS (
  SELECT e.lexeme
  FROM pg_stats st
  CROSS JOIN LATERAL unnest(st.most_common_elems::text::text[], st.most_common_elem_freqs) AS e(lexeme, freq)
  WHERE st.schemaname = current_schema() AND st.tablename = 'SimilarWork' AND st.attname = 'document' AND e.lexeme IS NOT NULL AND e.freq > ${EVERYWHERE}
    AND (SELECT reltuples FROM pg_class WHERE oid = '"SimilarWork"'::regclass) >= ${EVERYWHERE_FROM}
), lexemes AS (
  SELECT u.lexeme
  FROM unnest(to_tsvector('english', $1::text)) u
  WHERE length(u.lexeme) > 2 AND u.lexeme !~ '[''\\\\]' AND NOT (u.lexeme = ANY(tsvector_to_array(to_tsvector('english', $2::text))))
    AND NOT EXISTS (SELECT 1 FROM everywhere e WHERE e.lexeme = u.lexeme)
  ORDER BY coalesce(array_length(u.positions, 1), 1) DESC, u.lexeme
  LIMIT ${MAX_QUERY_WORDS}
), q AS (
  SELECT string_agg('''' || lexeme || '''', ' | ')::tsquery AS query, array_agg(lexeme) AS words FROM lexemes
)`;

// The ranking: the best candidates by text rank and by title, scored, over the floor. The
// costly part at scale (every document matching a word is read and ranked).
const RANKING = `
by_text AS (
  SELECT s."projectId", ts_rank(s.document, q.query, 1) AS rank
  FROM "SimilarWork" s, q
  WHERE q.query IS NOT NULL AND s.document @@ q.query AND NOT (s."projectId" = ANY($6::text[]))
  ORDER BY rank DESC, s."projectId"
  LIMIT ${TEXT_CANDIDATES}
), by_title AS (
  SELECT s."projectId", 0::real AS rank
  FROM "SimilarWork" s
  WHERE length($5::text) > 3 AND s.title %> $5::text AND NOT (s."projectId" = ANY($6::text[]))
  LIMIT ${TITLE_CANDIDATES}
), candidates AS (
  SELECT "projectId", max(rank) AS rank FROM (SELECT * FROM by_text UNION ALL SELECT * FROM by_title) c GROUP BY "projectId"
), scored AS (
  SELECT c."projectId", c.rank,
    CASE WHEN length($5::text) > 3 THEN word_similarity($5::text, s.title) ELSE 0 END AS title_similarity,
    (SELECT count(*) FROM unnest(s.document) d, q WHERE d.lexeme = ANY(q.words))::int AS shared
  FROM candidates c JOIN "SimilarWork" s ON s."projectId" = c."projectId"
), ranked AS (
  SELECT "projectId", shared, (rank / (rank + 0.25)) * ${1 - TITLE_WEIGHT} + title_similarity * ${TITLE_WEIGHT} AS score
  FROM scored
  WHERE shared >= $7
)`;

// A ranking kept from an earlier search of the same draft, against the same SimilarWork, with
// the query that search made: working the query out again (the draft's words, the statistics'
// most common words) cost more than the rest of the statement, and planning it as much again.
const KEPT = `
q AS (SELECT $1::tsquery AS query),
ranked AS (
  SELECT * FROM unnest($2::text[], $3::float8[], $4::int[]) AS r("projectId", score, shared)
)`;

// What is shown of each ranked item, read fresh every time (its stage and adopters change
// without changing what it is ranked by), with the draft's words highlighted.
const present = (limit: string, minScore: string) => `
SELECT r."projectId", p.title, p.reference, p.state, p."serviceArea", p."leadOrganisationId", o.name AS lead,
  r.score::float8 AS score, r.shared,
  (SELECT count(*)::int FROM "Adoption" a WHERE a."projectId" = p.id AND a.status <> 'stopped') AS adopters,
  cs.slug AS "caseStudySlug", cs.title AS "caseStudyTitle",
  ts_headline('english', t.shown, q.query, CASE WHEN length(t.shown) <= ${WHOLE_SNIPPET} THEN ${ALL_OPTIONS} ELSE ${HEADLINE_OPTIONS} END) AS snippet,
  ts_headline('english', ${clean(`concat_ws(' ', p.title, p.summary, p."serviceArea", cs.title, cs.problem, cs.approach, cs.outcome, cs.lessons)`)}, q.query, ${ALL_OPTIONS}) AS marked,
  q.query::text AS query
FROM ranked r
JOIN "Project" p ON p.id = r."projectId"
JOIN "Organisation" o ON o.id = p."leadOrganisationId"
LEFT JOIN "CaseStudy" cs ON cs."projectId" = p.id AND cs.status = 'published'
CROSS JOIN LATERAL (SELECT ${clean(`coalesce(nullif(p.summary, ''), cs.problem, '')`)} AS shown) t
CROSS JOIN q
WHERE r.score >= ${minScore}
ORDER BY r.score DESC, p.reference
LIMIT ${limit}`;

const SEARCH = `WITH ${QUERY}, ${RANKING} ${present("$3", "$4")}`;
const PRESENT_KEPT = `WITH ${KEPT} ${present("$5", "$6")}`;

/** What the search is given. */
export interface SimilarSearch {
  /** The draft's words (its markers taken out). */
  text: string;
  /** The draft's title, matched by trigrams against funded titles. */
  title: string;
  /** Projects left out, by id. */
  exclude: string[];
  limit: number;
  /** The floor: words a match must share with the draft, and the score it must reach. */
  minShared: number;
  minScore: number;
}

/** A search's ranking, without what is shown of each item: what is kept for the same draft. */
export type SimilarRanking = Pick<SimilarMatch, "projectId" | "score" | "shared">[];

/** The funded work most like the draft, best first, highlighted: one statement. */
export async function searchSimilarWork(sql: SqlQuery, search: SimilarSearch): Promise<SimilarMatch[]> {
  const { rows } = await sql<SimilarMatch>(SEARCH, [search.text, COMMON_WORDS, search.limit, search.minScore, search.title, search.exclude, search.minShared]);
  return rows;
}

/**
 * The same answer as searchSimilarWork, from a ranking kept from it and the query it made
 * (its rows' `query`): the items read and highlighted again, not ranked.
 */
export async function presentSimilarWork(sql: SqlQuery, search: SimilarSearch, ranking: SimilarRanking, query: string): Promise<SimilarMatch[]> {
  if (!ranking.length) return [];
  const { rows } = await sql<SimilarMatch>(
    PRESENT_KEPT,
    [query, ranking.map((r) => r.projectId), ranking.map((r) => r.score), ranking.map((r) => r.shared), search.limit, search.minScore],
    // Prepared: the same statement for every panel that has a kept ranking.
    "similar_work_kept",
  );
  return rows;
}

/**
 * Before a search: the token of SimilarWork's present contents (a new one whenever they
 * change; null if there is none yet) and the projects `bidId` became, if it was funded
 * (left out of its own search). One statement, since every panel needs both.
 */
export async function searchState(sql: SqlQuery, bidId: string | null): Promise<{ token: string | null; own: string[] }> {
  const { rows } = await sql<{ token: string | null; own: string[] }>(
    `SELECT (SELECT token::text FROM "SimilarWorkGeneration" WHERE id = 1) AS token,
       ARRAY(SELECT id FROM "Project" WHERE "bidId" = $1::text ORDER BY id) AS own`,
    [bidId],
    // Prepared, as every panel asks it: planned once per connection.
    "similar_work_state",
  );
  return rows[0] ?? { token: null, own: [] };
}

/** Makes every project's row again from the records, in one statement (a function the migrations define); how many were made. */
export async function rebuildAllSimilarWork(sql: SqlQuery): Promise<number> {
  const { rows } = await sql<{ made: string }>(`SELECT springboard_similar_work_rebuild() AS made`);
  return Number(rows[0]?.made ?? 0);
}

/** The council's adoptions of the given projects, by project. */
export async function adoptionsOf(sql: SqlQuery, organisationId: string, projectIds: string[]): Promise<{ id: string; projectId: string }[]> {
  const { rows } = await sql<{ id: string; projectId: string }>(
    `SELECT id, "projectId" FROM "Adoption" WHERE "organisationId" = $1 AND "projectId" = ANY($2::text[])`,
    [organisationId, projectIds],
    "similar_work_adoptions",
  );
  return rows;
}
