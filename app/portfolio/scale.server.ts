import { database } from "~/db/database.server.ts";
import { londonToday } from "~/utils/dates.ts";
import { participantKinds } from "../../workflows/rules.ts";
import { FILTERED, LIST_LIMIT, type PortfolioFilters } from "./portfolio.server.ts";
import { portfolioStageLabels, portfolioStageOf } from "./stages.ts";

// What scaling achieved, for the portfolio: adoptions by status, councils reached out of
// every council that may take part in a bid, go-live dates, savings reported, and the share
// of the money that went to products now in use elsewhere. Each figure is one aggregate
// query over the adoptions (joined to the projects' kept figures for the filters) and the
// portfolio's tallies: nothing is read project by project, and the per-project table is
// one page of the largest.

const num = (value: unknown) => Number(value ?? 0);
// Dates come back as text (YYYY-MM-DD), so no time zone can move them a day.
const day = (value: string | null) => value ?? null;

export interface AdoptionCounts {
  registered: number;
  planning: number;
  live: number;
  stopped: number;
}

export interface ScaleProject {
  id: string;
  reference: string;
  title: string;
  leadName: string;
  stageLabel: string;
  adoptions: AdoptionCounts;
  /** The first adopting council to go live, and the next one planned (today or later). */
  firstLive: string | null;
  nextGoLive: string | null;
  savingsPence: number;
}

export async function scaleFigures(filters: Pick<PortfolioFilters, "fund" | "round" | "councilType">, today = londonToday()) {
  const sql = database().sql;
  const bound = [filters.fund || null, filters.round || null, filters.councilType || null];
  const kinds = [...participantKinds];
  // An adoption counts once per status; a council counts once, however many products it adopts.
  const counts = `count(*) FILTER (WHERE a.status = 'registered')::int AS registered,
    count(*) FILTER (WHERE a.status = 'planning')::int AS planning,
    count(*) FILTER (WHERE a.status = 'live')::int AS live,
    count(*) FILTER (WHERE a.status = 'stopped')::int AS stopped,
    coalesce(sum(a."savingsPence"), 0)::bigint AS savings,
    min(a."goLiveOn") FILTER (WHERE a.status = 'live')::text AS "firstLive",
    min(a."goLiveOn") FILTER (WHERE a.status IN ('registered', 'planning') AND a."goLiveOn" >= $4::date)::text AS "nextGoLive"`;
  const adoptions = `FROM "Adoption" a JOIN "ProjectFigures" f ON f."projectId" = a."projectId" WHERE ${FILTERED}`;

  const [overall, byProject, share] = await Promise.all([
    sql<{
      registered: number;
      planning: number;
      live: number;
      stopped: number;
      savings: unknown;
      firstLive: string | null;
      nextGoLive: string | null;
      latestLive: string | null;
      plannedGoLives: number;
      projects: number;
      liveCouncils: number;
      adoptingCouncils: number;
      eligibleCouncils: number;
    }>(
      `SELECT ${counts},
         max(a."goLiveOn") FILTER (WHERE a.status = 'live')::text AS "latestLive",
         count(*) FILTER (WHERE a.status IN ('registered', 'planning') AND a."goLiveOn" >= $4::date)::int AS "plannedGoLives",
         count(DISTINCT a."projectId")::int AS projects,
         count(DISTINCT a."organisationId") FILTER (WHERE a.status = 'live' AND o.kind::text = ANY($5::text[]) AND o."endDate" IS NULL)::int AS "liveCouncils",
         count(DISTINCT a."organisationId") FILTER (WHERE a.status <> 'stopped' AND o.kind::text = ANY($5::text[]) AND o."endDate" IS NULL)::int AS "adoptingCouncils",
         (SELECT count(*)::int FROM "Organisation" e WHERE e.kind::text = ANY($5::text[]) AND e."endDate" IS NULL) AS "eligibleCouncils"
       FROM "Adoption" a JOIN "ProjectFigures" f ON f."projectId" = a."projectId" JOIN "Organisation" o ON o.id = a."organisationId"
       WHERE ${FILTERED}`,
      [...bound, today, kinds],
    ),
    sql<{
      projectId: string;
      registered: number;
      planning: number;
      live: number;
      stopped: number;
      savings: unknown;
      firstLive: string | null;
      nextGoLive: string | null;
      reference: string;
      title: string;
      state: string;
      leadName: string;
    }>(
      `WITH per AS (
         SELECT a."projectId", ${counts} ${adoptions}
         GROUP BY a."projectId"
         ORDER BY savings DESC, live DESC, a."projectId"
         LIMIT ${LIST_LIMIT}
       )
       SELECT per.*, p.reference, p.title, p.state, o.name AS "leadName"
       FROM per JOIN "Project" p ON p.id = per."projectId" JOIN "Organisation" o ON o.id = p."leadOrganisationId"
       ORDER BY per.savings DESC, per.live DESC, per."projectId"`,
      [...bound, today],
    ),
    sql<{ total: unknown; scaled: unknown }>(
      `SELECT (SELECT coalesce(sum(f."committedPence"), 0) FROM "ProjectTally" f WHERE ${FILTERED})::bigint AS total,
         (SELECT coalesce(sum(f."committedPence"), 0) FROM "ProjectFigures" f
           WHERE ${FILTERED} AND (f.state LIKE 'scale\\_%' OR f.state = 'completed')
             AND EXISTS (SELECT 1 FROM "Adoption" a WHERE a."projectId" = f."projectId" AND a.status <> 'stopped'))::bigint AS scaled`,
      bound,
    ),
  ]);

  const o = overall.rows[0]!;
  const totalPence = num(share.rows[0]?.total);
  const scaledPence = num(share.rows[0]?.scaled);
  const percent = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0);
  return {
    adoptions: { registered: o.registered, planning: o.planning, live: o.live, stopped: o.stopped } satisfies AdoptionCounts,
    councils: {
      live: o.liveCouncils,
      adopting: o.adoptingCouncils,
      eligible: o.eligibleCouncils,
      livePercent: percent(o.liveCouncils, o.eligibleCouncils),
      adoptingPercent: percent(o.adoptingCouncils, o.eligibleCouncils),
    },
    goLive: { first: day(o.firstLive), latest: day(o.latestLive), next: day(o.nextGoLive), planned: o.plannedGoLives },
    savingsPence: num(o.savings),
    share: { scaledPence, totalPence, percent: percent(scaledPence, totalPence) },
    projects: {
      total: o.projects,
      rows: byProject.rows.map((r): ScaleProject => ({
        id: r.projectId,
        reference: r.reference,
        title: r.title,
        leadName: r.leadName,
        stageLabel: portfolioStageLabels[portfolioStageOf(r.state)],
        adoptions: { registered: r.registered, planning: r.planning, live: r.live, stopped: r.stopped },
        firstLive: day(r.firstLive),
        nextGoLive: day(r.nextGoLive),
        savingsPence: num(r.savings),
      })),
    },
  };
}
