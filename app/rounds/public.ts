import { organisationKindLabels, stageLabels, type FundRules, type Stage } from "../../workflows/rules.ts";
import { capitalise, formatMoney, joinList, plural } from "~/utils/format.ts";

/** The round's eligibility rules as sentences a council can act on. */
export function eligibilitySentences(rules: FundRules, capPence: number): string[] {
  const { eligibility } = rules;
  const many = (kind: string) => organisationKindLabels[kind]?.many ?? kind;
  const sentences: string[] = [];
  if (eligibility.declarationRequired) {
    sentences.push("The lead council and every partner must have signed the Local Digital Declaration before the bid is submitted.");
  }
  sentences.push(
    eligibility.minCouncils === 1
      ? "A council can bid on its own or in a partnership."
      : `A bid needs at least ${eligibility.minCouncils} councils in the partnership, including the lead.`,
  );
  sentences.push(`A council can lead at most ${plural(eligibility.maxLeadBidsPerCouncilPerRound, "bid")} in this round. It can be a partner in any number.`);
  sentences.push(`${capitalise(joinList(eligibility.leadKinds.map(many)))} may lead a bid.`);
  sentences.push(`${capitalise(joinList(eligibility.partnerKinds.map(many)))} may be partners.`);
  const partnersOnly = eligibility.partnerKinds.filter((kind) => !eligibility.leadKinds.includes(kind));
  if (partnersOnly.length) sentences.push(`${capitalise(joinList(partnersOnly.map(many)))} may only be partners, not leads.`);
  sentences.push(`A bid can ask for up to ${formatMoney(capPence)}.`);
  return sentences;
}

export type RoundStatus = "open" | "upcoming" | "closed";

export const statusOf = (round: { opensAt: Date; closesAt: Date }, now = new Date()): RoundStatus =>
  round.closesAt <= now ? "closed" : round.opensAt > now ? "upcoming" : "open";

/**
 * What the public round page shows, from a round's settings, saved or not: the round page
 * and the fund team's preview render the same thing, so the preview cannot mislead.
 */
export function publicRoundView(
  round: {
    slug: string;
    name: string;
    stage: Stage;
    opensAt: Date;
    closesAt: Date;
    capPence: number;
    budgetPence: number;
    guidance: string;
    fund: { name: string; summary: string };
  },
  rules: FundRules | null,
  now = new Date(),
) {
  return {
    round: {
      slug: round.slug,
      name: round.name,
      stage: round.stage,
      stageLabel: stageLabels[round.stage],
      opensAt: round.opensAt,
      closesAt: round.closesAt,
      capPence: round.capPence,
      budgetPence: round.budgetPence,
      guidance: round.guidance,
      fund: { name: round.fund.name, summary: round.fund.summary },
    },
    status: statusOf(round, now),
    criteria: rules ? rules.assessment.criteria.map((c) => ({ key: c.key, label: c.label, weight: c.weight, guidance: c.guidance })) : [],
    scale: rules
      ? {
          min: rules.assessment.scale.labels.find((l) => l.score === rules.assessment.scale.min) ?? null,
          max: rules.assessment.scale.labels.find((l) => l.score === rules.assessment.scale.max) ?? null,
        }
      : null,
    eligibility: rules ? eligibilitySentences(rules, round.capPence) : [],
  };
}

export type PublicRoundView = ReturnType<typeof publicRoundView>;
