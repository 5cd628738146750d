import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { authorise } from "~/auth/access.server.ts";
import { NotificationBanner } from "~/components/notification-banner.tsx";
import { SummaryList } from "~/components/summary-list.tsx";
import { latestMigration } from "~/db/schema-version.server.ts";
import { formatDateTime } from "~/utils/format.ts";
import { titled } from "~/utils/title.ts";

// The service's status for people (monitors use /status, the same check as JSON). It reads
// exactly one row, in the full page layout, which also makes it the dashboards benchmark's
// baseline: a trivial page, so that what is compared is each dashboard's own work (decision 0010).
const ROUTE = "routes/service-status" as const;

export const meta = titled(() => ["Service status"]);

export async function loader({ request }: LoaderFunctionArgs) {
  await authorise(request, ROUTE);
  const checkedAt = new Date().toISOString();
  try {
    return Response.json({ available: true, schema: await latestMigration(), checkedAt }, { headers: { "Cache-Control": "no-store" } });
  } catch {
    return Response.json({ available: false, schema: null, checkedAt }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}

export default function ServiceStatus() {
  const status = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="govuk-heading-l">Service status</h1>
      {status.available ? (
        <div className="govuk-panel govuk-panel--confirmation">
          <h2 className="govuk-panel__title">Springboard is working normally</h2>
        </div>
      ) : (
        <NotificationBanner heading="Springboard cannot reach its database. Nothing you have saved is lost; try again in a few minutes." />
      )}
      <SummaryList
        rows={[
          { key: "Database", value: status.available ? "Answering" : "Not answering" },
          ...(status.schema ? [{ key: "Database version", value: status.schema }] : []),
          { key: "Checked", value: formatDateTime(status.checkedAt) },
        ]}
      />
    </>
  );
}
