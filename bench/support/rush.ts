import { randomUUID } from "node:crypto";
import { bidSections } from "~/bid-form/sections.ts";
import { londonNoonInDays } from "~/utils/dates.ts";
import type { Prisma, PrismaClient } from "~/generated/prisma/client.ts";
import { applyWorkflowEvent, recordCreation } from "~/engine/apply-event.server.ts";
import { bidSubmissionFacts } from "~/bids/facts.server.ts";
import { defaultFundRules, startSnapshot, workflows } from "../../workflows/index.ts";
import { actor } from "./fixtures.ts";
import { signedInBrowser, type Browser } from "./requests.ts";

/**
 * `count` partnership bids in one open round, each sent for sign-off (awaitingCertification,
 * version 1) through the workflow engine, each with its own lead council, officer and
 * certifier, and a signed-in browser for each certifier: ready for a deadline rush.
 * Needs the process's database set (setDatabase) and the register seeded.
 */
export async function bidsAwaitingSignOff(prisma: PrismaClient, count: number, prefix = "R") {
  const fund = await prisma.fund.create({
    data: { slug: `${prefix.toLowerCase()}-fund`, name: "Rush fund", summary: "Many bids at once", rules: defaultFundRules as object },
  });
  const round = await prisma.round.create({
    data: {
      fundId: fund.id,
      slug: `${prefix.toLowerCase()}-round`,
      name: "Rush round",
      stage: "pilot",
      opensAt: londonNoonInDays(-30),
      closesAt: londonNoonInDays(1),
      capPence: defaultFundRules.caps.pilot,
      budgetPence: defaultFundRules.roundBudget,
      rules: defaultFundRules as object,
      guidance: "Many bids at once.",
    },
  });
  const signed = new Date("2019-01-01T00:00:00Z");
  const partners = await Promise.all(
    ["PA", "PB"].map((code) =>
      prisma.organisation.create({
        data: {
          code: `${prefix}${code}`,
          kind: "council",
          name: `${prefix}${code} Council`,
          officialName: `${prefix}${code} Council`,
          declarationSignedAt: signed,
        },
      }),
    ),
  );
  const bids: { id: string; officerEmail: string; certifier: Browser }[] = [];
  for (let i = 0; i < count; i++) {
    const lead = await prisma.organisation.create({
      data: { code: `${prefix}L${i}`, kind: "council", name: `${prefix} lead ${i}`, officialName: `${prefix} lead council ${i}`, declarationSignedAt: signed },
    });
    const [officer, certifier] = await Promise.all(
      (["councilOfficer", "certifier"] as const).map((role) =>
        prisma.user.create({ data: { email: `${role}-${i}@${prefix.toLowerCase()}.example`, name: `${role} ${i}`, role, organisationId: lead.id } }),
      ),
    );
    const id = randomUUID();
    const snapshot = startSnapshot("bid", { bidId: id, roundId: round.id, leadOrganisationId: lead.id });
    await prisma.$transaction(async (tx) => {
      const bid = await tx.bid.create({
        data: {
          id,
          reference: `${prefix}-${i}`,
          roundId: round.id,
          leadOrganisationId: lead.id,
          createdById: officer!.id,
          title: `Bid ${i}`,
          amountRequestedPence: 100_000_00,
          answers: { completed: bidSections.map((s) => s.key) },
          state: "draft",
          snapshot: snapshot as unknown as Prisma.InputJsonValue,
          machineVersion: workflows.bid.version,
          partners: { create: partners.map((p) => ({ organisationId: p.id, status: "accepted" })) },
        },
      });
      await recordCreation(tx, "bid", { ...bid, snapshot }, { ...actor(officer!), name: officer!.name }, new Date());
    });
    const asked = await applyWorkflowEvent("bid", id, {
      type: "REQUEST_CERTIFICATION",
      actor: actor(officer!),
      at: new Date().toISOString(),
      facts: await bidSubmissionFacts(prisma, id),
    });
    if (!asked.ok) throw new Error(`Set-up refused: ${asked.reason}`);
    bids.push({ id, officerEmail: officer!.email, certifier: await signedInBrowser(certifier!.id) });
  }
  return { round, bids };
}

/** The certify form as a certifier's browser sends it. */
export const signOff = { decision: "approve", version: "1" };

/**
 * Every bid's stored state agrees with its history: the last history row's toState is the
 * bid's state, and each history row starts where the previous one ended. Returns the bids
 * that disagree (a half-made change would show here).
 */
export async function inconsistentBids(prisma: PrismaClient, roundId: string): Promise<string[]> {
  const bids = await prisma.bid.findMany({ where: { roundId }, select: { id: true, state: true, version: true } });
  const history = await prisma.transitionHistory.findMany({
    where: { recordType: "bid", recordId: { in: bids.map((b) => b.id) } },
    orderBy: [{ at: "asc" }, { id: "asc" }],
    select: { recordId: true, fromState: true, toState: true },
  });
  const byBid = new Map<string, { fromState: string; toState: string }[]>();
  for (const row of history) byBid.set(row.recordId, [...(byBid.get(row.recordId) ?? []), row]);
  const bad: string[] = [];
  for (const bid of bids) {
    // Follow the chain from creation: each step starts where the last one ended. Rows are
    // taken in time order, but two written in the same millisecond may sort either way, so
    // the next step is the earliest remaining row that starts at the current state.
    const remaining = [...(byBid.get(bid.id) ?? [])];
    let state = "";
    let chained = true;
    while (remaining.length) {
      const next = remaining.findIndex((row) => row.fromState === state);
      if (next === -1) {
        chained = false;
        break;
      }
      state = remaining.splice(next, 1)[0]!.toState;
    }
    const steps = (byBid.get(bid.id) ?? []).length;
    // Creation is a history row but not a version step.
    if (!chained || state !== bid.state || steps - 1 !== bid.version) bad.push(bid.id);
  }
  return bad;
}
