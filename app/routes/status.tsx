import type { LoaderFunctionArgs } from "@remix-run/node";
import { authorise } from "~/auth/access.server.ts";
import { database } from "~/db/database.server.ts";

// For monitoring: the service is up, its database answers, and which migration it is on.
// It reads exactly one row, which also makes it the benchmarks' baseline ("a trivial route
// that reads one row", bench/README.md).
const ROUTE = "routes/status" as const;

export async function loader({ request }: LoaderFunctionArgs) {
  await authorise(request, ROUTE);
  let rows: { migration_name: string }[];
  try {
    ({ rows } = await database().sql<{ migration_name: string }>(
      `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY migration_name DESC LIMIT 1`,
      [],
      "status_last_migration",
    ));
  } catch {
    // Monitoring needs a clear "not now", not an error page.
    return Response.json({ status: "unavailable", database: "unavailable" }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
  return Response.json(
    { status: "ok", database: "ok", schema: rows[0]?.migration_name ?? null },
    { headers: { "Cache-Control": "no-store" } },
  );
}
