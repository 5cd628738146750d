import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { BarChart } from "~/components/bar-chart.tsx";
import { SimplePagination, withParam } from "~/components/simple-pagination.tsx";
import { CONDITION_WINDOW_DAYS, filterOptions, filtersFrom, portfolio } from "~/portfolio/portfolio.server.ts";
import { formatDate, formatMoney } from "~/utils/format.ts";

export const meta: MetaFunction = () => [{ title: "Portfolio – Springboard" }];

const ROUTE = "routes/portfolio" as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, ROUTE);
  const filters = filtersFrom(new URL(request.url));
  const [figures, options] = await Promise.all([portfolio(filters), filterOptions()]);
  return { filters, options, reviewsCaseStudies: user.role === "fundTeam", conditionWindowDays: CONDITION_WINDOW_DAYS, ...figures };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`;

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
const howMany = (total: number, more: boolean) => (more ? `more than ${total.toLocaleString("en-GB")}` : total.toLocaleString("en-GB"));

export default function Portfolio() {
  const { filters, options, reviewsCaseStudies, conditionWindowDays, stages, totals, states, board, overdueGates, overdueMilestones, conditions } = useLoaderData<typeof loader>();
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
          <BarChart title="Projects by stage" bars={stages.map((s) => ({ label: s.label, value: s.projects, display: plural(s.projects, "project") }))} />
        </div>
        <div className="govuk-grid-column-one-half">
          <table className="govuk-table" id="funnel">
            <caption className="govuk-table__caption govuk-table__caption--s">Projects by stage</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                <th scope="col" className="govuk-table__header">Stage</th>
                <th scope="col" className="govuk-table__header govuk-table__header--numeric">Projects</th>
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {stages.map((s) => (
                <tr key={s.stage} className="govuk-table__row">
                  <th scope="row" className="govuk-table__header">{s.label}</th>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{s.projects.toLocaleString("en-GB")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>

      <h2 className="govuk-heading-m">Money by stage</h2>
      <p className="govuk-body">
        Committed is every tranche released to the projects now at that stage. Spent is each project&apos;s latest reported cumulative spend.
      </p>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-one-half">
          <BarChart title="Money committed by stage" bars={stages.map((s) => ({ label: s.label, value: s.committedPence, display: formatMoney(s.committedPence) }))} />
          <BarChart title="Money spent by stage" bars={stages.map((s) => ({ label: s.label, value: s.spentPence, display: formatMoney(s.spentPence) }))} />
        </div>
        <div className="govuk-grid-column-one-half">
          <table className="govuk-table" id="money">
            <caption className="govuk-table__caption govuk-table__caption--s">Money committed and spent by stage</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                <th scope="col" className="govuk-table__header">Stage</th>
                <th scope="col" className="govuk-table__header govuk-table__header--numeric">Committed</th>
                <th scope="col" className="govuk-table__header govuk-table__header--numeric">Spent</th>
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {stages.map((s) => (
                <tr key={s.stage} className="govuk-table__row">
                  <th scope="row" className="govuk-table__header">{s.label}</th>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{formatMoney(s.committedPence)}</td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{formatMoney(s.spentPence)}</td>
                </tr>
              ))}
              <tr className="govuk-table__row">
                <th scope="row" className="govuk-table__header">Total</th>
                <td className="govuk-table__cell govuk-table__cell--numeric">{formatMoney(totals.committedPence)}</td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{formatMoney(totals.spentPence)}</td>
              </tr>
            </tbody>
          </table>
        </div>
      </div>

      <h2 className="govuk-heading-m">Needs attention</h2>
      <table className="govuk-table" id="overdue-gates">
        <caption className="govuk-table__caption govuk-table__caption--s">
          Gate reviews overdue: {howMany(overdueGates.total, overdueGates.more)}
          {overdueGates.total > overdueGates.rows.length ? ` (the ${overdueGates.rows.length} longest overdue shown)` : ""}
        </caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">Project</th>
            <th scope="col" className="govuk-table__header">Lead council</th>
            <th scope="col" className="govuk-table__header">Gate review was due</th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {overdueGates.rows.map((p) => (
            <tr key={p.id} className="govuk-table__row">
              <td className="govuk-table__cell">
                <a href={`/projects/${p.id}`} className="govuk-link">
                  {p.title}
                </a>{" "}
                ({p.reference})
              </td>
              <td className="govuk-table__cell">{p.leadName}</td>
              <td className="govuk-table__cell">{formatDate(p.nextGateDueOn)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="govuk-table" id="overdue-milestones">
        <caption className="govuk-table__caption govuk-table__caption--s">
          Milestones overdue: {howMany(overdueMilestones.total, overdueMilestones.more)}
          {overdueMilestones.total > overdueMilestones.rows.length ? ` (the ${overdueMilestones.rows.length} longest overdue shown)` : ""}
        </caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">Milestone</th>
            <th scope="col" className="govuk-table__header">Project</th>
            <th scope="col" className="govuk-table__header">Due</th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {overdueMilestones.rows.map((m) => (
            <tr key={m.id} className="govuk-table__row">
              <td className="govuk-table__cell">{m.title}</td>
              <td className="govuk-table__cell">
                <a href={`/projects/${m.projectId}`} className="govuk-link">
                  {m.projectTitle}
                </a>{" "}
                ({m.leadName})
              </td>
              <td className="govuk-table__cell">{formatDate(m.dueOn)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="govuk-table" id="conditions">
        <caption className="govuk-table__caption govuk-table__caption--s">
          Gate conditions overdue or due in the next {conditionWindowDays} days: {howMany(conditions.total, conditions.more)} ({howMany(conditions.overdue, conditions.overdueMore)} overdue)
        </caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">Condition</th>
            <th scope="col" className="govuk-table__header">Project</th>
            <th scope="col" className="govuk-table__header">Due</th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {conditions.rows.map((c, i) => (
            <tr key={`${c.projectId}-${i}`} className="govuk-table__row">
              <td className="govuk-table__cell">{c.text}</td>
              <td className="govuk-table__cell">
                <a href={`/projects/${c.projectId}`} className="govuk-link">
                  {c.projectTitle}
                </a>{" "}
                ({c.leadName})
              </td>
              <td className="govuk-table__cell">
                {formatDate(c.dueDate)} {c.overdue ? <strong className="govuk-tag govuk-tag--red">Overdue</strong> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2 className="govuk-heading-m" id="board">
        Board
      </h2>
      <table className="govuk-table" id="states">
        <caption className="govuk-table__caption govuk-table__caption--s">Projects by stage and state</caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">State</th>
            <th scope="col" className="govuk-table__header govuk-table__header--numeric">Projects</th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {states.map((s) => (
            <tr key={s.state} className="govuk-table__row">
              <th scope="row" className="govuk-table__header">
                <a href={`${withParam("/portfolio", { ...query, state: "" }, "state", s.state)}#board`} className="govuk-link" aria-current={filters.state === s.state ? "true" : undefined}>
                  {s.label}
                </a>
              </th>
              <td className="govuk-table__cell govuk-table__cell--numeric">{s.projects.toLocaleString("en-GB")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {filters.state ? (
        <p className="govuk-body">
          <a href={`${withParam("/portfolio", { ...query, state: "" }, "page", 1)}#board`} className="govuk-link">
            Show projects in every state
          </a>
        </p>
      ) : null}
      <table className="govuk-table" id="projects">
        <caption className="govuk-table__caption govuk-table__caption--s">
          {plural(board.total, "project")}
          {board.pages > 1 ? `, page ${board.page} of ${board.pages}` : ""}
        </caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">Project</th>
            <th scope="col" className="govuk-table__header">Lead council</th>
            <th scope="col" className="govuk-table__header">Stage</th>
            <th scope="col" className="govuk-table__header">State</th>
            <th scope="col" className="govuk-table__header">Next gate due</th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {board.rows.map((p) => (
            <tr key={p.id} className="govuk-table__row">
              <td className="govuk-table__cell">
                <a href={`/projects/${p.id}`} className="govuk-link">
                  {p.title}
                </a>
                <br />
                <span className="govuk-body-s">{p.reference}</span>
              </td>
              <td className="govuk-table__cell">{p.leadName}</td>
              <td className="govuk-table__cell">{p.stageLabel}</td>
              <td className="govuk-table__cell">
                <strong className={`govuk-tag govuk-tag--${p.tag}`}>{p.label}</strong>
              </td>
              <td className="govuk-table__cell">{p.nextGateDueOn ? formatDate(p.nextGateDueOn) : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <SimplePagination page={board.page} pages={board.pages} href={(n) => `${withParam("/portfolio", query, "page", n)}#board`} />
    </>
  );
}
