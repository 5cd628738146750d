import { database } from "~/db/database.server.ts";
import { londonToday } from "~/organisations/directory.server.ts";
import { stateLabel, stateTagColour, statesOf } from "../../workflows/index.ts";
import { portfolioStageLabels, portfolioStageOf, portfolioStageOrderSql, portfolioStageSql, portfolioStages, type PortfolioStage } from "./stages.ts";

// The fund team's view of every funded project. Everything is counted and summed in the
// database (GROUP BY) and every list is limited, so the page costs the same whether there
// are ten projects or ten thousand.

export const BOARD_PAGE_SIZE = 50;
export const LIST_LIMIT = 50;
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
    page: Math.max(1, Number.parseInt(url.searchParams.get("page") ?? "1", 10) || 1),
  };
}

const num = (value: unknown) => Number(value ?? 0);

/** The filtered projects, as SQL with $1…$3 bound to fund, round and council type. */
const FILTERED = `
  SELECT p.id, p.reference, p.title, p.state, p.snapshot, p."nextGateDueOn", p."leadOrganisationId", o.name AS "leadName"
  FROM "Project" p
    JOIN "Bid" b ON b.id = p."bidId"
    JOIN "Round" r ON r.id = b."roundId"
    JOIN "Organisation" o ON o.id = p."leadOrganisationId"
  WHERE ($1::text IS NULL OR r."fundId" = $1)
    AND ($2::text IS NULL OR r.id = $2)
    AND ($3::text IS NULL OR o."councilTypeCode" = $3)`;

const ACTIVE = `f.state ~ '^(scan|pilot|scale)_'`;

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

  // Independent queries: in parallel on PostgreSQL's pool (PGlite runs them in turn).
  const [byStage, byState, overdueGates, overdueMilestones, conditions] = await Promise.all([
    sql<{
      stage: PortfolioStage;
      projects: number;
      committed: unknown;
      spent: unknown;
    }>(
      `WITH f AS (${FILTERED}),
     committed AS (
       SELECT t."projectId", sum(t."amountPence") AS amount FROM "ProjectTranche" t JOIN f ON f.id = t."projectId" GROUP BY t."projectId"
     ),
     spent AS (
       SELECT DISTINCT ON (s."projectId") s."projectId", s."amountPence" AS amount
       FROM "SpendReport" s JOIN f ON f.id = s."projectId"
       ORDER BY s."projectId", s."periodEnd" DESC, s."createdAt" DESC, s.id DESC
     )
     SELECT ${portfolioStageSql("f.state")} AS stage, count(*)::int AS projects,
       coalesce(sum(c.amount), 0)::bigint AS committed, coalesce(sum(sp.amount), 0)::bigint AS spent
     FROM f LEFT JOIN committed c ON c."projectId" = f.id LEFT JOIN spent sp ON sp."projectId" = f.id
     GROUP BY 1`,
      bound,
    ),
    sql<{ state: string; projects: number }>(`WITH f AS (${FILTERED}) SELECT f.state, count(*)::int AS projects FROM f GROUP BY f.state`, bound),
    sql<{
      id: string;
      reference: string;
      title: string;
      state: string;
      leadName: string;
      nextGateDueOn: Date;
      total: number;
    }>(
      `WITH f AS (${FILTERED})
     SELECT f.id, f.reference, f.title, f.state, f."leadName", f."nextGateDueOn", count(*) OVER ()::int AS total FROM f
     WHERE f.state LIKE '%\\_delivering' AND f."nextGateDueOn" < $4::date
     ORDER BY f."nextGateDueOn", f.reference
     LIMIT ${LIST_LIMIT}`,
      [...bound, today],
    ),
    sql<{
      id: string;
      title: string;
      dueOn: Date;
      status: string;
      projectId: string;
      reference: string;
      projectTitle: string;
      leadName: string;
      total: number;
    }>(
      `WITH f AS (${FILTERED})
     SELECT m.id, m.title, m."dueOn", m.status, f.id AS "projectId", f.reference, f.title AS "projectTitle", f."leadName", count(*) OVER ()::int AS total
     FROM "Milestone" m JOIN f ON f.id = m."projectId"
     WHERE ${ACTIVE} AND m.status <> 'done' AND m."dueOn" < $4::date
     ORDER BY m."dueOn", f.reference, m.id
     LIMIT ${LIST_LIMIT}`,
      [...bound, today],
    ),
    sql<{
      projectId: string;
      reference: string;
      projectTitle: string;
      leadName: string;
      text: string;
      dueDate: string;
      overdue: boolean;
      total: number;
      overdueTotal: number;
    }>(
      `WITH f AS (${FILTERED}),
     c AS (
       SELECT f.id AS "projectId", f.reference, f.title AS "projectTitle", f."leadName", cond->>'text' AS text, cond->>'dueDate' AS "dueDate"
       FROM f CROSS JOIN LATERAL jsonb_array_elements(coalesce(f.snapshot::jsonb->'context'->'conditions', '[]'::jsonb)) AS cond
       WHERE ${ACTIVE} AND coalesce(cond->'met', 'null'::jsonb) = 'null'::jsonb
     )
     SELECT c.*, c."dueDate" < $4 AS overdue, count(*) OVER ()::int AS total,
       (count(*) FILTER (WHERE c."dueDate" < $4) OVER ())::int AS "overdueTotal"
     FROM c WHERE c."dueDate" <= $5
     ORDER BY c."dueDate", c.reference
     LIMIT ${LIST_LIMIT}`,
      [...bound, today, addDays(today, CONDITION_WINDOW_DAYS)],
    ),
  ]);
  const stages: StageFigures[] = portfolioStages.map((stage) => {
    const row = byStage.rows.find((r) => r.stage === stage);
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
        portfolioStages.indexOf(a.stage) - portfolioStages.indexOf(b.stage) ||
        statesOf("project").indexOf(a.state) - statesOf("project").indexOf(b.state),
    );

  const boardTotal = filters.state ? states.find((s) => s.state === filters.state)?.projects ?? 0 : totals.projects;
  const pages = Math.max(1, Math.ceil(boardTotal / BOARD_PAGE_SIZE));
  const page = Math.min(filters.page, pages);
  const board = await sql<{
    id: string;
    reference: string;
    title: string;
    state: string;
    leadName: string;
    nextGateDueOn: Date | null;
  }>(
    `WITH f AS (${FILTERED})
     SELECT f.id, f.reference, f.title, f.state, f."leadName", f."nextGateDueOn" FROM f
     WHERE ($4::text IS NULL OR f.state = $4)
     ORDER BY ${portfolioStageOrderSql("f.state")}, f.state, f.reference
     LIMIT ${BOARD_PAGE_SIZE} OFFSET $5`,
    [...bound, filters.state || null, (page - 1) * BOARD_PAGE_SIZE],
  );

  return {
    today,
    stages,
    totals,
    states,
    board: {
      rows: board.rows.map((r) => ({
        ...r,
        label: stateLabel("project", r.state),
        tag: stateTagColour("project", r.state),
        stageLabel: portfolioStageLabels[portfolioStageOf(r.state)],
      })),
      page,
      pages,
      total: boardTotal,
    },
    overdueGates: {
      rows: overdueGates.rows,
      total: overdueGates.rows[0]?.total ?? 0,
    },
    overdueMilestones: {
      rows: overdueMilestones.rows,
      total: overdueMilestones.rows[0]?.total ?? 0,
    },
    conditions: {
      rows: conditions.rows,
      total: conditions.rows[0]?.total ?? 0,
      overdue: conditions.rows[0]?.overdueTotal ?? 0,
    },
  };
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
