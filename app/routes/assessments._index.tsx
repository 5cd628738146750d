import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { assignmentsFor } from "~/assessment/assessments.server.ts";
import { AssignmentTable } from "~/assessment/assignment-table.tsx";
import { authoriseUser } from "~/auth/access.server.ts";

const ROUTE = "routes/assessments._index" as const;

export const meta: MetaFunction = () => [{ title: "Your assessments – Springboard" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, ROUTE);
  return { assignments: await assignmentsFor(user) };
}

export default function Assessments() {
  const { assignments } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="govuk-heading-l">Your assessments</h1>
      {assignments.length ? (
        <AssignmentTable assignments={assignments} />
      ) : (
        <p className="govuk-body">You have no assessments assigned. The fund team will email you an invitation when a bid is ready for you to score.</p>
      )}
    </>
  );
}
