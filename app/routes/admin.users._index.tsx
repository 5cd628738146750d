import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { listUsers, USERS_SHOWN } from "~/admin/users.server.ts";
import { authoriseUser } from "~/auth/access.server.ts";
import { normaliseEmail } from "~/auth/sign-in.server.ts";
import { roleLabels } from "~/auth/roles.ts";
import { TextInput } from "~/components/forms.tsx";
import { NotificationBanner } from "~/components/notification-banner.tsx";
import { Table } from "~/components/table.tsx";
import { db } from "~/db/database.server.ts";
import { formatDateTime, plural } from "~/utils/format.ts";
import { titled } from "~/utils/title.ts";

export const meta = titled(() => ["Users"]);

export async function loader({ request }: LoaderFunctionArgs) {
  await authoriseUser(request, "routes/admin.users._index");
  const url = new URL(request.url);
  const q = (url.searchParams.get("q") ?? "").trim().slice(0, 100);
  const invitedEmail = url.searchParams.get("invited");
  // Only a real user's address is echoed back in the banner.
  const invited = invitedEmail ? await db().user.findUnique({ where: { email: normaliseEmail(invitedEmail) }, select: { name: true, email: true } }) : null;
  const { total, users } = await listUsers(q);
  return { q, total, users, invited, shown: USERS_SHOWN };
}

export default function Users() {
  const { q, total, users, invited, shown } = useLoaderData<typeof loader>();
  return (
    <>
      {invited ? (
        <NotificationBanner type="success" heading={`${invited.name} has been invited. We have emailed ${invited.email} with how to sign in.`} />
      ) : null}
      <h1 className="govuk-heading-l">Users</h1>
      <a href="/admin/users/new" role="button" draggable="false" className="govuk-button" data-module="govuk-button">
        Invite a user
      </a>
      <form method="get" action="/admin/users" className="govuk-!-margin-bottom-6">
        <TextInput
          name="q"
          label="Search users"
          hint="By name, email address or organisation"
          defaultValue={q}
          spellCheck={false}
          className="govuk-!-width-one-half"
        />
        <div className="govuk-button-group">
          <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
            Search
          </button>
          {q ? (
            <a className="govuk-link" href="/admin/users">
              Clear search
            </a>
          ) : null}
        </div>
      </form>
      {users.length ? (
        <>
          <p className="govuk-body" role="status">
            {total > users.length ? `Showing the first ${shown} of ${total} users. Search to find others.` : plural(total, "user")}
          </p>
          <Table
            caption="Users"
            captionClass="govuk-visually-hidden"
            head={["Name", "Email address", "Role", "Organisation", "Last signed in"]}
            rows={users.map((user) => [
              user.name,
              user.email,
              `${roleLabels[user.role]}${user.senior ? " (senior)" : ""}`,
              <a className="govuk-link" href={`/organisations/${encodeURIComponent(user.organisation.code)}`}>
                {user.organisation.name}
              </a>,
              user.lastSignInAt ? formatDateTime(user.lastSignInAt) : "Never",
            ])}
          />
        </>
      ) : (
        <p className="govuk-body" role="status">
          {q ? "No users match your search." : "There are no users yet."}
        </p>
      )}
    </>
  );
}
