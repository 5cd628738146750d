import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { authorise } from "~/auth/access.server.ts";
import { destroySession } from "~/auth/session.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";

// Signing out changes state, so it is a POST; a GET just goes home.
export async function loader({ request }: LoaderFunctionArgs) {
  await authorise(request, "routes/sign-out");
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  await authorise(request, "routes/sign-out", "action");
  requireCsrf(request, await request.formData());
  return redirect("/?signedOut=1", { headers: { "Set-Cookie": await destroySession(request) } });
}
