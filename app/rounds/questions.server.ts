import { db } from "~/db/database.server.ts";
import { Prisma } from "~/generated/prisma/client.ts";
import {
  FIXED,
  FROZEN,
  formValuesOf,
  isFixed,
  keyFromLabel,
  parseQuestionForm,
  questionsFor,
  type Question,
  type QuestionFormValues,
} from "~/bid-form/questions.ts";
import { bidSections, sectionTitle } from "~/bid-form/sections.ts";

import { roundRulesOrNull, roundRulesSelect } from "./rules.ts";
import { notFound } from "~/http/errors.server.ts";

const roundSelect = { ...roundRulesSelect, id: true, slug: true, name: true, questions: true, fund: { select: { name: true, rules: true } } } as const;

export async function roundForQuestions(slug: string | undefined) {
  const round = slug ? await db().round.findUnique({ where: { slug }, select: roundSelect }) : null;
  if (!round) throw notFound();
  return round;
}
type QuestionsRound = Awaited<ReturnType<typeof roundForQuestions>>;

export function criteriaOf(round: QuestionsRound): { key: string; label: string }[] {
  return (roundRulesOrNull(round)?.assessment.criteria ?? []).map((c) => ({ key: c.key, label: c.label }));
}

/**
 * A round's questions are frozen once any of its bids has been sent for sign-off: the
 * bids that follow must be judged on the same questions. A bid sent and then sent back or
 * withdrawn still counts, because its answers were written to these questions.
 */
export async function questionsFrozen(roundId: string): Promise<boolean> {
  const past = await db().bid.count({ where: { roundId, state: { notIn: ["draft", "withdrawn"] } } });
  if (past > 0) return true;
  const sent = await db().transitionHistory.count({
    where: {
      recordType: "bid",
      event: "REQUEST_CERTIFICATION",
      recordId: { in: (await db().bid.findMany({ where: { roundId }, select: { id: true } })).map((b) => b.id) },
    },
  });
  return sent > 0;
}

/** The page's view: questions by section, as plain data. */
export function questionsView(round: QuestionsRound) {
  const questions = questionsFor(round);
  const criteria = criteriaOf(round);
  return {
    round: { slug: round.slug, name: round.name, fund: round.fund.name },
    criteria,
    sections: bidSections.map((s) => {
      const own = questions.filter((q) => q.section === s.key);
      return {
        key: s.key,
        title: s.title,
        questions: own.map((q, i) => ({
          ...q,
          fixed: isFixed(q.key),
          criterionLabel: q.criterion ? (criteria.find((c) => c.key === q.criterion)?.label ?? null) : null,
          // Moves stay inside the section, and never above the fixed name and summary.
          canMoveUp: !isFixed(q.key) && i > 0 && !isFixed(own[i - 1]!.key),
          canMoveDown: !isFixed(q.key) && i < own.length - 1,
        })),
      };
    }),
  };
}

export type QuestionsOutcome =
  { ok: true; notice: string } | { ok: false; errors: Record<string, string>; order: string[]; values: QuestionFormValues | null; editing: string | null };

/**
 * Adds, changes, moves or removes one question. Refusals say which rule; a refused add or
 * change keeps what was typed.
 */
export async function changeQuestions(round: QuestionsRound, form: QuestionFormValues): Promise<QuestionsOutcome> {
  const intent = form.intent ?? "";
  const key = (form.key ?? "").trim();
  const typed = intent === "add" || intent === "save" ? pick(form) : null;
  const editing = intent === "save" ? key : null;
  const refuse = (field: string, message: string): QuestionsOutcome => ({ ok: false, errors: { [field]: message }, order: [field], values: typed, editing });
  if (await questionsFrozen(round.id)) return refuse("form", FROZEN);
  const questions = [...questionsFor(round)];
  const index = questions.findIndex((q) => q.key === key);

  if (intent === "add" || intent === "save") {
    if (intent === "save" && index < 0)
      return refuse("form", "That question is no longer in this round; it may have been removed. Add it again if you need it.");
    if (intent === "save" && isFixed(key)) return refuse("form", FIXED);
    const others = questions.filter((q) => q.key !== key);
    const parsed = parseQuestionForm(form, { others, criteria: criteriaOf(round) });
    if (!parsed.ok) return { ok: false, errors: parsed.errors, order: parsed.order, values: typed, editing };
    if (intent === "add") {
      const question: Question = {
        key: keyFromLabel(
          parsed.value.label,
          questions.map((q) => q.key),
        ),
        ...parsed.value,
      };
      // A new question goes last in its section.
      const lastInSection = questions.map((q) => q.section).lastIndexOf(question.section);
      const at = lastInSection >= 0 ? lastInSection + 1 : insertionPoint(questions, question.section);
      questions.splice(at, 0, question);
      if (!(await save(round, questions))) return refuse("form", CHANGED_MEANWHILE);
      return { ok: true, notice: `Question added to ${sectionTitle(question.section).toLowerCase()}` };
    }
    const before = questions[index]!;
    // The standard wording of "required" only fits the standard label.
    const message = before.message && before.label === parsed.value.label ? before.message : undefined;
    const changed: Question = { key: before.key, ...parsed.value, ...(message ? { message } : {}) };
    questions.splice(index, 1);
    if (changed.section === before.section) questions.splice(index, 0, changed);
    else {
      const last = questions.map((q) => q.section).lastIndexOf(changed.section);
      questions.splice(last >= 0 ? last + 1 : insertionPoint(questions, changed.section), 0, changed);
    }
    if (!(await save(round, questions))) return refuse("form", CHANGED_MEANWHILE);
    return { ok: true, notice: "Question saved" };
  }

  if (intent === "remove" || intent === "up" || intent === "down") {
    if (index < 0) return refuse("form", "That question is no longer in this round; it may have been removed already.");
    if (isFixed(key)) return refuse("form", FIXED);
    const question = questions[index]!;
    if (intent === "remove") {
      questions.splice(index, 1);
      if (!(await save(round, questions))) return refuse("form", CHANGED_MEANWHILE);
      return { ok: true, notice: `Question removed: ${question.label}` };
    }
    const sameSection = questions.map((q, i) => ({ q, i })).filter(({ q }) => q.section === question.section);
    const position = sameSection.findIndex(({ i }) => i === index);
    const neighbour = sameSection[intent === "up" ? position - 1 : position + 1];
    if (!neighbour || isFixed(neighbour.q.key)) {
      return refuse(
        "form",
        intent === "up" ? "That question is already the first one it can be in its section." : "That question is already the last in its section.",
      );
    }
    questions[index] = neighbour.q;
    questions[neighbour.i] = question;
    if (!(await save(round, questions))) return refuse("form", CHANGED_MEANWHILE);
    return { ok: true, notice: "Question moved" };
  }
  return refuse("form", "The form could not be read. Go back, refresh the page and try again.");
}

/** Where a section's first question goes: after the questions of the sections before it. */
function insertionPoint(questions: Question[], section: Question["section"]): number {
  const order = bidSections.map((s) => s.key);
  const rank = order.indexOf(section);
  const after = questions.findIndex((q) => order.indexOf(q.section) > rank);
  return after < 0 ? questions.length : after;
}

function pick(form: QuestionFormValues): QuestionFormValues {
  const names = ["section", "label", "hint", "kind", "limit", "required", "criterion", "key"];
  return Object.fromEntries(names.map((n) => [n, form[n] ?? ""]));
}

const CHANGED_MEANWHILE =
  "The questions changed while you were working on them (someone else saved a change, or a bid was sent for sign-off). The page now shows them as they are: check them and try again.";

/**
 * Saves only if the questions are still those this change was made to and no bid has gone
 * past draft since the freeze was checked: a conditional update, so two people editing at
 * once cannot overwrite each other and a bid sent at that moment is not judged on questions
 * written after it.
 */
async function save(round: QuestionsRound, questions: Question[]): Promise<boolean> {
  const { count } = await db().round.updateMany({
    where: {
      id: round.id,
      questions: round.questions === null ? { equals: Prisma.DbNull } : { equals: round.questions as Prisma.InputJsonValue },
      bids: { none: { state: { notIn: ["draft", "withdrawn"] } } },
    },
    data: { questions: questions as unknown as Prisma.InputJsonValue },
  });
  return count === 1;
}

export { FIXED, FROZEN, formValuesOf };
