import { MAX_FORM_ROWS } from "~/forms/limits.ts";
import { parseMoney, penceToInput, reason, version } from "~/forms/fields.ts";
import { z } from "zod";
import { formatNumber } from "~/utils/format.ts";

/**
 * The sections of a bid, in task-list order. A section counts as complete when the
 * officer has marked it so (Bid.answers.completed); the fund team can reopen named
 * sections by requesting changes.
 *
 * Bid.answers holds everything the officers typed:
 *   { completed: SectionKey[], sections: { [key]: SectionAnswers }, versions: { [key]: n },
 *     savedBy: { [key]: { userId, name, at } } }
 * `versions` lets two officers editing one section at once find out (see bids.server.ts).
 */
export const bidSections = [
  { key: "summary", title: "Summary" },
  { key: "problem", title: "Problem and the users affected" },
  { key: "partners", title: "Partners" },
  { key: "approach", title: "Approach, reuse and openness" },
  { key: "costs", title: "Costs" },
  { key: "risks", title: "Risks" },
  { key: "evaluation", title: "Evaluation plan" },
] as const;

export type BidSectionKey = (typeof bidSections)[number]["key"];

export const isSectionKey = (key: unknown): key is BidSectionKey => bidSections.some((s) => s.key === key);
export const sectionTitle = (key: string) => bidSections.find((s) => s.key === key)?.title ?? key;

export const SECTIONS_MISSING = "Select the sections the council needs to change";

/**
 * The fund team asking the council for changes, during the eligibility check or during
 * assessment. Only the bid's own sections count: a made-up one is dropped, so none left
 * means none chosen. (A lone checkbox arrives as one string.)
 */
export const changesRequestSchema = z.object({
  changesReason: reason("what the council needs to change, and why"),
  sections: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((value, ctx) => {
      const keys = (value === undefined ? [] : Array.isArray(value) ? value : [value]).filter(isSectionKey);
      if (!keys.length) ctx.addIssue({ code: "custom", message: SECTIONS_MISSING });
      return keys;
    }),
  version,
});

export function incompleteSections(answers: unknown): string[] {
  const completed = new Set(
    Array.isArray((answers as { completed?: unknown } | null)?.completed) ? ((answers as { completed: unknown[] }).completed as string[]) : [],
  );
  return bidSections.filter((s) => !completed.has(s.key)).map((s) => s.title);
}

// ---------------------------------------------------------------- fields

export interface TextField {
  name: string;
  label: string;
  hint?: string;
  /** Long answers are text areas. */
  long?: boolean;
  max: number;
  /** The limit counts words (a round's own long questions) rather than characters. */
  words?: boolean;
  /** May be left blank even when the section is marked complete. */
  optional?: boolean;
  /** Say the limit in the hint. */
  showLimit?: boolean;
  /** The message when the section is marked complete with this left blank. */
  required: string;
}

export function countWords(text: string): number {
  const trimmed = text.trim();
  return trimmed ? trimmed.split(/\s+/).length : 0;
}

const words = (max: number) => max;

export const sectionFields: Record<BidSectionKey, TextField[]> = {
  summary: [
    {
      name: "title",
      label: "Name of the bid",
      hint: "A short name that says what the project will do, like 'Shared digital front door for adult social care'",
      max: 120,
      required: "Enter the name of the bid",
    },
    {
      name: "summary",
      label: "Summary",
      hint: "What you will do, for whom, and what will be different afterwards",
      long: true,
      max: words(3000),
      required: "Enter a summary of the bid",
    },
  ],
  problem: [
    {
      name: "problem",
      label: "What is the problem?",
      hint: "Describe the problem the councils share, with evidence",
      long: true,
      max: 5000,
      required: "Enter the problem",
    },
    {
      name: "users",
      label: "Who are the users affected, and how?",
      hint: "Residents, staff or others: who they are, how many, and what the problem costs them",
      long: true,
      max: 5000,
      required: "Enter the users affected",
    },
  ],
  partners: [
    {
      name: "collaboration",
      label: "How will the partners work together?",
      hint: "Who does what, and how decisions will be made",
      long: true,
      max: 5000,
      required: "Enter how the partners will work together",
    },
  ],
  approach: [
    {
      name: "approach",
      label: "Approach",
      hint: "How you will do the work: discovery, building, testing with users",
      long: true,
      max: 5000,
      required: "Enter your approach",
    },
    {
      name: "reuse",
      label: "Reuse",
      hint: "What you will reuse from other councils or government, and how others can reuse what you make",
      long: true,
      max: 5000,
      required: "Enter how you will reuse and be reused",
    },
    {
      name: "openness",
      label: "Openness",
      hint: "How you will work in the open: code, blog posts, show and tells",
      long: true,
      max: 5000,
      required: "Enter how you will work in the open",
    },
  ],
  costs: [],
  risks: [
    {
      name: "risks",
      label: "Risks and how you will manage them",
      hint: "The main risks to delivery, how likely each is, and what you will do about them",
      long: true,
      max: 5000,
      required: "Enter the risks and how you will manage them",
    },
  ],
  evaluation: [
    {
      name: "evaluationPlan",
      label: "How will you evaluate the pilot?",
      hint: "How you will know it worked, who will evaluate it, and when",
      long: true,
      max: 5000,
      required: "Enter how you will evaluate the pilot",
    },
  ],
};

export const costCategories = [
  { value: "lead", text: "Lead council" },
  { value: "partner", text: "Partner councils" },
  { value: "supplier", text: "Suppliers" },
] as const;
export type CostCategory = (typeof costCategories)[number]["value"];

export interface CostLine {
  who: CostCategory;
  description: string;
  amountPence: number;
}
export interface Metric {
  name: string;
  unit: string;
  baseline: number;
  target: number;
}

export interface StoredSection {
  [field: string]: unknown;
  lines?: CostLine[];
  metrics?: Metric[];
}

export interface StoredAnswers {
  completed: string[];
  sections: Partial<Record<BidSectionKey, StoredSection>>;
  versions: Partial<Record<BidSectionKey, number>>;
  savedBy: Partial<Record<BidSectionKey, { userId: string; name: string; at: string }>>;
}

export function readAnswers(answers: unknown): StoredAnswers {
  const a = (answers && typeof answers === "object" ? answers : {}) as Partial<StoredAnswers>;
  return {
    completed: Array.isArray(a.completed) ? a.completed.filter((k) => typeof k === "string") : [],
    sections: a.sections && typeof a.sections === "object" ? a.sections : {},
    versions: a.versions && typeof a.versions === "object" ? a.versions : {},
    savedBy: a.savedBy && typeof a.savedBy === "object" ? a.savedBy : {},
  };
}

// ---------------------------------------------------------------- rows (costs and metrics)

export const costColumns = ["who", "description", "amount"] as const;
export const metricColumns = ["name", "unit", "baseline", "target"] as const;
export const rowField = (prefix: "line" | "metric", i: number, column: string) => `${prefix}-${i}-${column}`;

/** Most cost lines, or metrics, a section has: the form never shows more rows than this. */
export const MAX_SECTION_ROWS = Math.min(50, MAX_FORM_ROWS);

/** What a submitted or kept form holds, by field name (parseForm's typed values). */
export type FormValues = Record<string, string>;

const columnsOf = { line: costColumns, metric: metricColumns } as const;

/**
 * The rows of a repeating part present in `values`: only row numbers below
 * MAX_SECTION_ROWS with a column this part has, so a name that was sent or kept can never
 * make a page build more rows than the form can have.
 */
function rowIndexes(values: FormValues, prefix: "line" | "metric"): number[] {
  const indexes = new Set<number>();
  const pattern = new RegExp(`^${prefix}-(\\d{1,2})-(${columnsOf[prefix].join("|")})$`);
  for (const key of Object.keys(values)) {
    const match = pattern.exec(key);
    if (match && Number(match[1]) < MAX_SECTION_ROWS) indexes.add(Number(match[1]));
  }
  return [...indexes].sort((a, b) => a - b);
}

/**
 * How many rows a form shows: what is stored plus a few blank ones (no JavaScript needed),
 * or enough for the last row with something typed in it, and never more than
 * MAX_SECTION_ROWS.
 */
export function rowsToShow(prefix: "line" | "metric", stored: number, blanks: number, values: FormValues = {}): number {
  const typed = rowIndexes(values, prefix).filter((i) => columnsOf[prefix].some((c) => c !== "who" && values[rowField(prefix, i, c)]?.trim()));
  const last = typed.length ? typed[typed.length - 1]! + 1 : 0;
  return Math.min(MAX_SECTION_ROWS, Math.max(stored + blanks, last));
}

/** Every field a section's form has, for keeping it when the session expires. */
export function sectionFieldNames(key: BidSectionKey, fields: TextField[] = sectionFields[key]): string[] {
  const names = ["version", "complete", "intent", ...fields.map((f) => f.name)];
  const prefix = key === "costs" ? "line" : key === "evaluation" ? "metric" : null;
  if (prefix) {
    for (let i = 0; i < MAX_SECTION_ROWS; i++) for (const column of columnsOf[prefix]) names.push(rowField(prefix, i, column));
  }
  return names;
}

export function parseNumber(text: string): number | null {
  const cleaned = text.trim().replace(/,/g, "");
  if (!/^-?\d{1,12}(\.\d{1,4})?$/.test(cleaned)) return null;
  return Number(cleaned);
}

// ---------------------------------------------------------------- parsing a submitted section

export interface ParsedSection {
  /** Every field as typed, to show again. */
  values: Record<string, string>;
  /** The section as stored (only meaningful when there are no errors). */
  stored: StoredSection;
  errors: Record<string, string>;
  /** The order of the error summary. */
  order: string[];
}

export function costTotals(lines: CostLine[]) {
  const by = (who: CostCategory) => lines.filter((l) => l.who === who).reduce((sum, l) => sum + l.amountPence, 0);
  const lead = by("lead");
  const partner = by("partner");
  const supplier = by("supplier");
  return { lead, partner, supplier, total: lead + partner + supplier };
}

/**
 * Checks a submitted section. Malformed or too-long answers are always refused, by the
 * field; blank answers only when the officer says the section is complete.
 */
export function parseSection(
  key: BidSectionKey,
  form: FormValues,
  options: { complete: boolean; capPence: number; formatMoney: (pence: number) => string; fields?: TextField[] },
): ParsedSection {
  const values: Record<string, string> = {};
  const errors: Record<string, string> = {};
  const order: string[] = [];
  const stored: StoredSection = {};
  const get = (name: string) => (Object.hasOwn(form, name) ? (form[name] ?? "").replace(/\r\n/g, "\n") : "");
  const fail = (field: string, message: string) => {
    if (!errors[field]) {
      errors[field] = message;
      order.push(field);
    }
  };

  for (const field of options.fields ?? sectionFields[key]) {
    const value = get(field.name);
    values[field.name] = value;
    const trimmed = value.trim();
    const size = field.words ? countWords(trimmed) : trimmed.length;
    if (size > field.max)
      fail(field.name, `${field.label.replace(/\?$/, "")} must be ${formatNumber(field.max)} ${field.words ? "words" : "characters"} or fewer`);
    else if (!trimmed && options.complete && !field.optional) fail(field.name, field.required);
    stored[field.name] = trimmed;
  }

  if (key === "costs") {
    const lines: CostLine[] = [];
    for (const i of rowIndexes(form, "line")) {
      const who = get(rowField("line", i, "who"));
      const description = get(rowField("line", i, "description"));
      const amount = get(rowField("line", i, "amount"));
      values[rowField("line", i, "who")] = who;
      values[rowField("line", i, "description")] = description;
      values[rowField("line", i, "amount")] = amount;
      if (!description.trim() && !amount.trim()) continue; // a blank row
      const n = i + 1;
      if (!costCategories.some((c) => c.value === who)) fail(rowField("line", i, "who"), `Select who spends the money on line ${n}`);
      if (!description.trim()) fail(rowField("line", i, "description"), `Enter what the money on line ${n} is for`);
      else if (description.trim().length > 200) fail(rowField("line", i, "description"), `The description on line ${n} must be 200 characters or fewer`);
      const pence = parseMoney(amount);
      if (!amount.trim()) fail(rowField("line", i, "amount"), `Enter the amount for line ${n}`);
      else if (pence === null) fail(rowField("line", i, "amount"), `The amount on line ${n} must be an amount of money in pounds, like 12500 or 12500.50`);
      else if (pence <= 0) fail(rowField("line", i, "amount"), `The amount on line ${n} must be more than £0`);
      lines.push({ who: who as CostCategory, description: description.trim(), amountPence: pence ?? 0 });
    }
    stored.lines = lines;
    if (!Object.keys(errors).length) {
      const { total } = costTotals(lines);
      if (options.complete && lines.length === 0) fail(rowField("line", 0, "description"), "Enter at least one cost");
      else if (total > options.capPence) {
        fail(
          rowField("line", 0, "amount"),
          `The total, ${options.formatMoney(total)}, is more than the most a bid can ask for in this round, ${options.formatMoney(options.capPence)}`,
        );
      }
    }
  }

  if (key === "evaluation") {
    const metrics: Metric[] = [];
    for (const i of rowIndexes(form, "metric")) {
      const row = Object.fromEntries(metricColumns.map((c) => [c, get(rowField("metric", i, c))])) as Record<(typeof metricColumns)[number], string>;
      for (const c of metricColumns) values[rowField("metric", i, c)] = row[c];
      if (metricColumns.every((c) => !row[c].trim())) continue;
      const n = i + 1;
      if (!row.name.trim()) fail(rowField("metric", i, "name"), `Enter the name of metric ${n}`);
      else if (row.name.trim().length > 200) fail(rowField("metric", i, "name"), `The name of metric ${n} must be 200 characters or fewer`);
      if (!row.unit.trim()) fail(rowField("metric", i, "unit"), `Enter the unit of metric ${n}, like 'days' or 'calls per month'`);
      else if (row.unit.trim().length > 50) fail(rowField("metric", i, "unit"), `The unit of metric ${n} must be 50 characters or fewer`);
      const baseline = parseNumber(row.baseline);
      const target = parseNumber(row.target);
      if (!row.baseline.trim()) fail(rowField("metric", i, "baseline"), `Enter the baseline of metric ${n}`);
      else if (baseline === null) fail(rowField("metric", i, "baseline"), `The baseline of metric ${n} must be a number, like 120 or 4.5`);
      if (!row.target.trim()) fail(rowField("metric", i, "target"), `Enter the target of metric ${n}`);
      else if (target === null) fail(rowField("metric", i, "target"), `The target of metric ${n} must be a number, like 90 or 3.5`);
      metrics.push({ name: row.name.trim(), unit: row.unit.trim(), baseline: baseline ?? 0, target: target ?? 0 });
    }
    stored.metrics = metrics;
    if (options.complete && !Object.keys(errors).length && metrics.length === 0) {
      fail(rowField("metric", 0, "name"), "Enter at least one metric, with its unit, baseline and target");
    }
  }
  return { values, stored, errors, order };
}

/** The form values for a stored section, to fill the form. */
export function valuesOf(key: BidSectionKey, stored: StoredSection | undefined, fields: TextField[] = sectionFields[key]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of fields) values[field.name] = typeof stored?.[field.name] === "string" ? (stored[field.name] as string) : "";
  (stored?.lines ?? []).forEach((line, i) => {
    values[rowField("line", i, "who")] = line.who;
    values[rowField("line", i, "description")] = line.description;
    values[rowField("line", i, "amount")] = penceToInput(line.amountPence);
  });
  (stored?.metrics ?? []).forEach((metric, i) => {
    values[rowField("metric", i, "name")] = metric.name;
    values[rowField("metric", i, "unit")] = metric.unit;
    values[rowField("metric", i, "baseline")] = String(metric.baseline);
    values[rowField("metric", i, "target")] = String(metric.target);
  });
  return values;
}

/** A section's answers as label/value pairs, for check-your-answers and the confirmation email. */
export function summaryOf(
  key: BidSectionKey,
  stored: StoredSection | undefined,
  formatMoney: (pence: number) => string,
  fields: TextField[] = sectionFields[key],
): { label: string; value: string }[] {
  const rows = fields.map((f) => ({ label: f.label, value: typeof stored?.[f.name] === "string" ? (stored[f.name] as string) : "" }));
  if (key === "costs") {
    const lines = stored?.lines ?? [];
    const label = (who: string) => costCategories.find((c) => c.value === who)?.text ?? who;
    for (const line of lines) rows.push({ label: `${label(line.who)}: ${line.description}`, value: formatMoney(line.amountPence) });
    const totals = costTotals(lines);
    rows.push({ label: "Total for the lead council", value: formatMoney(totals.lead) });
    rows.push({ label: "Total for partner councils", value: formatMoney(totals.partner) });
    rows.push({ label: "Total for suppliers", value: formatMoney(totals.supplier) });
    rows.push({ label: "Total asked for", value: formatMoney(totals.total) });
  }
  if (key === "evaluation") {
    for (const m of stored?.metrics ?? []) {
      rows.push({ label: `Metric: ${m.name}`, value: `Baseline ${m.baseline} ${m.unit}, target ${m.target} ${m.unit}` });
    }
  }
  return rows;
}
