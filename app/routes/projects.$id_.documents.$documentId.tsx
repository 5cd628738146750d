import type { LoaderFunctionArgs } from "@remix-run/node";
import { authoriseUser } from "~/auth/access.server.ts";
import { db } from "~/db/database.server.ts";
import { loadProjectFor, notFound } from "~/projects/projects.server.ts";
import { fileForDownload } from "~/storage/storage.server.ts";

/** Downloads one piece of project evidence, for whoever may see the project. Never shown inline. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, "routes/projects.$id_.documents.$documentId");
  const { project } = await loadProjectFor(user, params.id);
  const document = await db().projectDocument.findFirst({ where: { id: params.documentId ?? "", projectId: project.id } });
  if (!document) throw notFound();
  const bytes = await fileForDownload(document.storageKey, context.requestId);
  if (!bytes) throw notFound();
  const ascii = document.fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return new Response(Buffer.from(bytes), {
    headers: {
      "Content-Type": document.mimeType,
      "Content-Length": String(bytes.length),
      "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(document.fileName)}`,
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, no-store",
    },
  });
}
