import { z } from "zod";
import type { SignedInUser } from "~/auth/session.server.ts";
import { db } from "~/db/database.server.ts";
import { choice, reason, requiredText, version } from "~/forms/fields.ts";
import { parseForm, type FormErrors, type TypedValues } from "~/forms/parse.server.ts";
import { CHANGED_BY_SOMEONE_ELSE } from "~/engine/apply-event.server.ts";
import { moveLine, type DecisionRound } from "./decisions.server.ts";

/** Bid states in which the fund team may still move the funding line for a bid. */
export const MOVABLE = ["moderation", "recommended", "notRecommended"];

const move = z.object({
  direction: choice(["include", "exclude", "follow"], "Choose whether to include or exclude the bid"),
  reason: reason("why you are moving the funding line for this bid"),
  version,
});

export type FormOutcome = { ok: true } | { ok: false; errors: FormErrors; values: TypedValues };

/**
 * Includes or excludes one bid against the funding line, with the reason. A bid whose
 * decision is published, or that changed since the page was shown, is refused beside the
 * choice, together with anything else wrong with the form.
 */
export async function moveLineFromForm(
  user: SignedInUser,
  round: DecisionRound,
  bid: { id: string; reference: string; state: string; version: number },
  form: FormData,
): Promise<FormOutcome> {
  const parsed = parseForm(form, move);
  const errors: FormErrors = parsed.ok ? {} : { ...parsed.errors };
  if (!MOVABLE.includes(bid.state)) errors.direction = "This bid's decision has been published, so the line cannot be moved for it";
  else if (version.parse(parsed.values.version) !== bid.version) errors.direction = CHANGED_BY_SOMEONE_ELSE;
  if (!parsed.ok || Object.keys(errors).length) return { ok: false, errors, values: parsed.values };
  await moveLine(user, round, bid, parsed.value.direction, parsed.value.reason);
  return { ok: true };
}

const message = z.object({ message: requiredText({ missing: "Enter the message for every bidder", max: 10_000, label: "the message" }) });

/** Keeps the message every bidder will get on the round, so the check page and a later publication use the same words. */
export async function saveDecisionMessage(roundId: string, form: FormData): Promise<FormOutcome> {
  const parsed = parseForm(form, message);
  if (!parsed.ok) return parsed;
  await db().round.update({ where: { id: roundId }, data: { decisionMessage: parsed.value.message } });
  return { ok: true };
}
