import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { authorise } from "~/auth/access.server.ts";
import { CsrfInput, ErrorSummary } from "~/components/forms.tsx";
import { Radios } from "~/components/radios.tsx";
import { db } from "~/db/database.server.ts";
import { readForm } from "~/forms/body.server.ts";
import { notFound } from "~/http/errors.server.ts";
import { parseForm, refused } from "~/forms/parse.server.ts";
import { preferenceLabels } from "~/mail/preferences.ts";
import { setEmailPreference, unsubscribeForm } from "~/mail/preferences.server.ts";
import { userIdFromUnsubscribeToken } from "~/mail/unsubscribe.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { titled } from "~/utils/title.ts";

export const meta = titled(() => ["Change your email settings"]);

async function personFor(token: string | null | undefined) {
  const userId = userIdFromUnsubscribeToken(token);
  const user = userId ? await db().user.findUnique({ where: { id: userId }, select: { id: true, email: true, emailPreference: true } }) : null;
  if (!user) throw notFound();
  return user;
}

// A GET only shows the choice: mail scanners open links, and must not change anything.
export async function loader({ request }: LoaderFunctionArgs) {
  await authorise(request, "routes/unsubscribe");
  const token = new URL(request.url).searchParams.get("token");
  const user = await personFor(token);
  return { token: token!, email: user.email, preference: user.emailPreference, done: false as const };
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  await authorise(request, "routes/unsubscribe", "action");
  requireCsrf(request, form);
  const parsed = parseForm(form, unsubscribeForm);
  // Whose choice this is comes first: a link that is not ours is not found, whatever else was sent.
  const user = await personFor(parsed.values.token);
  if (!parsed.ok) return refused(parsed);
  await setEmailPreference(db(), user.id, parsed.value.preference);
  return { done: true as const, preference: parsed.value.preference };
}

export default function Unsubscribe() {
  const { token, email, preference } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (result && "done" in result) {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <div className="govuk-panel govuk-panel--confirmation">
            <h1 className="govuk-panel__title">Email settings changed</h1>
            <div className="govuk-panel__body">{preferenceLabels[result.preference].label}</div>
          </div>
          <p className="govuk-body">
            Emails that need your action are still sent at once. You can change this at any time in your{" "}
            <a className="govuk-link" href="/account/notifications">
              email settings
            </a>
            .
          </p>
        </div>
      </div>
    );
  }
  const refusal = result && "errors" in result ? result : undefined;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={refusal?.errors} />
        <h1 className="govuk-heading-l">Fewer emails from Springboard</h1>
        <p className="govuk-body">For {email}. Sign-in links, decisions and requests that need your action are always emailed at once.</p>
        <Form method="post" noValidate>
          <CsrfInput />
          <input type="hidden" name="token" value={token} />
          <Radios
            name="preference"
            legend="What would you like instead?"
            legendClass="govuk-fieldset__legend--m"
            error={refusal?.errors.preference}
            value={refusal?.values.preference ?? (preference === "immediate" ? "off" : preference)}
            items={(["digest", "off"] as const).map((value) => ({ value, text: preferenceLabels[value].label, hint: preferenceLabels[value].hint }))}
          />
          <button type="submit" className="govuk-button" data-module="govuk-button">
            Confirm
          </button>
        </Form>
      </div>
    </div>
  );
}
