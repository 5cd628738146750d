import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { z } from "zod";
import { authorise } from "~/auth/access.server.ts";
import { CsrfInput } from "~/components/forms.tsx";
import { readForm } from "~/forms/body.server.ts";
import { parseForm } from "~/forms/parse.server.ts";
import { checkConfirmation, confirmRequest } from "~/join/requests.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { titled } from "~/utils/title.ts";

export const meta = titled<typeof loader>(() => ["Confirm your request"]);

// The token is hidden: a missing or malformed one is simply not a valid link.
const schema = z.object({ token: z.string().max(200).optional().catch(undefined) });

// Opening the link shows a button rather than confirming at once: mail scanners that follow
// links must not use up the single-use token.
export async function loader({ request }: LoaderFunctionArgs) {
  await authorise(request, "routes/request-access.confirm");
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const check = token ? await checkConfirmation(token) : { status: "invalid" as const };
  if (check.status !== "valid") throw redirect(`/request-access?problem=${check.status}`);
  return { token, name: check.name, organisation: check.organisation };
}

// After confirming, the page shows the action's answer; running the loader again would find
// the link used (as it now is) and send the person away from their confirmation.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formMethod, defaultShouldRevalidate }) =>
  formMethod?.toUpperCase() === "POST" ? false : defaultShouldRevalidate;

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  await authorise(request, "routes/request-access.confirm", "action");
  requireCsrf(request, form);
  const parsed = parseForm(form, schema);
  const result = parsed.ok && parsed.value.token ? await confirmRequest(parsed.value.token) : { status: "invalid" as const };
  if (result.status === "expired" || result.status === "used" || result.status === "invalid") throw redirect(`/request-access?problem=${result.status}`);
  return { outcome: result.status, organisation: "organisation" in result ? result.organisation : null };
}

export default function Confirm() {
  const { token, name, organisation } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (result) {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          {result.outcome === "confirmed" ? (
            <div className="govuk-panel govuk-panel--confirmation">
              <h1 className="govuk-panel__title">Request sent</h1>
              <div className="govuk-panel__body">We have asked {result.organisation} to approve it</div>
            </div>
          ) : (
            <h1 className="govuk-heading-l">{result.outcome === "has-account" ? "You already have an account" : "You have already asked"}</h1>
          )}
          {result.outcome === "confirmed" ? (
            <p className="govuk-body">We will email you when your request has been answered. Your council's Springboard users choose the role you get.</p>
          ) : result.outcome === "has-account" ? (
            <p className="govuk-body">
              This address already has access to Springboard.{" "}
              <a className="govuk-link" href="/sign-in">
                Sign in
              </a>{" "}
              instead.
            </p>
          ) : (
            <p className="govuk-body">
              Your earlier request to join {result.organisation} is still waiting for an answer. We will email you when it has been answered.
            </p>
          )}
        </div>
      </div>
    );
  }
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Confirm your request</h1>
        <p className="govuk-body">
          {name}, confirm that you want to ask {organisation} for access to Springboard. We will then send your request to its Springboard users.
        </p>
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="token" value={token} />
          <button type="submit" className="govuk-button" data-module="govuk-button">
            Confirm and send my request
          </button>
        </Form>
      </div>
    </div>
  );
}
