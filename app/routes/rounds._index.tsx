import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { authorise } from "~/auth/access.server.ts";
import { Table } from "~/components/table.tsx";
import { db } from "~/db/database.server.ts";
import { formatDateTime, formatMoney } from "~/utils/format.ts";
import { stageLabels } from "../../workflows/rules.ts";
import { titled } from "~/utils/title.ts";

export const meta = titled(() => ["Funding rounds"]);

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await authorise(request, "routes/rounds._index");
  const now = new Date();
  const rounds = await db().round.findMany({
    select: {
      slug: true,
      name: true,
      stage: true,
      opensAt: true,
      closesAt: true,
      capPence: true,
      budgetPence: true,
      fund: { select: { name: true } },
    },
    orderBy: [{ closesAt: "asc" }, { name: "asc" }],
  });
  const labelled = rounds.map((r) => ({ ...r, stageLabel: stageLabels[r.stage] }));
  return {
    open: labelled.filter((r) => r.opensAt <= now && r.closesAt > now),
    upcoming: labelled.filter((r) => r.opensAt > now).sort((a, b) => a.opensAt.getTime() - b.opensAt.getTime()),
    closed: labelled.filter((r) => r.closesAt <= now).reverse(),
    canSetUp: user?.role === "fundTeam",
  };
}

type Round = ReturnType<typeof useLoaderData<typeof loader>>["open"][number];

function RoundsTable({ caption, rounds }: { caption: string; rounds: Round[] }) {
  return (
    <Table
      caption={caption}
      captionClass="govuk-table__caption--m"
      head={["Round", "Stage", "Bids up to", "Budget", "Opens", "Closes"]}
      numeric={[2, 3]}
      rows={rounds.map((round) => ({
        key: round.slug,
        cells: [
          <>
            <a className="govuk-link" href={`/rounds/${round.slug}`}>
              {round.name}
            </a>
            <br />
            <span className="govuk-body-s govuk-!-margin-bottom-0">{round.fund.name}</span>
          </>,
          round.stageLabel,
          formatMoney(round.capPence),
          formatMoney(round.budgetPence),
          formatDateTime(round.opensAt),
          formatDateTime(round.closesAt),
        ],
      }))}
    />
  );
}

export default function Rounds() {
  const { open, upcoming, closed, canSetUp } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="govuk-heading-l">Funding rounds</h1>
      {canSetUp ? (
        <a href="/rounds/new" role="button" draggable="false" className="govuk-button govuk-button--secondary" data-module="govuk-button">
          Set up a round
        </a>
      ) : null}
      <p className="govuk-body">
        Councils bid, in partnership with other councils, for money to find, try and scale common solutions to shared challenges. Each round funds one stage:
        Scan, Pilot or Scale. All times are UK time.
      </p>
      {open.length ? (
        <RoundsTable caption="Open for bids" rounds={open} />
      ) : (
        <>
          <h2 className="govuk-heading-m">Open for bids</h2>
          <p className="govuk-body">No rounds are open at the moment.</p>
        </>
      )}
      {upcoming.length ? <RoundsTable caption="Opening soon" rounds={upcoming} /> : null}
      {closed.length ? <RoundsTable caption="Closed" rounds={closed} /> : null}
    </>
  );
}
