import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { BarChart } from "~/components/bar-chart.tsx";
import { SimplePagination, withParam } from "~/components/simple-pagination.tsx";
import { Table } from "~/components/table.tsx";
import { SummaryList } from "~/components/summary-list.tsx";
import { CONDITION_WINDOW_DAYS, filterOptions, filtersFrom, portfolio } from "~/portfolio/portfolio.server.ts";
import { scaleFigures } from "~/portfolio/scale.server.ts";
import { formatDate, formatMoney, formatNumber, plural } from "~/utils/format.ts";
import { titled } from "~/utils/title.ts";
import { database } from "~/db/database.server.ts";
import { readTogether } from "~/db/together.server.ts";
import { londonToday } from "~/utils/dates.ts";
import { htmlOnly } from "~/components/hydration.ts";

export const meta = titled(() => ["Portfolio"]);
// Figures, tables and links: sent as HTML alone (docs/decisions/0021-read-only-pages-not-hydrated.md).
export const handle = htmlOnly;

const ROUTE = "routes/portfolio" as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, ROUTE);
  const filters = filtersFrom(new URL(request.url));
  // The page's first reads in one statement: each round trip costs the service more than these reads.
  const today = londonToday();
  const [figures, options, scale] = await readTogether(database().sql, (sql) =>
    Promise.all([portfolio(filters, today, sql), filterOptions(sql), scaleFigures(filters, today, sql)]),
  );
  return { filters, options, reviewsCaseStudies: user.role === "fundTeam", conditionWindowDays: CONDITION_WINDOW_DAYS, ...figures, scale };
}

function Select({ name, label, value, options }: { name: string; label: string; value: string; options: { value: string; text: string }[] }) {
  return (
    <div className="govuk-form-group">
      <label className="govuk-label" htmlFor={name}>
        {label}
      </label>
      <select className="govuk-select" id={name} name={name} defaultValue={value}>
        <option value="">All</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.text}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A list's count, which stops at COUNT_CAP (portfolio.server.ts). */
const howMany = (total: number, more: boolean) => (more ? `more than ${formatNumber(total)}` : formatNumber(total));

export default function Portfolio() {
  const { filters, options, reviewsCaseStudies, conditionWindowDays, stages, totals, states, board, overdueGates, overdueMilestones, conditions, scale } =
    useLoaderData<typeof loader>();
  const query = { fund: filters.fund, round: filters.round, councilType: filters.councilType, state: filters.state };
  const filtered = Boolean(filters.fund || filters.round || filters.councilType);
  return (
    <>
      <h1 className="govuk-heading-l">Portfolio</h1>
      <p className="govuk-body">
        {plural(totals.projects, "funded project")}
        {filtered ? " match the filters" : ""}: {formatMoney(totals.committedPence)} committed, {formatMoney(totals.spentPence)} spent.
      </p>
      {reviewsCaseStudies ? (
        <p className="govuk-body">
          <a href="/hub/review" className="govuk-link">
            Case studies to review
          </a>
        </p>
      ) : null}
      <Form method="get" className="app-filter">
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-third">
            <Select name="fund" label="Fund" value={filters.fund} options={options.funds.map((f) => ({ value: f.id, text: f.name }))} />
          </div>
          <div className="govuk-grid-column-one-third">
            <Select name="round" label="Round" value={filters.round} options={options.rounds.map((r) => ({ value: r.id, text: `${r.fundName}: ${r.name}` }))} />
          </div>
          <div className="govuk-grid-column-one-third">
            <Select
              name="councilType"
              label="Lead council type"
              value={filters.councilType}
              options={options.councilTypes.map((t) => ({ value: t.code, text: t.name }))}
            />
          </div>
        </div>
        <p className="govuk-body-s">The register of councils records each council&apos;s type but not its region, so projects cannot be filtered by region.</p>
        <div className="govuk-button-group">
          <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
            Apply filters
          </button>
          {filtered ? (
            <a href="/portfolio" className="govuk-link">
              Clear filters
            </a>
          ) : null}
        </div>
      </Form>

      <h2 className="govuk-heading-m">Projects by stage</h2>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-one-half">
          <BarChart
            title="Number of projects at each stage"
            bars={stages.map((s) => ({ label: s.label, value: s.projects, display: plural(s.projects, "project") }))}
          />
        </div>
        <div className="govuk-grid-column-one-half">
          {/* Table takes no id, so each table's anchor id (funnel, money, overdue-gates...) is on a wrapper. */}
          <div id="funnel">
            <Table
              caption="Projects by stage"
              captionClass="govuk-table__caption--s"
              head={["Stage", "Projects"]}
              numeric={[1]}
              firstCellIsHeader
              rows={stages.map((s) => ({ key: s.stage, cells: [s.label, formatNumber(s.projects)] }))}
            />
          </div>
        </div>
      </div>

      <h2 className="govuk-heading-m">Money by stage</h2>
      <p className="govuk-body">
        Committed is every tranche released to the projects now at that stage. Spent is each project&apos;s latest reported cumulative spend.
      </p>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-one-half">
          {/* Two charts side by side, in two colours: each says what its colour stands for. */}
          <BarChart
            title="Money committed by stage"
            legend="Committed: tranches released"
            bars={stages.map((s) => ({ label: s.label, value: s.committedPence, display: formatMoney(s.committedPence) }))}
          />
          <BarChart
            title="Money spent by stage"
            tone="green"
            legend="Spent: latest reported spend"
            bars={stages.map((s) => ({ label: s.label, value: s.spentPence, display: formatMoney(s.spentPence) }))}
          />
        </div>
        <div className="govuk-grid-column-one-half">
          <div id="money">
            <Table
              caption="Money committed and spent by stage"
              captionClass="govuk-table__caption--s"
              head={["Stage", "Committed", "Spent"]}
              numeric={[1, 2]}
              firstCellIsHeader
              rows={[
                ...stages.map((s) => ({ key: s.stage, cells: [s.label, formatMoney(s.committedPence), formatMoney(s.spentPence)] })),
                { key: "total", cells: ["Total", formatMoney(totals.committedPence), formatMoney(totals.spentPence)] },
              ]}
            />
          </div>
        </div>
      </div>

      <Scale scale={scale} />

      <h2 className="govuk-heading-m">Needs attention</h2>
      <div id="overdue-gates">
        <Table
          caption={
            <>
              Gate reviews overdue: {howMany(overdueGates.total, overdueGates.more)}
              {overdueGates.total > overdueGates.rows.length ? ` (the ${overdueGates.rows.length} longest overdue shown)` : ""}
            </>
          }
          captionClass="govuk-table__caption--s"
          head={["Project", "Lead council", "Gate review was due"]}
          rows={overdueGates.rows.map((p) => ({
            key: p.id,
            cells: [
              <>
                <a href={`/projects/${p.id}`} className="govuk-link">
                  {p.title}
                </a>
                {` (${p.reference})`}
              </>,
              p.leadName,
              formatDate(p.nextGateDueOn),
            ],
          }))}
        />
      </div>
      <div id="overdue-milestones">
        <Table
          caption={
            <>
              Milestones overdue: {howMany(overdueMilestones.total, overdueMilestones.more)}
              {overdueMilestones.total > overdueMilestones.rows.length ? ` (the ${overdueMilestones.rows.length} longest overdue shown)` : ""}
            </>
          }
          captionClass="govuk-table__caption--s"
          head={["Milestone", "Project", "Due"]}
          rows={overdueMilestones.rows.map((m) => ({
            key: m.id,
            cells: [
              m.title,
              <>
                <a href={`/projects/${m.projectId}`} className="govuk-link">
                  {m.projectTitle}
                </a>
                {` (${m.leadName})`}
              </>,
              formatDate(m.dueOn),
            ],
          }))}
        />
      </div>
      <div id="conditions">
        <Table
          caption={
            <>
              Gate conditions overdue or due in the next {conditionWindowDays} days: {howMany(conditions.total, conditions.more)} (
              {howMany(conditions.overdue, conditions.overdueMore)} overdue)
            </>
          }
          captionClass="govuk-table__caption--s"
          head={["Condition", "Project", "Due"]}
          rows={conditions.rows.map((c, i) => ({
            key: `${c.projectId}-${i}`,
            cells: [
              c.text,
              <>
                <a href={`/projects/${c.projectId}`} className="govuk-link">
                  {c.projectTitle}
                </a>
                {` (${c.leadName})`}
              </>,
              <>
                {formatDate(c.dueDate)} {c.overdue ? <strong className="govuk-tag govuk-tag--red">Overdue</strong> : null}
              </>,
            ],
          }))}
        />
      </div>

      <h2 className="govuk-heading-m" id="board">
        Board
      </h2>
      <div id="states">
        <Table
          caption="Projects by stage and state"
          captionClass="govuk-table__caption--s"
          head={["State", "Projects"]}
          numeric={[1]}
          firstCellIsHeader
          rows={states.map((s) => ({
            key: s.state,
            cells: [
              <a
                href={`${withParam("/portfolio", { ...query, state: "" }, "state", s.state)}#board`}
                className="govuk-link"
                aria-current={filters.state === s.state ? "true" : undefined}
              >
                {s.label}
              </a>,
              formatNumber(s.projects),
            ],
          }))}
        />
      </div>
      {filters.state ? (
        <p className="govuk-body">
          <a href={`${withParam("/portfolio", { ...query, state: "" }, "page", 1)}#board`} className="govuk-link">
            Show projects in every state
          </a>
        </p>
      ) : null}
      <div id="projects">
        <Table
          caption={
            <>
              {plural(board.total, "project")}
              {board.pages > 1 ? `, page ${board.page} of ${board.pages}` : ""}
            </>
          }
          captionClass="govuk-table__caption--s"
          head={["Project", "Lead council", "Stage", "State", "Next gate due"]}
          rows={board.rows.map((p) => ({
            key: p.id,
            cells: [
              <>
                <a href={`/projects/${p.id}`} className="govuk-link">
                  {p.title}
                </a>
                <br />
                <span className="govuk-body-s">{p.reference}</span>
              </>,
              p.leadName,
              p.stageLabel,
              <strong className={`govuk-tag govuk-tag--${p.tag}`}>{p.label}</strong>,
              p.nextGateDueOn ? formatDate(p.nextGateDueOn) : "",
            ],
          }))}
        />
      </div>
      <SimplePagination page={board.page} pages={board.pages} href={(n) => `${withParam("/portfolio", query, "page", n)}#board`} />
    </>
  );
}

/** What scaling achieved: adoptions, councils reached, go-live dates, savings and the share of the award. */
function Scale({ scale }: { scale: ReturnType<typeof useLoaderData<typeof loader>>["scale"] }) {
  const { adoptions, councils, goLive, savingsPence, share, projects } = scale;
  const statuses = [
    { key: "registered", label: "Registered", n: adoptions.registered },
    { key: "planning", label: "Planning", n: adoptions.planning },
    { key: "live", label: "Live", n: adoptions.live },
    { key: "stopped", label: "Stopped", n: adoptions.stopped },
  ];
  return (
    <>
      <h2 className="govuk-heading-m" id="scale">
        Scale: other councils using what was funded
      </h2>
      <SummaryList
        rows={[
          {
            key: "Share of the award that scaled",
            value: (
              <>
                <span className="govuk-!-font-weight-bold">{share.percent}%</span> ({formatMoney(share.scaledPence)} of {formatMoney(share.totalPence)})
                <p className="govuk-body-s govuk-!-margin-top-1 govuk-!-margin-bottom-0">
                  Money released to projects that are in Scale or have completed and that have at least one adopting council (registered, planning or live), as
                  a share of the money released to every funded project shown.
                </p>
              </>
            ),
          },
          {
            key: "Councils reached",
            value: (
              <>
                {formatNumber(councils.live)} of {formatNumber(councils.eligible)} eligible councils live with a funded product ({councils.livePercent}%);{" "}
                {formatNumber(councils.adopting)} adopting at any stage ({councils.adoptingPercent}%)
                <p className="govuk-body-s govuk-!-margin-top-1 govuk-!-margin-bottom-0">
                  Eligible councils are the councils, combined authorities and fire authorities on the register that may take part in a bid. Each council counts
                  once, however many products it adopts. Adopting at any stage means registered, planning or live.
                </p>
              </>
            ),
          },
          { key: "Savings reported", value: `${formatMoney(savingsPence)}, as the adopting councils reported them` },
          {
            key: "Go-live dates",
            value: goLive.first
              ? `First went live ${formatDate(goLive.first)}; latest ${formatDate(goLive.latest)}${
                  goLive.next ? `; next planned ${formatDate(goLive.next)} (${plural(goLive.planned, "go-live")} planned)` : ""
                }`
              : goLive.next
                ? `None live yet; next planned ${formatDate(goLive.next)} (${plural(goLive.planned, "go-live")} planned)`
                : "None live or planned yet",
          },
        ]}
      />
      <div id="adoptions">
        <Table
          caption="Adoptions by status"
          captionClass="govuk-table__caption--s"
          head={["Status", "Adoptions"]}
          numeric={[1]}
          firstCellIsHeader
          rows={[
            ...statuses.map((s) => ({ key: s.key, cells: [s.label, formatNumber(s.n)] })),
            { key: "total", cells: ["Total", formatNumber(statuses.reduce((sum, s) => sum + s.n, 0))] },
          ]}
        />
      </div>
      <div id="scale-projects">
        {projects.total === 0 ? (
          <p className="govuk-body">No council has registered to adopt a funded product yet.</p>
        ) : (
          <Table
            caption={
              <>
                Adoptions by project: {plural(projects.total, "project")} with adoptions
                {projects.total > projects.rows.length ? ` (the ${projects.rows.length} with the most savings shown)` : ""}
              </>
            }
            captionClass="govuk-table__caption--s"
            className="app-table--small"
            head={["Project", "Stage", "Registered", "Planning", "Live", "Stopped", "First live", "Next go-live", "Savings"]}
            numeric={[2, 3, 4, 5, 8]}
            rows={projects.rows.map((p) => ({
              key: p.id,
              cells: [
                <>
                  <a href={`/projects/${p.id}`} className="govuk-link">
                    {p.title}
                  </a>
                  <br />
                  <span className="govuk-body-s">{`${p.reference}, ${p.leadName}`}</span>
                </>,
                p.stageLabel,
                formatNumber(p.adoptions.registered),
                formatNumber(p.adoptions.planning),
                formatNumber(p.adoptions.live),
                formatNumber(p.adoptions.stopped),
                p.firstLive ? formatDate(p.firstLive) : "None",
                p.nextGoLive ? formatDate(p.nextGoLive) : "None planned",
                formatMoney(p.savingsPence),
              ],
            }))}
          />
        )}
      </div>
    </>
  );
}
