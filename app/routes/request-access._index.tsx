import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { authorise } from "~/auth/access.server.ts";
import { CsrfInput, ErrorSummary, TextInput } from "~/components/forms.tsx";
import { NotificationBanner } from "~/components/notification-banner.tsx";
import { Radios } from "~/components/radios.tsx";
import { Textarea } from "~/components/textarea.tsx";
import { readForm } from "~/forms/body.server.ts";
import { parseForm, refused } from "~/forms/parse.server.ts";
import { requestAccess, requestForm } from "~/join/requests.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { titled } from "~/utils/title.ts";
import { plural } from "~/utils/format.ts";

export const meta = titled(() => ["Request access"]);

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await authorise(request, "routes/request-access._index");
  // A signed-in person already has access.
  if (user) throw redirect("/home");
  return { problem: new URL(request.url).searchParams.get("problem") };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  await authorise(request, "routes/request-access._index", "action");
  requireCsrf(request, form);
  const parsed = parseForm(form, requestForm);
  if (!parsed.ok) return refused(parsed);
  const result = await requestAccess({ ...parsed.value, clientKey: context.clientIp });
  if (result.status === "rate-limited") {
    const minutes = Math.ceil(result.retryAfterSeconds / 60);
    return data(
      {
        errors: { email: `You have asked too many times. Wait ${plural(minutes, "minute")} and try again.` },
        values: parsed.values,
      },
      { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } },
    );
  }
  return redirect(`/request-access/check-email?email=${encodeURIComponent(parsed.value.email)}`);
}

const problems: Record<string, string> = {
  expired: "That confirmation link has expired. Links work for 24 hours. Ask again below.",
  used: "That confirmation link has already been used. Each link works once.",
  invalid: "That confirmation link is not valid. Check you copied the whole link, or ask again below.",
};

export default function RequestAccess() {
  const { problem } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors as Record<string, string> | undefined;
  const values = result?.values as Record<string, string> | undefined;
  return (
    <>
      <a href="/sign-in" className="govuk-back-link">
        Back to sign in
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} order={["name", "email", "role", "note"]} />
          {problem && Object.hasOwn(problems, problem) ? <NotificationBanner heading={problems[problem]} /> : null}
          <h1 className="govuk-heading-l">Request access</h1>
          <p className="govuk-body">
            Council staff can ask to join Springboard with their work email address. If your address is on your council's email domain, we will email you a link
            to confirm it. Your council's Springboard users then approve your request.
          </p>
          <Form method="post" noValidate>
            <CsrfInput />
            <TextInput name="name" label="Full name" autoComplete="name" spellCheck={false} defaultValue={values?.name} error={errors?.name} />
            <TextInput
              name="email"
              label="Work email address"
              hint="The address your council gave you, like name@leeds.gov.uk"
              type="email"
              autoComplete="email"
              spellCheck={false}
              defaultValue={values?.email}
              error={errors?.email}
            />
            <Radios
              name="role"
              legend="Which role do you need?"
              error={errors?.role}
              value={values?.role}
              items={[
                { value: "councilOfficer", text: "Council officer", hint: "Drafts and submits your council's bids, and reports on funded projects" },
                {
                  value: "certifier",
                  text: "Council certifier",
                  hint: "Signs off your council's bids (the section 151 officer or a delegate). Only a certifier of your council or the fund team can approve this",
                },
              ]}
            />
            <Textarea
              name="note"
              label="Anything the approver should know (optional)"
              hint="For example, your team and job title"
              defaultValue={values?.note}
              error={errors?.note}
              rows={3}
            />
            <button type="submit" className="govuk-button" data-module="govuk-button">
              Request access
            </button>
          </Form>
        </div>
      </div>
    </>
  );
}
