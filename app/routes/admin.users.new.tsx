import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { EMAIL_IN_USE, inviteUser, organisationNames, readInvitation, roleOptions } from "~/admin/users.server.ts";
import { authoriseUser } from "~/auth/access.server.ts";
import { Checkboxes } from "~/components/checkboxes.tsx";
import { CsrfInput, ErrorSummary, TextInput } from "~/components/forms.tsx";
import { readForm } from "~/forms/body.server.ts";
import { refused, refusedField } from "~/forms/parse.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";

export const meta: MetaFunction = () => [{ title: "Invite a user – Springboard" }];

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
            We will email the person to tell them they have access, and how to sign in. There is no password: each time they sign
            in, we email them a link.
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
            {/* Written out rather than the shared Radios: the gate approver's choice reveals the
                seniority checkbox (a conditional reveal), which Radios does not offer. */}
            <div className={`govuk-form-group${errors?.role ? " govuk-form-group--error" : ""}`}>
              <fieldset className="govuk-fieldset" aria-describedby={errors?.role ? "role-error" : undefined}>
                <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Role</legend>
                {errors?.role ? (
                  <p id="role-error" className="govuk-error-message">
                    <span className="govuk-visually-hidden">Error:</span> {errors.role}
                  </p>
                ) : null}
                <div className="govuk-radios" data-module="govuk-radios">
                  {roles.map((role, i) => {
                    const id = i === 0 ? "role" : `role-${role.value}`;
                    const checked = values?.role === role.value;
                    return (
                      <Fragment key={role.value}>
                        <div className="govuk-radios__item">
                          <input
                            className="govuk-radios__input"
                            id={id}
                            name="role"
                            type="radio"
                            value={role.value}
                            defaultChecked={checked}
                            aria-describedby={`${id}-hint`}
                            data-aria-controls={role.value === "gateApprover" ? "conditional-senior" : undefined}
                          />
                          <label className="govuk-label govuk-radios__label" htmlFor={id}>
                            {role.text}
                          </label>
                          <div id={`${id}-hint`} className="govuk-hint govuk-radios__hint">
                            {role.hint}
                          </div>
                        </div>
                        {role.value === "gateApprover" ? (
                          <div
                            className={`govuk-radios__conditional${checked ? "" : " govuk-radios__conditional--hidden"}`}
                            id="conditional-senior"
                          >
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
                          </div>
                        ) : null}
                      </Fragment>
                    );
                  })}
                </div>
              </fieldset>
            </div>
            <button type="submit" className="govuk-button" data-module="govuk-button">
              Send invitation
            </button>
          </Form>
        </div>
      </div>
    </>
  );
}
