import { redirect } from "@remix-run/node";
import { z } from "zod";
import type { SignedInUser } from "~/auth/session.server.ts";
import { optionalText, reason, requiredText, version } from "~/forms/fields.ts";
import { parseForm, refused, refusedField } from "~/forms/parse.server.ts";
import { takeEvidenceUpload, uploadRefused } from "~/storage/evidence-upload.server.ts";
import { addDocument, invitePartner, removeDocument, removePartner, type LoadedBid } from "./bids.server.ts";

/**
 * The bid pages' forms: one schema per intent, and what each intent does. The routes
 * authorise, read the form, call here and render what comes back.
 */

/** A record id sent back by a form (a partner's organisation, a document). */
const recordId = (missing: string) => z.string({ error: missing }).regex(/^[A-Za-z0-9_-]{1,64}$/, missing);

/** Which of a page's forms was sent; a form without an intent button is the page's main one. */
function intentOf<const T extends readonly [string, ...string[]]>(form: FormData, intents: T) {
  return parseForm(
    form,
    z.object({ intent: z.enum(intents, { error: "The form could not be read. Go back, refresh the page and try again." }).default(intents[0]) }),
  );
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

export const evidenceForms = {
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
  const taken = await takeEvidenceUpload(user.id, form);
  if (!taken.ok) return taken.refusal;
  const result = await addDocument(user, bid, taken.type, taken.upload);
  if ("errors" in result) return uploadRefused(result.errors, taken.type, 400);
  return redirect(`/bids/${bid.id}/evidence?notice=uploaded`);
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
