import type { LoaderFunctionArgs } from "@remix-run/node";
import { authoriseUser } from "~/auth/access.server.ts";
import { loadBidFor } from "~/bids/bids.server.ts";
import { db } from "~/db/database.server.ts";
import { downloadResponse } from "~/storage/download.server.ts";
import { fileForDownload } from "~/storage/storage.server.ts";
import { notFound } from "~/http/errors.server.ts";

/** Downloads one piece of evidence, for whoever may see the bid. Never shown inline. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, "routes/bids.$id_.documents.$documentId");
  const { bid } = await loadBidFor(user, params.id);
  const document = await db().bidDocument.findFirst({ where: { id: params.documentId ?? "", bidId: bid.id } });
  if (!document) throw notFound();
  const bytes = await fileForDownload(document.storageKey, context.requestId);
  if (!bytes) throw notFound();
  return downloadResponse(document, bytes);
}
