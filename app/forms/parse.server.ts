import { parseWithZod } from "@conform-to/zod/v4";
import { data } from "@remix-run/node";
import { z } from "zod";
import { CSRF_FIELD } from "~/security/csrf.server.ts";
import { unknownField } from "./body.server.ts";

/** Field name -> the one message shown beside it and in the error summary. */
export type FormErrors = Record<string, string>;
/** What was typed, by field name, so a refused form comes back as it was sent. */
export type TypedValues = Record<string, string>;

export type Parsed<T> = { ok: true; value: T; values: TypedValues } | { ok: false; errors: FormErrors; values: TypedValues };

/**
 * Parses a form (read by readForm) with one schema, through Conform: empty boxes become
 * undefined, `a.b` and `a[0]` names nest, and the schema's messages come back keyed by the
 * field they belong to. The three boxes of a GOV.UK date input (`x-day`, `x-month`,
 * `x-year`) are gathered under `x` first, so a date is one field to the schema (see
 * govukDate in ./fields.ts). See docs/decisions/0012-form-layer.md.
 */
export function parseForm<S extends z.ZodType>(form: FormData, schema: S): Parsed<z.output<S>> {
  const values = typedValues(form);
  const submission = parseWithZod(gatherDates(form), { schema });
  if (submission.status === "success") return { ok: true, value: submission.value as z.output<S>, values };
  const errors: FormErrors = {};
  for (const [name, messages] of Object.entries(submission.error ?? {})) {
    if (messages?.[0]) errors[name || "form"] ??= messages[0];
  }
  if (!Object.keys(errors).length) errors.form = "The form could not be read. Go back, refresh the page and try again.";
  return { ok: false, errors, values };
}

/** The 400 answer for a refused form: its errors, and what was typed. */
export function refused(parsed: { errors: FormErrors; values: TypedValues }) {
  return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
}

/** The same answer for one rule broken after the schema passed (a refusal from the workflow). */
export function refusedField(field: string, message: string, values: TypedValues) {
  return refused({ errors: { [field]: message }, values });
}

/** Every text field as sent (the first value of each name), without the CSRF token. */
export function typedValues(form: FormData): TypedValues {
  const values: TypedValues = {};
  for (const [name, value] of form.entries()) {
    if (name === CSRF_FIELD || typeof value !== "string" || name in values) continue;
    values[name] = value;
  }
  return values;
}

/** Every value sent under one name (checkboxes), for re-showing a refused form. */
export function typedList(form: FormData, name: string): string[] {
  return form.getAll(name).filter((v): v is string => typeof v === "string");
}

function gatherDates(form: FormData): FormData {
  const names = new Set<string>();
  for (const key of form.keys()) {
    const match = /^(.+)-day$/.exec(key);
    if (match && form.has(`${match[1]}-month`) && form.has(`${match[1]}-year`)) names.add(match[1]!);
  }
  if (!names.size) return form;
  const gathered = new FormData();
  for (const [key, value] of form.entries()) gathered.append(key, value);
  for (const name of names) {
    for (const part of ["day", "month", "year"]) gathered.append(`${name}.${part}`, String(form.get(`${name}-${part}`) ?? ""));
  }
  return gathered;
}

/** A refusal on a page with several forms: which form, so only that one shows its errors. */
export function refusedForm(form: string, failure: { errors: FormErrors; values: TypedValues }, status = 400) {
  return data({ form, errors: failure.errors, values: failure.values }, { status });
}

/**
 * Which of a page's forms was sent: the `intent` its button carries. A form whose only button
 * has no name (or a browser that leaves the button out) is the page's main form, `otherwise`.
 */
export function intentOf<const T extends readonly [string, ...string[]]>(form: FormData, intents: T, otherwise?: T[number]): T[number] {
  const parsed = parseForm(form, z.object({ intent: z.enum(intents).optional() }));
  const intent = parsed.ok ? (parsed.value.intent ?? otherwise) : undefined;
  if (!intent) throw unknownField();
  return intent;
}
