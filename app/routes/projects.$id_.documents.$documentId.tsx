import type { LoaderFunctionArgs } from "@remix-run/node";
import { authoriseUser } from "~/auth/access.server.ts";
import { db } from "~/db/database.server.ts";
import { loadProjectFor } from "~/projects/projects.server.ts";
import { downloadStored } from "~/storage/download.server.ts";

/** Downloads one piece of project evidence, for whoever may see the project. Never shown inline. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, "routes/projects.$id_.documents.$documentId");
  const { project } = await loadProjectFor(user, params.id);
  const document = await db().projectDocument.findFirst({ where: { id: params.documentId ?? "", projectId: project.id } });
  return downloadStored(document, context.requestId);
}
