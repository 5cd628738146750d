import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { saveDecisionMessage } from "~/funding/decision-actions.server.ts";
import { loadDecisionRound } from "~/funding/decisions.server.ts";
import { CsrfInput, ErrorSummary } from "~/components/forms.tsx";
import { Textarea } from "~/components/textarea.tsx";
import { readForm } from "~/forms/body.server.ts";
import { refused } from "~/forms/parse.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { titled } from "~/utils/title.ts";

export const meta = titled<typeof loader>(({ data }) => ["Publish decisions", data?.round.name]);

const ROUTE = "routes/rounds.$slug_.decisions_.publish" as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  await authoriseUser(request, ROUTE);
  const round = await loadDecisionRound(params.slug);
  return { round: { slug: round.slug, name: round.name }, message: round.decisionMessage ?? "" };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  await authoriseUser(request, ROUTE, "action");
  requireCsrf(request, form);
  const round = await loadDecisionRound(params.slug);
  const saved = await saveDecisionMessage(round.id, form);
  if (!saved.ok) return refused(saved);
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
            Every bidder in the round gets an email with their decision, this message and the assessors' feedback (each assessor's justification per criterion,
            not named, and the moderators' rationale for any agreed score). You can check who will be funded before anything is sent.
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
