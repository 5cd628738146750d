import { z } from "zod";
import type { SignedInUser } from "~/auth/session.server.ts";
import { db } from "~/db/database.server.ts";
import { reason, requiredText, version } from "~/forms/fields.ts";
import { parseForm, type FormErrors, type TypedValues } from "~/forms/parse.server.ts";
import { actorOf } from "~/engine/apply-event.server.ts";
import { actOnAssessment, beginModeration } from "./assessments.server.ts";
import { parseIntent, versionFor } from "./intents.server.ts";
import { bidModeration } from "./moderation.server.ts";

/**
 * The moderation page's three forms: a consensus score for one flagged criterion, returning
 * an assessment for rework, and beginning moderation early.
 */
const schemas = {
  consensus: z.object({ criterionKey: z.string({ error: "Choose a criterion to moderate" }) }),
  return: z.object({
    assessmentId: z.string({ error: "Choose the assessment to return" }).min(1, "Choose the assessment to return"),
    returnReason: reason("why you are returning the assessment", 2000),
  }),
  begin: z.object({ version }),
};

export type ModerationOutcome = { ok: true; notice: "consensus" | "returned" | "begun" } | { ok: false; errors: FormErrors; values: TypedValues };

export async function moderate(user: SignedInUser, bidId: string, form: FormData): Promise<ModerationOutcome> {
  const parsed = parseIntent(form, schemas, { field: "intent", missing: "Choose what to do" });
  if (!parsed.ok) return parsed;
  if (parsed.intent === "consensus") return recordConsensus(bidId, parsed.value.criterionKey, form, user.id);
  if (parsed.intent === "return") {
    const { assessmentId, returnReason } = parsed.value;
    const values = { assessmentId, returnReason: parsed.values.returnReason ?? "" };
    const assessment = await db().assessment.findUnique({ where: { id: assessmentId }, select: { bidId: true } });
    if (!assessment || assessment.bidId !== bidId) return { ok: false, errors: { assessmentId: "Choose the assessment to return" }, values };
    const outcome = await actOnAssessment(user, assessmentId, { type: "RETURN_FOR_REWORK", reason: returnReason }, versionFor(form, assessmentId));
    if (!outcome.ok) return { ok: false, errors: { assessmentId: outcome.reason }, values };
    return { ok: true, notice: "returned" };
  }
  const outcome = await beginModeration({ ...actorOf(user), name: user.name }, bidId, parsed.value.version);
  if (!outcome.ok) return { ok: false, errors: { begin: outcome.reason }, values: {} };
  return { ok: true, notice: "begun" };
}

/** The consensus form for one criterion: its score on the round's scale and a rationale. */
function consensusSchema(label: string, scale: { min: number; max: number }) {
  const missing = `Choose a consensus score for ${label}`;
  return z.object({
    score: z
      .string({ error: missing })
      .regex(/^\d{1,3}$/, `${missing} from ${scale.min} to ${scale.max}`)
      .transform(Number)
      .refine((n) => n >= scale.min && n <= scale.max, `${missing} from ${scale.min} to ${scale.max}`),
    rationale: requiredText({ missing: `Enter the rationale for the consensus score for ${label}`, max: 5000, label: "the rationale" }),
  });
}

/**
 * The moderator's consensus score for a flagged criterion, on the round's scale, with the
 * rationale that the ranking and the bidders' feedback rest on; it replaces the assessors'
 * scores for that criterion, and an earlier consensus. The form's boxes are named `score` and `rationale`; errors and what was typed come back
 * under `<criterion>-score` and `<criterion>-rationale`, as the page has one form per criterion.
 */
async function recordConsensus(bidId: string, criterionKey: string, form: FormData, byUserId: string): Promise<ModerationOutcome> {
  const typed = parseForm(form, z.object({})).values;
  const values = { criterionKey, [`${criterionKey}-score`]: typed.score ?? "", [`${criterionKey}-rationale`]: typed.rationale ?? "" };
  const refuse = (errors: { score?: string; rationale?: string }): ModerationOutcome => ({
    ok: false,
    errors: Object.fromEntries(Object.entries(errors).map(([field, message]) => [`${criterionKey}-${field}`, message])),
    values,
  });
  const bid = await db().bid.findUnique({ where: { id: bidId }, select: { state: true } });
  if (!bid) return refuse({ score: "There is no such bid." });
  const moderation = (await bidModeration(bidId))!;
  const criterion = moderation.rules.assessment.criteria.find((c) => c.key === criterionKey);
  if (!criterion) return refuse({ score: "Choose a criterion to moderate" });
  const label = criterion.label.toLowerCase();
  if (bid.state !== "moderation") return refuse({ score: "Consensus scores can only be recorded while the bid is in moderation." });
  if (!moderation.flagged.some((d) => d.criterionKey === criterionKey)) {
    return refuse({ score: `The assessors' scores for ${label} do not differ by enough to need a consensus score.` });
  }
  const parsed = parseForm(form, consensusSchema(label, moderation.rules.assessment.scale));
  if (!parsed.ok) return refuse(parsed.errors);
  const { score, rationale } = parsed.value;
  await db().consensusScore.upsert({
    where: { bidId_criterionKey: { bidId, criterionKey } },
    create: { bidId, criterionKey, score, rationale, byUserId },
    update: { score, rationale, byUserId, at: new Date() },
  });
  return { ok: true, notice: "consensus" };
}
