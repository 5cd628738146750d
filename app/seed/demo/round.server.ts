import type { PrismaClient } from "~/generated/prisma/client.ts";
import { bidSubmissionFacts } from "~/bids/facts.server.ts";
import { defaultFundRules } from "../../../workflows/rules.ts";
import { londonNoonInDays } from "~/utils/dates.ts";
import { bidAnswers, createDraftBid, createPeople, organisationIds, peopleByEmail, stepsFor } from "./records.server.ts";

// A demo round whose deadline has passed, with three partnership bids submitted and waiting
// for the fund team's eligibility check, and four assessors ready to be pooled: everything a
// fund team needs to try a whole round (eligibility, assignment, scoring, moderation, the
// funding line and decisions). One assessor works for Leeds, a partner in one of the bids,
// to show the conflict rule.

export const demoRoundSlug = "pilot-2026-spring";

export const demoRoundUsers = [
  { email: "digital@hackney.example", name: "Marcus Green", role: "councilOfficer", org: "HCK" },
  { email: "s151@hackney.example", name: "Olivia Bennett", role: "certifier", org: "HCK" },
  { email: "digital@sheffield.example", name: "Ian Walsh", role: "councilOfficer", org: "SHF" },
  { email: "s151@sheffield.example", name: "Joanne Firth", role: "certifier", org: "SHF" },
  { email: "digital@camden.example", name: "Nadia Rahman", role: "councilOfficer", org: "CMD" },
  { email: "s151@camden.example", name: "Peter Lowe", role: "certifier", org: "CMD" },
  { email: "assessor2@assessors.example", name: "Femi Adebayo", role: "assessor", org: "OPEN-ASSESS" },
  { email: "assessor3@assessors.example", name: "Chloe Martin", role: "assessor", org: "OPEN-ASSESS" },
  { email: "assessor@leeds.example", name: "Rebecca Holt", role: "assessor", org: "LDS" },
] as const;

interface DemoBid {
  title: string;
  lead: string;
  partners: string[];
  summary: string;
  problem: string;
  users: string;
  costs: { who: "lead" | "partner" | "supplier"; description: string; amountPence: number }[];
}

export const demoRoundBids: DemoBid[] = [
  {
    title: "Bulky waste collection booking",
    lead: "HCK",
    partners: ["CMD", "KEN"],
    summary: "One online booking and payment service for bulky waste collections, shared by three London councils.",
    problem: "Residents phone to book collections; a third of bookings are rearranged by phone at least once.",
    users: "About 40,000 households a year across the three boroughs, and the contact centre staff who take their calls.",
    costs: [
      { who: "lead", description: "Product manager and user researcher", amountPence: 90_000_00 },
      { who: "supplier", description: "Development partner", amountPence: 160_000_00 },
    ],
  },
  {
    title: "Shared home-to-school transport planning",
    lead: "SHF",
    partners: ["LDS", "MAN"],
    summary: "Plan special educational needs transport routes with one open tool, so that children spend less time travelling.",
    problem: "Routes are planned by hand in spreadsheets each summer; journeys are long and costs rise every year.",
    users: "Around 6,000 children with special educational needs, their families, and the transport teams who plan routes.",
    costs: [
      { who: "lead", description: "Transport planning lead", amountPence: 70_000_00 },
      { who: "partner", description: "Partner councils' transport officers", amountPence: 50_000_00 },
      { who: "supplier", description: "Route optimisation and development", amountPence: 180_000_00 },
    ],
  },
  {
    title: "Council tax discount review",
    lead: "CMD",
    partners: ["HCK", "SHF"],
    summary: "Check single person discounts with open data matching and a simple resident-facing confirmation service.",
    problem: "Reviews are done by post; responses are low and errors go unnoticed for years.",
    users: "Around 90,000 households claiming the discount, and revenue teams.",
    costs: [
      { who: "lead", description: "Revenues lead and analyst", amountPence: 60_000_00 },
      { who: "supplier", description: "Service design and development", amountPence: 140_000_00 },
    ],
  },
];

function answersFor(bid: DemoBid) {
  return bidAnswers({
    ...bid,
    collaboration: "A steering group of one senior officer from each council meets fortnightly; the lead council holds the contract.",
    approach: "Discovery with residents in all three councils, then an alpha and a pilot with real users.",
    reuse: "GOV.UK Notify and GOV.UK Pay; patterns from the Local Digital collaboration.",
    openness: "Code and research published openly; show and tells every fortnight.",
    risks: "Supplier delay: fixed milestones and a break clause. Data sharing: agreements signed before the pilot.",
    evaluationPlan: "Baseline the contact volumes and costs now; measure them monthly through the pilot; an evaluation summary at each gate.",
  });
}

export async function seedDemoRound(prisma: PrismaClient) {
  const fund = await prisma.fund.findUniqueOrThrow({ where: { slug: "local-digital" } });
  const codes = [...new Set([...demoRoundUsers.map((u) => u.org), ...demoRoundBids.flatMap((b) => [b.lead, ...b.partners])])];
  const orgs = await organisationIds(prisma, codes);
  await createPeople(prisma, demoRoundUsers, (code) => orgs.get(code)!);
  const person = await peopleByEmail(
    prisma,
    demoRoundUsers.map((u) => u.email),
    "Demo round",
  );
  const round = await prisma.round.create({
    data: {
      fundId: fund.id,
      slug: demoRoundSlug,
      name: "Pilot round spring 2026",
      stage: "pilot",
      opensAt: londonNoonInDays(-60),
      closesAt: londonNoonInDays(-3),
      assessmentDueAt: londonNoonInDays(25),
      capPence: defaultFundRules.caps.pilot,
      budgetPence: 600_000_00,
      // The budget of record is budgetPence; roundRules applies it over the fund's copy.
      rules: defaultFundRules as object,
      guidance: "Bid for up to £350,000 to pilot a common solution with at least two other councils. The budget for this round is £600,000.",
    },
  });

  const leadEmails: Record<string, { officer: string; certifier: string }> = {
    HCK: { officer: "digital@hackney.example", certifier: "s151@hackney.example" },
    SHF: { officer: "digital@sheffield.example", certifier: "s151@sheffield.example" },
    CMD: { officer: "digital@camden.example", certifier: "s151@camden.example" },
  };

  for (const [index, demo] of demoRoundBids.entries()) {
    const officer = person(leadEmails[demo.lead]!.officer);
    const certifier = person(leadEmails[demo.lead]!.certifier);
    const { id } = await createDraftBid(prisma, {
      roundId: round.id,
      leadOrganisationId: orgs.get(demo.lead)!,
      partnerIds: demo.partners.map((code) => orgs.get(code)!),
      officer,
      title: demo.title,
      amountRequestedPence: demo.costs.reduce((sum, c) => sum + c.amountPence, 0),
      answers: answersFor(demo),
      // Drafted weeks ago, signed off before the deadline.
      drafted: londonNoonInDays(-40 + index),
    });
    const facts = await bidSubmissionFacts(prisma, id);
    const step = stepsFor(`Demo round, "${demo.title}"`);
    await step("bid", id, officer, londonNoonInDays(-(8 - index)), { type: "REQUEST_CERTIFICATION", facts });
    await step("bid", id, certifier, londonNoonInDays(-(6 - index)), { type: "CERTIFY", facts });
  }
}
