import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { authorise } from "~/auth/access.server.ts";
import { SimplePagination, withParam } from "~/components/simple-pagination.tsx";
import { hubFiltersFrom, searchHub } from "~/hub/hub.server.ts";
import { formatDate, plural } from "~/utils/format.ts";
import { stageLabels } from "../../workflows/rules.ts";
import { titled } from "~/utils/title.ts";

export const meta = titled(() => ["Knowledge hub"]);

const ROUTE = "routes/hub._index" as const;

export async function loader({ request }: LoaderFunctionArgs) {
  await authorise(request, ROUTE);
  const filters = hubFiltersFrom(new URL(request.url));
  return { filters, ...(await searchHub(filters)) };
}

const excerpt = (text: string, max = 280) => (text.length > max ? `${text.slice(0, max).replace(/\s+\S*$/, "")}…` : text);

export default function Hub() {
  const { filters, rows, total, page, pages, serviceAreas } = useLoaderData<typeof loader>();
  const query = { q: filters.q, serviceArea: filters.serviceArea, stage: filters.stage, outcome: filters.outcome };
  return (
    <>
      <h1 className="govuk-heading-l">Knowledge hub</h1>
      <p className="govuk-body-l">What councils learned from the projects the fund paid for, including the ones that stopped.</p>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-one-third">
          <Form method="get" role="search" aria-label="Case studies">
            <div className="govuk-form-group">
              <label className="govuk-label govuk-label--s" htmlFor="q">
                Search case studies
              </label>
              <div id="q-hint" className="govuk-hint">
                For example, &quot;care homes&quot; or chatbot -voice
              </div>
              <input className="govuk-input" id="q" name="q" type="search" defaultValue={filters.q} aria-describedby="q-hint" />
            </div>
            <div className="govuk-form-group">
              <label className="govuk-label govuk-label--s" htmlFor="serviceArea">
                Service area
              </label>
              <select className="govuk-select" id="serviceArea" name="serviceArea" defaultValue={filters.serviceArea}>
                <option value="">All service areas</option>
                {serviceAreas.map((a) => (
                  <option key={a} value={a}>
                    {a}
                  </option>
                ))}
              </select>
            </div>
            <div className="govuk-form-group">
              <label className="govuk-label govuk-label--s" htmlFor="stage">
                Stage reached
              </label>
              <select className="govuk-select" id="stage" name="stage" defaultValue={filters.stage}>
                <option value="">All stages</option>
                {Object.entries(stageLabels).map(([value, text]) => (
                  <option key={value} value={value}>
                    {text}
                  </option>
                ))}
              </select>
            </div>
            <div className="govuk-form-group">
              <label className="govuk-label govuk-label--s" htmlFor="outcome">
                How the project ended
              </label>
              <select className="govuk-select" id="outcome" name="outcome" defaultValue={filters.outcome}>
                <option value="">Completed or stopped</option>
                <option value="completed">Completed</option>
                <option value="stopped">Stopped</option>
              </select>
            </div>
            <button type="submit" className="govuk-button" data-module="govuk-button">
              Search
            </button>
          </Form>
        </div>
        <div className="govuk-grid-column-two-thirds">
          <h2 className="govuk-heading-m" aria-live="polite">
            {plural(total, "case study", "case studies")}
          </h2>
          {rows.length === 0 ? <p className="govuk-body">No published case studies match. Try other words or fewer filters.</p> : null}
          <ul className="govuk-list">
            {rows.map((c) => (
              <li key={c.slug} className="govuk-!-margin-bottom-6">
                <h3 className="govuk-heading-s govuk-!-margin-bottom-1">
                  <a href={`/hub/${c.slug}`} className="govuk-link">
                    {c.title}
                  </a>
                </h3>
                <p className="govuk-body-s govuk-!-margin-bottom-1">
                  {c.leadName} · {c.serviceArea || "No service area"} · {c.stageLabel} · published {formatDate(c.publishedAt)}{" "}
                  {c.stopped ? (
                    <strong className="govuk-tag govuk-tag--red">Stopped at {c.stageLabel.toLowerCase()}</strong>
                  ) : (
                    <strong className="govuk-tag govuk-tag--green">Completed</strong>
                  )}
                </p>
                {c.stopped ? (
                  <div className="govuk-inset-text govuk-!-margin-top-2 govuk-!-margin-bottom-2">
                    <strong>What it taught:</strong> {excerpt(c.lessons)}
                  </div>
                ) : (
                  <p className="govuk-body">{excerpt(c.outcome || c.problem)}</p>
                )}
              </li>
            ))}
          </ul>
          <SimplePagination page={page} pages={pages} href={(n) => withParam("/hub", query, "page", n)} />
        </div>
      </div>
    </>
  );
}
