/**
 * The names uploads are kept and offered back under. A file's name is typed by whoever
 * uploaded it: it can say `.html` about a PDF (opened from the downloads folder, it would
 * run as a web page), hide its real ending behind a right-to-left override ("invoice\u202Efdp.exe"
 * shows as "invoiceexe.pdf"), or carry line breaks meant to end a header early.
 */

// Letters (with their accents), digits, spaces and a little punctuation. Everything else
// goes, which takes with it control characters (CR, LF, NUL), bidi overrides and isolates,
// zero-width characters, path separators and quotes.
const UNWANTED = /[^\p{L}\p{M}\p{N} ._()-]/gu;
/** Longest name a file may have, in characters: longer ones are refused (refuseFile), not cut. */
export const FILE_NAME_LIMIT = 200;
const NAME_LIMIT = FILE_NAME_LIMIT;

// Endings that name the same type as the one detected.
const SAME_TYPE: Record<string, string[]> = { jpg: ["jpg", "jpeg"], txt: ["txt", "text"] };

/**
 * A name safe to keep, show and download under: only harmless characters, and an ending
 * that matches what the bytes are (the type detected from them, never the name). A name
 * whose ending already says that type keeps it ("Budget.XLSX"); otherwise the detected
 * type's ending replaces it ("evil.html" that is a PDF becomes "evil.pdf").
 */
export function storedFileName(name: string, type: { extension: string }): string {
  const cleaned = cleanFileName(name);
  // Only an ending that is one ("Minutes 12.03.2026" has none) is replaced.
  const ending = nameEnding(cleaned) ?? "";
  const dot = ending ? cleaned.length - ending.length - 1 : -1;
  const accepted = SAME_TYPE[type.extension] ?? [type.extension];
  const keepsEnding = accepted.includes(ending.toLowerCase());
  const stem = (dot > 0 ? cleaned.slice(0, dot) : cleaned).replace(/^[ .]+|[ .]+$/g, "") || "document";
  const suffix = `.${keepsEnding ? ending : type.extension}`;
  return `${stem.slice(0, NAME_LIMIT - suffix.length).trimEnd()}${suffix}`;
}

/**
 * The ending a name gives its file ("pdf" of "Plan v2.pdf"), or null: only a short run of
 * letters and digits after the last dot counts, so "Minutes 12.03.2026" or "v1.2 final"
 * have none.
 */
export function nameEnding(name: string): string | null {
  const cleaned = cleanFileName(name);
  const dot = cleaned.lastIndexOf(".");
  if (dot <= 0) return null;
  const ending = cleaned.slice(dot + 1);
  return /^(?=.*[a-z])[a-z0-9]{1,5}$/i.test(ending) ? ending : null;
}

/**
 * A typed file name with only harmless characters, its ending left as it was: for names
 * shown but not kept as a download (a register import's CSV, say).
 */
export function cleanFileName(name: string): string {
  return name.normalize("NFC").replace(/[\\/]/g, "_").replace(UNWANTED, "").replace(/\s+/g, " ").trim();
}

/**
 * Content-Disposition for downloading a kept file, as RFC 6266 has it: `filename*` carries
 * the name in UTF-8, percent-encoded, so no character of it (a CR or LF included) can end
 * the header; `filename` is a plain-ASCII stand-in for clients that know no better.
 */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const encoded = encodeURIComponent(fileName).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
