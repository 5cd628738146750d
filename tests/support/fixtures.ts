import { randomUUID } from "node:crypto";
import { db } from "~/db/database.server.ts";
import { londonNoonInDays } from "~/db/seed.server.ts";
import type { Prisma } from "~/generated/prisma/client.ts";
import { recordCreation } from "~/workflow/apply-event.server.ts";
import { bidSections } from "~/bids/sections.ts";
import { defaultFundRules, startSnapshot, workflows } from "../../workflows/index.ts";
import { createUser } from "./requests.ts";

let sequence = 0;
const unique = () => `${++sequence}${randomUUID().slice(0, 6)}`.toUpperCase();

export async function createOrganisation(data: Partial<Prisma.OrganisationCreateInput> & { signed?: boolean } = {}) {
  const { signed = true, ...rest } = data;
  const code = `O${unique()}`.slice(0, 8);
  return db().organisation.create({
    data: {
      code,
      kind: "council",
      name: `${code} Council`,
      officialName: `${code} Borough Council`,
      declarationSignedAt: signed ? new Date("2019-01-01T00:00:00Z") : null,
      ...rest,
    },
  });
}

export async function createRound(options: { closesInDays?: number } = {}) {
  const fund = await db().fund.create({
    data: { slug: `fund-${unique().toLowerCase()}`, name: "Test fund", summary: "A fund for tests.", rules: defaultFundRules as object },
  });
  return db().round.create({
    data: {
      fundId: fund.id,
      slug: `round-${unique().toLowerCase()}`,
      name: "Test pilot round",
      stage: "pilot",
      opensAt: londonNoonInDays(-10),
      closesAt: londonNoonInDays(options.closesInDays ?? 20),
      capPence: defaultFundRules.caps.pilot,
      budgetPence: defaultFundRules.roundBudget,
      rules: defaultFundRules as object,
      guidance: "Test guidance.",
    },
  });
}

/**
 * A draft partnership bid with every section complete: a lead council and two partners
 * who accepted, all signatories, with an officer and certifier at the lead, an officer at
 * each partner, and a fund team member.
 */
export async function createPartnershipBid(options: { partnerSigned?: boolean; closesInDays?: number } = {}) {
  const round = await createRound({ closesInDays: options.closesInDays });
  const lead = await createOrganisation();
  const partnerA = await createOrganisation({ signed: options.partnerSigned ?? true });
  const partnerB = await createOrganisation();
  const officer = await createUser("councilOfficer", lead.id);
  const certifier = await createUser("certifier", lead.id);
  const partnerOfficer = await createUser("councilOfficer", partnerA.id);
  const partnerBOfficer = await createUser("councilOfficer", partnerB.id);
  const fundTeam = await createUser("fundTeam");
  const id = randomUUID();
  const snapshot = startSnapshot("bid", { bidId: id, roundId: round.id, leadOrganisationId: lead.id });
  const bid = await db().$transaction(async (tx) => {
    const bid = await tx.bid.create({
      data: {
        id,
        reference: `LDF-TEST-${unique()}`,
        roundId: round.id,
        leadOrganisationId: lead.id,
        createdById: officer.id,
        title: "Shared digital front door",
        amountRequestedPence: 300_000_00,
        answers: { completed: bidSections.map((s) => s.key) },
        state: "draft",
        snapshot: snapshot as unknown as Prisma.InputJsonValue,
        machineVersion: workflows.bid.version,
        partners: {
          create: [
            { organisationId: partnerA.id, status: "accepted" },
            { organisationId: partnerB.id, status: "accepted" },
          ],
        },
      },
    });
    await recordCreation(tx, "bid", { ...bid, snapshot }, { userId: officer.id, role: "councilOfficer", organisationId: lead.id, name: officer.name }, new Date());
    return bid;
  });
  return { bid, round, lead, partnerA, partnerB, officer, certifier, partnerOfficer, partnerBOfficer, fundTeam };
}

export const actor = (user: { id: string; role: string; organisationId: string; senior?: boolean }) => ({
  userId: user.id,
  role: user.role as "councilOfficer",
  organisationId: user.organisationId,
  senior: user.senior ?? false,
});
