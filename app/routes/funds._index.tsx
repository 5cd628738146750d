import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { Table } from "~/components/table.tsx";
import { fundList } from "~/funds/funds.server.ts";
import { titled } from "~/utils/title.ts";

const ROUTE = "routes/funds._index" as const;

export const meta = titled(() => ["Funds"]);

export async function loader({ request }: LoaderFunctionArgs) {
  await authoriseUser(request, ROUTE);
  return { funds: await fundList() };
}

export default function Funds() {
  const { funds } = useLoaderData<typeof loader>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Funds</h1>
        <p className="govuk-body">
          A fund holds the rules its rounds start from: the caps, the governance tiers, the reminders and who may bid. A round copies its fund's rules when it
          is made.
        </p>
        <a href="/funds/new" role="button" draggable="false" className="govuk-button" data-module="govuk-button">
          Set up a fund
        </a>
        {funds.length ? (
          <Table
            caption="Funds"
            captionClass="govuk-visually-hidden"
            head={["Fund", "Summary", "Rounds"]}
            numeric={[2]}
            rows={funds.map((f) => ({
              key: f.slug,
              cells: [
                <a className="govuk-link" href={`/funds/${f.slug}`}>
                  {f.name}
                </a>,
                f.summary,
                f.rounds,
              ],
            }))}
          />
        ) : (
          <p className="govuk-body">There are no funds yet.</p>
        )}
      </div>
    </div>
  );
}
