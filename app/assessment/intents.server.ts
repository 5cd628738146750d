import type { z } from "zod";
import { version } from "~/forms/fields.ts";
import { parseForm, typedList, typedValues, type FormErrors, type TypedValues } from "~/forms/parse.server.ts";
import { VERSIONS_FIELD } from "~/forms/versions.ts";

/**
 * Parses a form whose buttons each send an `intent`, with the one schema that intent has:
 * a page with several forms (moderation, assignments, eligibility, decisions) refuses only
 * what the form that was sent asks for. An intent the page does not have is refused with
 * `missing` beside `field` (the place the page shows its actions).
 */
export type IntentParsed<M extends Record<string, z.ZodType>> =
  | { [K in keyof M & string]: { ok: true; intent: K; value: z.output<M[K]>; values: TypedValues } }[keyof M & string]
  | { ok: false; errors: FormErrors; values: TypedValues };

export function parseIntent<M extends Record<string, z.ZodType>>(form: FormData, schemas: M, refusal: { field: string; missing: string }): IntentParsed<M> {
  const values = typedValues(form);
  const intent = values.intent ?? "";
  if (!Object.hasOwn(schemas, intent)) return { ok: false, errors: { [refusal.field]: refusal.missing }, values };
  const parsed = parseForm(form, schemas[intent]!);
  if (!parsed.ok) return parsed;
  return { ok: true, intent, value: parsed.value, values: parsed.values } as IntentParsed<M>;
}

/** The version the form carried for record `id` (see ./versions.ts). */
export function versionFor(form: FormData, id: string): number | undefined {
  for (const entry of typedList(form, VERSIONS_FIELD)) {
    const at = entry.lastIndexOf(":");
    if (entry.slice(0, at) === id) return version.parse(entry.slice(at + 1));
  }
  return undefined;
}
