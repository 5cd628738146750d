import { notFound } from "~/http/errors.server.ts";
import { fileForDownload } from "./storage.server.ts";

/**
 * The response that hands an uploaded document back. Always an attachment, never shown
 * inline, typed by what the bytes were found to be on upload, and never kept by a cache.
 */

export interface DownloadableDocument {
  fileName: string;
  mimeType: string;
}

export interface DownloadOptions {
  /**
   * "private, no-store" (the default) for documents only signed-in people may see.
   * "no-store" for public ones: a team may make a document private again, so no shared
   * cache may keep it either.
   */
  cache?: "private, no-store" | "no-store";
}

export function downloadResponse(document: DownloadableDocument, bytes: Uint8Array, { cache = "private, no-store" }: DownloadOptions = {}): Response {
  // Older browsers read only filename=, which must be plain ASCII without quotes or
  // backslashes; the others read filename* and get the name as it was kept.
  const ascii = document.fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return new Response(Buffer.from(bytes), {
    headers: {
      "Content-Type": document.mimeType,
      "Content-Length": String(bytes.length),
      "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(document.fileName)}`,
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": cache,
    },
  });
}

/**
 * A document's download, as every document route answers: not found when the record is not
 * one this person may have (the route's query says which), nor when its bytes are missing
 * from the store.
 */
export async function downloadStored(
  document: (DownloadableDocument & { storageKey: string }) | null,
  requestId: string | undefined,
  options?: DownloadOptions,
): Promise<Response> {
  if (!document) throw notFound();
  const bytes = await fileForDownload(document.storageKey, requestId);
  if (!bytes) throw notFound();
  return downloadResponse(document, bytes, options);
}
