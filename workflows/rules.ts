import { z } from "zod";

// Per-fund settings. Everything the product calls "a per-fund setting" lives here as data
// with the product's defaults, so a fund team changes a fund by editing data, never code.
// Money is whole pence (Int columns; see docs/decisions/0004-money-in-pence.md).

export const stages = ["scan", "pilot", "scale"] as const;
export type Stage = (typeof stages)[number];

export const stageLabels: Record<Stage, string> = { scan: "Scan", pilot: "Pilot", scale: "Scale" };

/**
 * What each eligibility problem is about, carried with its sentence so pages group and
 * count problems by rule without reading the wording (which may change).
 */
export const eligibilityCodes = ["lead", "declaration", "councils", "kinds", "leadBids", "amount", "sections"] as const;
export type EligibilityCode = (typeof eligibilityCodes)[number];

/** One reason a partnership cannot submit yet: the rule it breaks and the clause that says so. */
export interface EligibilityProblem {
  code: EligibilityCode;
  /** Completes "This bid cannot be submitted because: …". */
  text: string;
}

/** The organisation kinds that can take part in a bid (matches Prisma's OrganisationKind). */
export const participantKinds = ["council", "combinedAuthority", "fireAuthority"] as const;
export type ParticipantKind = (typeof participantKinds)[number];

export const organisationKindLabels: Record<string, { one: string; many: string }> = {
  council: { one: "a council", many: "councils" },
  combinedAuthority: { one: "a combined authority", many: "combined authorities" },
  fireAuthority: { one: "a fire authority", many: "fire authorities" },
  ministry: { one: "a government department", many: "government departments" },
  assessorBody: { one: "an assessor body", many: "assessor bodies" },
};

/**
 * Gate outcomes, most cautious first. When a gate's quorum is met, the decision is the most
 * cautious outcome any approver voted for: one approver's "stop" is enough to stop, because
 * a gate exists to catch what one person saw and the others missed. The order is data
 * (`governance.outcomePrecedence`) so a fund can choose differently.
 */
export const gateOutcomes = ["stop", "recycle", "hold", "conditionalGo", "go"] as const;
export type GateOutcome = (typeof gateOutcomes)[number];

export const gateOutcomeLabels: Record<GateOutcome, string> = {
  go: "Go",
  conditionalGo: "Conditional go",
  hold: "Hold",
  recycle: "Recycle",
  stop: "Stop",
};

const pence = z.number().int().nonnegative();
const key = z.string().regex(/^[a-z][A-Za-z0-9]*$/, { error: "Keys are camelCase letters and digits" });

const criterionSchema = z.object({
  key,
  label: z.string().min(1),
  weight: z.number().int().min(0).max(100),
  guidance: z.string().default(""),
});

const evidenceByStageSchema = z.object({
  scan: z.array(key),
  pilot: z.array(key),
  scale: z.array(key),
});

export const governanceTierSchema = z.object({
  tier: z.number().int().min(1),
  /** Inclusive upper bound of cumulative funding; null for the top tier. */
  upTo: pence.nullable(),
  approvers: z.number().int().min(1),
  seniorRequired: z.boolean(),
  financeSignOff: z.boolean(),
  /** Evidence keys that must be attached before a gate review can be requested. */
  evidence: evidenceByStageSchema,
});
export type GovernanceTier = z.infer<typeof governanceTierSchema>;

/**
 * How many days ahead the scheduled reminders look: a draft bid's council is reminded when
 * its round closes within `roundClosingDays`, a project team when its planned gate date is
 * within `gateDueDays`, and when a gate condition falls due within `conditionDueDays`.
 */
export const reminderWindowsSchema = z.object({
  roundClosingDays: z.number().int().min(1).max(90),
  gateDueDays: z.number().int().min(1).max(90),
  conditionDueDays: z.number().int().min(1).max(90),
});
export type ReminderWindows = z.infer<typeof reminderWindowsSchema>;

export const fundRulesSchema = z
  .object({
    eligibility: z.object({
      declarationRequired: z.boolean(),
      minCouncils: z.number().int().min(1),
      maxLeadBidsPerCouncilPerRound: z.number().int().min(1),
      leadKinds: z.array(z.enum(participantKinds)).min(1),
      partnerKinds: z.array(z.enum(participantKinds)).min(1),
    }),
    /** Most a bid may ask for, per stage. */
    caps: z.object({ scan: pence, pilot: pence, scale: pence }),
    roundBudget: pence.positive(),
    assessment: z.object({
      assessorsPerBid: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(5)]),
      /** A criterion is flagged for moderation when assessors' scores differ by more than this. */
      disagreementThreshold: z.number().int().min(0),
      criteria: z.array(criterionSchema).min(1),
      scale: z.object({
        min: z.number().int(),
        max: z.number().int(),
        labels: z.array(z.object({ score: z.number().int(), label: z.string().min(1) })),
      }),
    }),
    governance: z.object({
      tiers: z.array(governanceTierSchema).min(1),
      evidenceLabels: z.record(z.string(), z.string().min(1)),
      outcomePrecedence: z.array(z.enum(gateOutcomes)).length(gateOutcomes.length),
    }),
    reminders: reminderWindowsSchema,
  })
  .superRefine((rules, ctx) => {
    const weights = rules.assessment.criteria.reduce((sum, c) => sum + c.weight, 0);
    if (weights !== 100) {
      ctx.addIssue({
        code: "custom",
        path: ["assessment", "criteria"],
        message: `The criteria weights must add up to 100; they add up to ${weights}.`,
      });
    }
    const keys = rules.assessment.criteria.map((c) => c.key);
    if (new Set(keys).size !== keys.length) {
      ctx.addIssue({ code: "custom", path: ["assessment", "criteria"], message: "Each criterion needs its own key." });
    }
    const { min, max, labels } = rules.assessment.scale;
    if (min >= max) {
      ctx.addIssue({ code: "custom", path: ["assessment", "scale"], message: "The scale's top score must be above its lowest." });
    }
    for (let score = min; score <= max; score++) {
      if (!labels.some((l) => l.score === score)) {
        ctx.addIssue({
          code: "custom",
          path: ["assessment", "scale", "labels"],
          message: `Score ${score} needs a label.`,
        });
      }
    }
    for (const stage of stages) {
      if (rules.caps[stage] > rules.roundBudget) {
        ctx.addIssue({
          code: "custom",
          path: ["caps", stage],
          message: `The ${stage} cap cannot be more than the round budget.`,
        });
      }
    }
    const tiers = rules.governance.tiers;
    tiers.forEach((tier, index) => {
      if (tier.tier !== index + 1) {
        ctx.addIssue({ code: "custom", path: ["governance", "tiers", index, "tier"], message: "Tiers are numbered 1, 2, 3… in order." });
      }
      const last = index === tiers.length - 1;
      if (last && tier.upTo !== null) {
        ctx.addIssue({ code: "custom", path: ["governance", "tiers", index, "upTo"], message: "The top tier has no upper limit." });
      }
      if (!last && tier.upTo === null) {
        ctx.addIssue({ code: "custom", path: ["governance", "tiers", index, "upTo"], message: "Only the top tier can have no upper limit." });
      }
      const previous = tiers[index - 1];
      if (previous && previous.upTo !== null && tier.upTo !== null && tier.upTo <= previous.upTo) {
        ctx.addIssue({ code: "custom", path: ["governance", "tiers", index, "upTo"], message: "Each tier's limit must be above the one before." });
      }
      for (const stage of stages) {
        for (const evidenceKey of tier.evidence[stage]) {
          if (!(evidenceKey in rules.governance.evidenceLabels)) {
            ctx.addIssue({
              code: "custom",
              path: ["governance", "tiers", index, "evidence", stage],
              message: `Evidence "${evidenceKey}" needs a label.`,
            });
          }
        }
      }
    });
    if (new Set(rules.governance.outcomePrecedence).size !== gateOutcomes.length) {
      ctx.addIssue({
        code: "custom",
        path: ["governance", "outcomePrecedence"],
        message: "Every gate outcome must appear once in the order of precedence.",
      });
    }
  });

export type FundRules = z.infer<typeof fundRulesSchema>;

const tier1Evidence = ["evaluationSummary", "spendToDate"];
const tier2Evidence = [...tier1Evidence, "metricsAgainstBaseline", "dataProtectionImpactAssessment"];
const tier3Evidence = [...tier2Evidence, "independentEvaluation", "valueForMoneyCase"];
// The product sets evidence by tier only; the same list applies at every stage until a fund
// says otherwise.
const everyStage = (keys: string[]) => ({ scan: [...keys], pilot: [...keys], scale: [...keys] });

export const defaultFundRules: FundRules = {
  eligibility: {
    declarationRequired: true,
    minCouncils: 3,
    maxLeadBidsPerCouncilPerRound: 2,
    leadKinds: ["council", "combinedAuthority"],
    partnerKinds: ["council", "combinedAuthority", "fireAuthority"],
  },
  caps: { scan: 80_000_00, pilot: 350_000_00, scale: 750_000_00 },
  roundBudget: 2_500_000_00,
  assessment: {
    assessorsPerBid: 2,
    disagreementThreshold: 2,
    criteria: [
      { key: "strategicFit", label: "Strategic fit", weight: 30, guidance: "" },
      { key: "deliverability", label: "Deliverability", weight: 30, guidance: "" },
      { key: "valueForMoney", label: "Value for money", weight: 25, guidance: "" },
      { key: "reuseAndOpenness", label: "Reuse and openness", weight: 15, guidance: "" },
    ],
    scale: {
      min: 0,
      max: 5,
      labels: [
        { score: 0, label: "No evidence" },
        { score: 1, label: "Poor" },
        { score: 2, label: "Weak" },
        { score: 3, label: "Adequate" },
        { score: 4, label: "Good" },
        { score: 5, label: "Excellent" },
      ],
    },
  },
  governance: {
    tiers: [
      { tier: 1, upTo: 100_000_00, approvers: 1, seniorRequired: false, financeSignOff: false, evidence: everyStage(tier1Evidence) },
      { tier: 2, upTo: 500_000_00, approvers: 2, seniorRequired: true, financeSignOff: false, evidence: everyStage(tier2Evidence) },
      { tier: 3, upTo: null, approvers: 3, seniorRequired: false, financeSignOff: true, evidence: everyStage(tier3Evidence) },
    ],
    evidenceLabels: {
      evaluationSummary: "Evaluation summary",
      spendToDate: "Spend to date",
      metricsAgainstBaseline: "Metrics against baseline and target",
      dataProtectionImpactAssessment: "Data protection impact assessment",
      independentEvaluation: "Independent evaluation",
      valueForMoneyCase: "Value-for-money case",
    },
    outcomePrecedence: [...gateOutcomes],
  },
  reminders: { roundClosingDays: 7, gateDueDays: 14, conditionDueDays: 7 },
};

/**
 * Parses stored rules, filling nothing in: a fund's rules are whole or they are refused. The
 * answer is frozen and shared: the same rules given again (as the same JSON) get the same object.
 */
export function parseFundRules(value: unknown): FundRules {
  const text = JSON.stringify(value);
  const known = text === undefined ? undefined : parsedByText.get(text);
  if (known) return known;
  const rules = deepFreeze(fundRulesSchema.parse(value));
  checkedRules.add(rules);
  if (text !== undefined) {
    if (parsedByText.size >= PARSED_KEPT) parsedByText.clear();
    parsedByText.set(text, rules);
  }
  return rules;
}

// Every page about a round reads its rules again (the ranked list, the progress page, a bid's
// pages), and checking them with zod each time was a quarter of a millisecond a view, more
// than writing them out as JSON to look them up here (docs/performance.md). A few hundred
// sets of rules at most are live at once; past that the map starts again.
const parsedByText = new Map<string, FundRules>();
const PARSED_KEPT = 256;

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

// The rules objects already checked against fundRulesSchema: those parseFundRules returned and
// those an event's facts carried once checked. The server reads a round's rules with
// parseFundRules and hands the same object to the machine in the event's facts; checking it
// again there was a quarter of the CPU of applying an event (docs/performance.md). Rules
// objects are never changed in place (a changed fund or round is parsed again), so a checked
// object stays valid.
const checkedRules = new WeakSet<object>();

/**
 * The fund's rules as an event's facts carry them: checked against fundRulesSchema unless this
 * very object has been already (it is then returned as it is), else parsed, defaults and all.
 */
export const factsRulesSchema = z.unknown().transform((value, ctx): FundRules => {
  if (typeof value === "object" && value !== null && checkedRules.has(value)) return value as FundRules;
  const parsed = fundRulesSchema.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", message: `rules.${issue.path.join(".")}: ${issue.message}` });
    return z.NEVER;
  }
  checkedRules.add(parsed.data);
  return parsed.data;
});
