import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { authoriseUser } from "~/auth/access.server.ts";
import { CsrfInput, ErrorSummary } from "~/components/forms.tsx";
import { db } from "~/db/database.server.ts";
import { EMAIL_PREFERENCES, preferenceLabels } from "~/mail/preferences.ts";
import { setEmailPreference } from "~/mail/preferences.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { env } from "~/env.server.ts";

export const meta: MetaFunction = () => [{ title: "Email settings – Springboard" }];

const schema = z.object({
  preference: z.enum(EMAIL_PREFERENCES, { message: "Select how you want to get emails that are not urgent" }),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, "routes/account.notifications");
  const record = await db().user.findUniqueOrThrow({ where: { id: user.id }, select: { emailPreference: true, email: true } });
  const url = new URL(request.url);
  return { preference: record.emailPreference, email: record.email, saved: url.searchParams.get("saved") === "1", digestHour: env().DIGEST_HOUR };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await authoriseUser(request, "routes/account.notifications", "action");
  const form = await request.formData();
  requireCsrf(request, form);
  const parsed = schema.safeParse({ preference: form.get("preference") ?? undefined });
  if (!parsed.success) return data({ errors: { preference: parsed.error.issues[0]!.message } }, { status: 400 });
  await setEmailPreference(db(), user.id, parsed.data.preference);
  return redirect("/account/notifications?saved=1");
}

function PreferenceRadios({ current, error }: { current: string; error?: string }) {
  return (
    <div className={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
      <fieldset className="govuk-fieldset" aria-describedby={`preference-hint${error ? " preference-error" : ""}`}>
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">
          <h2 className="govuk-fieldset__heading">Emails that are not urgent</h2>
        </legend>
        <div id="preference-hint" className="govuk-hint">
          Sign-in links, decisions and requests that need your action are always emailed at once.
        </div>
        {error ? (
          <p id="preference-error" className="govuk-error-message">
            <span className="govuk-visually-hidden">Error:</span> {error}
          </p>
        ) : null}
        <div className="govuk-radios" data-module="govuk-radios">
          {EMAIL_PREFERENCES.map((value, i) => (
            <div className="govuk-radios__item" key={value}>
              <input
                className="govuk-radios__input"
                id={i === 0 ? "preference" : `preference-${value}`}
                name="preference"
                type="radio"
                value={value}
                defaultChecked={current === value}
                aria-describedby={`preference-${value}-hint`}
              />
              <label className="govuk-label govuk-radios__label" htmlFor={i === 0 ? "preference" : `preference-${value}`}>
                {preferenceLabels[value].label}
              </label>
              <div id={`preference-${value}-hint`} className="govuk-hint govuk-radios__hint">
                {preferenceLabels[value].hint}
              </div>
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
}

export default function AccountNotifications() {
  const { preference, email, saved, digestHour } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={result?.errors} />
        {saved ? (
          <div className="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="saved-title" data-module="govuk-notification-banner">
            <div className="govuk-notification-banner__header">
              <h2 className="govuk-notification-banner__title" id="saved-title">Success</h2>
            </div>
            <div className="govuk-notification-banner__content">
              <p className="govuk-notification-banner__heading">Your email settings have been saved.</p>
            </div>
          </div>
        ) : null}
        <h1 className="govuk-heading-l">Email settings</h1>
        <p className="govuk-body">We send emails to {email}. A daily summary is sent at {digestHour === 12 ? "midday" : `${digestHour % 12 || 12}${digestHour < 12 ? "am" : "pm"}`} UK time.</p>
        <Form method="post" noValidate>
          <CsrfInput />
          <PreferenceRadios current={preference} error={result?.errors.preference} />
          <button type="submit" className="govuk-button" data-module="govuk-button">
            Save settings
          </button>
        </Form>
      </div>
    </div>
  );
}
