import { z } from "zod";
import { parseMoney, penceToInput } from "~/forms/fields.ts";
import {
  kindFields,
  list,
  parseWhoCanBid,
  slugFromName,
  text,
  wholeField,
  wholeNumber,
  whoCanBidValues,
  type FieldErrors,
  type FormValues,
} from "~/rounds/setup.ts";
import { capitalise, formatMoney, formatNumber, plural } from "~/utils/format.ts";
import { fundRulesSchema, participantKinds, stageLabels, stages, type FundRules, type GovernanceTier, type Stage } from "../../workflows/rules.ts";

// Setting up a fund: the fund team's form, as typed, turned into a fund's name, summary and
// rules, or a message per field naming the rule and the figure. Pure, so every rule is
// tested without a database. Who may bid is parsed by the round form's own code, so the
// two forms cannot disagree about it. A round copies its fund's rules when it is made; what
// the fund form does not show (the assessment criteria and scale, the evidence labels, the
// order of gate outcomes) is kept from the fund as it was, or the product's defaults.

export const MAX_TIERS = 5;
export const MAX_APPROVERS = 10;
export const RESERVED_FUND_SLUGS = ["new"];
export const quorumOptions = ["senior", "finance"] as const;
export const reminderFields = ["roundClosingDays", "gateDueDays", "conditionDueDays"] as const;

export interface FundSettings {
  name: string;
  slug: string;
  summary: string;
  rules: FundRules;
}

const evidenceField = (i: number, stage: Stage) => `tier-${i}-evidence-${stage}`;

/** The fields that are lists (checkboxes), so a refused form comes back with every box as ticked. */
export function listFieldNames(): string[] {
  const names: string[] = [...kindFields];
  for (let i = 0; i < MAX_TIERS; i++) names.push(`tier-${i}-quorum`, ...stages.map((s) => evidenceField(i, s)));
  return names;
}

/** Every single-value field the form can send. */
export function textFieldNames(): string[] {
  const names = [
    "name",
    "slug",
    "summary",
    "budget",
    ...stages.map((s) => `cap-${s}`),
    ...reminderFields,
    "declarationRequired",
    "minCouncils",
    "maxLeadBidsPerCouncilPerRound",
  ];
  for (let i = 0; i < MAX_TIERS; i++) names.push(`tier-${i}-upTo`, `tier-${i}-approvers`);
  return names;
}

/** What the form sent (as parseForm reads it), one string per field and lists for the checkboxes. */
export function fundFormValuesOf(raw: Record<string, unknown>): FormValues {
  const values: FormValues = {};
  for (const name of textFieldNames()) {
    const value = raw[name];
    values[name] = typeof value === "string" ? value : Array.isArray(value) && typeof value[0] === "string" ? value[0] : "";
  }
  for (const name of listFieldNames()) {
    const value = raw[name];
    values[name] = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string").slice(0, 50);
  }
  return values;
}

/** A fund as the form shows it. */
export function fundValues(fund: { name: string; slug: string; summary: string; rules: FundRules }): FormValues {
  const { rules } = fund;
  const values: FormValues = {
    name: fund.name,
    slug: fund.slug,
    summary: fund.summary,
    budget: penceToInput(rules.roundBudget),
    ...Object.fromEntries(stages.map((s) => [`cap-${s}`, penceToInput(rules.caps[s])])),
    ...Object.fromEntries(reminderFields.map((f) => [f, String(rules.reminders[f])])),
    ...whoCanBidValues(rules.eligibility),
  };
  for (let i = 0; i < MAX_TIERS; i++) {
    const tier = rules.governance.tiers[i];
    values[`tier-${i}-upTo`] = tier && tier.upTo !== null ? penceToInput(tier.upTo) : "";
    values[`tier-${i}-approvers`] = tier ? String(tier.approvers) : "";
    values[`tier-${i}-quorum`] = tier ? [...(tier.seniorRequired ? ["senior"] : []), ...(tier.financeSignOff ? ["finance"] : [])] : [];
    for (const stage of stages) values[evidenceField(i, stage)] = tier ? [...tier.evidence[stage]] : [];
  }
  return values;
}

/** Where each of fundRulesSchema's messages belongs on the fund form. */
function fieldForIssue(path: readonly PropertyKey[]): string {
  const [first, second, third, fourth] = path.map(String);
  if (first === "caps") return second ? `cap-${second}` : "budget";
  if (first === "roundBudget") return "budget";
  if (first === "eligibility") return second ?? "form";
  if (first === "reminders") return second ?? "form";
  if (first === "governance" && second === "tiers") {
    if (third !== undefined && /^\d+$/.test(third)) return fourth === "upTo" ? `tier-${third}-upTo` : `tier-${third}-approvers`;
    return "tiers";
  }
  return "form";
}

/**
 * The form's fields as a fund's settings, or a message for each field that is wrong.
 * `base` supplies what the form does not show (see above).
 */
export function parseFundSetup(values: FormValues, base: FundRules): { ok: true; settings: FundSettings } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const fail = (field: string, message: string) => {
    errors[field] ??= message;
  };

  const name = text(values, "name");
  if (!name) fail("name", "Enter the name of the fund");
  else if (name.length > 120) fail("name", `The name of the fund must be 120 characters or fewer; it has ${name.length}`);

  const typedSlug = text(values, "slug").toLowerCase();
  const slug = typedSlug || slugFromName(name);
  if (typedSlug && !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(typedSlug)) {
    fail("slug", "The web address must use only lowercase letters, numbers and hyphens, like local-digital-fund");
  } else if (slug.length > 60) fail("slug", `The web address must be 60 characters or fewer; it has ${slug.length}`);
  else if (RESERVED_FUND_SLUGS.includes(slug)) fail("slug", `The web address cannot be "${slug}"; choose another`);
  else if (!slug && name) fail("slug", "Enter a web address for the fund, like local-digital-fund");

  const summary = text(values, "summary");
  if (!summary) fail("summary", "Enter a summary of the fund");
  else if (summary.length > 2000) fail("summary", `The summary must be 2,000 characters or fewer; it has ${formatNumber(summary.length)}`);

  const money = (field: string, words: string): number | null => {
    const typed = text(values, field);
    const pence = parseMoney(typed);
    if (!typed) fail(field, `Enter ${words}`);
    else if (pence === null) fail(field, `${capitalise(words)} must be an amount in pounds, like £350,000`);
    else if (pence === 0) fail(field, `${capitalise(words)} must be more than £0`);
    return pence || null;
  };
  const budget = money("budget", "the usual budget for a round");
  const caps = {} as Record<Stage, number>;
  for (const stage of stages) {
    const cap = money(`cap-${stage}`, `the most a ${stageLabels[stage].toLowerCase()} bid can ask for`);
    caps[stage] = cap ?? 0;
    if (cap !== null && budget !== null && cap > budget) {
      fail(
        `cap-${stage}`,
        `The most a ${stageLabels[stage].toLowerCase()} bid can ask for, ${formatMoney(cap)}, cannot be more than the usual budget for a round, ${formatMoney(budget)}`,
      );
    }
  }

  // Governance tiers: rows left blank are ignored; the rest are numbered in order.
  const rows: { index: number; upTo: string; approvers: string; quorum: string[]; evidence: Record<Stage, string[]> }[] = [];
  for (let i = 0; i < MAX_TIERS; i++) {
    const row = {
      index: i,
      upTo: text(values, `tier-${i}-upTo`),
      approvers: text(values, `tier-${i}-approvers`),
      quorum: list(values, `tier-${i}-quorum`),
      evidence: Object.fromEntries(stages.map((s) => [s, list(values, evidenceField(i, s))])) as Record<Stage, string[]>,
    };
    const blank = !row.upTo && !row.approvers && !row.quorum.length && stages.every((s) => !row.evidence[s].length);
    if (!blank) rows.push(row);
  }
  if (!rows.length) fail("tiers", "Add at least one governance tier");
  const tiers: GovernanceTier[] = [];
  let previousLimit: { tier: number; pence: number } | null = null;
  rows.forEach((row, position) => {
    const n = position + 1;
    const top = position === rows.length - 1;
    const upToField = `tier-${row.index}-upTo`;
    const approversField = `tier-${row.index}-approvers`;
    let upTo: number | null = null;
    if (top) {
      if (row.upTo) {
        fail(
          upToField,
          n === 1
            ? "Leave the limit of tier 1 blank: it is the only tier, so it covers any amount"
            : `Leave the limit of tier ${n} blank: it is the top tier, which covers everything above tier ${n - 1}'s limit`,
        );
      }
    } else if (!row.upTo) {
      fail(upToField, `Enter the most cumulative funding tier ${n} covers; only the top tier has no limit`);
    } else {
      upTo = parseMoney(row.upTo);
      if (upTo === null || upTo === 0) fail(upToField, `The limit of tier ${n} must be an amount in pounds of more than £0, like £100,000`);
      else if (previousLimit && upTo <= previousLimit.pence) {
        fail(
          upToField,
          `The limit of tier ${n}, ${formatMoney(upTo)}, must be above the limit of tier ${previousLimit.tier}, ${formatMoney(previousLimit.pence)}`,
        );
      }
      if (upTo) previousLimit = { tier: n, pence: upTo };
    }
    const approvers = wholeNumber(row.approvers);
    if (!row.approvers) fail(approversField, `Enter how many gate approvers must vote at tier ${n}`);
    else if (approvers === null || approvers < 1 || approvers > MAX_APPROVERS) {
      fail(approversField, `The gate approvers at tier ${n} must be a whole number from 1 to ${MAX_APPROVERS}`);
    }
    const known = (keys: string[]) => keys.filter((k) => k in base.governance.evidenceLabels);
    tiers.push({
      tier: n,
      upTo: top ? null : upTo,
      approvers: approvers ?? 1,
      seniorRequired: row.quorum.includes("senior"),
      financeSignOff: row.quorum.includes("finance"),
      evidence: { scan: known(row.evidence.scan), pilot: known(row.evidence.pilot), scale: known(row.evidence.scale) },
    });
  });

  const reminderWords: Record<(typeof reminderFields)[number], string> = {
    roundClosingDays: "the days before a round closes that councils with a draft bid are reminded",
    gateDueDays: "the days before a planned gate review that the project team is reminded",
    conditionDueDays: "the days before a gate condition is due that the project team is reminded",
  };
  const reminders = Object.fromEntries(reminderFields.map((f) => [f, wholeField(values, fail, f, reminderWords[f], 1, 90)])) as FundRules["reminders"];

  const eligibility = parseWhoCanBid(values, fail);

  const rules: FundRules = {
    ...base,
    eligibility,
    caps,
    roundBudget: budget ?? base.roundBudget,
    governance: { ...base.governance, tiers },
    reminders,
  };

  // The schema's own rules, placed by the field; anything already reported is not repeated.
  const checked = fundRulesSchema.safeParse(rules);
  if (!checked.success && !Object.keys(errors).length) {
    for (const issue of checked.error.issues) fail(fieldForIssue(issue.path), issue.code === "custom" ? issue.message : "Check this answer");
  }
  if (Object.keys(errors).length || !checked.success) return { ok: false, errors };
  return { ok: true, settings: { name, slug, summary, rules: checked.data } };
}

/** The fund form as one schema for parseForm: the fields as typed, then every rule of parseFundSetup. */
export function fundSetupSchema(base: FundRules) {
  return z.looseObject({}).transform((raw, ctx) => {
    const parsed = parseFundSetup(fundFormValuesOf(raw), base);
    if (parsed.ok) return parsed.settings;
    for (const [field, message] of Object.entries(parsed.errors)) ctx.addIssue({ code: "custom", path: [field], message });
    return z.NEVER;
  });
}

/** The order fields appear in, for the error summary. */
export function fundFieldOrder(): string[] {
  const order = ["name", "slug", "summary", "budget", ...stages.map((s) => `cap-${s}`), "tiers"];
  for (let i = 0; i < MAX_TIERS; i++) order.push(`tier-${i}-upTo`, `tier-${i}-approvers`);
  order.push(...reminderFields, "declarationRequired", "minCouncils", "maxLeadBidsPerCouncilPerRound", "leadKinds", "partnerKinds", "form");
  return order;
}

/** Where the error summary links for errors about a group rather than one box. */
export const fundFieldTargets: Record<string, string> = { tiers: "tier-0-upTo", form: "save-fund" };

// ---------------------------------------------------------------- the fund in words

const kindWords = (kinds: readonly string[]) => {
  const labels: Record<string, string> = { council: "councils", combinedAuthority: "combined authorities", fireAuthority: "fire authorities" };
  const words = participantKinds.filter((k) => kinds.includes(k)).map((k) => labels[k]!);
  return words.length > 1 ? `${words.slice(0, -1).join(", ")} and ${words.at(-1)}` : (words[0] ?? "nobody");
};

/** A fund's settings as check-your-answers rows: every figure the form sets, in words. */
export function fundSummaryRows(fund: { name: string; summary: string; rules: FundRules }) {
  const { rules } = fund;
  const label = (key: string) => rules.governance.evidenceLabels[key] ?? key;
  const days = (n: number) => plural(n, "day");
  return {
    fund: [
      { key: "Name", value: fund.name },
      { key: "Summary", value: fund.summary },
    ],
    money: [
      { key: "Usual budget for a round", value: formatMoney(rules.roundBudget) },
      ...stages.map((s) => ({ key: `Most a ${stageLabels[s].toLowerCase()} bid can ask for`, value: formatMoney(rules.caps[s]) })),
    ],
    tiers: rules.governance.tiers.map((t, i, all) => {
      const lower = i > 0 ? all[i - 1]!.upTo : null;
      const range =
        t.upTo === null
          ? lower === null
            ? "Any cumulative funding"
            : `Cumulative funding above ${formatMoney(lower)}`
          : `Cumulative funding up to ${formatMoney(t.upTo)}${lower !== null ? `, above ${formatMoney(lower)}` : ""}`;
      const quorum = `${plural(t.approvers, "gate approver")}${t.seniorRequired ? (t.approvers === 1 ? ", who must be senior" : ", one of them senior") : ""}${t.financeSignOff ? ", and finance sign-off" : ""}`;
      return {
        tier: t.tier,
        range,
        quorum,
        evidence: stages.map((s) => ({ stage: stageLabels[s], items: t.evidence[s].map(label) })),
      };
    }),
    reminders: [
      { key: "Before a round closes", value: `${days(rules.reminders.roundClosingDays)}, to councils with a draft bid` },
      { key: "Before a planned gate review", value: `${days(rules.reminders.gateDueDays)}, to the project team` },
      { key: "Before a gate condition is due", value: `${days(rules.reminders.conditionDueDays)}, to the project team` },
    ],
    whoCanBid: [
      { key: "Who may lead a bid", value: capitalise(kindWords(rules.eligibility.leadKinds)) },
      { key: "Who may be a partner", value: capitalise(kindWords(rules.eligibility.partnerKinds)) },
      { key: "Fewest councils in a partnership", value: String(rules.eligibility.minCouncils) },
      { key: "Most bids one council may lead in a round", value: String(rules.eligibility.maxLeadBidsPerCouncilPerRound) },
      { key: "Local Digital Declaration", value: rules.eligibility.declarationRequired ? "Every council must have signed it" : "Not required" },
    ],
  };
}
