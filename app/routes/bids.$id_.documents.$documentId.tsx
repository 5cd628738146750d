import type { LoaderFunctionArgs } from "@remix-run/node";
import { authoriseUser } from "~/auth/access.server.ts";
import { loadBidFor, notFound } from "~/bids/bids.server.ts";
import { db } from "~/db/database.server.ts";
import { fileForDownload } from "~/storage/storage.server.ts";

/** Downloads one piece of evidence, for whoever may see the bid. Never shown inline. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, "routes/bids.$id_.documents.$documentId");
  const { bid } = await loadBidFor(user, params.id);
  const document = await db().bidDocument.findFirst({ where: { id: params.documentId ?? "", bidId: bid.id } });
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
