import type { SignedInUser } from "~/auth/session.server.ts";
import { database, db } from "~/db/database.server.ts";
import { env } from "~/env.server.ts";
import { caseStudyAuthor, recordChanges, type RecordChange } from "~/engine/record-changes.server.ts";
import type { CaseStudyEmailData } from "../../emails/case-study.ts";
import { contextOf, type PersistedSnapshot, type Stage } from "../../workflows/index.ts";
import type { ProjectContext } from "../../workflows/project.ts";
import { stageLabels } from "../../workflows/rules.ts";

// Case studies for the knowledge hub. The lead council writes one when its project has
// finished (completed, or stopped: what a stopped pilot taught is worth as much), the fund
// team reviews it, and once published anyone can read and search it.

export {
  caseStudyFields,
  caseStudyForm,
  caseStudyReviewForm,
  caseStudyStatusLabels,
  finishedStates,
  isFinished,
  isStoppedState,
  type CaseStudyFieldName,
  type CaseStudyFields,
} from "./case-study.ts";
import { caseStudyFields, caseStudyForm, isFinished, isStoppedState, type CaseStudyFields } from "./case-study.ts";
import { clampPage, pageParam } from "~/utils/paging.ts";
import { notFound } from "~/http/errors.server.ts";
import { countCaseStudies, searchCaseStudies, type CaseStudySearch } from "./sql.server.ts";

/** The messages a case study's fields would get, or none (the form's own rules: see caseStudyForm). */
export function validateFields(input: Partial<CaseStudyFields>, complete: boolean): Record<string, string> {
  const result = caseStudyForm(complete).safeParse(Object.fromEntries(caseStudyFields.map((f) => [f.name, input[f.name] ?? ""])));
  const errors: Record<string, string> = {};
  for (const issue of result.error?.issues ?? []) errors[String(issue.path[0])] ??= issue.message;
  return errors;
}

export function slugFor(title: string, reference: string): string {
  const words = title
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  const ref = reference.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  return words ? `${words}-${ref}` : ref;
}

const projectSelect = {
  id: true,
  reference: true,
  title: true,
  summary: true,
  serviceArea: true,
  // The latest stage's written evaluation (one is kept per stage).
  evaluations: { select: { text: true }, orderBy: { stage: "desc" }, take: 1 },
  state: true,
  snapshot: true,
  leadOrganisationId: true,
  leadOrganisation: { select: { name: true } },
  bid: { select: { partners: { where: { status: "accepted" }, select: { organisationId: true } } } },
  caseStudy: true,
} as const;

export type CaseStudyRelation = "leadOfficer" | "team" | "fundTeam";

/** The project's case study page, for the project's councils and the fund team. */
export async function loadCaseStudyFor(user: SignedInUser, projectId: string | undefined) {
  const project = projectId ? await db().project.findUnique({ where: { id: projectId }, select: projectSelect }) : null;
  if (!project) throw notFound();
  const org = user.organisation.id;
  let relation: CaseStudyRelation | null = null;
  if (user.role === "fundTeam") relation = "fundTeam";
  else if (user.role === "councilOfficer" && project.leadOrganisationId === org) relation = "leadOfficer";
  else if (user.role === "councilOfficer" && project.bid.partners.some((p) => p.organisationId === org)) relation = "team";
  if (!relation) throw notFound();
  const context = contextOf("project", project.snapshot as unknown as PersistedSnapshot) as ProjectContext;
  return { project, relation, context, caseStudy: project.caseStudy };
}

/** What a new case study starts from: the project's own record and the lessons from its gates. */
export function startingFields(
  project: { title: string; summary: string; serviceArea: string; evaluations: { text: string }[] },
  context: ProjectContext,
): CaseStudyFields {
  return {
    title: project.title,
    serviceArea: project.serviceArea,
    problem: project.summary,
    approach: "",
    evidence: project.evaluations[0]?.text ?? "",
    outcome: "",
    lessons: context.lessons?.text ?? "",
    reusableOutputs: "",
  };
}

export const canWrite = (relation: CaseStudyRelation, state: string, status: string | undefined) =>
  relation === "leadOfficer" && isFinished(state) && (status === undefined || status === "draft" || status === "returned");

type Outcome = { ok: true } | { ok: false; reason: string };
const changed: Outcome = { ok: false, reason: "Someone else changed this case study while you were working on it. Check it and try again." };

/** Who acted on a case study, for its history and its emails. */
export interface CaseStudyActor {
  id: string;
  role: string;
  name: string;
  organisation: { name: string };
}

const caseStudyLink = (projectId: string) => new URL(`/projects/${projectId}/case-study`, env().APP_URL).toString();

/**
 * Saves the lead council's draft, creating the case study the first time. Sending it for
 * review tells the fund team, in the same transaction.
 */
export async function saveCaseStudy(
  projectId: string,
  fields: CaseStudyFields,
  options: { send: boolean; expectedUpdatedAt: string | null },
  actor: CaseStudyActor,
): Promise<Outcome> {
  return db().$transaction(async (tx) => {
    const project = await tx.project.findUniqueOrThrow({
      where: { id: projectId },
      select: { reference: true, state: true, snapshot: true, caseStudy: true, leadOrganisationId: true, leadOrganisation: { select: { name: true } } },
    });
    if (!isFinished(project.state)) return { ok: false, reason: "A case study can be written once the project has completed or stopped." };
    const context = contextOf("project", project.snapshot as unknown as PersistedSnapshot) as ProjectContext;
    const stage: Stage = context.stage;
    const clean = Object.fromEntries(caseStudyFields.map((f) => [f.name, fields[f.name].trim()])) as CaseStudyFields;
    const status = options.send ? "inReview" : undefined;
    const existing = project.caseStudy;
    let caseStudyId: string;
    const changes: RecordChange[] = [];
    if (!existing) {
      const created = await tx.caseStudy.create({
        data: { projectId, slug: slugFor(clean.title, project.reference), stage, ...clean, status: status ?? "draft" },
        select: { id: true },
      });
      caseStudyId = created.id;
      changes.push({ event: null, from: null, to: "draft" });
      if (options.send) changes.push({ event: "SUBMIT_FOR_REVIEW", from: "draft", to: "inReview" });
    } else {
      if (existing.status !== "draft" && existing.status !== "returned") {
        return {
          ok: false,
          reason: existing.status === "published" ? "This case study has been published." : "This case study is with the fund team for review.",
        };
      }
      const where = options.expectedUpdatedAt
        ? { id: existing.id, updatedAt: new Date(options.expectedUpdatedAt) }
        : { id: existing.id, updatedAt: existing.updatedAt };
      const result = await tx.caseStudy.updateMany({ where, data: { ...clean, stage, ...(status ? { status } : {}) } });
      if (!result.count) return changed;
      caseStudyId = existing.id;
      changes.push(
        options.send
          ? { event: "SUBMIT_FOR_REVIEW", from: existing.status, to: "inReview" }
          : { event: "SAVE_DRAFT", from: existing.status, to: existing.status },
      );
    }
    await recordChanges(
      tx,
      { kind: "caseStudy", recordId: caseStudyId, leadOrganisationId: project.leadOrganisationId, authorUserId: actor.id, payload: { projectId } },
      { userId: actor.id, role: actor.role },
      changes,
      (_template, person): CaseStudyEmailData & Record<string, unknown> => ({
        name: person.name,
        title: clean.title,
        reference: project.reference,
        council: project.leadOrganisation.name,
        actor: actor.name,
        link: caseStudyLink(projectId),
      }),
    );
    return { ok: true };
  });
}

/**
 * The fund team publishes a case study in review, or returns it with a note; its author
 * (whoever last sent it for review) hears which, in the same transaction.
 */
export async function reviewCaseStudy(
  caseStudyId: string,
  decision: "publish" | "return",
  note: string,
  expectedUpdatedAt: string | null,
  actor: CaseStudyActor,
): Promise<Outcome> {
  return db().$transaction(async (tx) => {
    const where = { id: caseStudyId, status: "inReview", ...(expectedUpdatedAt ? { updatedAt: new Date(expectedUpdatedAt) } : {}) };
    const reviewNote = note.trim();
    const result = await tx.caseStudy.updateMany({
      where,
      data: decision === "publish" ? { status: "published", publishedAt: new Date(), reviewNote: null } : { status: "returned", reviewNote },
    });
    if (!result.count) {
      const current = await tx.caseStudy.findUnique({ where: { id: caseStudyId }, select: { status: true } });
      return current?.status === "inReview" ? changed : { ok: false, reason: "This case study is not waiting for review." };
    }
    const caseStudy = await tx.caseStudy.findUniqueOrThrow({
      where: { id: caseStudyId },
      select: {
        title: true,
        projectId: true,
        project: { select: { reference: true, leadOrganisationId: true, leadOrganisation: { select: { name: true } } } },
      },
    });
    await recordChanges(
      tx,
      {
        kind: "caseStudy",
        recordId: caseStudyId,
        leadOrganisationId: caseStudy.project.leadOrganisationId,
        authorUserId: await caseStudyAuthor(tx, caseStudyId),
        payload: { projectId: caseStudy.projectId },
      },
      { userId: actor.id, role: actor.role },
      [
        decision === "publish"
          ? { event: "PUBLISH", from: "inReview", to: "published", reason: reviewNote || null }
          : { event: "RETURN", from: "inReview", to: "returned", reason: reviewNote },
      ],
      (_template, person): CaseStudyEmailData & Record<string, unknown> => ({
        name: person.name,
        title: caseStudy.title,
        reference: caseStudy.project.reference,
        council: caseStudy.project.leadOrganisation.name,
        actor: actor.name,
        note: reviewNote || null,
        link: caseStudyLink(caseStudy.projectId),
      }),
    );
    return { ok: true };
  });
}

// ---------------------------------------------------------------- the public hub

export const HUB_PAGE_SIZE = 20;

export interface HubFilters {
  q: string;
  serviceArea: string;
  stage: string;
  outcome: string;
  page: number;
}

export function hubFiltersFrom(url: URL): HubFilters {
  const text = (key: string, max = 100) => (url.searchParams.get(key) ?? "").trim().slice(0, max);
  const stage = text("stage");
  const outcome = text("outcome");
  return {
    q: text("q", 200),
    serviceArea: text("serviceArea"),
    stage: stage in stageLabels ? stage : "",
    outcome: outcome === "completed" || outcome === "stopped" ? outcome : "",
    page: pageParam(url.searchParams.get("page")),
  };
}

export interface HubResult {
  slug: string;
  title: string;
  serviceArea: string;
  stage: Stage;
  stageLabel: string;
  lessons: string;
  outcome: string;
  problem: string;
  publishedAt: Date;
  stopped: boolean;
  leadName: string;
}

export async function searchHub(filters: HubFilters) {
  const sql = database().sql;
  const search: CaseStudySearch = {
    q: filters.q || null,
    serviceArea: filters.serviceArea || null,
    stage: filters.stage || null,
    outcome: filters.outcome === "completed" || filters.outcome === "stopped" ? filters.outcome : null,
  };
  const total = await countCaseStudies(sql, search);
  const pages = Math.max(1, Math.ceil(total / HUB_PAGE_SIZE));
  const page = clampPage(filters.page, pages);
  const matches = await searchCaseStudies(sql, search, { limit: HUB_PAGE_SIZE, offset: (page - 1) * HUB_PAGE_SIZE });
  const rows: HubResult[] = matches.map(({ state, ...r }) => ({ ...r, stageLabel: stageLabels[r.stage] ?? r.stage, stopped: isStoppedState(state) }));
  const areas = await db().caseStudy.groupBy({
    by: ["serviceArea"],
    where: { status: "published", serviceArea: { not: "" } },
    orderBy: { serviceArea: "asc" },
  });
  return { rows, total, page, pages, serviceAreas: areas.map((a) => a.serviceArea) };
}

export async function publishedCaseStudy(slug: string) {
  const found = await db().caseStudy.findFirst({
    where: { slug, status: "published" },
    include: {
      project: {
        select: {
          reference: true,
          state: true,
          leadOrganisation: { select: { name: true } },
          bid: { select: { partners: { where: { status: "accepted" }, select: { organisation: { select: { name: true } } } } } },
        },
      },
    },
  });
  return found;
}

/** Case studies waiting for the fund team. */
export async function caseStudiesInReview() {
  return db().caseStudy.findMany({
    where: { status: "inReview" },
    select: {
      id: true,
      title: true,
      updatedAt: true,
      projectId: true,
      project: { select: { reference: true, state: true, leadOrganisation: { select: { name: true } } } },
    },
    orderBy: [{ updatedAt: "asc" }, { id: "asc" }],
    take: 200,
  });
}
