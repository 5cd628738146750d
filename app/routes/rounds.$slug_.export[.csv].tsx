import type { LoaderFunctionArgs } from "@remix-run/node";
import { authoriseUser } from "~/auth/access.server.ts";
import { loadDecisionRound } from "~/funding/decisions.server.ts";
import { exportHeader, exportRows } from "~/funding/export.server.ts";
import { csvResponse } from "~/utils/csv.ts";

const ROUTE = "routes/rounds.$slug_.export[.csv]" as const;

/** The round's bids and scores as a CSV download, streamed a page of bids at a time. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await authoriseUser(request, ROUTE);
  const round = await loadDecisionRound(params.slug);
  return csvResponse(exportHeader(round), exportRows(round), {
    fileName: `${round.slug}-bids-and-scores.csv`,
    headers: { "Cache-Control": "no-store" },
  });
}
