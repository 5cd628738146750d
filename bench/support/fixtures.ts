import { randomUUID } from "node:crypto";
import { db } from "~/db/database.server.ts";
import { londonNoonInDays } from "~/utils/dates.ts";
import type { Prisma } from "~/generated/prisma/client.ts";
import { recordCreation } from "~/engine/apply-event.server.ts";
import { bidSections } from "~/bid-form/sections.ts";
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
    await recordCreation(
      tx,
      "bid",
      { ...bid, snapshot },
      { userId: officer.id, role: "councilOfficer", organisationId: lead.id, name: officer.name },
      new Date(),
    );
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

/**
 * A funded project, delivering its first stage: the partnership bid from
 * createPartnershipBid with a Project row started by the project machine (its creation
 * recorded as the decisions page would) and a first ProjectTranche for the award. Also
 * makes gate approvers (one senior) in a ministry, so a gate of any tier can be decided;
 * finance sign-off is the fund team's (SIGN_OFF_FINANCE).
 */
export async function createFundedProject(options: { stage?: "scan" | "pilot" | "scale"; awardPence?: number; title?: string } = {}) {
  const partnership = await createPartnershipBid();
  const stage = options.stage ?? "scan";
  const awardPence = options.awardPence ?? 60_000_00;
  const ministry = await createOrganisation({ kind: "ministry" });
  const approver = await createUser("gateApprover", ministry.id);
  const secondApprover = await createUser("gateApprover", ministry.id);
  const seniorApprover = await db().user.update({ where: { id: (await createUser("gateApprover", ministry.id)).id }, data: { senior: true } });
  const id = randomUUID();
  const snapshot = startSnapshot("project", { projectId: id, bidId: partnership.bid.id, leadOrganisationId: partnership.lead.id, startStage: stage });
  const project = await db().$transaction(async (tx) => {
    const project = await tx.project.create({
      data: {
        id,
        bidId: partnership.bid.id,
        leadOrganisationId: partnership.lead.id,
        title: options.title ?? partnership.bid.title,
        reference: partnership.bid.reference,
        awardPence,
        state: String(snapshot.value),
        snapshot: snapshot as unknown as Prisma.InputJsonValue,
        machineVersion: workflows.project.version,
        tranches: { create: [{ stage, amountPence: awardPence, reason: "Award on funding" }] },
      },
    });
    const fundTeam = partnership.fundTeam;
    await recordCreation(
      tx,
      "project",
      { ...project, snapshot },
      { userId: fundTeam.id, role: "fundTeam", organisationId: fundTeam.organisationId, name: fundTeam.name },
      new Date(),
    );
    return project;
  });
  return { ...partnership, project, stage, awardPence, ministry, approver, secondApprover, seniorApprover };
}

export interface ModeratedBidSpec {
  title?: string;
  amountPence: number;
  /** One array per assessor: a score per criterion, in the round's criteria order. */
  scores: number[][];
  /** Consensus scores by criterion key, recorded by a moderator. */
  consensus?: Record<string, number>;
}

/**
 * A round whose bids have all reached moderation: each a partnership (a lead and two
 * partners, with an officer each, and a certifier at the lead), moved through the bid
 * machine, and scored by the round's assessors (every assessment submitted with a
 * justification per criterion). For the decisions, progress and export pages.
 */
export async function createModeratedRound(options: { budgetPence?: number; bids: ModeratedBidSpec[] }) {
  const { applyWorkflowEvent } = await import("~/engine/apply-event.server.ts");
  const { bidSubmissionFacts } = await import("~/bids/facts.server.ts");
  const base = await createRound();
  const round = await db().round.update({ where: { id: base.id }, data: { budgetPence: options.budgetPence ?? base.budgetPence } });
  const fundTeam = await createUser("fundTeam");
  const assessorCount = Math.max(1, ...options.bids.map((b) => b.scores.length));
  const assessors = [];
  for (let i = 0; i < assessorCount; i++) assessors.push(await createUser("assessor"));
  const rules = { ...defaultFundRules, assessment: { ...defaultFundRules.assessment, assessorsPerBid: 1 as const } };
  const criteria = defaultFundRules.assessment.criteria;
  const asActor = (user: { id: string; role: string; organisationId: string }) => actor(user);
  const at = () => new Date().toISOString();
  const bids = [];
  for (const [index, spec] of options.bids.entries()) {
    const lead = await createOrganisation();
    const partnerA = await createOrganisation();
    const partnerB = await createOrganisation();
    const officer = await createUser("councilOfficer", lead.id);
    const certifier = await createUser("certifier", lead.id);
    const partnerOfficer = await createUser("councilOfficer", partnerA.id);
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
          title: spec.title ?? `Bid ${index + 1}`,
          amountRequestedPence: spec.amountPence,
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
      await recordCreation(tx, "bid", { ...bid, snapshot }, { ...asActor(officer), name: officer.name }, new Date());
      return bid;
    });
    const step = async (
      event: Record<string, unknown>,
      who: { id: string; role: string; organisationId: string },
      kind: "bid" | "assessment" = "bid",
      recordId = id,
    ) => {
      const result = await applyWorkflowEvent(kind, recordId, { ...event, actor: asActor(who), at: at() } as never);
      if (!result.ok) throw new Error(`${String(event.type)}: ${result.reason}`);
    };
    await step({ type: "REQUEST_CERTIFICATION", facts: await bidSubmissionFacts(db(), id) }, officer);
    await step({ type: "CERTIFY", facts: await bidSubmissionFacts(db(), id) }, certifier);
    await step({ type: "BEGIN_ELIGIBILITY_CHECK" }, fundTeam);
    await step({ type: "MARK_ELIGIBLE" }, fundTeam);
    await step({ type: "START_ASSESSMENT", facts: { rules, assessorsAssigned: spec.scores.length } }, fundTeam);
    for (const [n, scores] of spec.scores.entries()) {
      const assessor = assessors[n]!;
      const assessmentId = randomUUID();
      const start = startSnapshot("assessment", {
        assessmentId,
        bidId: id,
        assessorUserId: assessor.id,
        partnershipOrganisationIds: [lead.id, partnerA.id, partnerB.id],
      });
      await db().$transaction(async (tx) => {
        await tx.assessment.create({
          data: {
            id: assessmentId,
            bidId: id,
            assessorUserId: assessor.id,
            scores: Object.fromEntries(
              criteria.map((c, i) => [c.key, { score: scores[i] ?? 0, justification: `${c.label} earns ${scores[i] ?? 0} because the evidence supports it.` }]),
            ),
            state: String(start.value),
            snapshot: start as unknown as Prisma.InputJsonValue,
            machineVersion: workflows.assessment.version,
          },
        });
        await recordCreation(
          tx,
          "assessment",
          { id: assessmentId, title: bid.title, reference: bid.reference, snapshot: start },
          { ...asActor(fundTeam), name: fundTeam.name },
          new Date(),
        );
      });
      await step({ type: "ACCEPT" }, assessor, "assessment", assessmentId);
      await step({ type: "DECLARE_INTERESTS", interests: "None", conflict: false }, assessor, "assessment", assessmentId);
      await step({ type: "START_SCORING" }, assessor, "assessment", assessmentId);
      await step({ type: "SUBMIT_SCORES", facts: { unscoredCriteria: [], unjustifiedCriteria: [] } }, assessor, "assessment", assessmentId);
    }
    await step({ type: "BEGIN_MODERATION", facts: { rules, assessmentsSubmitted: spec.scores.length, assessmentsOutstanding: 0 } }, fundTeam);
    for (const [criterionKey, score] of Object.entries(spec.consensus ?? {})) {
      await db().consensusScore.create({ data: { bidId: id, criterionKey, score, rationale: `Agreed ${score} on ${criterionKey}`, byUserId: fundTeam.id } });
    }
    bids.push({ bid, lead, partnerA, partnerB, officer, certifier, partnerOfficer });
  }
  return { round, fundTeam, assessors, bids };
}

/**
 * A round with eligible partnership bids waiting for assessors: each bid a lead and two
 * partners who accepted (an officer at each, a certifier at the lead), moved through the
 * bid machine to "eligible". For the assessor, scoring and moderation tests.
 */
export async function createEligibleBids(count: number) {
  const { applyWorkflowEvent } = await import("~/engine/apply-event.server.ts");
  const { bidSubmissionFacts } = await import("~/bids/facts.server.ts");
  const round = await createRound();
  const fundTeam = await createUser("fundTeam");
  const at = () => new Date().toISOString();
  const bids = [];
  for (let index = 0; index < count; index++) {
    const lead = await createOrganisation();
    const partnerA = await createOrganisation();
    const partnerB = await createOrganisation();
    const officer = await createUser("councilOfficer", lead.id);
    const certifier = await createUser("certifier", lead.id);
    const id = randomUUID();
    const snapshot = startSnapshot("bid", { bidId: id, roundId: round.id, leadOrganisationId: lead.id });
    const bid = await db().$transaction(async (tx) => {
      const bid = await tx.bid.create({
        data: {
          id,
          reference: `LDF-TEST-${String(index + 1).padStart(2, "0")}-${unique()}`,
          roundId: round.id,
          leadOrganisationId: lead.id,
          createdById: officer.id,
          title: `Eligible bid ${index + 1}`,
          amountRequestedPence: 200_000_00,
          answers: {
            completed: bidSections.map((s) => s.key),
            sections: { summary: { title: `Eligible bid ${index + 1}`, summary: "A shared front door for council services." } },
          },
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
      await recordCreation(tx, "bid", { ...bid, snapshot }, { ...actor(officer), name: officer.name }, new Date());
      return bid;
    });
    const step = async (event: Record<string, unknown>, who: { id: string; role: string; organisationId: string }) => {
      const result = await applyWorkflowEvent("bid", id, { ...event, actor: actor(who), at: at() } as never);
      if (!result.ok) throw new Error(`${String(event.type)}: ${result.reason}`);
    };
    await step({ type: "REQUEST_CERTIFICATION", facts: await bidSubmissionFacts(db(), id) }, officer);
    await step({ type: "CERTIFY", facts: await bidSubmissionFacts(db(), id) }, certifier);
    await step({ type: "BEGIN_ELIGIBILITY_CHECK" }, fundTeam);
    await step({ type: "MARK_ELIGIBLE" }, fundTeam);
    bids.push({ bid, lead, partnerA, partnerB, officer, certifier });
  }
  return { round, fundTeam, bids };
}

/**
 * Eligible bids (createEligibleBids) with the round's pool of assessors assigned
 * automatically, every invitation accepted with no interests to declare (so each
 * assessment is open for scoring), and assessment started for every bid.
 */
export async function createBidsInAssessment(count: number, assessorCount = 2) {
  const { applyWorkflowEvent } = await import("~/engine/apply-event.server.ts");
  const { assignAutomatically, startAssessmentFacts } = await import("~/assessment/assessments.server.ts");
  const setup = await createEligibleBids(count);
  const assessors = [];
  for (let i = 0; i < assessorCount; i++) assessors.push(await createUser("assessor"));
  await db().roundAssessor.createMany({ data: assessors.map((a) => ({ roundId: setup.round.id, userId: a.id })) });
  await assignAutomatically(setup.round.id, { ...actor(setup.fundTeam), role: "fundTeam", name: setup.fundTeam.name });
  const at = () => new Date().toISOString();
  const assessments = await db().assessment.findMany({ where: { bid: { roundId: setup.round.id } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  for (const a of assessments) {
    const assessor = assessors.find((u) => u.id === a.assessorUserId)!;
    for (const event of [{ type: "ACCEPT" }, { type: "DECLARE_INTERESTS", interests: "None", conflict: false }, { type: "START_SCORING" }]) {
      const result = await applyWorkflowEvent("assessment", a.id, { ...event, actor: { ...actor(assessor), role: "assessor" }, at: at() } as never);
      if (!result.ok) throw new Error(`${event.type}: ${result.reason}`);
    }
  }
  for (const { bid } of setup.bids) {
    const result = await applyWorkflowEvent("bid", bid.id, {
      type: "START_ASSESSMENT",
      actor: { ...actor(setup.fundTeam), role: "fundTeam" },
      at: at(),
      facts: await startAssessmentFacts(db(), bid.id),
    } as never);
    if (!result.ok) throw new Error(`START_ASSESSMENT: ${result.reason}`);
  }
  return { ...setup, assessors };
}
