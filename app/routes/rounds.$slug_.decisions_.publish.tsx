import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { loadDecisionRound } from "~/decisions/decisions.server.ts";
import { CsrfInput, ErrorSummary } from "~/components/forms.tsx";
import { Textarea } from "~/components/textarea.tsx";
import { db } from "~/db/database.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";

export const meta: MetaFunction = () => [{ title: "Publish decisions – Springboard" }];

const ROUTE = "routes/rounds.$slug_.decisions_.publish" as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  await authoriseUser(request, ROUTE);
  const round = await loadDecisionRound(params.slug);
  return { round: { slug: round.slug, name: round.name }, message: round.decisionMessage ?? "" };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData();
  await authoriseUser(request, ROUTE, "action");
  requireCsrf(request, form);
  const round = await loadDecisionRound(params.slug);
  const message = String(form.get("message") ?? "").trim();
  const fail = (text: string) => data({ errors: { message: text }, values: { message } }, { status: 400 });
  if (!message) return fail("Enter the message for every bidder");
  if (message.length > 10_000) return fail("The message must be 10,000 characters or fewer");
  // Kept on the round, so the check page and a publication run again later use the same words.
  await db().round.update({ where: { id: round.id }, data: { decisionMessage: message } });
  return redirect(`/rounds/${round.slug}/decisions/publish/confirm`);
}

export default function PublishMessage() {
  const { round, message } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <a href={`/rounds/${round.slug}/decisions`} className="govuk-back-link">
        Back to decisions
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={result?.errors} />
          <span className="govuk-caption-l">{round.name}</span>
          <h1 className="govuk-heading-l">Publish decisions</h1>
          <p className="govuk-body">
            Every bidder in the round gets an email with their decision, this message and the assessors' feedback (each assessor's justification per criterion, not
            named, and the moderators' rationale for any agreed score). You can check who will be funded before anything is sent.
          </p>
          <Form method="post" noValidate>
            <CsrfInput />
            <Textarea
              name="message"
              label="Message from the fund team"
              labelClass="govuk-label--m"
              hint="For example, what happens next for funded projects, and when the next round opens."
              defaultValue={result?.values.message ?? message}
              error={result?.errors.message}
              rows={8}
            />
            <button type="submit" className="govuk-button" data-module="govuk-button">
              Continue
            </button>
          </Form>
        </div>
      </div>
    </>
  );
}
