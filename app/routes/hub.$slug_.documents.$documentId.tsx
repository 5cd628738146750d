import type { LoaderFunctionArgs } from "@remix-run/node";
import { authorise } from "~/auth/access.server.ts";
import { db } from "~/db/database.server.ts";
import { publicDocumentWhere } from "~/hub/gate-evidence.server.ts";
import { downloadStored } from "~/storage/download.server.ts";
import { notFound } from "~/http/errors.server.ts";

/**
 * Downloads a document the project team made public, for anyone who can read the project's
 * published case study. Any other document, or any document of a case study not published,
 * is not found here (the project's own route still serves it to the people who may see it).
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await authorise(request, "routes/hub.$slug_.documents.$documentId");
  const caseStudy = params.slug ? await db().caseStudy.findFirst({ where: { slug: params.slug, status: "published" }, select: { projectId: true } }) : null;
  if (!caseStudy) throw notFound();
  const document = await db().projectDocument.findFirst({
    where: { id: params.documentId ?? "", ...publicDocumentWhere(caseStudy.projectId) },
    select: { fileName: true, mimeType: true, storageKey: true },
  });
  // Public, but a team may make a document private again: no shared cache keeps it.
  return downloadStored(document, context.requestId, { cache: "no-store" });
}
