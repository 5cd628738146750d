import { FIELD_COUNT_LIMIT, FORM_BODY_LIMIT, kilobytes, MAX_FORM_ROWS, megabytes, UPLOAD_BODY_LIMIT, UPLOAD_FILE_LIMIT } from "./limits.ts";

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
  const bytes = await readBounded(request, limit, kind);
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

async function readBounded(request: Request, limit: number, kind: BodyKind): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(kind);
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
      throw tooLarge(kind);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
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

const tooManyFields = () => refusal(413, "What was sent is too large", `A form can send at most ${FIELD_COUNT_LIMIT.toLocaleString("en-GB")} fields.`);
/** A field the form does not have: also what an action answers to an intent it does not know. */
export const unknownField = () => refusal(400, "The form could not be read", "The form sent a field this service does not have. Go back, refresh the page and try again.");
