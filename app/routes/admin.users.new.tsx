import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { z } from "zod";
import { EMAIL_IN_USE, emailInUse, inviteUser, organisationNames, resolveOrganisation, roleMismatch, roleOptions } from "~/admin/users.server.ts";
import { authoriseUser } from "~/auth/access.server.ts";
import { ROLES } from "~/auth/roles.ts";
import { CsrfInput, ErrorSummary, TextInput } from "~/components/forms.tsx";
import { requireCsrf } from "~/security/csrf.server.ts";
import { fieldErrors, formValues } from "~/utils/validation.ts";

export const meta: MetaFunction = () => [{ title: "Invite a user – Springboard" }];

const FIELDS = ["name", "email", "role", "organisation", "senior"] as const;

const schema = z.object({
  name: z.string().trim().min(1, "Enter the person's full name").max(200, "Full name must be 200 characters or fewer"),
  email: z
    .string()
    .trim()
    .min(1, "Enter the person's email address")
    .max(254, "Email address must be 254 characters or fewer")
    .email("Enter an email address in the correct format, like name@council.gov.uk"),
  role: z.enum(ROLES, { error: "Select the person's role" }),
  organisation: z.string().trim().min(1, "Enter the person's organisation").max(200, "Enter the name of an organisation in the register"),
  senior: z.string(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await authoriseUser(request, "routes/admin.users.new");
  return { organisations: await organisationNames(), roles: roleOptions };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await authoriseUser(request, "routes/admin.users.new", "action");
  const form = await request.formData();
  requireCsrf(request, form);
  const values = formValues(form, FIELDS);
  const parsed = schema.safeParse(values);
  const errors: Record<string, string> = parsed.success ? {} : fieldErrors(parsed.error);
  const fail = () => data({ errors, values }, { status: 400 });

  if (!errors.email && (await emailInUse(values.email))) errors.email = EMAIL_IN_USE;
  let organisation: Awaited<ReturnType<typeof resolveOrganisation>> | null = null;
  if (!errors.organisation) {
    organisation = await resolveOrganisation(values.organisation);
    if ("error" in organisation) errors.organisation = organisation.error;
  }
  if (!parsed.success || Object.keys(errors).length) return fail();
  if (!organisation || "error" in organisation) return fail();

  const mismatch = roleMismatch(parsed.data.role, organisation.organisation);
  if (mismatch) {
    errors.role = mismatch;
    return fail();
  }
  const invited = await inviteUser(
    {
      name: parsed.data.name,
      email: parsed.data.email,
      role: parsed.data.role,
      senior: parsed.data.senior === "yes",
      organisation: organisation.organisation,
    },
    user,
  );
  if (!invited) {
    errors.email = EMAIL_IN_USE;
    return fail();
  }
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
                            <div className="govuk-form-group">
                              <div className="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
                                <div className="govuk-checkboxes__item">
                                  <input
                                    className="govuk-checkboxes__input"
                                    id="senior"
                                    name="senior"
                                    type="checkbox"
                                    value="yes"
                                    defaultChecked={values?.senior === "yes"}
                                    aria-describedby="senior-hint"
                                  />
                                  <label className="govuk-label govuk-checkboxes__label" htmlFor="senior">
                                    Senior gate approver
                                  </label>
                                  <div id="senior-hint" className="govuk-hint govuk-checkboxes__hint">
                                    Counts as the senior approver for tier 2 gates. Only applies to gate approvers.
                                  </div>
                                </div>
                              </div>
                            </div>
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
