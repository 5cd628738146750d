import { z } from "zod";
import type { SignedInUser } from "~/auth/session.server.ts";
import { optionalText, requiredText, version } from "~/forms/fields.ts";
import { parseForm, type FormErrors, type TypedValues } from "~/forms/parse.server.ts";
import type { FundRules } from "../../workflows/index.ts";
import { saveDraft, submitScores } from "./assessments.server.ts";
import type { CriterionScores } from "./scoring.ts";

const JUSTIFICATION_MAX = 5000;

/**
 * The score form: a score on the round's scale and a justification for each of the fund's
 * criteria (`score-<key>`, `justification-<key>`). A draft may leave any of them blank; a
 * submission needs them all.
 */
export function scoreSchema(rules: FundRules, submitting: boolean) {
  const { min, max } = rules.assessment.scale;
  const fields: Record<string, z.ZodType> = { version };
  for (const c of rules.assessment.criteria) {
    const label = c.label.toLowerCase();
    const missing = `Choose a score for ${label}`;
    fields[`score-${c.key}`] = z
      .string({ error: missing })
      .optional()
      .transform((typed, ctx) => {
        if (typed === undefined) {
          if (submitting) ctx.addIssue({ code: "custom", message: missing });
          return null;
        }
        const n = /^\d{1,3}$/.test(typed.trim()) ? Number(typed) : NaN;
        if (!(n >= min && n <= max)) ctx.addIssue({ code: "custom", message: `${missing} from ${min} to ${max}` });
        return n;
      });
    const justification = { max: JUSTIFICATION_MAX, label: `the justification for ${label}` };
    fields[`justification-${c.key}`] = submitting
      ? requiredText({ missing: `Enter a justification for ${label}`, ...justification })
      : optionalText(justification);
  }
  return z.object(fields);
}

export type ScoreOutcome = { ok: true; notice: "saved" | "submitted" } | { ok: false; errors: FormErrors; values: TypedValues };

/** Saves the assessor's scores as a draft, or submits them (intent "submit"). */
export async function scoreAssessment(user: SignedInUser, assessmentId: string, rules: FundRules, form: FormData): Promise<ScoreOutcome> {
  const submitting = parseForm(form, z.object({ intent: z.literal("submit") })).ok;
  const parsed = parseForm(form, scoreSchema(rules, submitting));
  if (!parsed.ok) return parsed;
  const value = parsed.value as Record<string, unknown> & { version?: number };
  const scores: CriterionScores = Object.fromEntries(
    rules.assessment.criteria.map((c) => [
      c.key,
      { score: value[`score-${c.key}`] as number | null, justification: value[`justification-${c.key}`] as string },
    ]),
  );
  const outcome = submitting
    ? await submitScores(user, assessmentId, scores, rules.assessment.criteria, value.version)
    : await saveDraft(user, assessmentId, scores, value.version);
  if (!outcome.ok) return { ok: false, errors: { form: outcome.reason }, values: parsed.values };
  return { ok: true, notice: submitting ? "submitted" : "saved" };
}
