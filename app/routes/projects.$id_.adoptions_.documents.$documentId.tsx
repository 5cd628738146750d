import type { LoaderFunctionArgs } from "@remix-run/node";
import { loadAdoptionsPage } from "~/adoptions/adoptions.server.ts";
import { authoriseUser } from "~/auth/access.server.ts";
import { db } from "~/db/database.server.ts";
import { downloadResponse } from "~/storage/download.server.ts";
import { fileForDownload } from "~/storage/storage.server.ts";
import { notFound } from "~/http/errors.server.ts";

const ROUTE = "routes/projects.$id_.adoptions_.documents.$documentId" as const;

/**
 * Downloads a document the project team marked reusable, for whoever may see the
 * adoptions page (councils considering adoption included). Other documents are not found.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, ROUTE);
  const { project } = await loadAdoptionsPage(user, params.id);
  const document = await db().projectDocument.findFirst({ where: { id: params.documentId ?? "", projectId: project.id, reusable: true } });
  if (!document) throw notFound();
  const bytes = await fileForDownload(document.storageKey, context.requestId);
  if (!bytes) throw notFound();
  return downloadResponse(document, bytes);
}
