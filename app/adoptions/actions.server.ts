import { data, redirect } from "@remix-run/node";
import { z } from "zod";
import type { SignedInUser } from "~/auth/session.server.ts";
import { choice, govukDate, money, optionalText, planningHorizon } from "~/forms/fields.ts";
import { MAX_FORM_ROWS } from "~/forms/limits.ts";
import { parseForm, refused } from "~/forms/parse.server.ts";
import { londonToday } from "~/utils/dates.ts";
import { intentOf } from "~/forms/parse.server.ts";
import { atDayBoxes } from "~/projects/forms.ts";
import { formatDate } from "~/utils/format.ts";
import { registerAdoption, setReusableDocuments, updateAdoption, type loadAdoptionFor, type loadAdoptionsPage } from "./adoptions.server.ts";
import { adoptionStatuses } from "./statuses.ts";
import { forbidden } from "~/http/errors.server.ts";

// The adoption pages' forms: one schema per intent, and what each intent does.

const reusableForm = z.object({
  // Checkboxes: one value per document ticked; none ticked sends none (Conform gives []).
  reusable: z.array(z.string().max(100)).max(MAX_FORM_ROWS).default([]),
});

/** Councils register to adopt; the lead council marks which documents adopters may reuse. */
export async function adoptionsAction(user: SignedInUser, page: Awaited<ReturnType<typeof loadAdoptionsPage>>, form: FormData) {
  const intent = intentOf(form, ["register", "reusable"], "register");
  if (intent === "reusable") {
    if (!page.isLeadOfficer) throw forbidden();
    const parsed = parseForm(form, reusableForm);
    if (!parsed.ok) return refused(parsed);
    await setReusableDocuments(page.project.id, parsed.value.reusable);
    return redirect(`/projects/${page.project.id}/adoptions?notice=reusable`);
  }
  const result = await registerAdoption(user, page.project.id);
  if (!result.ok) return data({ errors: { register: result.reason } as Record<string, string>, values: {} as Record<string, string> }, { status: 400 });
  return redirect(`/projects/${page.project.id}/adoptions/${result.adoptionId}?notice=registered`);
}

const statusValues = adoptionStatuses.map((s) => s.value) as [string, ...string[]];

/**
 * The adopting council's update. The go-live date cannot be before the council registered
 * to adopt (the adoption began then), nor further ahead than anything is planned, and a
 * council that says it is live says when.
 */
export function adoptionForm(registeredOn: string, today = londonToday()) {
  return z
    .object({
      status: choice(statusValues, "Select the status of your adoption"),
      goLiveOn: govukDate("the go-live date", {
        notBefore: registeredOn,
        notBeforeText: `${formatDate(registeredOn)}, when your council registered to adopt`,
        ...planningHorizon(today),
      }),
      savings: money("the savings").optional(),
      note: optionalText({ max: 2000, label: "the note" }),
      updatedAt: z.string().max(40).optional(),
    })
    .refine((update) => update.status !== "live" || update.goLiveOn !== null, {
      path: ["goLiveOn"],
      message: "Enter the date your council went live",
      // Checked even when another answer is wrong, so every error shows at once.
      when: () => true,
    });
}

export async function updateAdoptionAction(user: SignedInUser, loaded: Awaited<ReturnType<typeof loadAdoptionFor>>, projectId: string, form: FormData) {
  const { adoption, canEdit } = loaded;
  if (!canEdit) throw forbidden();
  const parsed = parseForm(form, adoptionForm(londonToday(adoption.createdAt)));
  if (!parsed.ok) return refused(atDayBoxes(parsed, ["goLiveOn"]));
  const { status, goLiveOn, savings, note, updatedAt } = parsed.value;
  const saved = await updateAdoption(adoption.id, { status, goLiveOn, savingsPence: savings ?? 0, note }, updatedAt || null, user);
  if (!saved.ok) return data({ errors: { status: saved.reason } as Record<string, string>, values: parsed.values }, { status: 409 });
  return redirect(`/projects/${projectId}/adoptions/${adoption.id}?notice=saved`);
}
