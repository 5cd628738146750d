import { redirect } from "@remix-run/node";
import { z } from "zod";
import type { SignedInUser } from "~/auth/session.server.ts";
import { checkDateParts, govukDate, money, optionalText, planningHorizon, reason, requiredText, version, choice } from "~/forms/fields.ts";
import { parseForm, type FormErrors, type TypedValues } from "~/forms/parse.server.ts";
import { londonToday } from "~/utils/dates.ts";
import { formatDate, formatMoney } from "~/utils/format.ts";
import { gateOutcomes, type GateOutcome, type Stage } from "../../workflows/index.ts";
import type { FundRules } from "../../workflows/rules.ts";
import { intentOf, refusedForm } from "~/forms/parse.server.ts";
import { atDayBoxes, CONDITION_ROWS } from "./forms.ts";
import { canEditProject, gateAct, nextStageOf, setNextGateDue, type GateAction, type loadProjectFor } from "./projects.server.ts";
import { forbidden } from "~/http/errors.server.ts";

/**
 * The gate page's forms: the team sets when the next gate is due and asks for the review;
 * the fund team opens or returns it, signs off finance, marks conditions met; approvers
 * vote; the lessons close a stopped project. One schema per intent.
 */

type Loaded = Awaited<ReturnType<typeof loadProjectFor>>;

const conditionRows = Array.from({ length: CONDITION_ROWS }, (_, i) => i + 1);
const rawDate = z.object({ day: z.string().default(""), month: z.string().default(""), year: z.string().default("") }).optional();

/** The amount asked for the next stage's tranche, within that stage's cap. */
function trancheAsked(next: Stage, rules: FundRules) {
  const cap = rules.caps[next];
  return z
    .string({ error: `Enter how much you are asking for to fund the ${next} stage` })
    .pipe(money("the amount"))
    .refine((pence) => pence <= cap, `The amount must be no more than the ${next} stage's cap of ${formatMoney(cap)}`);
}

function voteForm(today: string) {
  const horizon = planningHorizon(today);
  const shape: Record<string, z.ZodType> = {
    outcome: choice(gateOutcomes, "Select your decision"),
    voteReason: reason("the reason for your decision"),
    version,
  };
  for (const n of conditionRows) {
    shape[`condition-${n}-text`] = optionalText({ max: 1000, label: `condition ${n}` });
    shape[`condition-${n}-due`] = rawDate;
  }
  return z.object(shape).superRefine(
    (vote, ctx) => {
      if (vote.outcome !== "conditionalGo") return;
      let set = 0;
      for (const n of conditionRows) {
        const text = typeof vote[`condition-${n}-text`] === "string" ? (vote[`condition-${n}-text`] as string) : "";
        const parts = (vote[`condition-${n}-due`] as { day: string; month: string; year: string } | undefined) ?? { day: "", month: "", year: "" };
        if (!text && !parts.day.trim() && !parts.month.trim() && !parts.year.trim()) continue;
        if (!text) ctx.addIssue({ code: "custom", path: [`condition-${n}-text`], message: `Enter condition ${n}` });
        const due = checkDateParts(parts, `the due date of condition ${n}`);
        if (!due.ok) ctx.addIssue({ code: "custom", path: [`condition-${n}-due`], message: due.message });
        else if (due.date < today) {
          ctx.addIssue({
            code: "custom",
            path: [`condition-${n}-due`],
            message: `The due date of condition ${n} must be today (${formatDate(today)}) or later`,
          });
        } else if (due.date > horizon.notAfter) {
          ctx.addIssue({
            code: "custom",
            path: [`condition-${n}-due`],
            message: `The due date of condition ${n} must be on or before ${horizon.notAfterText}`,
          });
        } else if (text) set++;
      }
      // Only once every other answer is right, as that is the one thing left to do.
      if (set === 0 && ctx.issues.length === 0) {
        ctx.addIssue({ code: "custom", path: ["condition-1-text"], message: "Set at least one condition, with a due date, for a conditional go" });
      }
    },
    // Checked even when the reason is missing, so every error shows at once.
    { when: () => true },
  );
}

const conditionsOf = (vote: Record<string, unknown>) =>
  conditionRows.flatMap((n) => {
    const text = vote[`condition-${n}-text`] as string;
    const due = checkDateParts(
      (vote[`condition-${n}-due`] as { day: string; month: string; year: string } | undefined) ?? { day: "", month: "", year: "" },
      "",
    );
    return text && due.ok ? [{ text, dueDate: due.date }] : [];
  });

const gateForms = {
  due: (today: string) =>
    z.object({
      // A reminder goes 14 days before, so a date already gone would never be of use.
      nextGateDueOn: govukDate("the date of the next gate review", {
        notBefore: today,
        notBeforeText: `today (${formatDate(today)})`,
        ...planningHorizon(today),
      }),
    }),
  request: (next: Stage | null, rules: FundRules) => z.object({ version, ...(next ? { nextTranche: trancheAsked(next, rules) } : {}) }),
  open: z.object({ version }),
  return: z.object({ reason: reason("why you are returning the request"), version }),
  finance: z.object({ financeNote: optionalText({ max: 1000, label: "the note" }), version }),
  conditionMet: z.object({ conditionId: z.string().max(100).default(""), conditionNote: optionalText({ max: 1000, label: "the note" }), version }),
  lessons: z.object({ lessons: requiredText({ missing: "Write down what this project taught", max: 10_000, label: "the lessons" }), version }),
};

const intents = ["due", "request", "open", "return", "vote", "finance", "conditionMet", "lessons"] as const;

export async function gateAction(user: SignedInUser, loaded: Loaded, form: FormData) {
  const { project, stage, rules } = loaded;
  const intent = intentOf(form, intents);
  const back = (notice: string) => redirect(`/projects/${project.id}/gate?notice=${notice}`);
  /** Sends the event; the workflow's refusal is shown beside `field`, with what was typed. */
  const send = async (action: GateAction, expected: number | undefined, field: string, values: TypedValues, notice: string) => {
    const result = await gateAct(user, loaded, action, expected);
    if (!result.ok) return refusedForm(intent, { errors: { [field]: result.reason } as FormErrors, values });
    return back(notice);
  };

  switch (intent) {
    case "due": {
      if (!canEditProject(loaded.relation, project.state)) throw forbidden();
      const parsed = parseForm(form, gateForms.due(londonToday()));
      if (!parsed.ok) return refusedForm(intent, atDayBoxes(parsed, ["nextGateDueOn"]));
      await setNextGateDue(project, parsed.value.nextGateDueOn);
      return back("due");
    }
    case "request": {
      const next = nextStageOf(stage);
      const parsed = parseForm(form, gateForms.request(next, rules));
      if (!parsed.ok) return refusedForm(intent, parsed);
      const nextTranchePence = "nextTranche" in parsed.value ? (parsed.value.nextTranche as number) : 0;
      return send({ type: "REQUEST_GATE_REVIEW", nextTranchePence }, parsed.value.version, next ? "nextTranche" : "request", parsed.values, "requested");
    }
    case "open": {
      const parsed = parseForm(form, gateForms.open);
      return send({ type: "OPEN_REVIEW" }, parsed.ok ? parsed.value.version : undefined, "open", {}, "opened");
    }
    case "return": {
      const parsed = parseForm(form, gateForms.return);
      if (!parsed.ok) return refusedForm(intent, parsed);
      return send({ type: "RETURN_GATE_REQUEST", reason: parsed.value.reason }, parsed.value.version, "reason", parsed.values, "returned");
    }
    case "vote": {
      const parsed = parseForm(form, voteForm(londonToday()));
      if (!parsed.ok)
        return refusedForm(
          intent,
          atDayBoxes(
            parsed,
            conditionRows.map((n) => `condition-${n}-due`),
          ),
        );
      const vote = parsed.value as Record<string, unknown>;
      const action: GateAction = { type: "VOTE", outcome: vote.outcome as GateOutcome, reason: vote.voteReason as string, conditions: conditionsOf(vote) };
      return send(action, vote.version as number | undefined, "outcome", parsed.values, "voted");
    }
    case "finance": {
      const parsed = parseForm(form, gateForms.finance);
      if (!parsed.ok) return refusedForm(intent, parsed);
      return send({ type: "SIGN_OFF_FINANCE", note: parsed.value.financeNote }, parsed.value.version, "financeNote", parsed.values, "signedOff");
    }
    case "conditionMet": {
      const parsed = parseForm(form, gateForms.conditionMet);
      if (!parsed.ok) return refusedForm(intent, { errors: { conditions: Object.values(parsed.errors)[0]! }, values: parsed.values });
      // The condition sent goes back with the refusal, so the page can put the error on its button.
      return send(
        { type: "RECORD_CONDITION_MET", conditionId: parsed.value.conditionId, note: parsed.value.conditionNote },
        parsed.value.version,
        "conditions",
        { conditionId: parsed.value.conditionId },
        "conditionMet",
      );
    }
    case "lessons": {
      const parsed = parseForm(form, gateForms.lessons);
      if (!parsed.ok) return refusedForm(intent, parsed);
      const result = await gateAct(user, loaded, { type: "RECORD_LESSONS", lessons: parsed.value.lessons }, parsed.value.version);
      if (!result.ok) return refusedForm(intent, { errors: { lessons: result.reason }, values: parsed.values });
      return redirect(`/projects/${project.id}?notice=lessons`);
    }
  }
}
