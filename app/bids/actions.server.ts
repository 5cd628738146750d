import { data, redirect } from "@remix-run/node";
import { z } from "zod";
import type { SignedInUser } from "~/auth/session.server.ts";
import { optionalText, reason, requiredText, version } from "~/forms/fields.ts";
import { UPLOAD_FILE_LIMIT } from "~/forms/limits.ts";
import { parseForm, refused, refusedField } from "~/forms/parse.server.ts";
import { uploadRefusal } from "~/security/upload-limit.server.ts";
import { TOO_BIG } from "~/storage/file-type.server.ts";
import { addDocument, invitePartner, removeDocument, removePartner, type LoadedBid } from "./bids.server.ts";

/**
 * The bid pages' forms: one schema per intent, and what each intent does. The routes
 * authorise, read the form, call here and render what comes back.
 */

/** A record id sent back by a form (a partner's organisation, a document). */
const recordId = (missing: string) => z.string({ error: missing }).regex(/^[A-Za-z0-9_-]{1,64}$/, missing);

/** Which of a page's forms was sent; a form without an intent button is the page's main one. */
function intentOf<const T extends readonly [string, ...string[]]>(form: FormData, intents: T) {
  return parseForm(form, z.object({ intent: z.enum(intents, { error: "The form could not be read. Go back, refresh the page and try again." }).default(intents[0]) }));
}

// ---------------------------------------------------------------- partners

export const partnerForms = {
  invite: z.object({ partner: requiredText({ missing: "Enter the name of a partner council", max: 200, label: "the name of the council" }) }),
  remove: z.object({ organisationId: recordId("Choose a partner council to remove") }),
};

export async function partnersAction(user: SignedInUser, bid: LoadedBid, form: FormData) {
  const intent = intentOf(form, ["invite", "remove"]);
  if (!intent.ok) return refused(intent);
  if (intent.value.intent === "remove") {
    const parsed = parseForm(form, partnerForms.remove);
    if (!parsed.ok) return refused(parsed);
    await removePartner(bid, parsed.value.organisationId, user);
    return redirect(`/bids/${bid.id}/partners`);
  }
  const parsed = parseForm(form, partnerForms.invite);
  if (!parsed.ok) return refused(parsed);
  const result = await invitePartner(bid, parsed.value.partner, user);
  if ("error" in result) return refusedField("partner", result.error, parsed.values);
  return redirect(`/bids/${bid.id}/partners?invited=${encodeURIComponent(result.name)}`);
}

// ---------------------------------------------------------------- evidence

const isFile = (value: unknown): value is File => typeof value === "object" && value !== null && "arrayBuffer" in value && "size" in value;

export const evidenceForms = {
  // The type and the file are checked together by addDocument, so both refusals show at once.
  upload: z.object({ type: z.string().trim().max(100).default(""), file: z.custom<File>(isFile).optional() }),
  remove: z.object({ documentId: recordId("Choose a document to remove") }),
};

export async function evidenceAction(user: SignedInUser, bid: LoadedBid, form: FormData) {
  const intent = intentOf(form, ["upload", "remove"]);
  if (!intent.ok) return refused(intent);
  if (intent.value.intent === "remove") {
    const parsed = parseForm(form, evidenceForms.remove);
    if (!parsed.ok) return refused(parsed);
    await removeDocument(bid, parsed.value.documentId);
    return redirect(`/bids/${bid.id}/evidence`);
  }
  const parsed = parseForm(form, evidenceForms.upload);
  if (!parsed.ok) return refused(parsed);
  const { type, file } = parsed.value;
  // The type chosen stays chosen: only the file must be picked again.
  const values = { type };
  if (file && file.size > UPLOAD_FILE_LIMIT) return data({ errors: { file: TOO_BIG } as Record<string, string>, values }, { status: 413 });
  if (file) {
    const refusal = await uploadRefusal(user.id);
    if (refusal) return data({ errors: { file: refusal } as Record<string, string>, values }, { status: 429 });
  }
  const upload = file ? { name: file.name ?? "", bytes: new Uint8Array(await file.arrayBuffer()) } : null;
  const result = await addDocument(user, bid, type, upload);
  if ("errors" in result) return data({ errors: result.errors, values }, { status: 400 });
  return redirect(`/bids/${bid.id}/evidence?uploaded=1`);
}

/**
 * What the evidence page answers when the body itself was over the limit and was not read:
 * the file refused, and the type chosen beside it (sent before the file) still chosen.
 */
export function tooBigToRead(leading: FormData) {
  const parsed = parseForm(leading, z.object({ type: evidenceForms.upload.shape.type }));
  return data({ errors: { file: TOO_BIG } as Record<string, string>, values: { type: parsed.ok ? parsed.value.type : "" } }, { status: 413 });
}

// ---------------------------------------------------------------- sections

/** A section's own controls; its answers are checked by parseSection (./sections.ts). */
export const sectionForm = z.object({
  complete: z.enum(["yes", "no"]).optional().catch(undefined),
  intent: z.enum(["continue", "more"]).default("continue").catch("continue"),
  version,
});

// ---------------------------------------------------------------- sending, signing off, withdrawing

export const checkForm = z.object({ intent: z.enum(["request", "resubmit"]).optional().catch(undefined), version });

export const certifyForms = z.discriminatedUnion(
  "decision",
  [
    z.object({ decision: z.literal("approve"), reason: optionalText({ max: 5000, label: "your reason" }), version }),
    z.object({ decision: z.literal("decline"), reason: reason("why you are declining to sign off the bid"), version }),
  ],
  { error: "Select whether you sign off the bid" },
);
/** The names the sign-off form has, for keeping it when the session expires. */
export const certifyFields = ["decision", "reason", "version"] as const;

export const respondForm = z.object({
  intent: z.enum(["accept", "decline"], { error: "Choose whether to accept or decline the invitation" }),
});
