// The module object, not a named import, so tests can watch that every inflate is capped.
import zlib from "node:zlib";
import { fileSize, UPLOAD_FILE_LIMIT } from "~/forms/limits.ts";
import { fitRule, kindFits, type FileKind } from "./document-kinds.ts";
import { FILE_NAME_LIMIT, nameEnding, storedFileName } from "./file-name.server.ts";
import { formatNumber } from "~/utils/format.ts";

/**
 * What a file really is, judged from its bytes, never its name: PDF, PNG, JPEG, the Office
 * Open XML and OpenDocument formats (ZIP files whose contents say what they are), and CSV
 * or plain text (valid UTF-8 with no NUL bytes). Anything else is refused with a reason.
 */
export interface DetectedType {
  kind: FileKind;
  mimeType: string;
  label: string;
  /** What it is, in a sentence: "The file you chose is a PNG image". */
  phrase: string;
  extension: string;
}

const types = {
  pdf: { kind: "pdf", mimeType: "application/pdf", label: "PDF", phrase: "a PDF", extension: "pdf" },
  png: { kind: "png", mimeType: "image/png", label: "PNG image", phrase: "a PNG image", extension: "png" },
  jpeg: { kind: "jpeg", mimeType: "image/jpeg", label: "JPEG image", phrase: "a JPEG image", extension: "jpg" },
  docx: {
    kind: "docx",
    mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    label: "Word document",
    phrase: "a Word document",
    extension: "docx",
  },
  xlsx: {
    kind: "xlsx",
    mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    label: "Excel spreadsheet",
    phrase: "an Excel spreadsheet",
    extension: "xlsx",
  },
  pptx: {
    kind: "pptx",
    mimeType: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    label: "PowerPoint presentation",
    phrase: "a PowerPoint presentation",
    extension: "pptx",
  },
  odt: {
    kind: "odt",
    mimeType: "application/vnd.oasis.opendocument.text",
    label: "OpenDocument text",
    phrase: "an OpenDocument text document",
    extension: "odt",
  },
  ods: {
    kind: "ods",
    mimeType: "application/vnd.oasis.opendocument.spreadsheet",
    label: "OpenDocument spreadsheet",
    phrase: "an OpenDocument spreadsheet",
    extension: "ods",
  },
  csv: { kind: "csv", mimeType: "text/csv", label: "CSV file", phrase: "a CSV file", extension: "csv" },
  text: { kind: "text", mimeType: "text/plain", label: "text file", phrase: "a text file", extension: "txt" },
} satisfies Record<FileKind, DetectedType>;

export const ACCEPTED_TYPES_SENTENCE = "a PDF, Word document, Excel spreadsheet, PowerPoint presentation, OpenDocument file, CSV, text file, PNG or JPEG";

const startsWith = (bytes: Uint8Array, signature: number[] | string) => {
  const sig = typeof signature === "string" ? [...signature].map((c) => c.charCodeAt(0)) : signature;
  return bytes.length >= sig.length && sig.every((b, i) => bytes[i] === b);
};

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  /** What the central directory says the entry unpacks to: a claim, not a promise. */
  uncompressedSize: number;
  dataStart: number;
}

/**
 * Most that all the entries of an uploaded ZIP (an Office or OpenDocument file) may say they
 * unpack to. A real 10 MB spreadsheet unpacks to a few hundred MB at most; a "zip bomb"
 * says gigabytes (deflate packs zeros a thousand to one).
 */
export const UNPACKED_LIMIT = 512 * 1024 * 1024;

/**
 * Most bytes the type check inflates from one entry. The check reads only `mimetype` (one
 * line) and `[Content_Types].xml` (a few KB in real files); an entry whose size was lied
 * about stops inflating here rather than filling memory.
 */
export const INFLATE_LIMIT = 1024 * 1024;

/** The entries of a ZIP file, from its central directory (sizes there are always right). */
function zipEntries(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return [];
  const count = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count && n < 5000 && offset + 46 <= bytes.length; n++) {
    if (view.getUint32(offset, true) !== 0x02014b50) break;
    const method = view.getUint16(offset + 10, true);
    const compressedSize = view.getUint32(offset + 20, true);
    const uncompressedSize = view.getUint32(offset + 24, true);
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    const localOffset = view.getUint32(offset + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(offset + 46, offset + 46 + nameLength));
    if (localOffset + 30 <= bytes.length && view.getUint32(localOffset, true) === 0x04034b50) {
      const dataStart = localOffset + 30 + view.getUint16(localOffset + 26, true) + view.getUint16(localOffset + 28, true);
      entries.push({ name, method, compressedSize, uncompressedSize, dataStart });
    }
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** An entry's text, or null when it cannot be read or would unpack to more than INFLATE_LIMIT. */
function entryText(bytes: Uint8Array, entry: ZipEntry): string | null {
  if (entry.dataStart + entry.compressedSize > bytes.length) return null;
  const data = bytes.subarray(entry.dataStart, entry.dataStart + entry.compressedSize);
  try {
    if (entry.method === 0) return data.length <= INFLATE_LIMIT ? new TextDecoder().decode(data) : null;
    // Past maxOutputLength zlib stops and throws: at most INFLATE_LIMIT bytes are ever made.
    if (entry.method === 8) return new TextDecoder().decode(zlib.inflateRawSync(data, { maxOutputLength: INFLATE_LIMIT }));
  } catch {
    return null;
  }
  return null;
}

/** What the entries of a ZIP file say they unpack to, all together (0 for anything else). */
export function claimedUnpackedSize(bytes: Uint8Array): number {
  if (!startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return 0;
  return zipEntries(bytes).reduce((sum, e) => sum + e.uncompressedSize, 0);
}

function detectZip(bytes: Uint8Array): DetectedType | null {
  const entries = zipEntries(bytes);
  if (entries.reduce((sum, e) => sum + e.uncompressedSize, 0) > UNPACKED_LIMIT) return null;
  const mimetype = entries.find((e) => e.name === "mimetype");
  if (mimetype) {
    const text = entryText(bytes, mimetype)?.trim();
    if (text === types.odt.mimeType) return types.odt;
    if (text === types.ods.mimeType) return types.ods;
    return null;
  }
  const contentTypes = entries.find((e) => e.name === "[Content_Types].xml");
  const xml = contentTypes ? entryText(bytes, contentTypes) : null;
  // A list of contents that cannot be read within the limit is no Office file's.
  if (contentTypes && xml === null) return null;
  const names = entries.map((e) => e.name);
  const says = (part: string, folder: string) => (xml ? xml.includes(part) : names.some((n) => n.startsWith(folder)));
  if (says("wordprocessingml.document.main", "word/")) return types.docx;
  if (says("spreadsheetml.sheet.main", "xl/")) return types.xlsx;
  if (says("presentationml.presentation.main", "ppt/")) return types.pptx;
  return null;
}

function isText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export function detectFileType(bytes: Uint8Array, fileName = ""): DetectedType | null {
  if (startsWith(bytes, "%PDF-")) return types.pdf;
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return types.png;
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return types.jpeg;
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return detectZip(bytes);
  if (bytes.length > 0 && isText(bytes)) {
    // Text is text; the name decides only whether it is offered back as CSV or plain text.
    return /\.csv$/i.test(fileName) ? types.csv : types.text;
  }
  return null;
}

/**
 * Kinds the service does not take but can name, so a refusal says what the file is rather
 * than only what it is not: the usual mistakes are an older Office file, an archive, a
 * photo from a phone or a program.
 */
function unacceptedKind(bytes: Uint8Array): string | null {
  const at = (offset: number, signature: string) => startsWith(bytes.subarray(offset), signature);
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return "an older Microsoft Office file (.doc, .xls or .ppt)";
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) return "a ZIP archive";
  if (at(0, "MZ")) return "a Windows program";
  if (startsWith(bytes, [0x7f, 0x45, 0x4c, 0x46])) return "a program";
  if (at(0, "GIF87a") || at(0, "GIF89a")) return "a GIF image";
  if (at(0, "RIFF") && at(8, "WEBP")) return "a WebP image";
  if (at(4, "ftypheic") || at(4, "ftypheix") || at(4, "ftypmif1")) return "a HEIC photo";
  if (at(4, "ftyp")) return "a video";
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return "a TIFF image";
  if (startsWith(bytes, [0x1f, 0x8b])) return "a compressed (gzip) archive";
  if (at(0, "Rar!")) return "a RAR archive";
  if (startsWith(bytes, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return "a 7-Zip archive";
  return null;
}

/** The largest file a person may upload: the form layer's figure (app/forms/limits.ts). */
export const MAX_UPLOAD_BYTES = UPLOAD_FILE_LIMIT;

/** The refusal of a file over the limit, wherever it is found: in the body, or by its declared length. */
export const TOO_BIG = `The file must be smaller than ${fileSize(MAX_UPLOAD_BYTES)}`;

/**
 * The reason a file is refused, or its type and the name to keep it under (an ending that
 * matches the type, no control or bidi characters: app/storage/file-name.server.ts). Each
 * reason names the rule broken and its figure. With `documentType`, the file must also be a
 * kind that fits that type of document (./document-kinds.ts).
 */
export function refuseFile(bytes: Uint8Array, fileName: string, documentType?: string): { reason: string } | { type: DetectedType; fileName: string } {
  if (bytes.length === 0) return { reason: "The file you chose is empty" };
  if (bytes.length > MAX_UPLOAD_BYTES) return { reason: TOO_BIG };
  const nameLength = [...fileName].length;
  if (nameLength > FILE_NAME_LIMIT) {
    return {
      reason: `The file's name must be ${FILE_NAME_LIMIT} characters or fewer, and the name of the file you chose is ${formatNumber(nameLength)}. Rename it and choose it again`,
    };
  }
  const unpacked = claimedUnpackedSize(bytes);
  if (unpacked > UNPACKED_LIMIT) {
    return { reason: `The file must unpack to ${fileSize(UNPACKED_LIMIT)} or less, and the file you chose says it unpacks to ${fileSize(unpacked)}` };
  }
  const type = detectFileType(bytes, fileName);
  if (!type) {
    const what = unacceptedKind(bytes);
    return {
      reason: what
        ? `The file must be ${ACCEPTED_TYPES_SENTENCE}. The file you chose is ${what}`
        : `The file must be ${ACCEPTED_TYPES_SENTENCE}. We checked its contents, not its name, and could not recognise it`,
    };
  }
  if (documentType !== undefined && !kindFits(documentType, type.kind)) {
    return { reason: `${fitRule(documentType)}. The file you chose is ${type.phrase}` };
  }
  const ending = nameEnding(fileName);
  if (ending && !endingsOf(type).includes(ending.toLowerCase())) {
    return {
      reason: `The file you chose is ${type.phrase}, so its name must end in .${type.extension}, not .${ending}. Rename it, or choose the file you meant`,
    };
  }
  return { type, fileName: storedFileName(fileName, type) };
}

/** The name endings that say a file is of its detected type ("report.jpeg" is a JPEG; notes may be .md). */
function endingsOf(type: DetectedType): string[] {
  if (type.kind === "jpeg") return ["jpg", "jpeg"];
  if (type.kind === "text") return ["txt", "text", "md", "tsv"];
  return [type.extension];
}
