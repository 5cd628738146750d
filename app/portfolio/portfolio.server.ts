import { database } from "~/db/database.server.ts";
import { londonToday } from "~/utils/dates.ts";
import { stateLabel, stateTagColour, statesOf } from "../../workflows/index.ts";
import { portfolioStageLabels, portfolioStageOf, portfolioStages, type PortfolioStage } from "./stages.ts";
import { clampPage, pageParam } from "~/utils/paging.ts";

// The fund team's view of every funded project. Everything is counted and summed in the
// database over ProjectFigures and OpenCondition, one narrow row per project (or unmet
// condition) kept in step by triggers (app/dashboards), and every list is limited, so the
// page reads no snapshot and no spend report, whether there are ten projects or ten thousand.

export const BOARD_PAGE_SIZE = 50;
// The longest overdue first; the rest are counted, and found with the filters.
export const LIST_LIMIT = 20;
/** Lists are counted up to this many; beyond it the page says "more than". */
export const COUNT_CAP = 1000;
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

/** The filtered projects' figures (f), as a WHERE clause with $1…$3 bound to fund, round and council type. */
export const FILTERED = `
  ($1::text IS NULL OR f."roundId" IN (SELECT id FROM "Round" WHERE "fundId" = $1))
  AND ($2::text IS NULL OR f."roundId" = $2)
  AND ($3::text IS NULL OR f."leadOrganisationId" IN (SELECT id FROM "Organisation" WHERE "councilTypeCode" = $3))`;

export interface StageFigures {
  stage: PortfolioStage;
  label: string;
  projects: number;
  committedPence: number;
  spentPence: number;
}

export async function portfolio(filters: PortfolioFilters, today = londonToday()) {
  const sql = database().sql;
  const bound = [filters.fund || null, filters.round || null, filters.councilType || null];

  const dueWindow = addDays(today, CONDITION_WINDOW_DAYS);
  // What each list is drawn from (f: the projects' figures), with $1…$3 the filters and $4 a date.
  const gatesDue = `FROM "ProjectFigures" f WHERE ${FILTERED} AND f.state LIKE '%\\_delivering' AND f."nextGateDueOn" < $4::date`;
  const milestonesDue = `FROM "Milestone" m JOIN "ProjectFigures" f ON f."projectId" = m."projectId"
    WHERE ${FILTERED} AND f.active AND m.status <> 'done' AND m."dueOn" < $4::date`;
  const conditionsDue = (comparison: "<" | "<=") => `FROM "OpenCondition" c JOIN "ProjectFigures" f ON f."projectId" = c."projectId"
    WHERE ${FILTERED} AND f.active AND c."dueDate" ${comparison} $4::text`;

  // Independent queries: in parallel on PostgreSQL's pool (PGlite runs them in turn).
  const [byState, overdueGates, gatesTotal, overdueMilestones, milestonesTotal, conditions, conditionsTotal, conditionsOverdue] = await Promise.all([
    sql<{ state: string; projects: number; committed: unknown; spent: unknown }>(
      `SELECT f.state, sum(f.projects)::int AS projects, coalesce(sum(f."committedPence"), 0)::bigint AS committed,
         coalesce(sum(f."spentPence"), 0)::bigint AS spent
       FROM "ProjectTally" f WHERE ${FILTERED} GROUP BY f.state HAVING sum(f.projects) <> 0`,
      bound,
    ),
    sql<{ id: string; reference: string; title: string; state: string; leadName: string; nextGateDueOn: Date }>(
      `WITH due AS (SELECT f."projectId", f."nextGateDueOn", f.reference ${gatesDue} ORDER BY f."nextGateDueOn", f.reference LIMIT ${LIST_LIMIT})
       SELECT p.id, p.reference, p.title, p.state, o.name AS "leadName", p."nextGateDueOn"
       FROM due JOIN "Project" p ON p.id = due."projectId" JOIN "Organisation" o ON o.id = p."leadOrganisationId"
       ORDER BY due."nextGateDueOn", due.reference`,
      [...bound, today],
    ),
    cappedCount(gatesDue, [...bound, today]),
    sql<{ id: string; title: string; dueOn: Date; status: string; projectId: string; reference: string; projectTitle: string; leadName: string }>(
      `WITH due AS (
         SELECT m.id, m.title, m."dueOn", m.status, f."projectId", f.reference ${milestonesDue}
         ORDER BY m."dueOn", m.id LIMIT ${LIST_LIMIT}
       )
       SELECT due.id, due.title, due."dueOn", due.status, due."projectId", due.reference, p.title AS "projectTitle", o.name AS "leadName"
       FROM due JOIN "Project" p ON p.id = due."projectId" JOIN "Organisation" o ON o.id = p."leadOrganisationId"
       ORDER BY due."dueOn", due.id`,
      [...bound, today],
    ),
    cappedCount(milestonesDue, [...bound, today]),
    sql<{ projectId: string; reference: string; projectTitle: string; leadName: string; text: string; dueDate: string; overdue: boolean }>(
      `WITH due AS (
         SELECT c."projectId", f.reference, c.text, c."dueDate", c."dueDate" < $5::text AS overdue ${conditionsDue("<=")}
         ORDER BY c."dueDate", f.reference LIMIT ${LIST_LIMIT}
       )
       SELECT due."projectId", due.reference, p.title AS "projectTitle", o.name AS "leadName", due.text, due."dueDate", due.overdue
       FROM due JOIN "Project" p ON p.id = due."projectId" JOIN "Organisation" o ON o.id = p."leadOrganisationId"
       ORDER BY due."dueDate", due.reference`,
      [...bound, dueWindow, today],
    ),
    cappedCount(conditionsDue("<="), [...bound, dueWindow]),
    cappedCount(conditionsDue("<"), [...bound, today]),
  ]);
  const byStage = new Map<PortfolioStage, { projects: number; committed: number; spent: number }>();
  for (const r of byState.rows) {
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

  const states = byState.rows
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
  const board = await sql<{
    id: string;
    reference: string;
    title: string;
    state: string;
    leadName: string;
    nextGateDueOn: Date | null;
  }>(
    `WITH shown AS (
       SELECT f."projectId", f."stageOrder", f.state, f.reference FROM "ProjectFigures" f
       WHERE ${FILTERED} AND ($4::text IS NULL OR f.state = $4)
       ORDER BY f."stageOrder", f.state, f.reference
       LIMIT ${BOARD_PAGE_SIZE} OFFSET $5
     )
     SELECT p.id, p.reference, p.title, p.state, o.name AS "leadName", p."nextGateDueOn"
     FROM shown JOIN "Project" p ON p.id = shown."projectId" JOIN "Organisation" o ON o.id = p."leadOrganisationId"
     ORDER BY shown."stageOrder", shown.state, shown.reference`,
    [...bound, filters.state || null, (page - 1) * BOARD_PAGE_SIZE],
  );

  return {
    today,
    stages,
    totals,
    states,
    board: {
      rows: board.rows.map((r) =>
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
    overdueGates: { rows: overdueGates.rows, ...gatesTotal },
    overdueMilestones: { rows: overdueMilestones.rows, ...milestonesTotal },
    conditions: { rows: conditions.rows, ...conditionsTotal, overdue: conditionsOverdue.total, overdueMore: conditionsOverdue.more },
  };
}

/**
 * How many rows a list has, counted up to COUNT_CAP: past that the page says "more than
 * 1,000", so a list's count costs no more than reading a thousand index entries, however
 * far behind the portfolio falls.
 */
async function cappedCount(from: string, params: unknown[]): Promise<{ total: number; more: boolean }> {
  const { rows } = await database().sql<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT 1 ${from} LIMIT ${COUNT_CAP + 1}) capped`, params);
  const n = Number(rows[0]?.n ?? 0);
  return { total: Math.min(n, COUNT_CAP), more: n > COUNT_CAP };
}

function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The choices for the filters: small tables, read whole. */
export async function filterOptions() {
  const sql = database().sql;
  const [funds, rounds, councilTypes] = await Promise.all([
    sql<{ id: string; name: string }>(`SELECT id, name FROM "Fund" ORDER BY name, id`),
    sql<{ id: string; name: string; fundName: string }>(
      `SELECT r.id, r.name, f.name AS "fundName" FROM "Round" r JOIN "Fund" f ON f.id = r."fundId" ORDER BY f.name, r."opensAt" DESC, r.id`,
    ),
    sql<{ code: string; name: string }>(`SELECT code, name FROM "CouncilType" ORDER BY name`),
  ]);
  return {
    funds: funds.rows,
    rounds: rounds.rows,
    councilTypes: councilTypes.rows,
  };
}
