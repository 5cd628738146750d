import type { LoaderFunctionArgs } from "@remix-run/node";
import { authorise } from "~/auth/access.server.ts";
import { awardBatches, grantColumns, grantOf } from "~/opendata/awards.server.ts";
import { csvResponse } from "~/utils/csv.ts";

const ROUTE = "routes/open-data.360giving[.]csv" as const;

async function* rows() {
  for await (const batch of awardBatches()) {
    yield batch.map((row) => {
      const grant = grantOf(row);
      return grantColumns.map(([, read]) => read(grant));
    });
  }
}

export async function loader({ request }: LoaderFunctionArgs) {
  await authorise(request, ROUTE);
  return csvResponse(
    grantColumns.map(([title]) => title),
    rows(),
    { fileName: "springboard-360giving.csv", headers: { "Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=300" } },
  );
}
