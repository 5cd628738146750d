import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { Table } from "~/components/table.tsx";
import { listPendingRequests } from "~/join/requests.server.ts";
import { formatDateTime } from "~/utils/format.ts";
import { titled } from "~/utils/title.ts";

export const meta = titled(() => ["Requests to join"]);

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, "routes/access-requests._index");
  const requests = await listPendingRequests(user);
  return { requests, allCouncils: user.role === "fundTeam" || user.role === "admin", council: user.organisation.name };
}

export default function AccessRequests() {
  const { requests, allCouncils, council } = useLoaderData<typeof loader>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-full">
        <h1 className="govuk-heading-l">Requests to join</h1>
        <p className="govuk-body">
          {allCouncils
            ? "People who have asked to join a council and confirmed their address. The council's officers answer requests for the council officer role; the fund team gives the certifier role and answers for councils with no officers."
            : `People who have asked to join ${council} and confirmed their address. Only approve people you know work for the council.`}
        </p>
        {requests.length ? (
          <Table
            caption="Waiting for an answer, oldest first"
            captionClass="govuk-table__caption--m"
            head={["Name", "Email address", ...(allCouncils ? ["Council"] : []), "Role asked for", "Asked", "Who answers"]}
            rows={requests.map((r) => [
              r.canAnswer ? (
                <a className="govuk-link" href={`/access-requests/${r.id}`}>
                  {r.name}
                </a>
              ) : (
                r.name
              ),
              r.email,
              ...(allCouncils ? [r.organisation] : []),
              r.role,
              r.confirmedAt ? formatDateTime(r.confirmedAt) : "",
              r.answeredBy,
            ])}
          />
        ) : (
          <p className="govuk-body">There are no requests waiting for an answer.</p>
        )}
      </div>
    </div>
  );
}
