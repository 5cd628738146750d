import { z } from "zod";
import { parseIntent } from "~/assessment/intents.server.ts";
import type { SignedInUser } from "~/auth/session.server.ts";
import { changesRequestSchema, type BidSectionKey } from "~/bid-form/sections.ts";
import { reason, version } from "~/forms/fields.ts";
import { typedList, type FormErrors, type TypedValues } from "~/forms/parse.server.ts";
import { eligibilityAct, type EligibilityAction } from "./queue.server.ts";

/** One schema per button on the eligibility page; each reason is its own box. */
const schemas = {
  begin: z.object({ version }),
  eligible: z.object({ version }),
  ineligible: z.object({ ineligibleReason: reason("why the bid is not eligible"), version }),
  reinstate: z.object({ reinstateReason: reason("why the bid is being reinstated"), version }),
  changes: changesRequestSchema,
};

type Intent = keyof typeof schemas;

const events: Record<Intent, { type: EligibilityAction; reasonField?: string }> = {
  begin: { type: "BEGIN_ELIGIBILITY_CHECK" },
  eligible: { type: "MARK_ELIGIBLE" },
  ineligible: { type: "MARK_INELIGIBLE", reasonField: "ineligibleReason" },
  reinstate: { type: "REINSTATE", reasonField: "reinstateReason" },
  changes: { type: "REQUEST_CHANGES", reasonField: "changesReason" },
};

export type EligibilityOutcome = { ok: true; intent: Intent } | { ok: false; errors: FormErrors; values: TypedValues; sections: string[] };

/** Parses one of the eligibility page's forms and sends its event. */
export async function decideEligibility(user: SignedInUser, bidId: string, form: FormData): Promise<EligibilityOutcome> {
  const ticked = typedList(form, "sections");
  const parsed = parseIntent(form, schemas, { field: "actions", missing: "Choose what to do with this bid" });
  if (!parsed.ok) return { ...parsed, sections: ticked };
  const { type, reasonField } = events[parsed.intent];
  const value = parsed.value as { version?: number; ineligibleReason?: string; reinstateReason?: string; changesReason?: string; sections?: BidSectionKey[] };
  const why = value.ineligibleReason ?? value.reinstateReason ?? value.changesReason;
  const result = await eligibilityAct(user, bidId, type, { reason: why, ...(value.sections ? { sections: value.sections } : {}) }, value.version);
  // A refusal (someone else acted first, or the bid has moved on) is shown where the person acted.
  if (!result.ok) return { ok: false, errors: { [reasonField ?? "actions"]: result.reason }, values: parsed.values, sections: ticked };
  return { ok: true, intent: parsed.intent };
}
