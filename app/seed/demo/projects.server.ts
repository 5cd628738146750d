import { randomUUID } from "node:crypto";
import { addToPool, moderationFacts, startAssessmentFacts } from "~/assessment/assessments.server.ts";
import { insertProject, insertTranche } from "~/projects/sql.server.ts";
import { feedbackFor } from "~/funding/decisions.server.ts";
import { roundRanking } from "~/funding/scores.server.ts";
import type { Prisma, PrismaClient } from "~/generated/prisma/client.ts";
import { roundRules, roundRulesSelect } from "~/rounds/rules.ts";
import { formatMoney } from "~/utils/format.ts";
import { applyWorkflowEvent, recordCreation, recordCreationInSql } from "~/engine/apply-event.server.ts";
import { bidSubmissionFacts } from "~/bids/facts.server.ts";
import { startSnapshot, workflows } from "../../../workflows/index.ts";
import { defaultFundRules } from "../../../workflows/rules.ts";
import { londonNoonInDays } from "~/utils/dates.ts";
import { bidAnswers, costLinesFor, createDraftBid, createPeople, organisationIds, peopleByEmail, stepsFor } from "./records.server.ts";

// A round that closed last year, whose two funded bids are now pilots part-way through
// delivery: the projects the gate reviews, adoptions and knowledge hub start from. Every
// step (bids sent and certified before the deadline, checked, assessed by two assessors,
// moderated, placed above the funding line, decisions published with their projects) goes
// through the workflow engine with the time it happened, so states, history and the
// timeline agree.

export const demoPastRoundSlug = "pilot-2025";

/** People the project journeys need besides the seed's one-per-role demo users. */
export const demoProjectUsers = [
  { email: "approver2@mhclg.example", name: "Daniel Evans", role: "gateApprover", org: "MHCLG" },
  { email: "officer@hackney.example", name: "Joseph Okoro", role: "councilOfficer", org: "HCK" },
  { email: "officer@camden.example", name: "Laura Kemp", role: "councilOfficer", org: "CMD" },
  { email: "officer@sheffield.example", name: "Mark Ellis", role: "councilOfficer", org: "SHF" },
  { email: "assessor4@assessors.example", name: "Owen Price", role: "assessor", org: "OPEN-ASSESS" },
] as const;

interface DemoProject {
  title: string;
  lead: "BIR" | "MAN";
  officer: string;
  certifier: string;
  partners: string[];
  awardPence: number;
  summary: string;
  serviceArea: string;
  problem: string;
  users: string;
  /** Each assessor's score per criterion, in the fund's criteria order. */
  scores: [number[], number[]];
}

export const demoProjects: DemoProject[] = [
  {
    title: "Shared adult social care front door",
    lead: "BIR",
    officer: "officer@birmingham.example",
    certifier: "certifier@birmingham.example",
    partners: ["MAN", "LDS"],
    awardPence: 90_000_00,
    summary: "One online front door for adult social care: residents describe their needs once, and are routed to advice, community support or an assessment.",
    serviceArea: "Adult social care",
    problem: "Residents call several times before reaching the right team; half of the contacts to adult social care need no assessment at all.",
    users: "Around 120,000 contacts a year across three councils, from residents, carers and professionals, and the contact centre staff who triage them.",
    scores: [
      [4, 4, 4, 4],
      [5, 4, 4, 3],
    ],
  },
  {
    title: "Housing repairs reporting",
    lead: "MAN",
    officer: "officer@manchester.example",
    certifier: "certifier@manchester.example",
    partners: ["BIR", "SHF"],
    awardPence: 60_000_00,
    summary: "Tenants report a repair online with photos, choose an appointment and follow it to completion, on one open service shared by three councils.",
    serviceArea: "Housing",
    problem: "Repairs are reported by phone; a quarter of jobs need a second visit because the fault was described wrongly.",
    users: "About 60,000 council tenants in three cities, and the repairs teams who book and carry out the work.",
    scores: [
      [4, 3, 4, 3],
      [3, 4, 3, 4],
    ],
  },
];

function answersFor(demo: DemoProject) {
  return bidAnswers({
    ...demo,
    collaboration: "A board of one senior officer from each council meets monthly; the lead council holds the budget and the contracts.",
    approach: "Discovery with residents and staff in all three councils, then an alpha, then a pilot with real users in each council.",
    reuse: "GOV.UK Notify, GOV.UK Pay and the Local Digital collaboration's patterns.",
    openness: "Code, research and designs published openly; show and tells every fortnight.",
    costs: costLinesFor(demo.awardPence),
    risks: "Supplier delay: fixed milestones and a break clause. Data sharing: agreements signed before the pilot.",
    evaluationPlan: "Baseline contact volumes and costs before the pilot, measure them monthly, and report against them at each gate.",
  });
}

export async function seedDemoProjects(prisma: PrismaClient): Promise<void> {
  const fund = await prisma.fund.findUniqueOrThrow({ where: { slug: "local-digital" } });
  const codes = [...new Set(["MHCLG", ...demoProjectUsers.map((u) => u.org), ...demoProjects.flatMap((p) => [p.lead, ...p.partners])])];
  const orgs = await organisationIds(prisma, codes);
  await createPeople(prisma, demoProjectUsers, (code) => orgs.get(code)!);
  const emails = [
    ...demoProjectUsers.map((u) => u.email),
    ...demoProjects.flatMap((p) => [p.officer, p.certifier]),
    "fund.team@mhclg.example",
    "assessor@assessors.example",
  ];
  const person = await peopleByEmail(prisma, emails, "Demo projects");
  const fundTeam = person("fund.team@mhclg.example");
  const assessors = [person("assessor@assessors.example"), person("assessor4@assessors.example")];

  // Opened and closed last year; decisions published a few weeks after assessment.
  const day = (n: number) => londonNoonInDays(n);
  const round = await prisma.round.create({
    data: {
      fundId: fund.id,
      slug: demoPastRoundSlug,
      name: "Pilot round 2025 to 2026",
      stage: "pilot",
      opensAt: day(-330),
      closesAt: day(-270),
      assessmentDueAt: day(-240),
      capPence: 100_000_00,
      budgetPence: 200_000_00,
      rules: defaultFundRules as object,
      guidance: "Bid for up to £100,000 to pilot a common solution with at least two other councils. The budget for this round is £200,000.",
      decisionMessage: "Thank you for bidding. The panel's feedback on your bid is below.",
    },
    select: { id: true, ...roundRulesSelect },
  });
  const rules = roundRules(round);
  for (const assessor of assessors) await addToPool(round.id, assessor.userId);

  const step = stepsFor("Demo projects");

  const bids: { id: string; demo: DemoProject; reference: string; lead: string }[] = [];
  for (const [index, demo] of demoProjects.entries()) {
    const officer = person(demo.officer);
    const certifier = person(demo.certifier);
    const lead = orgs.get(demo.lead)!;
    const partnerIds = demo.partners.map((code) => orgs.get(code)!);
    const partnership = [lead, ...partnerIds];
    const { id, reference } = await createDraftBid(prisma, {
      roundId: round.id,
      leadOrganisationId: lead,
      partnerIds,
      officer,
      title: demo.title,
      amountRequestedPence: demo.awardPence,
      answers: answersFor(demo),
      drafted: day(-300 + index),
    });
    bids.push({ id, demo, reference, lead });

    const facts = await bidSubmissionFacts(prisma, id);
    await step("bid", id, officer, day(-285 + index), { type: "REQUEST_CERTIFICATION", facts });
    await step("bid", id, certifier, day(-280 + index), { type: "CERTIFY", facts });
    await step("bid", id, fundTeam, day(-268), { type: "BEGIN_ELIGIBILITY_CHECK" });
    await step("bid", id, fundTeam, day(-267), { type: "MARK_ELIGIBLE" });

    // Both assessors are from the assessor body, so neither has a conflict with the partnership.
    const assessmentIds: string[] = [];
    for (const assessor of assessors) {
      const assessmentId = randomUUID();
      const start = startSnapshot("assessment", { assessmentId, bidId: id, assessorUserId: assessor.userId, partnershipOrganisationIds: partnership });
      await prisma.$transaction(async (tx) => {
        await tx.assessment.create({
          data: {
            id: assessmentId,
            bidId: id,
            assessorUserId: assessor.userId,
            dueAt: day(-240),
            state: String(start.value),
            snapshot: start as unknown as Prisma.InputJsonValue,
            machineVersion: workflows.assessment.version,
            createdAt: day(-266),
          },
        });
        await recordCreation(tx, "assessment", { id: assessmentId, title: demo.title, reference, snapshot: start }, fundTeam, day(-266));
      });
      assessmentIds.push(assessmentId);
    }
    await step("bid", id, fundTeam, day(-265), { type: "START_ASSESSMENT", facts: await startAssessmentFacts(prisma, id) });
    for (const [n, assessmentId] of assessmentIds.entries()) {
      const assessor = assessors[n]!;
      await step("assessment", assessmentId, assessor, day(-264), { type: "ACCEPT" });
      await step("assessment", assessmentId, assessor, day(-264), { type: "DECLARE_INTERESTS", interests: "None", conflict: false });
      await step("assessment", assessmentId, assessor, day(-260), { type: "START_SCORING" });
      const scores = Object.fromEntries(
        rules.assessment.criteria.map((c, i) => {
          const score = demo.scores[n]![i]!;
          const label = rules.assessment.scale.labels.find((l) => l.score === score)?.label.toLowerCase() ?? "";
          return [c.key, { score, justification: `${c.label} is ${label}: the bid's evidence supports a score of ${score}.` }];
        }),
      );
      await prisma.assessment.update({ where: { id: assessmentId }, data: { scores } });
      await step("assessment", assessmentId, assessor, day(-250), { type: "SUBMIT_SCORES", facts: { unscoredCriteria: [], unjustifiedCriteria: [] } });
    }
    await step("bid", id, fundTeam, day(-245), { type: "BEGIN_MODERATION", facts: await moderationFacts(prisma, id) });
  }

  // The funding line, drawn on the moderated ranking as the decisions page draws it.
  const ranking = await roundRanking(round, rules);
  for (const ranked of ranking.bids) {
    await step("bid", ranked.bidId, fundTeam, day(-235), {
      type: "DRAW_FUNDING_LINE",
      facts: { aboveLine: ranked.placement === "above", rank: ranked.rank, moderatedScore: ranked.moderatedScore, unresolvedDisagreements: 0 },
    });
  }

  // Decisions published together; each funded bid becomes a pilot in the same transaction.
  const published = day(-230);
  const message = "Thank you for bidding. The panel's feedback on your bid is below.";
  for (const ranked of ranking.bids) {
    const bid = bids.find((b) => b.id === ranked.bidId)!;
    const funded = ranked.placement === "above";
    const { name, ...actor } = fundTeam;
    const outcome = await applyWorkflowEvent(
      "bid",
      bid.id,
      { type: "PUBLISH_DECISION", actor, at: published.toISOString(), message, feedback: await feedbackFor(bid.id, rules) },
      {
        actorName: name,
        alsoInTransaction: funded
          ? async (sql) => {
              const projectId = randomUUID();
              const snapshot = startSnapshot("project", { projectId, bidId: bid.id, leadOrganisationId: bid.lead, startStage: round.stage });
              const reference = `P-${bid.reference}`;
              await insertProject(sql, {
                id: projectId,
                bidId: bid.id,
                leadOrganisationId: bid.lead,
                title: bid.demo.title,
                reference,
                awardPence: ranked.awardPence,
                state: String(snapshot.value),
                snapshot,
                machineVersion: workflows.project.version,
                summary: bid.demo.summary,
                serviceArea: bid.demo.serviceArea,
                at: published,
              });
              const reason = ranked.partial
                ? `Award on funding: the ${formatMoney(ranked.awardPence)} left of the round's budget, where the bid asked for ${formatMoney(bid.demo.awardPence)}`
                : "Award on funding";
              await insertTranche(sql, { projectId, stage: round.stage, amountPence: ranked.awardPence, reason, at: published });
              await recordCreationInSql(sql, "project", { id: projectId, title: bid.demo.title, reference, snapshot }, fundTeam, published);
            }
          : undefined,
      },
    );
    if (!outcome.ok) throw new Error(`Demo projects: PUBLISH_DECISION refused for "${bid.demo.title}": ${outcome.reason}`);
  }
  await prisma.round.update({ where: { id: round.id }, data: { decisionsPublishedAt: published } });
}
