import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { authorise } from "~/auth/access.server.ts";
import { SimplePagination, withParam } from "~/components/simple-pagination.tsx";
import { Table } from "~/components/table.tsx";
import { fundedProjects } from "~/opendata/awards.server.ts";
import { formatDate, formatMoney, formatNumber, plural } from "~/utils/format.ts";
import { pageParam } from "~/utils/paging.ts";
import { titled } from "~/utils/title.ts";

export const meta = titled(() => ["Funded projects"]);

const ROUTE = "routes/funded._index" as const;

export async function loader({ request }: LoaderFunctionArgs) {
  await authorise(request, ROUTE);
  const url = new URL(request.url);
  const q = (url.searchParams.get("q") ?? "").slice(0, 200);
  const page = pageParam(url.searchParams.get("page"));
  return { q, ...(await fundedProjects({ page, q })) };
}

export default function Funded() {
  const { rows, total, page, pages, q } = useLoaderData<typeof loader>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-full">
        <h1 className="govuk-heading-l">Funded projects</h1>
        <p className="govuk-body">
          Every project the fund has paid for: the councils doing the work, the stage it has reached and the money awarded so far. The same figures are
          available as{" "}
          <a href="/open-data" className="govuk-link">
            open data
          </a>
          .
        </p>
        <Form method="get" className="app-filter">
          <div className="govuk-form-group">
            <label className="govuk-label" htmlFor="q">
              Search by project, reference or lead council
            </label>
            <input className="govuk-input govuk-!-width-one-half" id="q" name="q" type="search" defaultValue={q} />
          </div>
          <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
            Search
          </button>
        </Form>
        <Table
          caption={plural(total, "funded project")}
          captionClass="govuk-table__caption--m"
          head={["Project", "Stage", "Lead council", "Partner councils", "Latest gate decision", "Adopting councils", "Awarded"]}
          numeric={[5, 6]}
          rows={rows.map((p) => ({
            key: p.id,
            cells: [
              <>
                <a href={`/funded/${encodeURIComponent(p.reference)}`} className="govuk-link">
                  {p.title}
                </a>
                <br />
                <span className="govuk-body-s">{p.reference}</span>
              </>,
              p.stageLabel,
              p.leadName,
              p.partnerNames.join(", ") || "None",
              p.latestGate ? `${p.latestGate.outcomeLabel} at the ${p.latestGate.stage.toLowerCase()} gate, ${formatDate(p.latestGate.at)}` : "None yet",
              formatNumber(p.adopters),
              formatMoney(p.awardedPence),
            ],
          }))}
        />
        {rows.length === 0 ? <p className="govuk-body">No funded projects match your search.</p> : null}
        <SimplePagination page={page} pages={pages} href={(n) => withParam("/funded", { q }, "page", n)} />
      </div>
    </div>
  );
}
