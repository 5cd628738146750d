import { z } from "zod";
import type { SignedInUser } from "~/auth/session.server.ts";
import { choice, reason, requiredText, version } from "~/forms/fields.ts";
import type { FormErrors, TypedValues } from "~/forms/parse.server.ts";
import { actOnAssessment } from "./assessments.server.ts";
import { parseIntent } from "./intents.server.ts";

/** The assessor's answers to an assignment before scoring: accept, decline, declare interests. */
const schemas = {
  accept: z.object({ version }),
  decline: z.object({ reason: reason("why you are declining", 2000), version }),
  declare: z.object({
    interests: requiredText({ missing: "Declare your interests, or write ‘None’", max: 5000, label: "your declaration" }),
    conflict: choice(["yes", "no"], "Say whether any of this stops you assessing the bid fairly"),
    version,
  }),
};

/** Where the assessor goes next: back to the assessment with a notice, or on to scoring. */
export type AnswerOutcome = { ok: true; next: "accepted" | "declined" | "conflict" | "score" } | { ok: false; errors: FormErrors; values: TypedValues };

export async function answerAssignment(user: SignedInUser, assessmentId: string, form: FormData): Promise<AnswerOutcome> {
  const parsed = parseIntent(form, schemas, { field: "intent", missing: "Choose what to do" });
  if (!parsed.ok) return parsed;
  const refuse = (field: string, message: string): AnswerOutcome => ({ ok: false, errors: { [field]: message }, values: parsed.values });
  switch (parsed.intent) {
    case "accept": {
      const outcome = await actOnAssessment(user, assessmentId, { type: "ACCEPT" }, parsed.value.version);
      return outcome.ok ? { ok: true, next: "accepted" } : refuse("accept", outcome.reason);
    }
    case "decline": {
      const outcome = await actOnAssessment(user, assessmentId, { type: "DECLINE", reason: parsed.value.reason }, parsed.value.version);
      return outcome.ok ? { ok: true, next: "declined" } : refuse("reason", outcome.reason);
    }
    case "declare": {
      const conflict = parsed.value.conflict === "yes";
      const outcome = await actOnAssessment(
        user,
        assessmentId,
        { type: "DECLARE_INTERESTS", interests: parsed.value.interests, conflict },
        parsed.value.version,
      );
      if (!outcome.ok) return refuse("interests", outcome.reason);
      if (conflict) return { ok: true, next: "conflict" };
      // With no conflict the bid opens for scoring at once.
      const started = await actOnAssessment(user, assessmentId, { type: "START_SCORING" }, outcome.version);
      return started.ok ? { ok: true, next: "score" } : refuse("interests", started.reason);
    }
  }
}
