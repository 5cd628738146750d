import type { LoaderFunctionArgs } from "@remix-run/node";
import { loadAdoptionsPage } from "~/adoptions/adoptions.server.ts";
import { authoriseUser } from "~/auth/access.server.ts";
import { db } from "~/db/database.server.ts";
import { downloadStored } from "~/storage/download.server.ts";

const ROUTE = "routes/projects.$id_.adoptions_.documents.$documentId" as const;

/**
 * Downloads a document the project team marked reusable, for whoever may see the
 * adoptions page (councils considering adoption included). Other documents are not found.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, ROUTE);
  const { project } = await loadAdoptionsPage(user, params.id);
  const document = await db().projectDocument.findFirst({ where: { id: params.documentId ?? "", projectId: project.id, reusable: true } });
  return downloadStored(document, context.requestId);
}
