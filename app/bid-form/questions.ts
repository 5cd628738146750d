import { z } from "zod";
import { bidSections, isSectionKey, sectionFields, type BidSectionKey, type TextField } from "./sections.ts";
import { formatNumber } from "~/utils/format.ts";

export { countWords } from "./sections.ts";

/**
 * The text questions of a round's bid form, stored as data on the round (Round.questions).
 * The sections themselves stay fixed: eligibility, the costs table and the partners page
 * rely on them. A round with no stored questions asks the standard ones below, exactly as
 * every round did before questions became data.
 */
export const questionKinds = [
  { value: "short", text: "Short text", hint: "One line, limited in characters" },
  { value: "long", text: "Long text", hint: "Paragraphs, limited in words" },
] as const;
export type QuestionKind = (typeof questionKinds)[number]["value"];

export const questionSchema = z.object({
  key: z.string().regex(/^[a-z][A-Za-z0-9]{0,39}$/),
  section: z.enum(bidSections.map((s) => s.key) as [BidSectionKey, ...BidSectionKey[]]),
  label: z.string().min(1).max(200),
  hint: z.string().max(500).default(""),
  kind: z.enum(["short", "long"]),
  limit: z.number().int().min(1),
  /** The standard questions were always limited in characters; new long answers count words. */
  unit: z.enum(["words", "characters"]),
  required: z.boolean(),
  /** The standard questions' own wording; a new question's is made from its label. */
  message: z.string().optional(),
  /** The score criterion this question's answer is evidence for, by its key. */
  criterion: z.string().nullable().default(null),
});
export type Question = z.infer<typeof questionSchema>;
export const questionsSchema = z.array(questionSchema);

/** The bid's name and summary: the bid's title comes from them, so every round asks them as they are. */
export const FIXED_QUESTIONS = ["title", "summary"] as const;
export const isFixed = (key: string) => (FIXED_QUESTIONS as readonly string[]).includes(key);

/** The one sentence every change is refused with once bids are on their way. */
export const FROZEN =
  "You cannot change the questions any more because a bid in this round has been sent for sign-off. Every bid in a round answers the same questions.";
export const FIXED =
  "Every round asks for the bid's name and summary as they are, because the bid's title comes from them. You cannot change, move or remove them.";

/** Names a section's form already uses for itself. */
const RESERVED = new Set(["version", "complete", "intent", "csrf", "lines", "metrics", "line", "metric"]);

export const defaultQuestions: Question[] = bidSections.flatMap((s) =>
  sectionFields[s.key].map((f) => ({
    key: f.name,
    section: s.key,
    label: f.label,
    hint: f.hint ?? "",
    kind: f.long ? ("long" as const) : ("short" as const),
    limit: f.max,
    unit: "characters" as const,
    required: true,
    message: f.required,
    criterion: null,
  })),
);

/** A round's questions: its own, or the standard ones when it has none (or they no longer read). */
export function questionsFor(round: { questions?: unknown } | null | undefined): Question[] {
  const stored = round?.questions;
  if (stored === null || stored === undefined) return defaultQuestions;
  const parsed = questionsSchema.safeParse(typeof stored === "string" ? safeJson(stored) : stored);
  return parsed.success ? parsed.data : defaultQuestions;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export const requiredMessage = (q: Pick<Question, "label" | "message">) =>
  q.message ?? `Enter ${q.label.replace(/\?$/, "").replace(/^./, (c) => c.toLowerCase())}`;

/** A section's questions as the form's fields. */
export function fieldsFor(questions: Question[], key: BidSectionKey): TextField[] {
  return questions
    .filter((q) => q.section === key)
    .map((q) => ({
      name: q.key,
      label: q.label,
      hint: q.hint || undefined,
      long: q.kind === "long",
      max: q.limit,
      words: q.unit === "words",
      optional: !q.required,
      required: requiredMessage(q),
      // The standard questions never said their limits; a round's own say theirs.
      showLimit: !defaultQuestions.some((d) => d.key === q.key && d.limit === q.limit && d.unit === q.unit),
    }));
}

/** The limit, in words, as a hint's last sentence: "Up to 250 words." */
export function limitText(field: Pick<TextField, "max" | "words">): string {
  return `Up to ${formatNumber(field.max)} ${field.words ? "words" : "characters"}.`;
}

/** A stable key from the label, different from every other question's and from the form's own names. */
export function keyFromLabel(label: string, taken: Iterable<string>): string {
  const words = label
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9 ]+/g, " ")
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 6);
  let base = words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase())).join("");
  if (!/^[a-z]/.test(base)) base = `q${base}`;
  base = base.slice(0, 36);
  const used = new Set(taken);
  let key = base;
  for (let n = 2; used.has(key) || RESERVED.has(key); n++) key = `${base}${n}`;
  return key;
}

// ---------------------------------------------------------------- the fund team's form

export const LIMITS = { short: { max: 500, unit: "characters" }, long: { max: 5000, unit: "words" } } as const;

export type QuestionFormValues = Record<string, string>;
export type QuestionInput = Omit<Question, "key" | "message">;

/**
 * Checks the form for adding or changing a question. Every refusal is beside its field
 * and says which rule; `others` are the round's other questions (for repeated wording).
 */
export function parseQuestionForm(
  form: QuestionFormValues,
  options: { others: Question[]; criteria: { key: string; label: string }[] },
): { ok: true; value: QuestionInput } | { ok: false; errors: Record<string, string>; order: string[] } {
  const errors: Record<string, string> = {};
  const order: string[] = [];
  const fail = (field: string, message: string) => {
    if (!errors[field]) {
      errors[field] = message;
      order.push(field);
    }
  };
  const get = (name: string) => (form[name] ?? "").trim();
  const section = get("section");
  const label = get("label").replace(/\s+/g, " ");
  const hint = get("hint");
  const kind = get("kind");
  const limitText = get("limit").replace(/,/g, "");
  const required = get("required");
  const criterion = get("criterion");

  if (!isSectionKey(section)) fail("section", "Select the section the question is in");
  if (!label) fail("label", "Enter the question");
  else if (label.length > 200) fail("label", "The question must be 200 characters or fewer");
  else if (options.others.some((q) => q.section === section && q.label.toLowerCase() === label.toLowerCase())) {
    fail("label", "This section already asks a question with this wording; change the wording or edit that question");
  }
  if (hint.length > 500) fail("hint", "The hint must be 500 characters or fewer");
  if (kind !== "short" && kind !== "long") fail("kind", "Select the kind of answer");
  const unit = kind === "short" ? "characters" : "words";
  const limit = Number(limitText);
  if (!limitText) fail("limit", kind === "short" ? "Enter the most characters an answer can have" : "Enter the most words an answer can have");
  else if (!/^\d{1,6}$/.test(limitText) || limit < 1) fail("limit", "The limit must be a whole number, like 250");
  else if ((kind === "short" || kind === "long") && limit > LIMITS[kind].max) {
    fail("limit", `The limit for ${kind} text must be ${formatNumber(LIMITS[kind].max)} ${unit} or fewer`);
  }
  if (required !== "yes" && required !== "no") fail("required", "Select whether councils must answer the question");
  if (criterion && !options.criteria.some((c) => c.key === criterion)) fail("criterion", "Select a criterion from the list, or none");
  if (order.length) return { ok: false, errors, order };
  return {
    ok: true,
    value: {
      section: section as BidSectionKey,
      label,
      hint,
      kind: kind as QuestionKind,
      limit,
      unit,
      required: required === "yes",
      criterion: criterion || null,
    },
  };
}

/** A question as the form shows it. */
export function formValuesOf(q: Question): QuestionFormValues {
  return {
    section: q.section,
    label: q.label,
    hint: q.hint,
    kind: q.kind,
    limit: String(q.limit),
    required: q.required ? "yes" : "no",
    criterion: q.criterion ?? "",
  };
}
