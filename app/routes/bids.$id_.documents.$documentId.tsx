import type { LoaderFunctionArgs } from "@remix-run/node";
import { authoriseUser } from "~/auth/access.server.ts";
import { loadBidFor } from "~/bids/bids.server.ts";
import { db } from "~/db/database.server.ts";
import { downloadStored } from "~/storage/download.server.ts";

/** Downloads one piece of evidence, for whoever may see the bid. Never shown inline. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, "routes/bids.$id_.documents.$documentId");
  const { bid } = await loadBidFor(user, params.id);
  const document = await db().bidDocument.findFirst({ where: { id: params.documentId ?? "", bidId: bid.id } });
  return downloadStored(document, context.requestId);
}
