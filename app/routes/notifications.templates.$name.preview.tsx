import type { LoaderFunctionArgs } from "@remix-run/node";
import { authorise } from "~/auth/access.server.ts";
import { findTemplate } from "~/mail/templates.server.ts";
import { pageTitle } from "~/utils/title.ts";
import { escapeHtml } from "../../emails/layout.ts";
import { notFound } from "~/http/errors.server.ts";

/**
 * An email template rendered with its sample data, exactly as its HTML part is sent, but for
 * its title: a sent email's title is its subject, and this page is a preview of it in the
 * service, so its title says so.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await authorise(request, "routes/notifications.templates.$name.preview");
  const template = findTemplate(params.name);
  if (!template) throw notFound();
  const email = template.render(template.sample, { unsubscribeLink: template.essential ? undefined : "http://localhost:3000/unsubscribe?token=sample" });
  const title = `<title>${escapeHtml(pageTitle(["Email preview", email.subject]))}</title>`;
  return new Response(
    email.html.replace(/<title>[\s\S]*?<\/title>/, () => title),
    { headers: { "Content-Type": "text/html; charset=utf-8" } },
  );
}
