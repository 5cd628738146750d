import { parseForm, typedList, type FormErrors } from "~/forms/parse.server.ts";
import type { FormValues } from "~/rounds/setup.ts";
import { defaultFundRules } from "../../workflows/rules.ts";
import { createFund, storedRules, updateFund, type fundBySlug } from "./funds.server.ts";
import { fundSetupSchema, listFieldNames } from "./setup.ts";

export type FundOutcome = { kind: "refused"; errors: FormErrors; values: FormValues } | { kind: "saved"; slug: string };

/** What was typed, checkboxes as lists, so a refused form comes back as it was sent. */
function typedForm(form: FormData, values: Record<string, string>): FormValues {
  const typed: FormValues = { ...values };
  for (const name of listFieldNames()) typed[name] = typedList(form, name);
  return typed;
}

/** A new fund: what the form does not show starts from the product's defaults. */
export async function createFundFromForm(form: FormData): Promise<FundOutcome> {
  const parsed = parseForm(form, fundSetupSchema(defaultFundRules));
  const values = typedForm(form, parsed.values);
  if (!parsed.ok) return { kind: "refused", errors: parsed.errors, values };
  const created = await createFund(parsed.value);
  return created.ok ? { kind: "saved", slug: created.slug } : { kind: "refused", errors: created.errors, values };
}

/** A changed fund: what the form does not show stays as the fund has it. */
export async function changeFundFromForm(fund: Awaited<ReturnType<typeof fundBySlug>>, form: FormData): Promise<FundOutcome> {
  const parsed = parseForm(form, fundSetupSchema(storedRules(fund).rules));
  const values = typedForm(form, parsed.values);
  if (!parsed.ok) return { kind: "refused", errors: parsed.errors, values };
  const saved = await updateFund(fund.id, parsed.value);
  return saved.ok ? { kind: "saved", slug: saved.slug } : { kind: "refused", errors: saved.errors, values };
}
