import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { authorise } from "~/auth/access.server.ts";
import { CsrfInput, ErrorSummary, TextInput } from "~/components/forms.tsx";
import { Textarea } from "~/components/textarea.tsx";
import { DETAILS_MAX, DOING_MAX, feedbackForm } from "~/feedback/rules.ts";
import { feedbackFromPath, giveFeedback } from "~/feedback/feedback.server.ts";
import { readForm } from "~/forms/body.server.ts";
import { parseForm, refused, type FormErrors } from "~/forms/parse.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { titled } from "~/utils/title.ts";
import { formatNumber, plural } from "~/utils/format.ts";

export const meta = titled<typeof loader>(({ data }) => [data?.sent ? "Thank you for your feedback" : "Give feedback"]);

const ROUTE = "routes/feedback" as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await authorise(request, ROUTE);
  const url = new URL(request.url);
  return {
    signedIn: user !== null,
    from: feedbackFromPath(url.searchParams.get("from")),
    sent: url.searchParams.get("sent") === "1",
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const user = await authorise(request, ROUTE, "action");
  requireCsrf(request, form);
  const parsed = parseForm(form, feedbackForm);
  if (!parsed.ok) return refused(parsed);
  const result = await giveFeedback(parsed.value, { user, clientIp: context.clientIp });
  if (result.status === "rate-limited") {
    const minutes = Math.max(1, Math.ceil(result.retryAfterSeconds / 60));
    const errors: FormErrors = {
      details: `A lot of feedback has been sent from your connection in the last hour. Wait ${plural(minutes, "minute")} and try again`,
    };
    return data({ errors, values: parsed.values }, { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } });
  }
  const from = feedbackFromPath(parsed.value.from);
  return redirect(`/feedback?sent=1${from ? `&from=${encodeURIComponent(from)}` : ""}`);
}

export default function Feedback() {
  const { signedIn, from, sent } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (sent) {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <div className="govuk-panel govuk-panel--confirmation">
            <h1 className="govuk-panel__title">Thank you for your feedback</h1>
          </div>
          <p className="govuk-body">The fund team reads all the feedback people give and uses it to improve Springboard.</p>
          <p className="govuk-body">If you gave an email address, someone from the fund team may reply to you there.</p>
          <p className="govuk-body">
            <a className="govuk-link" href={from ?? "/"}>
              {from ? "Go back to the page you were on" : "Go to the start page"}
            </a>
          </p>
        </div>
      </div>
    );
  }
  const values = result?.values ?? {};
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={result?.errors} order={["doing", "details", "email"]} />
        <h1 className="govuk-heading-l">Give feedback on Springboard</h1>
        <p className="govuk-body">
          Springboard is a new service. Tell the fund team what worked, what did not, and what could be better. This includes any problem you had with
          accessibility: see the{" "}
          <a className="govuk-link" href="/accessibility">
            accessibility statement
          </a>
          .
        </p>
        <p className="govuk-body">Do not include personal information about other people.</p>
        {signedIn ? (
          <div className="govuk-inset-text">You are signed in, so the fund team will see your name, role and organisation with your feedback.</div>
        ) : null}
        <Form method="post" noValidate>
          <CsrfInput />
          <input type="hidden" name="from" value={values.from ?? from ?? ""} />
          <Textarea
            name="doing"
            label="What were you doing? (optional)"
            hint={`For example, adding a partner council to a bid. You can enter up to ${formatNumber(DOING_MAX)} characters.`}
            rows={3}
            defaultValue={values.doing}
            error={result?.errors.doing}
          />
          <Textarea
            name="details"
            label="What went wrong, or what could be better?"
            hint={`You can enter up to ${formatNumber(DETAILS_MAX)} characters.`}
            rows={6}
            defaultValue={values.details}
            error={result?.errors.details}
          />
          <TextInput
            name="email"
            label="Email address (optional)"
            hint="Give your email address if you would like a reply. We will only use it to reply to this feedback."
            type="email"
            autoComplete="email"
            spellCheck={false}
            defaultValue={values.email}
            error={result?.errors.email}
          />
          <p className="govuk-body">
            The{" "}
            <a className="govuk-link" href="/privacy">
              privacy notice
            </a>{" "}
            says how we keep and use what you send.
          </p>
          <button type="submit" className="govuk-button" data-module="govuk-button">
            Send feedback
          </button>
        </Form>
      </div>
    </div>
  );
}
