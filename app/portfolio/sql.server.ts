import type { SqlQuery } from "~/db/database.server.ts";
import { dateLiteral, namesLiteral } from "~/db/literals.server.ts";
import { statementName } from "~/db/together.server.ts";

// The portfolio's SQL: set-based reads over the kept figures (ProjectFigures, ProjectTally,
// OpenCondition, kept in step by triggers: decision 0010), counted, summed and limited in the
// database, so that the page costs the same at ten projects or ten thousand (npm run
// bench:dashboards). Prisma's API would read rows to count them, and cannot cap a count.
// docs/decisions/0015-data-access.md.

export const BOARD_PAGE_SIZE = 50;
// The longest overdue first; the rest are counted, and found with the filters.
export const LIST_LIMIT = 20;
/** Lists are counted up to this many; beyond it the page says "more than". */
export const COUNT_CAP = 1000;

/** The portfolio's filters, each null when not set. */
export interface ProjectFilter {
  fund: string | null;
  round: string | null;
  councilType: string | null;
}

/** The filters that are set, in order: the values for filtered()'s parameters. */
const bound = (filter: ProjectFilter) => [filter.fund, filter.round, filter.councilType].filter((value) => value !== null);

/**
 * The filtered projects' figures (f), as a WHERE clause: only the filters that are set are
 * written out, numbered $1, $2… in the order fund, round, council type (bound() gives their
 * values). Why not `($1 IS NULL OR …)` for each filter in one text: PostgreSQL can then plan a
 * prepared statement only for the values at hand, so it planned the portfolio's reads afresh
 * on every view; with a text for each combination of filters (and the day's date in the
 * text), the usual view has no parameters and is planned once per connection
 * (docs/performance.md).
 */
const filtered = (filter: ProjectFilter) => {
  let n = 0;
  const clauses = [
    filter.fund === null ? null : `f."roundId" IN (SELECT id FROM "Round" WHERE "fundId" = $${++n}::text)`,
    filter.round === null ? null : `f."roundId" = $${++n}::text`,
    filter.councilType === null ? null : `f."leadOrganisationId" IN (SELECT id FROM "Organisation" WHERE "councilTypeCode" = $${++n}::text)`,
  ].filter((clause) => clause !== null);
  return clauses.length ? clauses.join(" AND ") : "TRUE";
};

// What each list is drawn from (f: the projects' figures), with $1…$3 the filters and `date`
// an ISO date, written into the text (app/db/literals.server.ts).
const gatesDue = (filter: ProjectFilter, date: string) =>
  `FROM "ProjectFigures" f WHERE ${filtered(filter)} AND f.state LIKE '%\\_delivering' AND f."nextGateDueOn" < ${dateLiteral(date)}::date`;
const milestonesDue = (filter: ProjectFilter, date: string) => `FROM "Milestone" m JOIN "ProjectFigures" f ON f."projectId" = m."projectId"
    WHERE ${filtered(filter)} AND f.active AND m.status <> 'done' AND m."dueOn" < ${dateLiteral(date)}::date`;
const conditionsDue = (
  filter: ProjectFilter,
  comparison: "<" | "<=",
  date: string,
) => `FROM "OpenCondition" c JOIN "ProjectFigures" f ON f."projectId" = c."projectId"
    WHERE ${filtered(filter)} AND f.active AND c."dueDate" ${comparison} ${dateLiteral(date)}::text`;

export interface CappedCount {
  total: number;
  /** Whether there are more than COUNT_CAP. */
  more: boolean;
}

/**
 * How many rows a list has, counted up to COUNT_CAP: past that the page says "more than
 * 1,000", so a list's count costs no more than reading a thousand index entries, however
 * far behind the portfolio falls.
 */
const cappedCount = (from: string) => `(SELECT count(*)::int FROM (SELECT 1 ${from} LIMIT ${COUNT_CAP + 1}) capped)`;
const capped = (n: unknown): CappedCount => ({ total: Math.min(Number(n ?? 0), COUNT_CAP), more: Number(n ?? 0) > COUNT_CAP });

/**
 * How many of each list there are, each counted up to COUNT_CAP, in one statement: gates
 * overdue, milestones overdue, conditions due by `until` and conditions overdue.
 */
export async function listCounts(
  sql: SqlQuery,
  filter: ProjectFilter,
  today: string,
  until: string,
): Promise<{ gates: CappedCount; milestones: CappedCount; conditionsDue: CappedCount; conditionsOverdue: CappedCount }> {
  const { rows } = await sql<{ gates: number; milestones: number; conditionsDue: number; conditionsOverdue: number }>(
    `SELECT ${cappedCount(gatesDue(filter, today))} AS gates, ${cappedCount(milestonesDue(filter, today))} AS milestones,
       ${cappedCount(conditionsDue(filter, "<=", until))} AS "conditionsDue", ${cappedCount(conditionsDue(filter, "<", today))} AS "conditionsOverdue"`,
    bound(filter),
  );
  const row = rows[0];
  return {
    gates: capped(row?.gates),
    milestones: capped(row?.milestones),
    conditionsDue: capped(row?.conditionsDue),
    conditionsOverdue: capped(row?.conditionsOverdue),
  };
}

export interface StateFiguresRow {
  state: string;
  projects: number;
  /** Big integers: a number or a string, by driver. */
  committed: unknown;
  spent: unknown;
}

/** The filtered projects in each state (states with none are left out), with the money committed and spent. */
export async function figuresByState(sql: SqlQuery, filter: ProjectFilter): Promise<StateFiguresRow[]> {
  const { rows } = await sql<StateFiguresRow>(
    `SELECT f.state, sum(f.projects)::int AS projects, coalesce(sum(f."committedPence"), 0)::bigint AS committed,
         coalesce(sum(f."spentPence"), 0)::bigint AS spent
       FROM "ProjectTally" f WHERE ${filtered(filter)} GROUP BY f.state HAVING sum(f.projects) <> 0`,
    bound(filter),
  );
  return rows;
}

export interface ProjectRow {
  id: string;
  reference: string;
  title: string;
  state: string;
  leadName: string;
  /** YYYY-MM-DD. */
  nextGateDueOn: string | null;
}

/**
 * Delivering projects whose next gate was due before `today`, the longest overdue first. The
 * dates here and in the lists below are ISO text ("2026-01-31"), as the portfolio reads them
 * with its other figures in one statement (readTogether), where a date can only be text.
 */
export async function overdueGates(sql: SqlQuery, filter: ProjectFilter, today: string): Promise<(ProjectRow & { nextGateDueOn: string })[]> {
  const { rows } = await sql<ProjectRow & { nextGateDueOn: string }>(
    `WITH due AS (SELECT f."projectId", f."nextGateDueOn", f.reference ${gatesDue(filter, today)} ORDER BY f."nextGateDueOn", f.reference LIMIT ${LIST_LIMIT})
       SELECT p.id, p.reference, p.title, p.state, o.name AS "leadName", p."nextGateDueOn"::text AS "nextGateDueOn"
       FROM due JOIN "Project" p ON p.id = due."projectId" JOIN "Organisation" o ON o.id = p."leadOrganisationId"
       ORDER BY due."nextGateDueOn", due.reference`,
    bound(filter),
  );
  return rows;
}

export interface MilestoneRow {
  id: string;
  title: string;
  /** ISO date text, as above. */
  dueOn: string;
  status: string;
  projectId: string;
  reference: string;
  projectTitle: string;
  leadName: string;
}

/** Active projects' milestones not done and due before `today`, the longest overdue first. */
export async function overdueMilestones(sql: SqlQuery, filter: ProjectFilter, today: string): Promise<MilestoneRow[]> {
  const { rows } = await sql<MilestoneRow>(
    `WITH due AS (
         SELECT m.id, m.title, m."dueOn", m.status, f."projectId", f.reference ${milestonesDue(filter, today)}
         ORDER BY m."dueOn", m.id LIMIT ${LIST_LIMIT}
       )
       SELECT due.id, due.title, due."dueOn"::text AS "dueOn", due.status, due."projectId", due.reference, p.title AS "projectTitle", o.name AS "leadName"
       FROM due JOIN "Project" p ON p.id = due."projectId" JOIN "Organisation" o ON o.id = p."leadOrganisationId"
       ORDER BY due."dueOn", due.id`,
    bound(filter),
  );
  return rows;
}

export interface ConditionRow {
  projectId: string;
  reference: string;
  projectTitle: string;
  leadName: string;
  text: string;
  dueDate: string;
  overdue: boolean;
}

/** Active projects' unmet conditions due by `until`, the soonest first; `overdue` when due before `today`. */
export async function conditionsDueBy(sql: SqlQuery, filter: ProjectFilter, until: string, today: string): Promise<ConditionRow[]> {
  const { rows } = await sql<ConditionRow>(
    `WITH due AS (
         SELECT c."projectId", f.reference, c.text, c."dueDate", c."dueDate" < ${dateLiteral(today)}::text AS overdue ${conditionsDue(filter, "<=", until)}
         ORDER BY c."dueDate", f.reference LIMIT ${LIST_LIMIT}
       )
       SELECT due."projectId", due.reference, p.title AS "projectTitle", o.name AS "leadName", due.text, due."dueDate", due.overdue
       FROM due JOIN "Project" p ON p.id = due."projectId" JOIN "Organisation" o ON o.id = p."leadOrganisationId"
       ORDER BY due."dueDate", due.reference`,
    bound(filter),
  );
  return rows;
}

/** One page of the board: the filtered projects (of one state, if given) by stage, state and reference. */
export async function boardPage(sql: SqlQuery, filter: ProjectFilter, state: string | null, offset: number): Promise<ProjectRow[]> {
  // The first page's offset is written into the text: read with the page's other reads
  // (portfolio.server.ts), a parameter would have PostgreSQL plan the whole statement afresh
  // for each view rather than once.
  const filterValues = bound(filter);
  const params: unknown[] = [...filterValues, ...(state === null ? [] : [state]), ...(offset === 0 ? [] : [offset])];
  const stateParam = filterValues.length + 1;
  const text = `WITH shown AS (
       SELECT f."projectId", f."stageOrder", f.state, f.reference FROM "ProjectFigures" f
       WHERE ${filtered(filter)}${state === null ? "" : ` AND f.state = $${stateParam}::text`}
       ORDER BY f."stageOrder", f.state, f.reference
       LIMIT ${BOARD_PAGE_SIZE} OFFSET ${offset === 0 ? "0" : `$${params.length}::int`}
     )
     SELECT p.id, p.reference, p.title, p.state, o.name AS "leadName", p."nextGateDueOn"::text AS "nextGateDueOn"
     FROM shown JOIN "Project" p ON p.id = shown."projectId" JOIN "Organisation" o ON o.id = p."leadOrganisationId"
     ORDER BY shown."stageOrder", shown.state, shown.reference`;
  // Prepared: planned once per connection rather than on every view, under a name for each
  // text (one for each combination of filters set).
  const { rows } = await sql<ProjectRow>(text, params, statementName("portfolio_board", text));
  return rows;
}

/** The choices for the filters: small tables, read whole, in one statement. */
export async function filterChoices(sql: SqlQuery) {
  const { rows } = await sql<{
    funds: { id: string; name: string }[];
    rounds: { id: string; name: string; fundName: string }[];
    councilTypes: { code: string; name: string }[];
  }>(
    `SELECT
       coalesce((SELECT json_agg(json_build_object('id', id, 'name', name) ORDER BY name, id) FROM "Fund"), '[]') AS funds,
       coalesce((SELECT json_agg(json_build_object('id', r.id, 'name', r.name, 'fundName', f.name) ORDER BY f.name, r."opensAt" DESC, r.id)
                 FROM "Round" r JOIN "Fund" f ON f.id = r."fundId"), '[]') AS rounds,
       coalesce((SELECT json_agg(json_build_object('code', code, 'name', name) ORDER BY name) FROM "CouncilType"), '[]') AS "councilTypes"`,
  );
  const row = rows[0];
  return { funds: row?.funds ?? [], rounds: row?.rounds ?? [], councilTypes: row?.councilTypes ?? [] };
}

// Scaling: the adoptions, joined to the projects' kept figures for the filters.

// An adoption counts once per status; a council counts once, however many products it adopts.
const counts = (today: string) => `count(*) FILTER (WHERE a.status = 'registered')::int AS registered,
    count(*) FILTER (WHERE a.status = 'planning')::int AS planning,
    count(*) FILTER (WHERE a.status = 'live')::int AS live,
    count(*) FILTER (WHERE a.status = 'stopped')::int AS stopped,
    coalesce(sum(a."savingsPence"), 0)::bigint AS savings,
    min(a."goLiveOn") FILTER (WHERE a.status = 'live')::text AS "firstLive",
    min(a."goLiveOn") FILTER (WHERE a.status IN ('registered', 'planning') AND a."goLiveOn" >= ${dateLiteral(today)}::date)::text AS "nextGoLive"`;
const adoptions = (filter: ProjectFilter) => `FROM "Adoption" a JOIN "ProjectFigures" f ON f."projectId" = a."projectId" WHERE ${filtered(filter)}`;

/** An adoption's counts; dates as text (YYYY-MM-DD), so no time zone can move them a day. */
export interface AdoptionCountsRow {
  registered: number;
  planning: number;
  live: number;
  stopped: number;
  /** A big integer: a number or a string, by driver. */
  savings: unknown;
  firstLive: string | null;
  nextGoLive: string | null;
}

export interface AdoptionTotalsRow extends AdoptionCountsRow {
  latestLive: string | null;
  plannedGoLives: number;
  projects: number;
  liveCouncils: number;
  adoptingCouncils: number;
  eligibleCouncils: number;
}

/**
 * The filtered projects' adoptions, counted over all of them; councils are those of the
 * `kinds` that may take part in a bid and still exist, and a go-live counts as planned from
 * `today`.
 */
export async function adoptionTotals(sql: SqlQuery, filter: ProjectFilter, today: string, kinds: string[]): Promise<AdoptionTotalsRow> {
  const { rows } = await sql<AdoptionTotalsRow>(
    `SELECT ${counts(today)},
         max(a."goLiveOn") FILTER (WHERE a.status = 'live')::text AS "latestLive",
         count(*) FILTER (WHERE a.status IN ('registered', 'planning') AND a."goLiveOn" >= ${dateLiteral(today)}::date)::int AS "plannedGoLives",
         count(DISTINCT a."projectId")::int AS projects,
         count(DISTINCT a."organisationId") FILTER (WHERE a.status = 'live' AND o.kind::text = ANY(${namesLiteral(kinds)}) AND o."endDate" IS NULL)::int AS "liveCouncils",
         count(DISTINCT a."organisationId") FILTER (WHERE a.status <> 'stopped' AND o.kind::text = ANY(${namesLiteral(kinds)}) AND o."endDate" IS NULL)::int AS "adoptingCouncils",
         (SELECT count(*)::int FROM "Organisation" e WHERE e.kind::text = ANY(${namesLiteral(kinds)}) AND e."endDate" IS NULL) AS "eligibleCouncils"
       FROM "Adoption" a JOIN "ProjectFigures" f ON f."projectId" = a."projectId" JOIN "Organisation" o ON o.id = a."organisationId"
       WHERE ${filtered(filter)}`,
    bound(filter),
  );
  return rows[0]!;
}

export interface ProjectAdoptionsRow extends AdoptionCountsRow {
  projectId: string;
  reference: string;
  title: string;
  state: string;
  leadName: string;
}

/** The projects with the most savings reported (then the most live adoptions), one list's worth. */
export async function adoptionsByProject(sql: SqlQuery, filter: ProjectFilter, today: string): Promise<ProjectAdoptionsRow[]> {
  const { rows } = await sql<ProjectAdoptionsRow>(
    `WITH per AS (
         SELECT a."projectId", ${counts(today)} ${adoptions(filter)}
         GROUP BY a."projectId"
         ORDER BY savings DESC, live DESC, a."projectId"
         LIMIT ${LIST_LIMIT}
       )
       SELECT per.*, p.reference, p.title, p.state, o.name AS "leadName"
       FROM per JOIN "Project" p ON p.id = per."projectId" JOIN "Organisation" o ON o.id = p."leadOrganisationId"
       ORDER BY per.savings DESC, per.live DESC, per."projectId"`,
    bound(filter),
  );
  return rows;
}

/**
 * The money committed to the filtered projects, and the part of it that went to projects
 * now scaling (or completed) with an adoption not stopped. Big integers: numbers or strings, by driver.
 */
export async function scaledShare(sql: SqlQuery, filter: ProjectFilter): Promise<{ total: unknown; scaled: unknown } | undefined> {
  const { rows } = await sql<{ total: unknown; scaled: unknown }>(
    `SELECT (SELECT coalesce(sum(f."committedPence"), 0) FROM "ProjectTally" f WHERE ${filtered(filter)})::bigint AS total,
         (SELECT coalesce(sum(f."committedPence"), 0) FROM "ProjectFigures" f
           WHERE ${filtered(filter)} AND (f.state LIKE 'scale\\_%' OR f.state = 'completed')
             AND EXISTS (SELECT 1 FROM "Adoption" a WHERE a."projectId" = f."projectId" AND a.status <> 'stopped'))::bigint AS scaled`,
    bound(filter),
  );
  return rows[0];
}
