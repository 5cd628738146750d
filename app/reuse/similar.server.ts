import type { SignedInUser } from "~/auth/session.server.ts";
import { openForAdoption } from "~/adoptions/adoptions.server.ts";
import { readAnswers, type BidSectionKey } from "~/bid-form/sections.ts";
import { database, db } from "~/db/database.server.ts";
import { participantKinds } from "../../workflows/rules.ts";
import { markedWords, snippetParts, stageTag, type SimilarWorkItem } from "./similar-work.ts";
import {
  adoptionsOf,
  presentSimilarWork,
  rebuildAllSimilarWork,
  searchSimilarWork,
  searchState,
  type SimilarMatch,
  type SimilarRanking,
  type SimilarSearch,
} from "./sql.server.ts";
import { notFound } from "~/http/errors.server.ts";
import { countSimilarWorkSearch } from "~/observability/metrics.server.ts";
import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";

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
 * labelled set. The statement, with the constants that tune it, is in sql.server.ts.
 */

/** The sections whose answers say what the work is: the query is made of these. */
export const QUERY_SECTIONS: readonly BidSectionKey[] = ["summary", "problem", "approach"];

export const SIMILAR_LIMIT = 5;
const MIN_SHARED = 3;
const MIN_SCORE = 0.05;

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

/**
 * Rankings kept for drafts searched before, by what was searched. Ranking is the costly part
 * (at 100,000 funded projects a draft's words match thousands of documents, each read and
 * ranked: tens of milliseconds of PostgreSQL's time), and a council officer moves between a
 * draft's task list and its sections many times between changes to its words. A kept ranking
 * is used only while SimilarWork's token is the one it was ranked under: any change to the
 * funded work searched gives a new token (a statement trigger, in the change's transaction),
 * and a changed draft is a different key. What is shown of each item is read fresh every time.
 * The age limit covers the one input with no token: the database's word statistics, which
 * decide the words left out as everywhere (they move only with ANALYZE, and slowly).
 * Per process and bounded; each process keeps its own, so nothing here is state the service
 * depends on (docs/decisions/0018-similar-work-kept-rankings.md).
 */
const kept = new LRUCache<string, { token: string; ranking: SimilarRanking; query: string }>({ max: 2_000, ttl: 10 * 60_000 });

/**
 * The funded work most like the query, best first. `exclude` leaves out projects by id, and
 * `bidId` the projects that bid became (a funded bid is not shown its own work). `fresh`
 * ranks again even where a ranking is kept (to measure the search itself).
 */
export async function findSimilarWork(
  query: SimilarQuery,
  options: { exclude?: string[]; bidId?: string; limit?: number; floor?: { shared: number; score: number }; fresh?: boolean } = {},
): Promise<SimilarMatch[]> {
  // eslint-disable-next-line no-control-regex -- \u0001 and \u0002 are the search's own markers, which a query may not contain
  const text = query.text.replace(/[\u0001\u0002]/g, " ").trim();
  if (!text) return [];
  const sql = database().sql;
  // Read before the search: a change committed in between gives a new token, so the ranking
  // kept under this one is not used again.
  const { token, own } = await searchState(sql, options.bidId ?? null);
  const search: SimilarSearch = {
    text: text.slice(0, 60_000),
    title: query.title.trim().slice(0, 200),
    exclude: [...(options.exclude ?? []), ...own],
    limit: options.limit ?? SIMILAR_LIMIT,
    minShared: options.floor?.shared ?? MIN_SHARED,
    minScore: options.floor?.score ?? MIN_SCORE,
  };
  const key = createHash("sha256").update(JSON.stringify(search)).digest("base64url");
  const hit = token && !options.fresh ? kept.get(key) : undefined;
  if (hit && hit.token === token) {
    countSimilarWorkSearch("kept");
    return presentSimilarWork(sql, search, hit.ranking, hit.query);
  }
  const matches = await searchSimilarWork(sql, search);
  countSimilarWorkSearch("ranked");
  if (token) kept.set(key, { token, ranking: matches.map(({ projectId, score, shared }) => ({ projectId, score, shared })), query: matches[0]?.query ?? "" });
  return matches;
}

/** Makes every project's row again from the records, in one statement: after a bulk load, or to repair. */
export async function rebuildSimilarWork(): Promise<number> {
  return rebuildAllSimilarWork(database().sql);
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
  const matches = await findSimilarWork(draftQuery(bid), { bidId: bid.id, limit: options.limit });
  if (!matches.length) return [];
  const council = viewer.organisation.id;
  const adopting = options.actions
    ? await adoptionsOf(
        database().sql,
        council,
        matches.map((m) => m.projectId),
      )
    : [];
  const adoptionOf = new Map(adopting.map((a) => [a.projectId, a.id]));
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
