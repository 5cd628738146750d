import { database, type SqlQuery } from "~/db/database.server.ts";
import { addDays, londonToday } from "~/utils/dates.ts";
import { stateLabel, stateTagColour, statesOf } from "../../workflows/index.ts";
import { portfolioStageLabels, portfolioStageOf, portfolioStages, type PortfolioStage } from "./stages.ts";
import { clampPage, pageParam } from "~/utils/paging.ts";
import {
  BOARD_PAGE_SIZE,
  boardPage,
  conditionsDueBy,
  figuresByState,
  filterChoices,
  listCounts,
  overdueGates,
  overdueMilestones,
  type ProjectFilter,
} from "./sql.server.ts";

// The fund team's view of every funded project. Everything is counted and summed in the
// database over ProjectFigures and OpenCondition, one narrow row per project (or unmet
// condition) kept in step by triggers (app/dashboards), and every list is limited, so the
// page reads no snapshot and no spend report, whether there are ten projects or ten thousand.

export { BOARD_PAGE_SIZE, COUNT_CAP, LIST_LIMIT } from "./sql.server.ts";
/** Conditions due within this many days are shown as coming up. */
export const CONDITION_WINDOW_DAYS = 30;

export interface PortfolioFilters {
  fund: string;
  round: string;
  councilType: string;
  state: string;
  page: number;
}

export function filtersFrom(url: URL): PortfolioFilters {
  const text = (key: string) => (url.searchParams.get(key) ?? "").trim().slice(0, 100);
  return {
    fund: text("fund"),
    round: text("round"),
    councilType: text("councilType"),
    state: statesOf("project").includes(text("state")) ? text("state") : "",
    page: pageParam(url.searchParams.get("page")),
  };
}

const num = (value: unknown) => Number(value ?? 0);

/** The filters as the queries take them: fund, round and council type, each null when not set. */
export const projectFilter = (filters: Pick<PortfolioFilters, "fund" | "round" | "councilType">): ProjectFilter => ({
  fund: filters.fund || null,
  round: filters.round || null,
  councilType: filters.councilType || null,
});

export interface StageFigures {
  stage: PortfolioStage;
  label: string;
  projects: number;
  committedPence: number;
  spentPence: number;
}

/** `sql` may gather the first reads into one statement with the page's others (readTogether). */
export async function portfolio(filters: PortfolioFilters, today = londonToday(), sql: SqlQuery = database().sql) {
  const filter = projectFilter(filters);

  const dueWindow = addDays(today, CONDITION_WINDOW_DAYS);
  // Independent reads, started at once: one statement when read together, otherwise in
  // parallel on PostgreSQL's pool (PGlite runs them in turn). The board's first page is one of
  // them (page 1 is page 1 whatever the counts); a later page waits for the counts.
  const firstPage = filters.page <= 1;
  const [byState, gates, milestones, conditions, counts, boardFirst] = await Promise.all([
    figuresByState(sql, filter),
    overdueGates(sql, filter, today),
    overdueMilestones(sql, filter, today),
    conditionsDueBy(sql, filter, dueWindow, today),
    listCounts(sql, filter, today, dueWindow),
    firstPage ? boardPage(sql, filter, filters.state || null, 0) : null,
  ]);
  const byStage = new Map<PortfolioStage, { projects: number; committed: number; spent: number }>();
  for (const r of byState) {
    const stage = portfolioStageOf(r.state);
    const sum = byStage.get(stage) ?? { projects: 0, committed: 0, spent: 0 };
    byStage.set(stage, { projects: sum.projects + r.projects, committed: sum.committed + num(r.committed), spent: sum.spent + num(r.spent) });
  }
  const stages: StageFigures[] = portfolioStages.map((stage) => {
    const row = byStage.get(stage);
    return {
      stage,
      label: portfolioStageLabels[stage],
      projects: num(row?.projects),
      committedPence: num(row?.committed),
      spentPence: num(row?.spent),
    };
  });
  const totals = stages.reduce(
    (sum, s) => ({
      projects: sum.projects + s.projects,
      committedPence: sum.committedPence + s.committedPence,
      spentPence: sum.spentPence + s.spentPence,
    }),
    { projects: 0, committedPence: 0, spentPence: 0 },
  );

  const states = byState
    .map((r) => ({
      state: r.state,
      label: stateLabel("project", r.state),
      tag: stateTagColour("project", r.state),
      stage: portfolioStageOf(r.state),
      projects: r.projects,
    }))
    .sort(
      (a, b) =>
        portfolioStages.indexOf(a.stage) - portfolioStages.indexOf(b.stage) || statesOf("project").indexOf(a.state) - statesOf("project").indexOf(b.state),
    );

  const boardTotal = filters.state ? (states.find((s) => s.state === filters.state)?.projects ?? 0) : totals.projects;
  const pages = Math.max(1, Math.ceil(boardTotal / BOARD_PAGE_SIZE));
  const page = clampPage(filters.page, pages);
  // A later page is read once the counts say which it is: on its own, after an await.
  const board = boardFirst ?? (await boardPage(sql, filter, filters.state || null, (page - 1) * BOARD_PAGE_SIZE));

  return {
    today,
    stages,
    totals,
    states,
    board: {
      rows: board.map((r) =>
        Object.assign({}, r, {
          label: stateLabel("project", r.state),
          tag: stateTagColour("project", r.state),
          stageLabel: portfolioStageLabels[portfolioStageOf(r.state)],
        }),
      ),
      page,
      pages,
      total: boardTotal,
    },
    overdueGates: { rows: gates, ...counts.gates },
    overdueMilestones: { rows: milestones, ...counts.milestones },
    conditions: { rows: conditions, ...counts.conditionsDue, overdue: counts.conditionsOverdue.total, overdueMore: counts.conditionsOverdue.more },
  };
}

/** The choices for the filters: small tables, read whole. */
export async function filterOptions(sql: SqlQuery = database().sql) {
  return filterChoices(sql);
}
