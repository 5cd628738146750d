import {
  FIELD_COUNT_LIMIT,
  FORM_BODY_LIMIT,
  kilobytes,
  LEADING_FIELDS_LIMIT,
  MAX_FORM_ROWS,
  megabytes,
  UPLOAD_BODY_LIMIT,
  UPLOAD_FILE_LIMIT,
} from "./limits.ts";
import { formatNumber } from "~/utils/format.ts";

/**
 * The only way an action reads its request body. The body is bounded before anything parses
 * it: a declared length over the limit is refused without reading a byte, and a body that
 * keeps coming is cut off as soon as it passes the limit, so a huge POST costs at most the
 * limit in memory. Then the shape is checked: a form content type, a bounded number of
 * fields, no NUL characters (PostgreSQL cannot store them) and no field names that could
 * reach an object's prototype or size an array from a typed number.
 *
 * Each refusal is thrown as a Response with a plain sentence, which the root error boundary
 * shows as a page.
 */
export type BodyKind = "form" | "upload";

const LIMITS: Record<BodyKind, number> = { form: FORM_BODY_LIMIT, upload: UPLOAD_BODY_LIMIT };

export async function readForm(request: Request, kind: BodyKind = "form"): Promise<FormData> {
  const body = await readBody(request, kind, false);
  if (body instanceof TooLarge) throw tooLarge(kind);
  return body;
}

/** An upload's fields, or the fields sent before its file when the whole was over the limit. */
export type UploadBody = { ok: true; form: FormData } | { ok: false; leading: FormData };

/**
 * An upload form's body, for pages that refuse a file that is too large beside its field.
 * Over the limit, the file is not read, but the small fields its form puts before the file
 * (multipart parts arrive in the order of the form's fields) are read from the first
 * LEADING_FIELDS_LIMIT bytes, so the page can keep what was chosen beside the file. The
 * body is not read past the first file part. Every other refusal is thrown, as readForm's.
 */
export async function readUpload(request: Request): Promise<UploadBody> {
  const body = await readBody(request, "upload", true);
  if (body instanceof TooLarge) return { ok: false, leading: leadingFields(body.prefix, request.headers.get("content-type") ?? "") };
  return { ok: true, form: body };
}

/** A body over the limit, with the first of its bytes when they were asked for. */
class TooLarge {
  constructor(readonly prefix: Uint8Array) {}
}

async function readBody(request: Request, kind: BodyKind, keepLeading: boolean): Promise<FormData | TooLarge> {
  const limit = LIMITS[kind];
  const header = request.headers.get("content-type") ?? "";
  // Lower-cased only to compare: a multipart boundary is case-sensitive, and browsers send
  // mixed-case ones.
  const type = header.toLowerCase();
  const multipart = type.startsWith("multipart/form-data");
  const urlencoded = type.startsWith("application/x-www-form-urlencoded");
  if (!multipart && !urlencoded) {
    throw refusal(415, "Unsupported form", "This page only accepts what its own form sends. Go back, refresh the page and try again.");
  }
  if (multipart && kind !== "upload") {
    throw refusal(415, "Unsupported form", "This form does not take files. Go back, refresh the page and try again.");
  }
  const bytes = await readBounded(request, limit, keepLeading && multipart);
  if (bytes instanceof TooLarge) return bytes;
  let form: FormData;
  try {
    form = multipart ? await new Response(bytes, { headers: { "content-type": header } }).formData() : formFromUrlEncoded(bytes);
  } catch (thrown) {
    if (thrown instanceof Response) throw thrown;
    throw refusal(400, "The form could not be read", "What was sent could not be read as a form. Go back, refresh the page and try again.");
  }
  checkShape(form);
  return form;
}

const EMPTY = new Uint8Array();

async function readBounded(request: Request, limit: number, keepLeading: boolean): Promise<Uint8Array<ArrayBuffer> | TooLarge> {
  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > limit) {
    // Refused on the declaration: at most the first few KB are read, for the fields before the file.
    return new TooLarge(keepLeading && request.body ? await readLeading(request.body) : EMPTY);
  }
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // Stop reading, but do not cancel: cancelling destroys the socket before the 413 and
      // its sentence reach the client. Unread, the body is held back by TCP's flow control
      // and the connection closes once the answer is sent.
      reader.releaseLock();
      return new TooLarge(keepLeading ? concat(chunks, LEADING_FIELDS_LIMIT) : EMPTY);
    }
    chunks.push(value);
  }
  return concat(chunks, size);
}

/** The first `most` bytes of the chunks, as one array. */
function concat(chunks: Uint8Array[], most: number): Uint8Array<ArrayBuffer> {
  const total = Math.min(
    most,
    chunks.reduce((sum, c) => sum + c.byteLength, 0),
  );
  const body = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    if (at >= total) break;
    const part = chunk.subarray(0, total - at);
    body.set(part, at);
    at += part.byteLength;
  }
  return body;
}

/** Longest wait for the first fields of a body refused for its declared size. */
const LEADING_FIELDS_WAIT_SECONDS = 5;

// The header line that starts a file's part: where the small fields end.
const FILE_PART = /\r\ncontent-disposition:[^\r\n]*\bfilename\*?=/i;

/**
 * Reads the start of a body, up to the first file part or LEADING_FIELDS_LIMIT bytes, and no
 * further: the rest is left unread (the lock is released, not cancelled, for the reason above).
 */
async function readLeading(body: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  // A browser sends the first fields at once; a client that sends nothing after declaring a
  // huge body is answered without them rather than waited for.
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<"waited">((resolve) => {
    timer = setTimeout(() => resolve("waited"), LEADING_FIELDS_WAIT_SECONDS * 1000);
  });
  try {
    while (size < LEADING_FIELDS_LIMIT) {
      const next = await Promise.race([reader.read(), waited]);
      if (next === "waited") break;
      const { done, value } = next;
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
      if (FILE_PART.test(Buffer.from(concat(chunks, LEADING_FIELDS_LIMIT)).toString("latin1"))) break;
    }
  } catch {
    // A body that broke off: whatever arrived is all there is.
  } finally {
    clearTimeout(timer);
    try {
      reader.releaseLock();
    } catch {
      // A read still waiting (after the wait above) may keep the lock; the body is not read either way.
    }
  }
  return concat(chunks, LEADING_FIELDS_LIMIT);
}

/**
 * The text fields wholly inside the start of a multipart body, up to the first file part;
 * shaped as readForm would have them, or none at all if anything in them would be refused.
 */
function leadingFields(prefix: Uint8Array, contentType: string): FormData {
  const form = new FormData();
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!boundary || !prefix.length) return form;
  // Latin-1 keeps one character per byte, so the parts can be cut out and decoded as UTF-8.
  const text = Buffer.from(prefix).toString("latin1");
  const parts = text.split(`--${boundary[1] ?? boundary[2]}`);
  // The first piece is the preamble; the last may be cut off by the limit, so only the ones
  // followed by another delimiter are whole.
  for (const part of parts.slice(1, -1)) {
    const split = part.indexOf("\r\n\r\n");
    if (split < 0) break;
    const headers = part.slice(0, split);
    if (/\bfilename\*?=/i.test(headers)) break;
    const name = /content-disposition:[^\r\n]*\bname="([^"]*)"/i.exec(headers)?.[1];
    if (name === undefined) break;
    const value = part.slice(split + 4).replace(/\r\n$/, "");
    try {
      form.append(
        new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(name, "latin1")),
        new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(value, "latin1")),
      );
    } catch {
      return new FormData();
    }
  }
  try {
    checkShape(form);
  } catch {
    return new FormData();
  }
  return form;
}

function formFromUrlEncoded(bytes: Uint8Array): FormData {
  const form = new FormData();
  // fatal: a body that is not UTF-8 is refused rather than silently altered.
  const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  let count = 0;
  for (const [name, value] of new URLSearchParams(text)) {
    if (++count > FIELD_COUNT_LIMIT) throw tooManyFields();
    form.append(name, value);
  }
  return form;
}

// Segments that would reach an object's prototype when a name is read as a path.
const PROTOTYPE_SEGMENTS = new Set(["__proto__", "constructor", "prototype"]);

function checkShape(form: FormData) {
  let count = 0;
  for (const [name, value] of form.entries()) {
    if (++count > FIELD_COUNT_LIMIT) throw tooManyFields();
    if (name.length > 200) throw unknownField();
    for (const segment of name.split(/[.[\]-]/)) {
      if (PROTOTYPE_SEGMENTS.has(segment)) throw unknownField();
      // A row number beyond any form's rows would size an array from what was typed.
      if (/^\d+$/.test(segment) && (segment.length > 4 || Number(segment) >= MAX_FORM_ROWS)) throw unknownField();
    }
    if (name.includes("\u0000") || (typeof value === "string" && value.includes("\u0000"))) {
      throw refusal(400, "The form could not be read", "What was sent contains a character that cannot be stored (a NUL byte). Remove it and try again.");
    }
  }
}

export function refusal(status: number, statusText: string, sentence: string): Response {
  return new Response(sentence, { status, statusText, headers: { "Content-Type": "text/plain; charset=utf-8", Connection: "close" } });
}

function tooLarge(kind: BodyKind): Response {
  return refusal(
    413,
    "What was sent is too large",
    kind === "upload"
      ? `Files must be ${megabytes(UPLOAD_FILE_LIMIT)} or smaller. Choose a smaller file, or split it into parts.`
      : `A form can send at most ${kilobytes(FORM_BODY_LIMIT)}. Shorten what you typed and try again.`,
  );
}

const tooManyFields = () => refusal(413, "What was sent is too large", `A form can send at most ${formatNumber(FIELD_COUNT_LIMIT)} fields.`);
/** A field the form does not have: also what an action answers to an intent it does not know. */
export const unknownField = () =>
  refusal(400, "The form could not be read", "The form sent a field this service does not have. Go back, refresh the page and try again.");
