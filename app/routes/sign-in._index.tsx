import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { authorise } from "~/auth/access.server.ts";
import { safeReturnTo } from "~/auth/session.server.ts";
import { requestSignInLink } from "~/auth/sign-in.server.ts";
import { CsrfInput, ErrorSummary, TextInput } from "~/components/forms.tsx";
import { NotificationBanner } from "~/components/notification-banner.tsx";
import { readForm } from "~/forms/body.server.ts";
import { email } from "~/forms/fields.ts";
import { parseForm, refused } from "~/forms/parse.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { titled } from "~/utils/title.ts";
import { plural } from "~/utils/format.ts";

export const meta = titled(() => ["Sign in"]);

// returnTo is whatever was sent: safeReturnTo keeps only a path on this site.
const schema = z.object({ email: email("Enter your email address"), returnTo: z.string().optional().catch(undefined) });

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await authorise(request, "routes/sign-in._index");
  const url = new URL(request.url);
  if (user) throw redirect(safeReturnTo(url.searchParams.get("returnTo")));
  return { returnTo: url.searchParams.get("returnTo") ?? "", problem: url.searchParams.get("problem") };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  await authorise(request, "routes/sign-in._index", "action");
  requireCsrf(request, form);
  const parsed = parseForm(form, schema);
  if (!parsed.ok) return refused(parsed);
  const returnTo = safeReturnTo(parsed.value.returnTo, "");
  const result = await requestSignInLink({ email: parsed.value.email, clientKey: context.clientIp, returnTo: returnTo || undefined });
  if (result.status === "rate-limited") {
    const minutes = Math.ceil(result.retryAfterSeconds / 60);
    return data(
      {
        errors: { email: `You have asked for too many sign-in links. Wait ${plural(minutes, "minute")} and try again.` },
        values: parsed.values,
      },
      { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } },
    );
  }
  return redirect(`/sign-in/check-email?email=${encodeURIComponent(parsed.value.email)}`);
}

const problems: Record<string, string> = {
  expired: "That sign-in link has expired. Links work for 15 minutes. Ask for a new one below.",
  used: "That sign-in link has already been used. Each link works once. Ask for a new one below.",
  invalid: "That sign-in link is not valid. Check you copied the whole link, or ask for a new one below.",
};

export default function SignIn() {
  const { returnTo, problem } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={result?.errors} />
        {problem && Object.hasOwn(problems, problem) ? <NotificationBanner heading={problems[problem]} /> : null}
        <h1 className="govuk-heading-l">Sign in to Springboard</h1>
        <p className="govuk-body">We will email you a link to sign in. There is no password.</p>
        <Form method="post" noValidate>
          <CsrfInput />
          <input type="hidden" name="returnTo" value={returnTo} />
          <TextInput
            name="email"
            label="Email address"
            hint="Use the work email address your account was set up with"
            type="email"
            autoComplete="email"
            spellCheck={false}
            defaultValue={result?.values.email}
            error={result?.errors.email}
          />
          <button type="submit" className="govuk-button" data-module="govuk-button">
            Send me a sign-in link
          </button>
        </Form>
        <details className="govuk-details">
          <summary className="govuk-details__summary">
            <span className="govuk-details__summary-text">I do not have an account</span>
          </summary>
          <div className="govuk-details__text">
            <p className="govuk-body">
              If you work for a council, you can{" "}
              <a className="govuk-link" href="/request-access">
                request access
              </a>{" "}
              with your work email address. Your council's Springboard users approve it.
            </p>
            <p className="govuk-body">Otherwise, ask your council's Springboard contact or the fund team to invite you.</p>
          </div>
        </details>
      </div>
    </div>
  );
}
