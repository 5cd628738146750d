import { z } from "zod";
import type { SignedInUser } from "~/auth/session.server.ts";
import type { FormErrors, TypedValues } from "~/forms/parse.server.ts";
import { actorOf } from "~/engine/apply-event.server.ts";
import { addToPool, assignAutomatically, removeFromPool, startAllReady } from "./assessments.server.ts";
import { parseIntent } from "./intents.server.ts";
import { assignmentNotice } from "./assignment.ts";
import { plural } from "~/utils/format.ts";

const ADD_MISSING = "Choose an assessor to add";

/** The forms on a round's assessors page, one schema each. */
const schemas = {
  add: z.object({ userId: z.string({ error: ADD_MISSING }).min(1, ADD_MISSING) }),
  remove: z.object({ userId: z.string({ error: "Choose the assessor to remove" }) }),
  assign: z.object({}),
  "start-all": z.object({}),
};

export type PoolOutcome = { ok: true; notice: string; shortfalls: string[] } | { ok: false; errors: FormErrors; values: TypedValues };

export async function changePool(user: SignedInUser, roundId: string, form: FormData): Promise<PoolOutcome> {
  const parsed = parseIntent(form, schemas, { field: "intent", missing: "Choose what to do" });
  if (!parsed.ok) return parsed;
  switch (parsed.intent) {
    case "add": {
      const problem = await addToPool(roundId, parsed.value.userId);
      if (problem) return { ok: false, errors: { userId: problem }, values: parsed.values };
      return { ok: true, notice: "The assessor was added to the round's pool.", shortfalls: [] };
    }
    case "remove":
      await removeFromPool(roundId, parsed.value.userId);
      return { ok: true, notice: "The assessor was removed from the pool. Their current assignments stay until you unassign them.", shortfalls: [] };
    case "assign": {
      const result = await assignAutomatically(roundId, { ...actorOf(user), name: user.name });
      return {
        ok: true,
        notice: assignmentNotice(result),
        shortfalls: result.shortfalls.map((s) => s.sentence),
      };
    }
    case "start-all": {
      const result = await startAllReady(user, roundId);
      return {
        ok: true,
        notice: result.started === 0 ? "No bids were ready to start assessment." : `Assessment started for ${plural(result.started, "bid")}.`,
        shortfalls: result.refusals,
      };
    }
  }
}
