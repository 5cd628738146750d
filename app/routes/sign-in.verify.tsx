import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { authorise } from "~/auth/access.server.ts";
import { createSession, safeReturnTo } from "~/auth/session.server.ts";
import { checkSignInLink, consumeSignInLink } from "~/auth/sign-in.server.ts";
import { CsrfInput } from "~/components/forms.tsx";
import { readForm } from "~/forms/body.server.ts";
import { parseForm } from "~/forms/parse.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { titled } from "~/utils/title.ts";

// Both fields are hidden: a missing or malformed token is simply not a valid link, and
// safeReturnTo keeps only a path on this site.
const schema = z.object({ token: z.string().max(200).optional().catch(undefined), returnTo: z.string().optional().catch(undefined) });

export const meta = titled(() => ["Sign in"]);

// Opening the link shows a button rather than signing in at once: mail scanners that
// follow links must not use up the single-use token.
export async function loader({ request }: LoaderFunctionArgs) {
  await authorise(request, "routes/sign-in.verify");
  const url = new URL(request.url);
  const token = url.searchParams.get("token") ?? "";
  const check = token ? await checkSignInLink(token) : { status: "invalid" as const };
  if (check.status !== "valid") throw redirect(`/sign-in?problem=${check.status}`);
  return { token, returnTo: safeReturnTo(url.searchParams.get("returnTo"), "") };
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  await authorise(request, "routes/sign-in.verify", "action");
  requireCsrf(request, form);
  const parsed = parseForm(form, schema);
  const result = parsed.ok && parsed.value.token ? await consumeSignInLink(parsed.value.token) : { status: "invalid" as const };
  if (result.status !== "valid") throw redirect(`/sign-in?problem=${result.status}`);
  const cookie = await createSession(request, result.userId);
  return redirect(safeReturnTo(parsed.ok ? parsed.value.returnTo : null), { headers: { "Set-Cookie": cookie } });
}

export default function Verify() {
  const { token, returnTo } = useLoaderData<typeof loader>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Sign in to Springboard</h1>
        <p className="govuk-body">Your link is valid. Continue to sign in on this device.</p>
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="token" value={token} />
          <input type="hidden" name="returnTo" value={returnTo} />
          <button type="submit" className="govuk-button" data-module="govuk-button">
            Continue
          </button>
        </Form>
      </div>
    </div>
  );
}
