import { milestoneStatusLabel } from "./forms.ts";
import { jsonColumn } from "~/db/json.server.ts";
import type { SignedInUser } from "~/auth/session.server.ts";
import { db, type SqlQuery } from "~/db/database.server.ts";
import { clearNextGateDate, insertTranche, latestGateReviewRequest, projectReleased } from "./sql.server.ts";
import type { Prisma } from "~/generated/prisma/client.ts";
import { calendarDate, isoDay, londonToday } from "~/utils/dates.ts";
import { roundRules, roundRulesSelect } from "~/rounds/rules.ts";
import { refuseFile } from "~/storage/file-type.server.ts";
import { virusRefusal } from "~/storage/upload-scan.server.ts";
import { storage } from "~/storage/storage.server.ts";
import { actorOf, applyWorkflowEvent } from "~/engine/apply-event.server.ts";
import {
  contextOf,
  gateReadiness,
  governanceTier,
  stateLabel,
  stateTagColour,
  type FundRules,
  type PersistedSnapshot,
  type Stage,
} from "../../workflows/index.ts";
import { nextStage, reviewQuorum, stageOfState, type ProjectContext } from "../../workflows/project.ts";
import { stageLabels } from "../../workflows/rules.ts";
import { timelineFor } from "~/engine/timeline.server.ts";
import { evidenceByStage, presentEvidenceKeys, saveStageEvaluation } from "./evidence.server.ts";
import { isFinished } from "~/hub/case-study.ts";
import { draftLessonsFromStop } from "~/hub/stop-draft.server.ts";
import { forbidden, notFound } from "~/http/errors.server.ts";
import { percentOf, plural } from "~/utils/format.ts";

// ---------------------------------------------------------------- loading, with who may see what

const projectSelect = {
  id: true,
  reference: true,
  title: true,
  state: true,
  snapshot: true,
  version: true,
  awardPence: true,
  summary: true,
  nextGateDueOn: true,
  // The day the project started: its milestones, spend and measurements are dated from it.
  createdAt: true,
  leadOrganisationId: true,
  leadOrganisation: { select: { id: true, name: true } },
  bid: {
    select: {
      id: true,
      partners: { where: { status: "accepted" }, select: { organisationId: true, organisation: { select: { name: true } } } },
      round: { select: { name: true, ...roundRulesSelect } },
    },
  },
  tranches: { select: { id: true, stage: true, amountPence: true, reason: true, createdAt: true }, orderBy: { createdAt: "asc" } },
} satisfies Prisma.ProjectSelect;

export type LoadedProject = Prisma.ProjectGetPayload<{ select: typeof projectSelect }>;

/** How the person relates to the project; what they may see and do follows from it. */
export type ProjectRelation = "leadOfficer" | "leadCertifier" | "partnerOfficer" | "partnerCertifier" | "fundTeam" | "gateApprover";

export function projectRelation(user: SignedInUser, project: Pick<LoadedProject, "leadOrganisationId" | "bid">): ProjectRelation | null {
  if (user.role === "fundTeam") return "fundTeam";
  if (user.role === "gateApprover") return "gateApprover";
  const org = user.organisation.id;
  const lead = project.leadOrganisationId === org;
  const partner = project.bid.partners.some((p) => p.organisationId === org);
  if (user.role === "councilOfficer") return lead ? "leadOfficer" : partner ? "partnerOfficer" : null;
  if (user.role === "certifier") return lead ? "leadCertifier" : partner ? "partnerCertifier" : null;
  return null;
}

/**
 * The project, if this person may see it: officers and certifiers of its lead or partner
 * councils, the fund team and gate approvers. Anyone else is told it is not there.
 */
export async function loadProjectFor(user: SignedInUser, id: string | undefined, allowed?: ProjectRelation[]) {
  const project = id ? await db().project.findUnique({ where: { id }, select: projectSelect }) : null;
  if (!project) throw notFound();
  const relation = projectRelation(user, project);
  if (!relation) throw notFound();
  if (allowed && !allowed.includes(relation)) throw forbidden();
  const context = contextOf("project", project.snapshot as unknown as PersistedSnapshot) as ProjectContext;
  const rules = roundRules(project.bid.round);
  return { project, relation, context, rules, stage: stageOfState(project.state) ?? context.stage };
}

/** The projects this person may see, newest first. */
export async function projectsFor(user: SignedInUser) {
  const where: Prisma.ProjectWhereInput =
    user.role === "fundTeam" || user.role === "gateApprover"
      ? {}
      : {
          OR: [{ leadOrganisationId: user.organisation.id }, { bid: { partners: { some: { organisationId: user.organisation.id, status: "accepted" } } } }],
        };
  return db().project.findMany({
    where,
    select: {
      id: true,
      reference: true,
      title: true,
      state: true,
      leadOrganisation: { select: { name: true } },
      tranches: { select: { amountPence: true } },
      awardPence: true,
      nextGateDueOn: true,
    },
    orderBy: { createdAt: "desc" },
    take: 200,
  });
}

/** Whether the project team (the lead council's officers) may change its records now. */
export const canEditProject = (relation: ProjectRelation, state: string) => relation === "leadOfficer" && stageOfState(state) !== null;

/** Money released so far: the tranches, or the award for a project that has none recorded. */
export function cumulativeFunding(project: { awardPence: number; tranches: { amountPence: number }[] }): number {
  return project.tranches.length ? project.tranches.reduce((sum, t) => sum + t.amountPence, 0) : project.awardPence;
}

// ---------------------------------------------------------------- the governance tier, in words

export interface TierView {
  tier: number;
  reason: string;
  requirement: string;
  approvers: number;
  seniorRequired: boolean;
  financeSignOff: boolean;
  evidence: { key: string; label: string }[];
}

export function tierView(cumulativePence: number, stage: Stage, rules: FundRules): TierView {
  const decision = governanceTier(cumulativePence, rules);
  const required = gateReadiness(decision.tier, stage, [], rules).required;
  return {
    tier: decision.tier,
    reason: `${decision.reason}.`,
    requirement: requirementSentence(
      decision.rules,
      required.map((r) => r.label),
    ),
    approvers: decision.rules.approvers,
    seniorRequired: decision.rules.seniorRequired,
    financeSignOff: decision.rules.financeSignOff,
    evidence: required,
  };
}

export function requirementSentence(rules: { approvers: number; seniorRequired: boolean; financeSignOff: boolean }, evidence: string[]): string {
  const who = `${plural(rules.approvers, "gate approver")}${rules.seniorRequired ? (rules.approvers === 1 ? ", who must be senior" : ", one of them senior") : ""}`;
  const finance = rules.financeSignOff ? " and finance sign-off from the fund team" : "";
  const items = evidence.length ? ` Evidence needed at the gate: ${evidence.join("; ")}.` : "";
  return `A gate review needs ${who}${finance}.${items}`;
}

// ---------------------------------------------------------------- the project team's records

export type Errors = Record<string, string>;

export async function addMilestone(project: LoadedProject, stage: Stage, title: string, dueOn: string) {
  return db().milestone.create({ data: { projectId: project.id, stage, title, dueOn: calendarDate(dueOn) }, select: { id: true } });
}

export { milestoneStatuses, milestoneStatusLabel } from "./forms.ts";

export async function setMilestoneStatus(project: LoadedProject, milestoneId: string, status: string) {
  const completedOn = status === "done" ? calendarDate(londonToday()) : null;
  const changed = await db().milestone.updateMany({ where: { id: milestoneId, projectId: project.id }, data: { status, completedOn } });
  return changed.count === 1;
}

export async function addMetric(project: LoadedProject, fields: { name: string; unit: string; baseline: number; target: number }) {
  return db().metric.create({ data: { projectId: project.id, ...fields }, select: { id: true } });
}

/** Records an actual against the stage the project is in: that stage's gate weighs it. */
export async function addActual(project: LoadedProject, stage: Stage, metricId: string, value: number, recordedOn: string, note: string) {
  const metric = await db().metric.findFirst({ where: { id: metricId, projectId: project.id }, select: { id: true } });
  if (!metric) return false;
  await db().metricActual.create({ data: { metricId, stage, value, recordedOn: calendarDate(recordedOn), note } });
  return true;
}

export async function addSpendReport(user: SignedInUser, project: LoadedProject, stage: Stage, amountPence: number, periodEnd: string, note: string) {
  return db().spendReport.create({
    data: { projectId: project.id, stage, amountPence, periodEnd: calendarDate(periodEnd), note, reportedById: user.id },
    select: { id: true },
  });
}

/** The evaluation of the stage the project is in. */
export async function saveEvaluation(project: LoadedProject, stage: Stage, evaluation: string) {
  await saveStageEvaluation(project.id, stage, evaluation);
}

export async function setNextGateDue(project: LoadedProject, dueOn: string | null) {
  await db().project.update({ where: { id: project.id }, data: { nextGateDueOn: calendarDate(dueOn) } });
}

/** Stores an evidence document for the current stage, typed by the fund's evidence keys. */
export async function addProjectDocument(
  user: SignedInUser,
  project: LoadedProject,
  stage: Stage,
  rules: FundRules,
  type: string,
  file: { name: string; bytes: Uint8Array } | null,
): Promise<{ ok: true; id: string } | { errors: Errors }> {
  const errors: Errors = {};
  if (!(type in rules.governance.evidenceLabels)) errors.type = "Select the type of evidence";
  let mimeType = "";
  // The name it is stored and downloaded under: cleaned, with the detected type's extension.
  let fileName = "";
  if (!file || (file.bytes.length === 0 && !file.name)) errors.file = "Select a file";
  else {
    // Judged by its content, and as the type chosen for it (spend to date is a spreadsheet or a PDF).
    const checked = refuseFile(file.bytes, file.name, errors.type ? undefined : type);
    if ("reason" in checked) errors.file = checked.reason;
    else
      ({
        fileName,
        type: { mimeType },
      } = checked);
  }
  if (Object.keys(errors).length || !file) return { errors };
  // Checked for viruses before anything is kept (nothing is, without CLAMD_URL).
  const infected = await virusRefusal(user, { kind: "project", id: project.id }, { documentType: type, fileName, bytes: file.bytes });
  if (infected) return { errors: { file: infected } };
  const { key, sha256 } = await storage().put(file.bytes);
  // The same file, as the same type, in the same stage, sent twice: keep one.
  const same = await db().projectDocument.findFirst({ where: { projectId: project.id, stage, sha256, type }, select: { id: true } });
  if (same) return { ok: true, id: same.id };
  const row = await db().projectDocument.create({
    data: { projectId: project.id, stage, type, fileName, size: file.bytes.length, mimeType, sha256, storageKey: key, uploadedById: user.id },
    select: { id: true },
  });
  return { ok: true, id: row.id };
}

export async function removeProjectDocument(project: LoadedProject, stage: Stage, documentId: string) {
  // Evidence from an earlier stage went to that stage's gate: it stays on the record.
  await db().projectDocument.deleteMany({ where: { id: documentId, projectId: project.id, stage } });
}

/**
 * Makes exactly the chosen documents of the project public (shown and downloadable with its
 * published case study) and every other one not. Separate from `reusable`, which offers a
 * document to adopting councils only.
 */
export async function setPublicDocuments(projectId: string, documentIds: string[]) {
  await db().$transaction([
    db().projectDocument.updateMany({ where: { projectId, id: { in: documentIds } }, data: { isPublic: true } }),
    db().projectDocument.updateMany({ where: { projectId, id: { notIn: documentIds } }, data: { isPublic: false } }),
  ]);
}

// ---------------------------------------------------------------- gate reviews

export type GateAction =
  | { type: "REQUEST_GATE_REVIEW"; nextTranchePence: number }
  | { type: "OPEN_REVIEW" }
  | { type: "RETURN_GATE_REQUEST"; reason: string }
  | { type: "VOTE"; outcome: "go" | "conditionalGo" | "hold" | "recycle" | "stop"; reason: string; conditions: { text: string; dueDate: string }[] }
  | { type: "SIGN_OFF_FINANCE"; note: string }
  | { type: "RECORD_CONDITION_MET"; conditionId: string; note: string }
  | { type: "RECORD_LESSONS"; lessons: string };

/**
 * Sends a gate event for the person, with the facts read from the database now.
 *
 * The tranche a gate would release is not a field of the project machine: the team states
 * it when asking for the review, and it goes into the request's cumulativeFundingPence (the
 * funding so far plus that tranche), which fixes the tier and is kept in the review. So
 * when a gate says go (or conditional go) and the project moves on, the new tranche is that
 * figure less the tranches already released, inserted in the decision's own transaction.
 * Nothing else needs storing, and a returned or held request releases nothing.
 */
export async function gateAct(
  user: SignedInUser,
  loaded: { project: LoadedProject; context: ProjectContext; rules: FundRules; stage: Stage },
  action: GateAction,
  expectedVersion: number | undefined,
): Promise<{ ok: true; to: string } | { ok: false; reason: string }> {
  const { project, rules, stage } = loaded;
  const at = new Date().toISOString();
  const actor = actorOf(user);
  let event: Record<string, unknown>;
  switch (action.type) {
    case "REQUEST_GATE_REVIEW":
      event = {
        type: action.type,
        facts: {
          rules,
          cumulativeFundingPence: cumulativeFunding(project) + action.nextTranchePence,
          evidenceKeys: await presentEvidenceKeys(project.id, stage),
        },
      };
      break;
    case "VOTE":
      event = {
        type: "VOTE",
        outcome: action.outcome,
        reason: action.reason,
        ...(action.outcome === "conditionalGo" ? { conditions: action.conditions } : {}),
      };
      break;
    default: {
      const { type, ...fields } = action;
      event = { type, ...fields };
    }
  }
  const outcome = await applyWorkflowEvent("project", project.id, { ...event, actor, at } as never, {
    expectedVersion,
    actorName: user.name,
    // A decision releases the next tranche (go) or drafts the lessons case study (stop).
    alsoInTransaction:
      action.type === "VOTE" || action.type === "SIGN_OFF_FINANCE"
        ? async (sql, change) => {
            await releaseTranche(sql, project.id, change);
            await draftLessonsFromStop(sql, project.id, change);
          }
        : undefined,
  });
  if (outcome.ok) return { ok: true, to: outcome.to };
  if (outcome.code === "not-found") throw notFound();
  return { ok: false, reason: outcome.reason };
}

/** On a go or conditional go that moves the project to its next stage: the tranche the team asked for, and a fresh gate date. */
async function releaseTranche(sql: SqlQuery, projectId: string, change: { from: string; to: string }) {
  const from = stageOfState(change.from);
  const to = stageOfState(change.to);
  if (!from || !to || from === to) return;
  await clearNextGateDate(sql, projectId);
  const project = await projectReleased(sql, projectId);
  const snapshot = jsonColumn<PersistedSnapshot>(project.snapshot);
  const decided = contextOf("project", snapshot).decisions.at(-1);
  const request = await latestGateReviewRequest(sql, projectId);
  const payload: { facts?: { cumulativeFundingPence?: number } } = request ? jsonColumn(request) : {};
  const requested = Number(payload.facts?.cumulativeFundingPence ?? 0);
  const amount = requested - project.releasedPence;
  if (amount <= 0) return;
  await insertTranche(sql, {
    projectId,
    stage: to,
    amountPence: amount,
    reason: `Released at the ${stageLabels[from].toLowerCase()} gate (${decided?.outcome === "conditionalGo" ? "conditional go" : "go"})`,
  });
}

/** What the gate page shows of the review under way and the decisions so far. */
export async function gateView(context: ProjectContext, rules: FundRules) {
  const label = (key: string) => rules.governance.evidenceLabels[key] ?? key;
  const ids = new Set<string>();
  for (const v of context.review?.votes ?? []) ids.add(v.userId);
  if (context.review?.financeSignedOff) ids.add(context.review.financeSignedOff.userId);
  for (const d of context.decisions) for (const v of d.votes) ids.add(v.userId);
  const users = await db().user.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true, organisation: { select: { name: true } } } });
  const name = (id: string) => {
    const u = users.find((x) => x.id === id);
    return u ? `${u.name}, ${u.organisation.name}` : "A former user";
  };
  const votes = (list: ProjectContext["decisions"][number]["votes"]) =>
    list.map((v) => ({ who: name(v.userId), senior: v.senior, outcome: v.outcome, reason: v.reason, conditions: v.conditions, at: v.at }));
  const review = context.review
    ? {
        stage: context.review.stage,
        requestedAt: context.review.requested.at,
        opened: context.review.opened !== null,
        tier: context.review.tier,
        tierReason: `${context.review.tierReason}.`,
        cumulativeFundingPence: context.review.cumulativeFundingPence,
        requirement: requirementSentence(context.review, context.review.requiredEvidence.map(label)),
        approvers: context.review.approvers,
        seniorRequired: context.review.seniorRequired,
        financeSignOff: context.review.financeSignOff,
        financeSignedOff: context.review.financeSignedOff
          ? { who: name(context.review.financeSignedOff.userId), at: context.review.financeSignedOff.at, note: context.review.financeSignedOff.note }
          : null,
        votes: votes(context.review.votes),
        voterIds: context.review.votes.map((v) => v.userId),
        waitingFor: (() => {
          const q = reviewQuorum(context.review);
          return q.decided ? null : q.needed;
        })(),
      }
    : null;
  return {
    review,
    decisions: context.decisions.map((d) => ({ stage: d.stage, outcome: d.outcome, at: d.at, tier: d.tier, votes: votes(d.votes) })),
    conditions: context.conditions.map((c) => ({
      id: c.id,
      text: c.text,
      dueDate: c.dueDate,
      setAtGate: c.setAtGate,
      met: c.met ? { at: c.met.at, note: c.met.note } : null,
    })),
    lessons: context.lessons ? { text: context.lessons.text, at: context.lessons.at } : null,
  };
}

export const nextStageOf = (stage: Stage) => nextStage(stage);

/** What every project page shows at the top. */
export function projectHeader(project: Pick<LoadedProject, "id" | "reference" | "title" | "state" | "version">) {
  return {
    id: project.id,
    reference: project.reference,
    title: project.title,
    state: project.state,
    version: project.version,
    stateLabel: stateLabel("project", project.state),
    tag: stateTagColour("project", project.state),
  };
}

// ---------------------------------------------------------------- the project page

const today = () => londonToday();

export async function projectPageData(loaded: Awaited<ReturnType<typeof loadProjectFor>>) {
  const { project, relation, rules, stage } = loaded;
  const [team, milestones, metrics, documents, spend, presentKeys, byStage] = await Promise.all([
    db().user.findMany({
      where: { organisationId: project.leadOrganisationId, role: "councilOfficer" },
      select: { name: true, email: true },
      orderBy: { name: "asc" },
    }),
    db().milestone.findMany({ where: { projectId: project.id }, orderBy: [{ dueOn: "asc" }, { createdAt: "asc" }] }),
    db().metric.findMany({ where: { projectId: project.id }, include: { actuals: { orderBy: { recordedOn: "asc" } } }, orderBy: { createdAt: "asc" } }),
    db().projectDocument.findMany({ where: { projectId: project.id }, orderBy: { createdAt: "asc" } }),
    db().spendReport.findMany({ where: { projectId: project.id }, orderBy: [{ periodEnd: "asc" }, { createdAt: "asc" }] }),
    presentEvidenceKeys(project.id, stage),
    evidenceByStage(project.id, stage),
  ]);
  const funding = cumulativeFunding(project);
  const tier = tierView(funding, stage, rules);
  const readiness = gateReadiness(tier.tier, stage, presentKeys, rules);
  const now = today();
  const latestSpend = spend.at(-1) ?? null;
  const label = (key: string) => rules.governance.evidenceLabels[key] ?? key;
  return {
    project: {
      ...projectHeader(project),
      lead: project.leadOrganisation.name,
      partners: project.bid.partners.map((p) => p.organisation.name),
      round: project.bid.round.name,
      summary: project.summary,
      awardPence: project.awardPence,
      nextGateDueOn: isoDay(project.nextGateDueOn),
      stage,
      stageLabel: stageLabels[stage],
    },
    relation,
    team: team.map((t) => t.name),
    funding: {
      cumulativePence: funding,
      tranches: project.tranches.map((t) => ({
        id: t.id,
        stage: stageLabels[t.stage],
        amountPence: t.amountPence,
        reason: t.reason,
        at: t.createdAt.toISOString(),
      })),
    },
    tier,
    evidence: readiness.required.map((r) => ({ ...r, present: presentKeys.includes(r.key) })),
    ready: readiness.ready,
    milestones: milestones.map((m) => {
      const dueOn = isoDay(m.dueOn);
      return {
        id: m.id,
        title: m.title,
        stage: stageLabels[m.stage],
        dueOn,
        status: m.status,
        statusLabel: milestoneStatusLabel(m.status),
        overdue: m.status !== "done" && dueOn < now,
      };
    }),
    metrics: metrics.map((m) => ({
      id: m.id,
      name: m.name,
      unit: m.unit,
      baseline: m.baseline,
      target: m.target,
      actuals: m.actuals.map((a) => ({ id: a.id, value: a.value, recordedOn: isoDay(a.recordedOn), note: a.note })),
    })),
    documents: documents.map((d) => ({
      id: d.id,
      type: label(d.type),
      stage: d.stage,
      stageLabel: stageLabels[d.stage],
      current: d.stage === stage,
      fileName: d.fileName,
      size: d.size,
      at: d.createdAt.toISOString(),
    })),
    // The evidence of each stage so far, newest stage first: what each gate weighed.
    stages: byStage
      .map((s) => ({
        stage: s.stage,
        stageLabel: stageLabels[s.stage],
        current: s.stage === stage,
        evaluation: s.evaluation,
        actuals: s.metrics
          .flatMap((m) => m.actuals.map((a) => ({ ...a, metric: m.unit ? `${m.name} (${m.unit})` : m.name })))
          .sort((a, b) => a.recordedOn.localeCompare(b.recordedOn)),
        documents: documents.filter((d) => d.stage === s.stage).length,
        spendReports: spend.filter((r) => r.stage === s.stage).length,
      }))
      .reverse(),
    spend: {
      reports: spend.map((s) => ({ id: s.id, stage: stageLabels[s.stage], amountPence: s.amountPence, periodEnd: isoDay(s.periodEnd), note: s.note })),
      latestPence: latestSpend?.amountPence ?? 0,
      percentOfFunding: latestSpend ? percentOf(latestSpend.amountPence, funding) : 0,
    },
    canEdit: canEditProject(relation, project.state),
    needsLessons: project.state === "stopped",
    // Once finished, the evidence page is where the team chooses what the case study publishes.
    choosesPublicDocuments: relation === "leadOfficer" && isFinished(project.state),
    // The pages that follow a project once it scales or finishes, for the people who may open them.
    links: {
      adoptions: ["leadOfficer", "partnerOfficer", "fundTeam"].includes(relation) && (stage === "scale" || project.state === "completed"),
      caseStudy: ["leadOfficer", "partnerOfficer", "fundTeam"].includes(relation) && isFinished(project.state),
    },
    timeline: await timelineFor("project", project.id, relation === "fundTeam" || relation === "gateApprover" ? "staff" : "applicant"),
  };
}

/** Gate reviews open for votes that this approver has not voted on (and may vote on). */
export async function reviewsAwaitingVote(user: SignedInUser) {
  const open = await db().project.findMany({
    where: { state: { endsWith: "_inReview" }, leadOrganisationId: { not: user.organisation.id } },
    select: { id: true, reference: true, title: true, state: true, snapshot: true, leadOrganisation: { select: { name: true } } },
    orderBy: { updatedAt: "asc" },
  });
  return open
    .filter((p) => !(contextOf("project", p.snapshot as unknown as PersistedSnapshot) as ProjectContext).review?.votes.some((v) => v.userId === user.id))
    .map((p) => {
      const review = (contextOf("project", p.snapshot as unknown as PersistedSnapshot) as ProjectContext).review;
      return {
        id: p.id,
        reference: p.reference,
        title: p.title,
        lead: p.leadOrganisation.name,
        stateLabel: stateLabel("project", p.state),
        tier: review?.tier ?? null,
        openedAt: review?.opened?.at ?? null,
      };
    });
}
