import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { EMAIL_IN_USE, inviteUser, organisationNames, readInvitation, roleOptions } from "~/admin/users.server.ts";
import { authoriseUser } from "~/auth/access.server.ts";
import { Checkboxes } from "~/components/checkboxes.tsx";
import { CsrfInput, ErrorSummary, TextInput } from "~/components/forms.tsx";
import { Radios } from "~/components/radios.tsx";
import { readForm } from "~/forms/body.server.ts";
import { refused, refusedField } from "~/forms/parse.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { titled } from "~/utils/title.ts";

export const meta = titled(() => ["Invite a user"]);

export async function loader({ request }: LoaderFunctionArgs) {
  await authoriseUser(request, "routes/admin.users.new");
  return { organisations: await organisationNames(), roles: roleOptions };
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const user = await authoriseUser(request, "routes/admin.users.new", "action");
  requireCsrf(request, form);
  const checked = await readInvitation(form);
  if (!checked.ok) return refused(checked);
  const invited = await inviteUser(checked.invitation, user);
  // Another administrator invited the same address a moment ago.
  if (!invited) return refusedField("email", EMAIL_IN_USE, checked.values);
  return redirect(`/admin/users?invited=${encodeURIComponent(invited.email)}`);
}

export default function InviteUser() {
  const { organisations, roles } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors;
  const values = result?.values;
  return (
    <>
      <a href="/admin/users" className="govuk-back-link">
        Back to users
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} order={["name", "email", "organisation", "role"]} />
          <h1 className="govuk-heading-l">Invite a user</h1>
          <p className="govuk-body">
            We will email the person to tell them they have access, and how to sign in. There is no password: each time they sign in, we email them a link.
          </p>
          <Form method="post" noValidate>
            <CsrfInput />
            <TextInput name="name" label="Full name" autoComplete="off" spellCheck={false} defaultValue={values?.name} error={errors?.name} />
            <TextInput
              name="email"
              label="Email address"
              hint="Their work email address. They will use it to sign in."
              type="email"
              autoComplete="off"
              spellCheck={false}
              defaultValue={values?.email}
              error={errors?.email}
            />
            <TextInput
              name="organisation"
              label="Organisation"
              hint="Start typing the name of their council or organisation, or enter its code, like BIR"
              list="organisation-names"
              autoComplete="off"
              defaultValue={values?.organisation}
              error={errors?.organisation}
            />
            <datalist id="organisation-names">
              {organisations.map((name) => (
                <option key={name} value={name} />
              ))}
            </datalist>
            <Radios
              name="role"
              legend="Role"
              error={errors?.role}
              value={values?.role}
              items={roles.map((role) => ({
                ...role,
                conditional:
                  role.value === "gateApprover" ? (
                    <Checkboxes
                      name="senior"
                      legend="Seniority"
                      legendClass="govuk-visually-hidden"
                      small
                      values={values?.senior ? ["yes"] : []}
                      items={[
                        {
                          value: "yes",
                          text: "Senior gate approver",
                          hint: "Counts as the senior approver for tier 2 gates. Only applies to gate approvers.",
                        },
                      ]}
                    />
                  ) : undefined,
              }))}
            />
            <button type="submit" className="govuk-button" data-module="govuk-button">
              Send invitation
            </button>
          </Form>
        </div>
      </div>
    </>
  );
}
