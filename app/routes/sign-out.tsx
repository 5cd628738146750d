import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { authorise } from "~/auth/access.server.ts";
import { destroySession } from "~/auth/session.server.ts";
import { readForm } from "~/forms/body.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";

// Signing out changes state, so it is a POST; a GET just goes home.
export async function loader({ request }: LoaderFunctionArgs) {
  await authorise(request, "routes/sign-out");
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  await authorise(request, "routes/sign-out", "action");
  // The form carries nothing but the CSRF token.
  requireCsrf(request, form);
  return redirect("/?signedOut=1", { headers: { "Set-Cookie": await destroySession(request) } });
}
