import { database, type SqlQuery } from "~/db/database.server.ts";
import { londonToday } from "~/utils/dates.ts";
import { participantKinds } from "../../workflows/rules.ts";
import { projectFilter, type PortfolioFilters } from "./portfolio.server.ts";
import { adoptionsByProject, adoptionTotals, scaledShare } from "./sql.server.ts";
import { percentOf } from "~/utils/format.ts";
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

export async function scaleFigures(filters: Pick<PortfolioFilters, "fund" | "round" | "councilType">, today = londonToday(), sql: SqlQuery = database().sql) {
  const filter = projectFilter(filters);
  const [o, byProject, share] = await Promise.all([
    adoptionTotals(sql, filter, today, [...participantKinds]),
    adoptionsByProject(sql, filter, today),
    scaledShare(sql, filter),
  ]);

  const totalPence = num(share?.total);
  const scaledPence = num(share?.scaled);
  return {
    adoptions: { registered: o.registered, planning: o.planning, live: o.live, stopped: o.stopped } satisfies AdoptionCounts,
    councils: {
      live: o.liveCouncils,
      adopting: o.adoptingCouncils,
      eligible: o.eligibleCouncils,
      livePercent: percentOf(o.liveCouncils, o.eligibleCouncils),
      adoptingPercent: percentOf(o.adoptingCouncils, o.eligibleCouncils),
    },
    goLive: { first: day(o.firstLive), latest: day(o.latestLive), next: day(o.nextGoLive), planned: o.plannedGoLives },
    savingsPence: num(o.savings),
    share: { scaledPence, totalPence, percent: percentOf(scaledPence, totalPence) },
    projects: {
      total: o.projects,
      rows: byProject.map((r): ScaleProject => ({
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
