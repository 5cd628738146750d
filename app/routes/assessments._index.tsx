import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { assignmentsPage } from "~/assessment/assessments.server.ts";
import { SimplePagination } from "~/components/simple-pagination.tsx";
import { AssignmentTable } from "~/assessment/assignment-table.tsx";
import { authoriseUser } from "~/auth/access.server.ts";
import { pageParam } from "~/utils/paging.ts";
import { titled } from "~/utils/title.ts";
import { plural } from "~/utils/format.ts";
import { htmlOnly } from "~/components/hydration.ts";

const ROUTE = "routes/assessments._index" as const;

export const meta = titled(() => ["Your assessments"]);
// Figures, tables and links: sent as HTML alone (docs/decisions/0021-read-only-pages-not-hydrated.md).
export const handle = htmlOnly;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, ROUTE);
  const page = pageParam(new URL(request.url).searchParams.get("page"));
  return assignmentsPage(user, page);
}

export default function Assessments() {
  const { assignments, page, pages, total } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="govuk-heading-l">Your assessments</h1>
      {assignments.length ? (
        <>
          <p className="govuk-body">
            {plural(total, "assessment")} assigned to you{pages > 1 ? `; page ${page} of ${pages}` : ""}.
          </p>
          <AssignmentTable assignments={assignments} />
          <SimplePagination page={page} pages={pages} href={(n) => `/assessments?page=${n}`} />
        </>
      ) : (
        <p className="govuk-body">You have no assessments assigned. The fund team will email you an invitation when a bid is ready for you to score.</p>
      )}
    </>
  );
}
