import { fundRulesSchema, participantKinds, stages, type FundRules, type ParticipantKind, type Stage } from "../../workflows/rules.ts";
import { z } from "zod";
import { checkDateParts, parseMoney, penceToInput } from "~/forms/fields.ts";
import { londonClock, londonTime } from "~/utils/dates.ts";
import { capitalise, formatDateTime, formatMoney, plural } from "~/utils/format.ts";

// Setting up a round: the fund team's form fields, as typed, turned into a round's settings
// or a message per field. Pure, so every rule can be tested without a database; the routes
// add what needs one (the fund exists, the address is free, what bids have reached).

/** What a form sent: one string per field, a list for checkboxes. */
export type FormValues = Record<string, string | string[]>;
export type FieldErrors = Record<string, string>;

export const MAX_CRITERIA = 8;
export const MAX_SCALE_POINTS = 11;
export const assessorChoices = [1, 2, 3, 5] as const;
export const RESERVED_SLUGS = ["new"];

export const dateFields = ["opensAt", "closesAt", "assessmentDueAt"] as const;
export type DateField = (typeof dateFields)[number];
const dateParts = ["day", "month", "year", "time"] as const;

export const kindFields = ["leadKinds", "partnerKinds"] as const;

/** Every field name the form can send, so a failed submission can be shown again as typed. */
export function fieldNames(): string[] {
  const names = [
    "fund",
    "name",
    "slug",
    "stage",
    "cap",
    "budget",
    "guidance",
    "assessorsPerBid",
    "disagreementThreshold",
    "declarationRequired",
    "minCouncils",
    "maxLeadBidsPerCouncilPerRound",
    ...dateFields.flatMap((f) => dateParts.map((p) => `${f}-${p}`)),
  ];
  for (let i = 0; i < MAX_CRITERIA; i++) names.push(`criterion-${i}-label`, `criterion-${i}-weight`, `criterion-${i}-guidance`);
  for (let i = 0; i < MAX_SCALE_POINTS; i++) names.push(`scale-${i}-score`, `scale-${i}-label`);
  return names;
}

/** What the form sent (as parseForm reads it: a blank box is absent), one string per field and lists for the checkboxes. */
export function formValuesOf(raw: Record<string, unknown>): FormValues {
  const values: FormValues = {};
  for (const name of fieldNames()) {
    const value = raw[name];
    values[name] = typeof value === "string" ? value : Array.isArray(value) && typeof value[0] === "string" ? value[0] : "";
  }
  for (const name of kindFields) {
    const value = raw[name];
    values[name] = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string").slice(0, participantKinds.length);
  }
  return values;
}

/**
 * The round set-up form as one schema for parseForm: the fields as typed, then every rule
 * of parseRoundSetup, each message placed by its field. `base` as for parseRoundSetup.
 */
export function roundSetupSchema(base: FundRules) {
  return z.looseObject({}).transform((raw, ctx) => {
    const parsed = parseRoundSetup(formValuesOf(raw), base);
    if (parsed.ok) return parsed.settings;
    for (const [field, message] of Object.entries(parsed.errors)) ctx.addIssue({ code: "custom", path: [field], message });
    return z.NEVER;
  });
}

export const text = (values: FormValues, name: string): string => {
  const value = values[name];
  return (Array.isArray(value) ? (value[0] ?? "") : (value ?? "")).trim();
};
export const list = (values: FormValues, name: string): string[] => {
  const value = values[name];
  return Array.isArray(value) ? value : value ? [value] : [];
};

// ---------------------------------------------------------------- small parsers

export const wholeNumber = (typed: string): number | null => (/^\d{1,6}$/.test(typed.replace(/,/g, "")) ? Number(typed.replace(/,/g, "")) : null);

/** "9am", "5:30pm", "17:30", "midday" -> [hour, minute]; blank means midday. */
export function parseTime(typed: string): [number, number] | null {
  const t = typed.trim().toLowerCase().replace(/\./g, ":").replace(/\s+/g, "");
  if (t === "" || t === "midday" || t === "noon" || t === "12noon") return [12, 0];
  if (t === "midnight") return [0, 0];
  const match = /^(\d{1,2})(?::(\d{2}))?(am|pm)?$/.exec(t);
  if (!match) return null;
  let hour = Number(match[1]);
  const minute = Number(match[2] ?? "0");
  if (minute > 59) return null;
  if (match[3]) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (match[3] === "pm" ? 12 : 0);
  } else if (hour > 23 || match[2] === undefined) {
    // A bare "9" is ambiguous: morning or evening.
    return null;
  }
  return [hour, minute];
}

/** A stored instant as the date fields show it, in UK time. */
export function dateValues(field: DateField, date: Date | null): Record<string, string> {
  if (!date) return Object.fromEntries(dateParts.map((p) => [`${field}-${p}`, ""]));
  const p = londonClock(date);
  return {
    [`${field}-day`]: String(p.day),
    [`${field}-month`]: String(p.month),
    [`${field}-year`]: String(p.year),
    [`${field}-time`]: `${String(p.hour).padStart(2, "0")}:${String(p.minute).padStart(2, "0")}`,
  };
}

const dateWords: Record<DateField, string> = {
  opensAt: "the date the round opens",
  closesAt: "the date the round closes",
  assessmentDueAt: "the date assessments are due",
};

function parseDate(values: FormValues, field: DateField, required: boolean): { date: Date | null; error?: string } {
  const [day, month, year, time] = dateParts.map((p) => text(values, `${field}-${p}`)) as [string, string, string, string];
  const words = dateWords[field];
  if (!day && !month && !year) return required ? { date: null, error: `Enter ${words}` } : { date: null };
  // The day, month and year are checked as every date is; the time of day is this form's own.
  const checked = checkDateParts({ day, month, year }, words);
  if (!checked.ok) return { date: null, error: checked.message };
  const [y, m, d] = checked.date.split("-").map(Number) as [number, number, number];
  const clock = parseTime(time);
  if (!clock) return { date: null, error: `Enter the time as, for example, 9am, 5:30pm or 17:30` };
  return { date: londonTime(y, m, d, clock[0], clock[1]) };
}

/** "Reuse and openness" -> "reuseAndOpenness": a criterion's key is derived from its name. */
export function keyFromLabel(label: string): string {
  const words = label
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9 ]+/g, " ")
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean);
  if (!words.length) return "";
  const key = words.map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1))).join("");
  return /^[a-z]/.test(key) ? key : `c${key}`;
}

/** "Copy of Pilot round 2026" -> "copy-of-pilot-round-2026". */
export function slugFromName(name: string): string {
  return name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
}

// ---------------------------------------------------------------- settings

export interface RoundSettings {
  name: string;
  slug: string;
  stage: Stage;
  opensAt: Date;
  closesAt: Date;
  assessmentDueAt: Date | null;
  capPence: number;
  budgetPence: number;
  guidance: string;
  rules: FundRules;
}

/** A round's settings as the form shows them. */
export function valuesFromSettings(s: {
  name: string;
  slug: string;
  stage: Stage;
  opensAt: Date | null;
  closesAt: Date | null;
  assessmentDueAt: Date | null;
  capPence: number;
  budgetPence: number;
  guidance: string;
  rules: FundRules;
}): FormValues {
  const { assessment, eligibility } = s.rules;
  const values: FormValues = {
    name: s.name,
    slug: s.slug,
    stage: s.stage,
    cap: penceToInput(s.capPence),
    budget: penceToInput(s.budgetPence),
    guidance: s.guidance,
    assessorsPerBid: String(assessment.assessorsPerBid),
    disagreementThreshold: String(assessment.disagreementThreshold),
    ...whoCanBidValues(eligibility),
    ...dateValues("opensAt", s.opensAt),
    ...dateValues("closesAt", s.closesAt),
    ...dateValues("assessmentDueAt", s.assessmentDueAt),
  };
  for (let i = 0; i < MAX_CRITERIA; i++) {
    const c = assessment.criteria[i];
    values[`criterion-${i}-label`] = c?.label ?? "";
    values[`criterion-${i}-weight`] = c ? String(c.weight) : "";
    values[`criterion-${i}-guidance`] = c?.guidance ?? "";
  }
  const labels = [...assessment.scale.labels].sort((a, b) => a.score - b.score);
  for (let i = 0; i < MAX_SCALE_POINTS; i++) {
    values[`scale-${i}-score`] = labels[i] ? String(labels[i]!.score) : "";
    values[`scale-${i}-label`] = labels[i]?.label ?? "";
  }
  return values;
}

/** Who may bid, as the form shows it (the round form and the fund form share these fields). */
export function whoCanBidValues(eligibility: FundRules["eligibility"]): FormValues {
  return {
    declarationRequired: eligibility.declarationRequired ? "yes" : "no",
    minCouncils: String(eligibility.minCouncils),
    maxLeadBidsPerCouncilPerRound: String(eligibility.maxLeadBidsPerCouncilPerRound),
    leadKinds: [...eligibility.leadKinds],
    partnerKinds: [...eligibility.partnerKinds],
  };
}

/** A whole-number field: its value, or the least allowed after recording a message. */
export function wholeField(
  values: FormValues,
  fail: (field: string, message: string) => void,
  field: string,
  words: string,
  min: number,
  max?: number,
): number {
  const typed = text(values, field);
  const value = wholeNumber(typed);
  if (!typed) fail(field, `Enter ${words}`);
  else if (value === null || value < min || (max !== undefined && value > max)) {
    fail(field, `${capitalise(words)} must be a whole number${max !== undefined ? ` from ${min} to ${max}` : min ? ` of ${min} or more` : ""}`);
  }
  return value ?? min;
}

/** Who may bid, from the form's fields: the same rules and messages on the round and fund forms. */
export function parseWhoCanBid(values: FormValues, fail: (field: string, message: string) => void): FundRules["eligibility"] {
  const minCouncils = wholeField(values, fail, "minCouncils", "the fewest councils a partnership needs", 1);
  const maxLead = wholeField(values, fail, "maxLeadBidsPerCouncilPerRound", "how many bids one council may lead", 1);
  const declaration = text(values, "declarationRequired");
  if (declaration !== "yes" && declaration !== "no") fail("declarationRequired", "Select whether every council must have signed the Local Digital Declaration");
  const kinds = (field: (typeof kindFields)[number], words: string): ParticipantKind[] => {
    const chosen = participantKinds.filter((k) => list(values, field).includes(k));
    if (!chosen.length) fail(field, `Select the types of organisation that may ${words}`);
    return chosen;
  };
  return {
    declarationRequired: declaration === "yes",
    minCouncils,
    maxLeadBidsPerCouncilPerRound: maxLead,
    leadKinds: kinds("leadKinds", "lead a bid"),
    partnerKinds: kinds("partnerKinds", "be partners"),
  };
}

/** The form for a new round copied from another: everything but its dates, under a new name. */
export function copyValues(from: Parameters<typeof valuesFromSettings>[0]): FormValues {
  return valuesFromSettings({ ...from, name: `Copy of ${from.name}`, slug: "", opensAt: null, closesAt: null, assessmentDueAt: null });
}

/** Where each of fundRulesSchema's messages belongs on the form. */
function fieldForIssue(path: readonly PropertyKey[]): string {
  const [first, second, third] = path.map(String);
  if (first === "caps") return "cap";
  if (first === "roundBudget") return "budget";
  if (first === "eligibility") return second ?? "form";
  if (first === "assessment") {
    if (second === "criteria") return third !== undefined && /^\d+$/.test(third) ? `criterion-${third}-label` : "criteria";
    if (second === "scale") return "scale";
    return second ?? "form";
  }
  return "form";
}

/**
 * The form's fields as a round's settings, or a message for each field that is wrong.
 * `base` supplies what the form does not show (the governance tiers, the other stages'
 * caps): the fund's rules for a new round, the round's own when editing or copying.
 */
export function parseRoundSetup(values: FormValues, base: FundRules): { ok: true; settings: RoundSettings } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const fail = (field: string, message: string) => {
    errors[field] ??= message;
  };

  const name = text(values, "name");
  if (!name) fail("name", "Enter the name of the round");
  else if (name.length > 120) fail("name", "The name of the round must be 120 characters or fewer");

  const typedSlug = text(values, "slug").toLowerCase();
  const slug = typedSlug || slugFromName(name);
  if (typedSlug && !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(typedSlug)) {
    fail("slug", "The web address must use only lowercase letters, numbers and hyphens, like pilot-round-2027");
  } else if (slug.length > 60) fail("slug", "The web address must be 60 characters or fewer");
  else if (RESERVED_SLUGS.includes(slug)) fail("slug", `The web address cannot be "${slug}"; choose another`);
  else if (!slug && name) fail("slug", "Enter a web address for the round, like pilot-round-2027");

  const stage = text(values, "stage");
  if (!(stages as readonly string[]).includes(stage)) fail("stage", "Select the stage the round funds");

  const opens = parseDate(values, "opensAt", true);
  const closes = parseDate(values, "closesAt", true);
  const due = parseDate(values, "assessmentDueAt", false);
  if (opens.error) fail("opensAt", opens.error);
  if (closes.error) fail("closesAt", closes.error);
  if (due.error) fail("assessmentDueAt", due.error);
  if (opens.date && closes.date && closes.date <= opens.date)
    fail("closesAt", `The date the round closes must be after the round opens, at ${formatDateTime(opens.date)}`);
  if (closes.date && due.date && due.date <= closes.date)
    fail("assessmentDueAt", `The date assessments are due must be after the round closes, at ${formatDateTime(closes.date)}`);

  const moneyField = (field: "cap" | "budget", words: string): number | null => {
    const typed = text(values, field);
    const pence = parseMoney(typed);
    if (!typed) fail(field, `Enter ${words}`);
    else if (pence === null) fail(field, `${capitalise(words)} must be an amount in pounds, like £350,000`);
    else if (pence === 0) fail(field, `${capitalise(words)} must be more than £0`);
    return pence || null;
  };
  const capPence = moneyField("cap", "the most a bid can ask for");
  const budgetPence = moneyField("budget", "the round's budget");
  if (capPence !== null && budgetPence !== null && capPence > budgetPence) {
    fail("cap", `The most a bid can ask for cannot be more than the round's budget of ${formatMoney(budgetPence)}`);
  }

  const guidance = text(values, "guidance");
  if (!guidance) fail("guidance", "Enter the guidance for applicants");
  else if (guidance.length > 10_000) fail("guidance", "The guidance must be 10,000 characters or fewer");

  // Criteria: rows left blank are ignored.
  const criteria: FundRules["assessment"]["criteria"] = [];
  const keysSeen = new Map<string, number>();
  for (let i = 0; i < MAX_CRITERIA; i++) {
    const label = text(values, `criterion-${i}-label`);
    const weightText = text(values, `criterion-${i}-weight`);
    const guidanceText = text(values, `criterion-${i}-guidance`);
    if (!label && !weightText && !guidanceText) continue;
    const n = i + 1;
    if (!label) fail(`criterion-${i}-label`, `Enter the name of criterion ${n}`);
    else if (label.length > 100) fail(`criterion-${i}-label`, `The name of criterion ${n} must be 100 characters or fewer`);
    const weight = wholeNumber(weightText);
    if (!weightText) fail(`criterion-${i}-weight`, `Enter the weight of criterion ${n}`);
    else if (weight === null || weight > 100) fail(`criterion-${i}-weight`, `The weight of criterion ${n} must be a whole number from 0 to 100`);
    const key = keyFromLabel(label);
    if (label && !key) fail(`criterion-${i}-label`, `The name of criterion ${n} must include letters or numbers`);
    if (key && keysSeen.has(key)) fail(`criterion-${i}-label`, `Criterion ${n} has the same name as criterion ${keysSeen.get(key)! + 1}`);
    if (key) keysSeen.set(key, i);
    criteria.push({ key, label, weight: weight ?? 0, guidance: guidanceText });
  }
  if (!criteria.length) fail("criteria", "Add at least one criterion");

  // The scale: each row a score and its label; every score from lowest to highest needs one.
  const labels: { score: number; label: string }[] = [];
  for (let i = 0; i < MAX_SCALE_POINTS; i++) {
    const scoreText = text(values, `scale-${i}-score`);
    const label = text(values, `scale-${i}-label`);
    if (!scoreText && !label) continue;
    const score = /^-?\d{1,3}$/.test(scoreText) ? Number(scoreText) : null;
    if (score === null) fail(`scale-${i}-score`, scoreText ? "Each score must be a whole number, like 3" : `Enter the score that "${label}" means`);
    else if (!label) fail(`scale-${i}-label`, `Enter a label for score ${score}`);
    else if (label.length > 60) fail(`scale-${i}-label`, `The label for score ${score} must be 60 characters or fewer`);
    else if (labels.some((l) => l.score === score)) fail(`scale-${i}-score`, `Score ${score} has more than one label`);
    if (score !== null) labels.push({ score, label });
  }
  labels.sort((a, b) => a.score - b.score);
  const scoreRowErrors = Object.keys(errors).some((k) => k.startsWith("scale-"));
  if (labels.length < 2 && !scoreRowErrors) fail("scale", "Label at least two scores: the lowest and the highest");

  const assessors = Number(text(values, "assessorsPerBid"));
  if (!(assessorChoices as readonly number[]).includes(assessors)) fail("assessorsPerBid", "Select how many assessors score each bid");

  const disagreementThreshold = wholeField(values, fail, "disagreementThreshold", "how far apart scores can be before moderation", 0);
  const eligibility = parseWhoCanBid(values, fail);

  const rules: FundRules = {
    ...base,
    eligibility,
    caps: { ...base.caps, ...(capPence !== null && (stages as readonly string[]).includes(stage) ? { [stage]: capPence } : {}) },
    roundBudget: budgetPence ?? base.roundBudget,
    assessment: {
      assessorsPerBid: (assessorChoices as readonly number[]).includes(assessors) ? (assessors as 1 | 2 | 3 | 5) : 2,
      disagreementThreshold,
      criteria,
      scale: { min: labels[0]?.score ?? 0, max: labels[labels.length - 1]?.score ?? 0, labels },
    },
  };
  // Caps for the stages this round does not fund come from elsewhere; only this round's
  // own cap is the fund team's to get right here.
  for (const other of stages) if (other !== stage && rules.caps[other] > rules.roundBudget) rules.caps[other] = rules.roundBudget;

  // The schema's own rules (weights add up to 100, every score labelled…), placed by the field.
  const checked = fundRulesSchema.safeParse(rules);
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const field = fieldForIssue(issue.path);
      if (field === "scale" && scoreRowErrors) continue;
      if (field === "criteria" && Object.keys(errors).some((k) => k.startsWith("criterion-") || k === "criteria")) continue;
      const custom = issue.code === "custom";
      fail(field, custom ? issue.message : "Check this answer");
    }
  }

  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    settings: {
      name,
      slug,
      stage: stage as Stage,
      opensAt: opens.date!,
      closesAt: closes.date!,
      assessmentDueAt: due.date,
      capPence: capPence!,
      budgetPence: budgetPence!,
      guidance,
      rules: checked.success ? checked.data : rules,
    },
  };
}

/**
 * A closing date already gone, set on a new round or moved on an existing one: the round
 * would never take a bid. A closed round's own date, sent back unchanged, stays as it is.
 */
export function closingInThePast(before: RoundSettings | null, after: RoundSettings, now: Date): FieldErrors {
  if (after.closesAt > now) return {};
  if (before && minute(before.closesAt) === minute(after.closesAt)) return {};
  return { closesAt: `The date the round closes must be in the future, after ${formatDateTime(now)}` };
}

// ---------------------------------------------------------------- what cannot change once bids are in

/** How far the round's bids have got: what may still change follows from this. */
export interface RoundProgress {
  /** Bids submitted (certified) or further on, withdrawn ones included: they were judged by these rules. */
  bidsSubmitted: number;
  /** Any assessor invited, or any bid in assessment or beyond. */
  assessmentStarted: boolean;
  /** Any bid placed against the funding line (recommended, below the line, or decided). */
  fundingLineDrawn: boolean;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
// The form shows times to the minute, so a stored time with seconds is unchanged if its minute is.
const minute = (d: Date) => Math.floor(d.getTime() / 60_000);

/**
 * Dates the form sent back unchanged (to the minute) keep their stored value exactly, so
 * saving a form never moves a date by the seconds it could not show.
 */
export function keepUnchangedDates(before: RoundSettings, after: RoundSettings): RoundSettings {
  const keep = (a: Date | null, b: Date | null) => (a && b && minute(a) === minute(b) ? a : b);
  return {
    ...after,
    opensAt: keep(before.opensAt, after.opensAt)!,
    closesAt: keep(before.closesAt, after.closesAt)!,
    assessmentDueAt: keep(before.assessmentDueAt, after.assessmentDueAt),
  };
}

/**
 * The changes that would alter the rules for bids already in, each with why it is refused.
 * Eligibility, stage, cap and opening date are fixed once a bid is submitted; criteria,
 * weights, the scale and the number of assessors once assessment starts; the budget once
 * the funding line is drawn. Dates that only extend the round, the name and guidance stay open.
 */
export function lockedChanges(before: RoundSettings, after: RoundSettings, progress: RoundProgress): FieldErrors {
  const errors: FieldErrors = {};
  const submitted = progress.bidsSubmitted > 0;
  const bids = plural(progress.bidsSubmitted, "bid has", "bids have");
  const becauseSubmitted = `because ${bids} already been submitted under the current setting`;
  if (submitted) {
    if (before.stage !== after.stage) errors.stage = `The stage cannot change ${becauseSubmitted}`;
    if (before.capPence !== after.capPence) errors.cap = `The most a bid can ask for cannot change ${becauseSubmitted}`;
    if (minute(before.opensAt) !== minute(after.opensAt)) errors.opensAt = `The opening date cannot change ${becauseSubmitted}`;
    const e1 = before.rules.eligibility;
    const e2 = after.rules.eligibility;
    if (e1.declarationRequired !== e2.declarationRequired) errors.declarationRequired = `The declaration rule cannot change ${becauseSubmitted}`;
    if (e1.minCouncils !== e2.minCouncils) errors.minCouncils = `The size of a partnership cannot change ${becauseSubmitted}`;
    if (e1.maxLeadBidsPerCouncilPerRound !== e2.maxLeadBidsPerCouncilPerRound) {
      errors.maxLeadBidsPerCouncilPerRound = `The number of bids a council may lead cannot change ${becauseSubmitted}`;
    }
    if (!same([...e1.leadKinds].sort(), [...e2.leadKinds].sort())) errors.leadKinds = `Who may lead a bid cannot change ${becauseSubmitted}`;
    if (!same([...e1.partnerKinds].sort(), [...e2.partnerKinds].sort())) errors.partnerKinds = `Who may be a partner cannot change ${becauseSubmitted}`;
  }
  if (progress.assessmentStarted) {
    const why = "because assessment has started and assessors are scoring against the current setting";
    const a1 = before.rules.assessment;
    const a2 = after.rules.assessment;
    const scoring = (c: { key: string; label: string; weight: number }[]) => c.map(({ key, label, weight }) => ({ key, label, weight }));
    if (!same(scoring(a1.criteria), scoring(a2.criteria))) errors.criteria = `The criteria and their weights cannot change ${why}`;
    if (!same(a1.scale, a2.scale)) errors.scale = `The scoring scale cannot change ${why}`;
    if (a1.assessorsPerBid !== a2.assessorsPerBid) errors.assessorsPerBid = `The number of assessors per bid cannot change ${why}`;
    if (a1.disagreementThreshold !== a2.disagreementThreshold) {
      errors.disagreementThreshold = `The moderation threshold cannot change ${why}`;
    }
  }
  if (progress.fundingLineDrawn && before.budgetPence !== after.budgetPence) {
    errors.budget = "The budget cannot change because the funding line has been drawn against it";
  }
  if (submitted && minute(after.closesAt) < minute(before.closesAt)) {
    errors.closesAt = `The closing date can be moved later but not earlier ${becauseSubmitted.replace("under the current setting", "")}`.trim();
  }
  return errors;
}
