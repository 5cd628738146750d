import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { authorise } from "~/auth/access.server.ts";
import { CsrfInput, ErrorSummary } from "~/components/forms.tsx";
import { db } from "~/db/database.server.ts";
import { EMAIL_PREFERENCES, preferenceLabels } from "~/mail/preferences.ts";
import { setEmailPreference } from "~/mail/preferences.server.ts";
import { userIdFromUnsubscribeToken } from "~/mail/unsubscribe.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";

export const meta: MetaFunction = () => [{ title: "Change your email settings – Springboard" }];

const schema = z.object({
  preference: z.enum(EMAIL_PREFERENCES.filter((p) => p !== "immediate") as ["digest", "off"], {
    message: "Select a daily summary or only essential emails",
  }),
});

async function personFor(token: string | null) {
  const userId = userIdFromUnsubscribeToken(token);
  const user = userId ? await db().user.findUnique({ where: { id: userId }, select: { id: true, email: true, emailPreference: true } }) : null;
  if (!user) throw new Response("This link is not valid. Sign in and go to your email settings instead.", { status: 404, statusText: "Not Found" });
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
  await authorise(request, "routes/unsubscribe", "action");
  const form = await request.formData();
  requireCsrf(request, form);
  const token = String(form.get("token") ?? "");
  const user = await personFor(token);
  const parsed = schema.safeParse({ preference: form.get("preference") ?? undefined });
  if (!parsed.success) return data({ errors: { preference: parsed.error.issues[0]!.message }, done: false as const }, { status: 400 });
  await setEmailPreference(db(), user.id, parsed.data.preference);
  return { errors: null, done: true as const, preference: parsed.data.preference };
}

export default function Unsubscribe() {
  const { token, email, preference } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (result?.done) {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <div className="govuk-panel govuk-panel--confirmation">
            <h1 className="govuk-panel__title">Email settings changed</h1>
            <div className="govuk-panel__body">{preferenceLabels[result.preference].label}</div>
          </div>
          <p className="govuk-body">
            Emails that need your action are still sent at once. You can change this at any time in your{" "}
            <a className="govuk-link" href="/account/notifications">email settings</a>.
          </p>
        </div>
      </div>
    );
  }
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={result?.errors} />
        <h1 className="govuk-heading-l">Fewer emails from Springboard</h1>
        <p className="govuk-body">For {email}. Sign-in links, decisions and requests that need your action are always emailed at once.</p>
        <Form method="post" noValidate>
          <CsrfInput />
          <input type="hidden" name="token" value={token} />
          <div className={`govuk-form-group${result?.errors ? " govuk-form-group--error" : ""}`}>
            <fieldset className="govuk-fieldset">
              <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">What would you like instead?</legend>
              {result?.errors ? (
                <p id="preference-error" className="govuk-error-message">
                  <span className="govuk-visually-hidden">Error:</span> {result.errors.preference}
                </p>
              ) : null}
              <div className="govuk-radios" data-module="govuk-radios">
                {(["digest", "off"] as const).map((value, i) => (
                  <div className="govuk-radios__item" key={value}>
                    <input
                      className="govuk-radios__input"
                      id={i === 0 ? "preference" : `preference-${value}`}
                      name="preference"
                      type="radio"
                      value={value}
                      defaultChecked={preference === value || (preference === "immediate" && value === "off")}
                    />
                    <label className="govuk-label govuk-radios__label" htmlFor={i === 0 ? "preference" : `preference-${value}`}>
                      {preferenceLabels[value].label}
                    </label>
                    <div className="govuk-hint govuk-radios__hint">{preferenceLabels[value].hint}</div>
                  </div>
                ))}
              </div>
            </fieldset>
          </div>
          <button type="submit" className="govuk-button" data-module="govuk-button">
            Confirm
          </button>
        </Form>
      </div>
    </div>
  );
}
