import { randomUUID } from "node:crypto";
import { nextReference } from "~/bids/bids.server.ts";
import { db } from "~/db/database.server.ts";
import type { Prisma } from "~/generated/prisma/client.ts";
import { recordCreation } from "~/engine/apply-event.server.ts";
import { applyEvent, defaultFundRules, startSnapshot, workflows, type PersistedSnapshot } from "../workflows/index.ts";

/**
 * For the browser tests only (registered with the reset route, under the same switch): a
 * pilot from last year's round that solved a problem and went on to scale, with its case
 * study published and one council already adopting it, so that a council drafting a bid
 * about the same problem finds it in the similar-work panel. The demo data's own pilots are
 * still in their pilot stage, so none of them can be adopted yet.
 */
export const scaledPilot = {
  title: "Missed bin reporting",
  summary: "Residents report a missed bin collection online in under a minute; crews see each report on their round and go back the same day.",
  serviceArea: "Waste",
  problem: "Residents phoned the contact centre to report missed bin collections, waited on hold, and crews heard about them days later.",
  approach: "An online missed bin form connected to the crews' in-cab round software, built with residents and crews.",
  lead: "SHF",
  adopter: "LDS",
} as const;

export async function addScaledPilot(): Promise<{ projectId: string; slug: string }> {
  const prisma = db();
  const [lead, adopter, round, fundTeam] = await Promise.all([
    prisma.organisation.findUniqueOrThrow({ where: { code: scaledPilot.lead } }),
    prisma.organisation.findUniqueOrThrow({ where: { code: scaledPilot.adopter } }),
    prisma.round.findUniqueOrThrow({ where: { slug: "pilot-2025" } }),
    prisma.user.findFirstOrThrow({ where: { role: "fundTeam" }, orderBy: { email: "asc" } }),
  ]);
  // Once per reset: a spec's second test finds the pilot its first one added.
  const added = await prisma.project.findFirst({
    where: { title: scaledPilot.title, leadOrganisationId: lead.id },
    select: { id: true, caseStudy: { select: { slug: true } } },
  });
  if (added) return { projectId: added.id, slug: added.caseStudy?.slug ?? "" };
  const officer = await prisma.user.findFirstOrThrow({ where: { organisationId: lead.id, role: "councilOfficer" }, orderBy: { email: "asc" } });
  const bidId = randomUUID();
  const projectId = randomUUID();
  const bidSnapshot = fundedBidSnapshot({ bidId, roundId: round.id, leadOrganisationId: lead.id });
  const projectSnapshot = startSnapshot("project", { projectId, bidId, leadOrganisationId: lead.id, startStage: "scale" });
  const actor = { userId: fundTeam.id, role: "fundTeam" as const, organisationId: fundTeam.organisationId, name: fundTeam.name };
  let slug = "";
  await prisma.$transaction(async (tx) => {
    const reference = await nextReference(tx, new Date("2025-03-01T12:00:00Z"));
    await tx.bid.create({
      data: {
        id: bidId,
        reference,
        roundId: round.id,
        leadOrganisationId: lead.id,
        createdById: officer.id,
        title: scaledPilot.title,
        amountRequestedPence: 80_000_00,
        answers: {
          sections: {
            summary: { title: scaledPilot.title, summary: scaledPilot.summary },
            problem: { problem: scaledPilot.problem, users: "About 200,000 households across the partner councils, and the collection crews." },
            approach: {
              approach: scaledPilot.approach,
              reuse: "The form is open source for any council to reuse.",
              openness: "Show and tells every fortnight.",
            },
          },
        },
        state: String(bidSnapshot.value),
        snapshot: bidSnapshot as unknown as Prisma.InputJsonValue,
        machineVersion: workflows.bid.version,
      },
    });
    await tx.project.create({
      data: {
        id: projectId,
        bidId,
        leadOrganisationId: lead.id,
        title: scaledPilot.title,
        reference,
        awardPence: 80_000_00,
        summary: scaledPilot.summary,
        serviceArea: scaledPilot.serviceArea,
        state: String(projectSnapshot.value),
        snapshot: projectSnapshot as unknown as Prisma.InputJsonValue,
        machineVersion: workflows.project.version,
        tranches: { create: [{ stage: "scale", amountPence: 80_000_00, reason: "Award on funding" }] },
        adoptions: { create: [{ organisationId: adopter.id, status: "live", goLiveOn: new Date("2026-06-01T00:00:00Z") }] },
      },
    });
    await recordCreation(tx, "project", { id: projectId, title: scaledPilot.title, reference, snapshot: projectSnapshot }, actor, new Date());
    slug = `missed-bin-reporting-${reference.toLowerCase()}`;
    await tx.caseStudy.create({
      data: {
        projectId,
        slug,
        title: scaledPilot.title,
        problem: scaledPilot.problem,
        approach: scaledPilot.approach,
        evidence: "Calls about missed bins fell by 70% in the pilot's first three months.",
        outcome: "Same-day collection for nine in ten missed bins reported online.",
        lessons: "Connect the form to the crews' round software from the start: a report nobody on the round sees is no better than a phone call.",
        reusableOutputs: "The online form and its integration with the in-cab software.",
        serviceArea: scaledPilot.serviceArea,
        stage: "pilot",
        status: "published",
        publishedAt: new Date(),
      },
    });
  });
  return { projectId, slug };
}

/** A bid's snapshot once funded, made by the bid machine itself from the first event to the last. */
function fundedBidSnapshot(input: { bidId: string; roundId: string; leadOrganisationId: string }): PersistedSnapshot {
  const rules = defaultFundRules;
  const at = "2025-03-01T12:00:00.000Z";
  const councils = [0, 1, 2].map((i) => ({
    organisationId: i ? `partner-${i}` : input.leadOrganisationId,
    name: `Council ${i}`,
    kind: "council",
    role: i ? "partner" : "lead",
    signedDeclaration: true,
  }));
  const facts = {
    rules,
    deadline: "2025-03-31T12:00:00.000Z",
    stage: "pilot",
    amountRequestedPence: 80_000_00,
    capPence: rules.caps.pilot,
    councils,
    leadBidsInRound: 1,
    incompleteSections: [],
  };
  const events: Record<string, unknown>[] = [
    { type: "REQUEST_CERTIFICATION", facts, actor: { userId: "officer", role: "councilOfficer", organisationId: input.leadOrganisationId } },
    { type: "CERTIFY", facts, actor: { userId: "certifier", role: "certifier", organisationId: input.leadOrganisationId } },
    { type: "BEGIN_ELIGIBILITY_CHECK" },
    { type: "MARK_ELIGIBLE" },
    { type: "START_ASSESSMENT", facts: { rules, assessorsAssigned: 2 } },
    { type: "BEGIN_MODERATION", facts: { rules, assessmentsSubmitted: 2, assessmentsOutstanding: 0 } },
    { type: "DRAW_FUNDING_LINE", facts: { aboveLine: true, rank: 1, moderatedScore: 80, unresolvedDisagreements: 0 } },
    { type: "PUBLISH_DECISION", message: "", feedback: [] },
  ];
  let snapshot = startSnapshot("bid", input);
  for (const event of events) {
    const result = applyEvent("bid", snapshot, { actor: { userId: "fund-team", role: "fundTeam", organisationId: "fund-team" }, at, ...event } as never);
    if (!result.ok) throw new Error(`The scaled pilot's bid could not take ${String(event.type)}: ${result.reason}`);
    snapshot = result.snapshot;
  }
  return snapshot;
}
