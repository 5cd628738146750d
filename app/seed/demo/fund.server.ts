import type { PrismaClient } from "~/generated/prisma/client.ts";
import { calendarDate, londonNoonInDays } from "~/utils/dates.ts";
import { defaultFundRules } from "../../../workflows/rules.ts";

/** The demo fund, its open round, and one user per role. */
export const demoUsers = [
  { email: "officer@birmingham.example", name: "Priya Shah", role: "councilOfficer", org: "BIR" },
  { email: "certifier@birmingham.example", name: "David Clarke", role: "certifier", org: "BIR" },
  { email: "officer@manchester.example", name: "Tom Hughes", role: "councilOfficer", org: "MAN" },
  { email: "certifier@manchester.example", name: "Aisha Begum", role: "certifier", org: "MAN" },
  { email: "officer@leeds.example", name: "Hannah Wright", role: "councilOfficer", org: "LDS" },
  { email: "assessor@assessors.example", name: "Grace Adeyemi", role: "assessor", org: "OPEN-ASSESS" },
  { email: "fund.team@mhclg.example", name: "Alex Morgan", role: "fundTeam", org: "MHCLG" },
  { email: "approver@mhclg.example", name: "Ruth Patel", role: "gateApprover", org: "MHCLG", senior: true },
  { email: "admin@mhclg.example", name: "Sam Okafor", role: "admin", org: "MHCLG" },
] as const;

// Demo signatories of the Local Digital Declaration (the register does not record it).
const demoSignatories: Record<string, string> = {
  BIR: "2018-07-04",
  MAN: "2018-07-04",
  LDS: "2018-09-12",
  HCK: "2018-07-04",
  CMD: "2019-01-21",
  SHF: "2019-03-05",
  KEN: "2019-06-17",
};

export async function seedDemo(prisma: PrismaClient) {
  await prisma.$transaction(async (tx) => {
    for (const [code, signed] of Object.entries(demoSignatories)) {
      await tx.organisation.update({ where: { code }, data: { declarationSignedAt: calendarDate(signed) } });
    }
    const fund = await tx.fund.create({
      data: {
        slug: "local-digital",
        name: "Local Digital Innovation Fund",
        summary:
          "Helps councils develop common solutions to their shared challenges, in partnership, with open and reusable outputs. Funded work moves through Scan, Pilot and Scale stages.",
        rules: defaultFundRules as object,
      },
    });
    await tx.round.create({
      data: {
        fundId: fund.id,
        slug: "pilot-2026",
        name: "Pilot round 2026 to 2027",
        stage: "pilot",
        opensAt: londonNoonInDays(-14),
        closesAt: londonNoonInDays(28),
        capPence: defaultFundRules.caps.pilot,
        budgetPence: defaultFundRules.roundBudget,
        rules: defaultFundRules as object,
        guidance:
          "Bid for up to £350,000 to pilot a common solution with at least two other councils. Every council in the partnership must have signed the Local Digital Declaration. Say how you will measure success from the start: pilots are evaluated at every gate.",
      },
    });
    const orgs = await tx.organisation.findMany({
      where: { code: { in: demoUsers.map((u) => u.org) } },
      select: { id: true, code: true },
    });
    const orgId = new Map(orgs.map((o) => [o.code, o.id]));
    await tx.user.createMany({
      data: demoUsers.map((u) => ({
        email: u.email,
        name: u.name,
        role: u.role,
        senior: "senior" in u ? u.senior : false,
        organisationId: orgId.get(u.org)!,
      })),
    });
  });
}
