import { z } from "zod";
import type { SignedInUser } from "~/auth/session.server.ts";
import { db } from "~/db/database.server.ts";
import { reason, version } from "~/forms/fields.ts";
import { typedList, type FormErrors, type TypedValues } from "~/forms/parse.server.ts";
import { actorOf } from "~/engine/apply-event.server.ts";
import { changesRequestSchema } from "~/bid-form/sections.ts";
import { actOnAssessment, assignAutomatically, assignByHand, startAssessment } from "./assessments.server.ts";
import { reopenAssessments, requestChangesDuringAssessment } from "./changes.server.ts";
import { parseIntent, versionFor } from "./intents.server.ts";
import { assignmentNotice } from "./assignment.ts";

/** The forms on a bid's assessors page, one schema each. */
const schemas = {
  assign: z.object({
    assessorUserId: z.string({ error: "Choose an assessor from the round's pool" }).min(1, "Choose an assessor from the round's pool"),
    assignReason: reason("why you are assigning this assessor by hand", 2000),
  }),
  unassign: z.object({
    assessmentId: z.string({ error: "Choose the assessor to unassign" }).min(1, "Choose the assessor to unassign"),
    unassignReason: reason("why you are unassigning this assessor", 2000),
  }),
  auto: z.object({}),
  start: z.object({ version }),
  changes: changesRequestSchema,
};

export type AssignmentOutcome =
  /** Done; the page says so after a redirect. */
  | { kind: "done"; notice: "assigned" | "unassigned" | "started" | "changes" }
  /** Done, with what happened shown on the page (how many were invited, and who could not be found). */
  | { kind: "shown"; notice: string; shortfalls: string[] }
  | { kind: "refused"; errors: FormErrors; values: TypedValues; sections: string[] };

export async function changeAssignments(user: SignedInUser, bid: { id: string; roundId: string }, form: FormData): Promise<AssignmentOutcome> {
  // The ticked sections go back with a refusal, so the form is shown as it was sent.
  const ticked = typedList(form, "sections");
  const parsed = parseIntent(form, schemas, { field: "intent", missing: "Choose what to do" });
  if (!parsed.ok) return { kind: "refused", ...parsed, sections: ticked };
  const refuse = (field: string, message: string): AssignmentOutcome => ({
    kind: "refused",
    errors: { [field]: message },
    values: parsed.values,
    sections: ticked,
  });
  switch (parsed.intent) {
    case "assign": {
      const result = await assignByHand(user, bid.id, parsed.value.assessorUserId, parsed.value.assignReason);
      return result.ok ? { kind: "done", notice: "assigned" } : refuse(result.field, result.message);
    }
    case "unassign": {
      const { assessmentId, unassignReason } = parsed.value;
      const assessment = await db().assessment.findUnique({ where: { id: assessmentId }, select: { bidId: true } });
      if (!assessment || assessment.bidId !== bid.id) return refuse("assessmentId", "Choose the assessor to unassign");
      const outcome = await actOnAssessment(user, assessmentId, { type: "UNASSIGN", reason: unassignReason }, versionFor(form, assessmentId));
      return outcome.ok ? { kind: "done", notice: "unassigned" } : refuse("assessmentId", outcome.reason);
    }
    case "auto": {
      const result = await assignAutomatically(bid.roundId, { ...actorOf(user), name: user.name }, bid.id);
      return {
        kind: "shown",
        notice: assignmentNotice(result),
        shortfalls: result.shortfalls.map((s) => s.sentence),
      };
    }
    case "start": {
      const outcome = await startAssessment(user, bid.id, parsed.value.version);
      if (!outcome.ok) return refuse("start", outcome.reason);
      // A bid back from changes asked for during assessment: its paused assessments go with it.
      if (outcome.from === "resubmitted") await reopenAssessments(bid.id);
      return { kind: "done", notice: "started" };
    }
    case "changes": {
      const { changesReason, sections: chosen, version: seen } = parsed.value;
      const outcome = await requestChangesDuringAssessment(user, bid.id, { reason: changesReason, sections: chosen }, seen);
      return outcome.ok ? { kind: "done", notice: "changes" } : refuse("changesReason", outcome.reason);
    }
  }
}
