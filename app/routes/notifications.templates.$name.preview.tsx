import type { LoaderFunctionArgs } from "@remix-run/node";
import { authorise } from "~/auth/access.server.ts";
import { findTemplate } from "~/mail/templates.server.ts";

/** An email template rendered with its sample data, exactly as its HTML part is sent. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await authorise(request, "routes/notifications.templates.$name.preview");
  const template = findTemplate(params.name);
  if (!template) throw new Response("Not found", { status: 404, statusText: "Not Found" });
  const email = template.render(template.sample, { unsubscribeLink: template.essential ? undefined : "http://localhost:3000/unsubscribe?token=sample" });
  return new Response(email.html, { headers: { "Content-Type": "text/html; charset=utf-8" } });
}
