import { db } from "~/db/database.server.ts";
import type { Prisma } from "~/generated/prisma/client.ts";
import { parseForm, typedList, type FormErrors } from "~/forms/parse.server.ts";
import { defaultFundRules } from "../../workflows/rules.ts";
import { publicRoundView } from "./public.ts";
import { roundRules } from "./rules.ts";
import { createRoundFromSettings, fundRulesOf, fundsForSetup, roundProgress, settingsOf, updateRoundSettings, type roundForSetup } from "./setup.server.ts";
import { closingInThePast, kindFields, keepUnchangedDates, lockedChanges, roundSetupSchema, type FormValues } from "./setup.ts";

/**
 * The round set-up form's two uses: creating a round and changing one. Either can be sent
 * to preview what applicants will see (intent "preview") instead of saving.
 */
export type SetupOutcome =
  | { kind: "refused"; errors: FormErrors; values: FormValues }
  | { kind: "preview"; view: ReturnType<typeof publicRoundView>; values: FormValues }
  | { kind: "saved"; slug: string };

/** What was typed, checkboxes as lists, so a refused form comes back as it was sent. */
function typedForm(form: FormData, values: Record<string, string>): FormValues {
  const typed: FormValues = { ...values };
  for (const name of kindFields) typed[name] = typedList(form, name);
  return typed;
}

export async function createRound(form: FormData): Promise<SetupOutcome> {
  const typed = parseForm(form, roundSetupSchema(defaultFundRules)).values;
  const values = typedForm(form, typed);
  const copyFrom = typed.copyFrom ?? "";
  values.copyFrom = copyFrom;
  const fund = (await fundsForSetup()).find((f) => f.id === typed.fund);
  // What the form does not show (governance tiers, other stages' caps) comes from the round
  // being copied, or else the fund.
  const copied = copyFrom
    ? await db().round.findUnique({
        where: { slug: copyFrom },
        select: { slug: true, rules: true, questions: true, budgetPence: true, capPence: true, stage: true, fund: { select: { rules: true } } },
      })
    : null;
  let base = (fund && fundRulesOf(fund)) ?? defaultFundRules;
  if (copied) {
    try {
      base = roundRules(copied);
    } catch {
      // A copied round whose stored rules no longer parse: the fund's serve instead.
    }
  }
  const parsed = parseForm(form, roundSetupSchema(base));
  const errors: FormErrors = parsed.ok ? closingInThePast(null, parsed.value, new Date()) : { ...parsed.errors };
  if (!fund) errors.fund = "Select the fund the round belongs to";
  if (!parsed.ok || !fund || Object.keys(errors).length) return { kind: "refused", errors, values };
  if (typed.intent === "preview") {
    return { kind: "preview", view: publicRoundView({ ...parsed.value, fund: { name: fund.name, summary: fund.summary } }, parsed.value.rules), values };
  }
  const created = await createRoundFromSettings(fund.id, parsed.value, (copied?.questions as Prisma.InputJsonValue | null | undefined) ?? null);
  if (!created.ok) return { kind: "refused", errors: created.errors, values };
  return { kind: "saved", slug: created.slug };
}

export async function changeRound(round: Awaited<ReturnType<typeof roundForSetup>>, form: FormData): Promise<SetupOutcome> {
  const before = settingsOf(round);
  const parsed = parseForm(form, roundSetupSchema(before.rules));
  const values = typedForm(form, parsed.values);
  if (!parsed.ok) return { kind: "refused", errors: parsed.errors, values };
  const settings = keepUnchangedDates(before, parsed.value);
  // Changes that would judge bids already in by rules they were not made under are refused.
  const locked = { ...closingInThePast(before, settings, new Date()), ...lockedChanges(before, settings, await roundProgress(round.id)) };
  if (Object.keys(locked).length) return { kind: "refused", errors: locked, values };
  if (parsed.values.intent === "preview") {
    return { kind: "preview", view: publicRoundView({ ...settings, fund: { name: round.fund.name, summary: round.fund.summary } }, settings.rules), values };
  }
  const saved = await updateRoundSettings(round.id, settings);
  if (!saved.ok) return { kind: "refused", errors: saved.errors, values };
  return { kind: "saved", slug: saved.slug };
}
