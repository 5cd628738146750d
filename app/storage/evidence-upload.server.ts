import { data } from "@remix-run/node";
import { z } from "zod";
import { fileSize, UPLOAD_FILE_LIMIT } from "~/forms/limits.ts";
import { parseForm, refused, type FormErrors, type TypedValues } from "~/forms/parse.server.ts";
import { uploadRefusal } from "~/security/upload-limit.server.ts";
import { fitsHint } from "./document-kinds.ts";
import { ACCEPTED_TYPES_SENTENCE, TOO_BIG } from "./file-type.server.ts";

/**
 * The evidence upload form of bids and projects alike: a document type chosen from the
 * record's own list, then a file. Whether the file's contents fit the type is the record's
 * to judge (addDocument, addProjectDocument), so both refusals can show at once; what is
 * refused here, before the record is read, is a file over the limit or too many uploads.
 */

/** What the form shows: the types to choose from, which files fit each, and the limits. */
export function evidenceUploadView(types: readonly { value: string; text: string }[]) {
  return {
    types: [{ value: "", text: "Choose a type" }, ...types],
    fits: fitsHint(types),
    accepted: ACCEPTED_TYPES_SENTENCE,
    limit: fileSize(UPLOAD_FILE_LIMIT),
    maxBytes: UPLOAD_FILE_LIMIT,
    tooBig: TOO_BIG,
  };
}

export type EvidenceUploadView = ReturnType<typeof evidenceUploadView>;

export const evidenceUploadForm = z.object({
  type: z.string().trim().max(100).default(""),
  // An empty file box arrives as undefined (Conform); which file is acceptable is judged by its contents.
  file: z.file().optional(),
});

/**
 * A refusal of the upload. The type chosen beside the file comes back with every refusal, so
 * only the file is chosen again (a browser never refills a file box).
 */
export function uploadRefused(errors: FormErrors, type: string, status: number) {
  return data({ errors, values: { type } as TypedValues }, { status });
}

/** A file's name and bytes as the record keeps them, or null when none was chosen. */
export type TakenUpload = { name: string; bytes: Uint8Array } | null;

/**
 * The upload form read: the type and the file's bytes, or the refusal to answer with (the
 * form unreadable, the file over the limit, or this person uploading too often).
 */
export async function takeEvidenceUpload(userId: string, form: FormData) {
  const parsed = parseForm(form, evidenceUploadForm);
  if (!parsed.ok) return { ok: false as const, refusal: refused(parsed) };
  const { type, file } = parsed.value;
  if (file && file.size > UPLOAD_FILE_LIMIT) return { ok: false as const, refusal: uploadRefused({ file: TOO_BIG }, type, 413) };
  if (file) {
    const limited = await uploadRefusal(userId);
    if (limited) return { ok: false as const, refusal: uploadRefused({ file: limited }, type, 429) };
  }
  const upload: TakenUpload = file ? { name: file.name ?? "", bytes: new Uint8Array(await file.arrayBuffer()) } : null;
  return { ok: true as const, type, upload };
}

/**
 * What the page answers when the body itself was over the limit and was not read: the file
 * refused beside its box, and the type chosen beside it (sent before the file) still chosen.
 */
export function tooBigToRead(leading: FormData) {
  const parsed = parseForm(leading, z.object({ type: evidenceUploadForm.shape.type }));
  return uploadRefused({ file: TOO_BIG }, parsed.ok ? parsed.value.type : "", 413);
}
