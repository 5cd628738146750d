import type { LoaderFunctionArgs } from "@remix-run/node";
import { authorise } from "~/auth/access.server.ts";
import { latestMigration } from "~/db/schema-version.server.ts";

// For monitoring: the service is up, its database answers, and which migration it is on.
// It reads exactly one row, which also makes it the benchmarks' baseline ("a trivial route
// that reads one row", bench/README.md).
const ROUTE = "routes/status" as const;

export async function loader({ request }: LoaderFunctionArgs) {
  await authorise(request, ROUTE);
  let schema: string | null;
  try {
    schema = await latestMigration();
  } catch {
    // Monitoring needs a clear "not now", not an error page.
    return Response.json({ status: "unavailable", database: "unavailable" }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
  return Response.json({ status: "ok", database: "ok", schema }, { headers: { "Cache-Control": "no-store" } });
}
