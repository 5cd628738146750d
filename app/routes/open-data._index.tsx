import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { authorise } from "~/auth/access.server.ts";
import { SummaryList } from "~/components/summary-list.tsx";
import { FUNDER, GRANT_PREFIX, LICENCE_URL, grantColumns } from "~/opendata/awards.server.ts";
import { titled } from "~/utils/title.ts";

export const meta = titled(() => ["Open data"]);

const ROUTE = "routes/open-data._index" as const;

export async function loader({ request }: LoaderFunctionArgs) {
  await authorise(request, ROUTE);
  return { prefix: GRANT_PREFIX, funder: FUNDER, licence: LICENCE_URL, columns: grantColumns.map(([title]) => title) };
}

export default function OpenData() {
  const { prefix, funder, licence, columns } = useLoaderData<typeof loader>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Open data</h1>
        <p className="govuk-body">
          Every award the fund has made is published in the{" "}
          <a href="https://standard.threesixtygiving.org/" className="govuk-link">
            360Giving Data Standard
          </a>
          , so it can be compared with other funders&apos; grants. The data is updated as soon as an award is made.
        </p>
        <h2 className="govuk-heading-m">Download the data</h2>
        <ul className="govuk-list govuk-list--bullet">
          <li>
            <a href="/open-data/360giving.json" className="govuk-link">
              Awards as 360Giving JSON
            </a>{" "}
            (a 360Giving data package)
          </li>
          <li>
            <a href="/open-data/360giving.csv" className="govuk-link" download>
              Awards as 360Giving CSV
            </a>{" "}
            (one row per award, with the standard&apos;s column titles)
          </li>
        </ul>
        <h2 className="govuk-heading-m">What the data contains</h2>
        <p className="govuk-body">
          There is one grant for each award decision: the award when a bid is funded, then each tranche released when a project passes a gate review and moves
          to its next stage. A project&apos;s total award is the sum of its grants.
        </p>
        <SummaryList
          rows={[
            {
              key: "Grant identifiers",
              value: (
                <>
                  Start with <code>{prefix}</code>. This prefix is made up for this service; a published copy would use the prefix 360Giving registers for the
                  funder.
                </>
              ),
            },
            {
              key: "Recipients",
              value: (
                <>
                  The lead council of each project. English local authorities are identified by their code in the local authority register, as{" "}
                  <code>GB-LAE-</code> followed by the code (for example GB-LAE-BIR). Other bodies get an identifier under this service&apos;s prefix.
                </>
              ),
            },
            {
              key: "Funder",
              value: (
                <>
                  {funder.name}, identified as <code>{funder.id}</code> (UK Government Organisation Register).
                </>
              ),
            },
            { key: "Amounts", value: "In pounds sterling (GBP)." },
            {
              key: "Licence",
              value: (
                <a href={licence} className="govuk-link">
                  Open Government Licence v3.0
                </a>
              ),
            },
          ]}
        />
        <h2 className="govuk-heading-m">CSV columns</h2>
        <ul className="govuk-list govuk-list--bullet">
          {columns.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
        <p className="govuk-body">
          Text cells that begin with =, +, -, @ or a tab start with a single quote in the CSV, so that spreadsheet programs do not run them as formulas.
        </p>
        <p className="govuk-body">
          You can also browse{" "}
          <a href="/funded" className="govuk-link">
            funded projects
          </a>{" "}
          and read what they learned in the{" "}
          <a href="/hub" className="govuk-link">
            knowledge hub
          </a>
          .
        </p>
      </div>
    </div>
  );
}
