import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { env } from "~/env.server.ts";
import { logger, refuseToStart } from "~/log/log.server.ts";
import { checkObjectStore, s3SettingsFrom, s3Storage } from "./s3.server.ts";
import { isStorageKey, type Storage } from "./store.ts";

export type { Storage } from "./store.ts";

export const sha256Hex = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

export function localDiskStorage(root: string): Storage {
  const fileFor = (key: string) => {
    if (!isStorageKey(key)) throw new Error(`Not a storage key: ${key}`);
    return path.join(root, key.slice(0, 2), key);
  };
  return {
    async put(bytes) {
      const sha256 = sha256Hex(bytes);
      const file = fileFor(sha256);
      await mkdir(path.dirname(file), { recursive: true });
      // Write then rename, so a half-written file is never served.
      const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(temporary, bytes);
      await rename(temporary, file);
      return { key: sha256, sha256 };
    },
    async get(key) {
      try {
        return new Uint8Array(await readFile(fileFor(key)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
    },
  };
}

let current: Storage | undefined;

export function storage(): Storage {
  if (!current) {
    const s3 = s3SettingsFrom(env());
    current = s3 ? s3Storage(s3) : localDiskStorage(env().UPLOAD_DIR ?? path.join(env().DATA_DIR, "uploads"));
  }
  return current;
}

/**
 * A stored file for a download link: its bytes, null when the store does not hold it (the
 * route answers "not found"), or, when the store cannot answer, a page that says so with the
 * reference to quote, thrown as the route's answer. A download is a resource route, which
 * Remix would otherwise answer with a bare "Unexpected Server Error"; the error is logged
 * here, once, since a thrown Response is not an error to Remix.
 */
export async function fileForDownload(key: string, requestId?: string): Promise<Uint8Array | null> {
  try {
    return await storage().get(key);
  } catch (error) {
    logger().error({ err: error, storageKey: key }, "An uploaded file could not be read from storage");
    throw storageUnavailable(requestId);
  }
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function storageUnavailable(requestId?: string): Response {
  const heading = "Sorry, there is a problem with the service";
  const reference = requestId ? `<p class="govuk-body">If you contact us about it, quote reference <strong>${escapeHtml(requestId)}</strong>.</p>` : "";
  const html = `<!DOCTYPE html>
<html lang="en" class="govuk-template">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${heading} - Springboard</title><link rel="stylesheet" href="/govuk/govuk-frontend.min.css"></head>
<body class="govuk-template__body"><div class="govuk-width-container"><main class="govuk-main-wrapper" id="main-content">
<h1 class="govuk-heading-l">${heading}</h1>
<p class="govuk-body">The file cannot be downloaded at the moment. It has not been lost. Try again in a few minutes.</p>
${reference}
</main></div></body>
</html>
`;
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8", "Retry-After": "60", "Cache-Control": "no-store" } });
}

/**
 * For a process's entry point, before it serves: with object storage, a configuration the
 * store refuses (no credentials, no such bucket, no permission) ends the process with its
 * sentence (exit code 1), as a bad setting does. A store that does not answer is logged and
 * the process starts: uploads and downloads fail until it is back, and nothing else needs it.
 */
export async function checkStorageOrExit(): Promise<void> {
  const s3 = s3SettingsFrom(env());
  if (!s3) return;
  const checked = await checkObjectStore(s3);
  if (checked.ok) return;
  if (checked.unreachable) {
    logger().warn({ bucket: s3.bucket, endpoint: s3.endpoint }, checked.problem);
    return;
  }
  // As a bad setting is reported (envOrExit): on stderr whatever the log level.
  refuseToStart(`Invalid configuration:\n  ${checked.problem}`);
}

/** For tests. */
export function setStorage(value: Storage | undefined) {
  current = value;
}
