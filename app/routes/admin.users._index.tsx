import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { listUsers, USERS_SHOWN } from "~/admin/users.server.ts";
import { authoriseUser } from "~/auth/access.server.ts";
import { normaliseEmail } from "~/auth/sign-in.server.ts";
import { roleLabels } from "~/auth/roles.ts";
import { TextInput } from "~/components/forms.tsx";
import { db } from "~/db/database.server.ts";
import { formatDateTime } from "~/utils/format.ts";

export const meta: MetaFunction = () => [{ title: "Users – Springboard" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await authoriseUser(request, "routes/admin.users._index");
  const url = new URL(request.url);
  const q = (url.searchParams.get("q") ?? "").trim().slice(0, 100);
  const invitedEmail = url.searchParams.get("invited");
  // Only a real user's address is echoed back in the banner.
  const invited = invitedEmail
    ? await db().user.findUnique({ where: { email: normaliseEmail(invitedEmail) }, select: { name: true, email: true } })
    : null;
  const { total, users } = await listUsers(q);
  return { q, total, users, invited, shown: USERS_SHOWN };
}

export default function Users() {
  const { q, total, users, invited, shown } = useLoaderData<typeof loader>();
  return (
    <>
      {invited ? (
        <div
          className="govuk-notification-banner govuk-notification-banner--success"
          role="alert"
          aria-labelledby="invited-title"
          data-module="govuk-notification-banner"
        >
          <div className="govuk-notification-banner__header">
            <h2 className="govuk-notification-banner__title" id="invited-title">
              Success
            </h2>
          </div>
          <div className="govuk-notification-banner__content">
            <p className="govuk-notification-banner__heading">
              {invited.name} has been invited. We have emailed {invited.email} with how to sign in.
            </p>
          </div>
        </div>
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
            {total > users.length
              ? `Showing the first ${shown} of ${total} users. Search to find others.`
              : `${total} user${total === 1 ? "" : "s"}`}
          </p>
          <table className="govuk-table">
            <caption className="govuk-table__caption govuk-visually-hidden">Users</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                <th scope="col" className="govuk-table__header">Name</th>
                <th scope="col" className="govuk-table__header">Email address</th>
                <th scope="col" className="govuk-table__header">Role</th>
                <th scope="col" className="govuk-table__header">Organisation</th>
                <th scope="col" className="govuk-table__header">Last signed in</th>
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {users.map((user) => (
                <tr className="govuk-table__row" key={user.id}>
                  <td className="govuk-table__cell">{user.name}</td>
                  <td className="govuk-table__cell">{user.email}</td>
                  <td className="govuk-table__cell">
                    {roleLabels[user.role]}
                    {user.senior ? " (senior)" : ""}
                  </td>
                  <td className="govuk-table__cell">
                    <a className="govuk-link" href={`/organisations/${encodeURIComponent(user.organisation.code)}`}>
                      {user.organisation.name}
                    </a>
                  </td>
                  <td className="govuk-table__cell">{user.lastSignInAt ? formatDateTime(user.lastSignInAt) : "Never"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : (
        <p className="govuk-body" role="status">
          {q ? "No users match your search." : "There are no users yet."}
        </p>
      )}
    </>
  );
}
