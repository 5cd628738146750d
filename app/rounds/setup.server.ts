import { db } from "~/db/database.server.ts";
import type { Prisma } from "~/generated/prisma/client.ts";
import { defaultFundRules, parseFundRules, type FundRules } from "../../workflows/rules.ts";
import { roundRules, roundRulesOrNull, roundRulesSelect } from "./rules.ts";
import type { FieldErrors, RoundProgress, RoundSettings } from "./setup.ts";
import { notFound } from "~/http/errors.server.ts";

const SUBMITTED_OR_LATER = [
  "submitted",
  "resubmitted",
  "eligibilityCheck",
  "eligible",
  "ineligible",
  "changesRequested",
  "inAssessment",
  "moderation",
  "recommended",
  "notRecommended",
  "funded",
  "notFunded",
];
const ASSESSMENT_OR_LATER = ["inAssessment", "moderation", "recommended", "notRecommended", "funded", "notFunded"];
const LINE_DRAWN = ["recommended", "notRecommended", "funded", "notFunded"];

export async function fundsForSetup() {
  return db().fund.findMany({ select: { id: true, slug: true, name: true, summary: true, rules: true }, orderBy: { name: "asc" } });
}

const roundSelect = {
  id: true,
  slug: true,
  name: true,
  opensAt: true,
  closesAt: true,
  assessmentDueAt: true,
  guidance: true,
  fundId: true,
  ...roundRulesSelect,
  fund: { select: { id: true, name: true, summary: true, rules: true } },
} as const;

export async function roundForSetup(slug: string | undefined | null) {
  const round = slug ? await db().round.findUnique({ where: { slug }, select: roundSelect }) : null;
  if (!round) throw notFound();
  return round;
}

type SetupRound = Awaited<ReturnType<typeof roundForSetup>>;

/** A stored round's settings; its rules as roundRules gives them (a fund's, for an old round). */
export function settingsOf(round: SetupRound): RoundSettings {
  return {
    name: round.name,
    slug: round.slug,
    stage: round.stage,
    opensAt: round.opensAt,
    closesAt: round.closesAt,
    assessmentDueAt: round.assessmentDueAt,
    capPence: round.capPence,
    budgetPence: round.budgetPence,
    guidance: round.guidance,
    // Stored rules that no longer parse are replaced by the fund's (or the defaults) for
    // the fund team to put right, rather than making the round impossible to edit.
    rules: roundRulesOrNull(round) ?? roundRules({ ...round, rules: fundRulesOf(round.fund) ?? defaultFundRules }),
  };
}

/** A fund's rules, when they pass the schema. */
export function fundRulesOf(fund: { rules: unknown }): FundRules | null {
  try {
    return parseFundRules(fund.rules);
  } catch {
    return null;
  }
}

export async function roundProgress(roundId: string): Promise<RoundProgress> {
  const [inProgress, withdrawn, later, assessments, drawn] = await Promise.all([
    db().bid.count({ where: { roundId, state: { in: SUBMITTED_OR_LATER } } }),
    db().bid.findMany({ where: { roundId, state: "withdrawn" }, select: { id: true } }),
    db().bid.count({ where: { roundId, state: { in: ASSESSMENT_OR_LATER } } }),
    db().assessment.count({ where: { bid: { roundId } } }),
    db().bid.count({ where: { roundId, state: { in: LINE_DRAWN } } }),
  ]);
  // A bid withdrawn after it was certified was still judged by these rules.
  const withdrawnAfterSubmission = withdrawn.length
    ? (
        await db().transitionHistory.findMany({
          where: { recordType: "bid", recordId: { in: withdrawn.map((b) => b.id) }, event: "CERTIFY" },
          select: { recordId: true },
          distinct: ["recordId"],
        })
      ).length
    : 0;
  const bidsSubmitted = inProgress + withdrawnAfterSubmission;
  return { bidsSubmitted, assessmentStarted: later > 0 || assessments > 0, fundingLineDrawn: drawn > 0 };
}

/** The address is the round's name in its web address: two rounds cannot share one. */
export async function slugTaken(slug: string, exceptRoundId?: string): Promise<boolean> {
  const found = await db().round.findUnique({ where: { slug }, select: { id: true } });
  return Boolean(found && found.id !== exceptRoundId);
}

const SLUG_TAKEN = "Another round already uses this web address; choose another";

function columns(settings: RoundSettings) {
  return {
    name: settings.name,
    slug: settings.slug,
    stage: settings.stage,
    opensAt: settings.opensAt,
    closesAt: settings.closesAt,
    assessmentDueAt: settings.assessmentDueAt,
    capPence: settings.capPence,
    budgetPence: settings.budgetPence,
    guidance: settings.guidance,
    rules: settings.rules as unknown as Prisma.InputJsonValue,
  };
}

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === "P2002";

export async function createRoundFromSettings(
  fundId: string,
  settings: RoundSettings,
  // A copied round's bid questions (app/bid-form/questions.ts) come with it; null: the standard ones.
  questions: Prisma.InputJsonValue | null = null,
): Promise<{ ok: true; slug: string } | { ok: false; errors: FieldErrors }> {
  if (await slugTaken(settings.slug)) return { ok: false, errors: { slug: SLUG_TAKEN } };
  try {
    const round = await db().round.create({ data: { fundId, ...columns(settings), ...(questions === null ? {} : { questions }) }, select: { slug: true } });
    return { ok: true, slug: round.slug };
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, errors: { slug: SLUG_TAKEN } };
    throw error;
  }
}

export async function updateRoundSettings(roundId: string, settings: RoundSettings): Promise<{ ok: true; slug: string } | { ok: false; errors: FieldErrors }> {
  if (await slugTaken(settings.slug, roundId)) return { ok: false, errors: { slug: SLUG_TAKEN } };
  try {
    const round = await db().round.update({ where: { id: roundId }, data: columns(settings), select: { slug: true } });
    return { ok: true, slug: round.slug };
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, errors: { slug: SLUG_TAKEN } };
    throw error;
  }
}
