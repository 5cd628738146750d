import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { CsrfInput, ErrorSummary } from "~/components/forms.tsx";
import { NotificationBanner } from "~/components/notification-banner.tsx";
import { Radios } from "~/components/radios.tsx";
import { db } from "~/db/database.server.ts";
import { readForm } from "~/forms/body.server.ts";
import { parseForm, refused } from "~/forms/parse.server.ts";
import { EMAIL_PREFERENCES, preferenceLabels } from "~/mail/preferences.ts";
import { preferenceForm, setEmailPreference } from "~/mail/preferences.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { env } from "~/env.server.ts";
import { titled } from "~/utils/title.ts";

export const meta = titled(() => ["Email settings"]);

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, "routes/account.notifications");
  const record = await db().user.findUniqueOrThrow({ where: { id: user.id }, select: { emailPreference: true, email: true } });
  const url = new URL(request.url);
  return { preference: record.emailPreference, email: record.email, saved: url.searchParams.get("saved") === "1", digestHour: env().DIGEST_HOUR };
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const user = await authoriseUser(request, "routes/account.notifications", "action");
  requireCsrf(request, form);
  const parsed = parseForm(form, preferenceForm);
  if (!parsed.ok) return refused(parsed);
  await setEmailPreference(db(), user.id, parsed.value.preference);
  return redirect("/account/notifications?saved=1");
}

export default function AccountNotifications() {
  const { preference, email, saved, digestHour } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={result?.errors} />
        {saved ? <NotificationBanner type="success" heading="Your email settings have been saved." /> : null}
        <h1 className="govuk-heading-l">Email settings</h1>
        <p className="govuk-body">
          We send emails to {email}. A daily summary is sent at {digestHour === 12 ? "midday" : `${digestHour % 12 || 12}${digestHour < 12 ? "am" : "pm"}`} UK
          time.
        </p>
        <Form method="post" noValidate>
          <CsrfInput />
          <Radios
            name="preference"
            legend={<h2 className="govuk-fieldset__heading">Emails that are not urgent</h2>}
            legendClass="govuk-fieldset__legend--m"
            hint="Sign-in links, decisions and requests that need your action are always emailed at once."
            error={result?.errors.preference}
            value={result?.values.preference ?? preference}
            items={EMAIL_PREFERENCES.map((value) => ({ value, text: preferenceLabels[value].label, hint: preferenceLabels[value].hint }))}
          />
          <button type="submit" className="govuk-button" data-module="govuk-button">
            Save settings
          </button>
        </Form>
      </div>
    </div>
  );
}
