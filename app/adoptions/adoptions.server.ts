import type { SignedInUser } from "~/auth/session.server.ts";
import { db } from "~/db/database.server.ts";
import { env } from "~/env.server.ts";
import { calendarDate, isoDay } from "~/utils/dates.ts";
import { formatDate, formatMoney } from "~/utils/format.ts";
import { recordChanges, type RecordChange } from "~/engine/record-changes.server.ts";
import type { AdoptionRegisteredData } from "../../emails/adoption-registered.ts";
import type { AdoptionUpdatedData } from "../../emails/adoption-updated.ts";
import { adoptionStatusEvent } from "../../workflows/lifecycles.ts";
import { stageOfState } from "../../workflows/index.ts";
import { participantKinds } from "../../workflows/rules.ts";

export { adoptionStatuses, adoptionStatusOf, type AdoptionStatus } from "./statuses.ts";
import { adoptionStatusOf } from "./statuses.ts";
import { notFound } from "~/http/errors.server.ts";

/** Councils register to adopt only while the product is in its scale stage. */
export const openForAdoption = (state: string) => stageOfState(state) === "scale";

/**
 * How the person relates to a project's adoptions. The project's own team (lead and
 * accepted partner councils) and the fund team see every adoption; an adopting council sees
 * its own; any other council's officer may look at a product in scale (or finished scaling)
 * to decide whether to adopt it.
 */
export type AdoptionRelation = "fundTeam" | "team" | "adopter" | "prospect";

const projectSelect = {
  id: true,
  reference: true,
  title: true,
  summary: true,
  state: true,
  leadOrganisationId: true,
  leadOrganisation: { select: { name: true } },
  bid: { select: { partners: { where: { status: "accepted" }, select: { organisationId: true } } } },
} as const;

export async function loadAdoptionsPage(user: SignedInUser, projectId: string | undefined) {
  const project = projectId ? await db().project.findUnique({ where: { id: projectId }, select: projectSelect }) : null;
  if (!project) throw notFound();
  const org = user.organisation.id;
  const own = await db().adoption.findUnique({ where: { projectId_organisationId: { projectId: project.id, organisationId: org } } });
  const isTeam = project.leadOrganisationId === org || project.bid.partners.some((p) => p.organisationId === org);
  let relation: AdoptionRelation | null = null;
  if (user.role === "fundTeam") relation = "fundTeam";
  else if (user.role === "councilOfficer") {
    if (isTeam) relation = "team";
    else if (own) relation = "adopter";
    else if (openForAdoption(project.state) || project.state === "completed") relation = "prospect";
  }
  if (!relation) throw notFound();
  const seesAll = relation === "fundTeam" || relation === "team";
  const adoptions = await db().adoption.findMany({
    where: seesAll ? { projectId: project.id } : { projectId: project.id, organisationId: org },
    select: {
      id: true,
      status: true,
      goLiveOn: true,
      savingsPence: true,
      note: true,
      updatedAt: true,
      organisationId: true,
      organisation: { select: { name: true } },
    },
    orderBy: [{ organisation: { name: "asc" } }],
  });
  const documents = await db().projectDocument.findMany({
    where: { projectId: project.id, reusable: true },
    select: { id: true, fileName: true, type: true, size: true, createdAt: true },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  // The lead council's officers choose which of the project's documents adopters may reuse.
  const isLeadOfficer = user.role === "councilOfficer" && project.leadOrganisationId === org;
  const allDocuments = isLeadOfficer
    ? await db().projectDocument.findMany({
        where: { projectId: project.id },
        select: { id: true, fileName: true, type: true, stage: true, reusable: true },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      })
    : [];
  const canRegister =
    user.role === "councilOfficer" &&
    project.leadOrganisationId !== org &&
    !own &&
    openForAdoption(project.state) &&
    (participantKinds as readonly string[]).includes(user.organisation.kind);
  return { project, relation, adoptions, documents, own, canRegister, isLeadOfficer, allDocuments };
}

export type RegisterResult = { ok: true; adoptionId: string } | { ok: false; reason: string };

/** Registers the person's council to adopt, and tells the lead council's officers in the same transaction. */
export async function registerAdoption(user: SignedInUser, projectId: string): Promise<RegisterResult> {
  return db().$transaction(async (tx) => {
    const project = await tx.project.findUnique({
      where: { id: projectId },
      select: { id: true, title: true, reference: true, state: true, leadOrganisationId: true },
    });
    if (!project) throw notFound();
    if (user.role !== "councilOfficer") return { ok: false, reason: "Only a council officer can register their council to adopt." };
    if (project.leadOrganisationId === user.organisation.id) return { ok: false, reason: "Your council leads this project, so it cannot also adopt it." };
    if (!(participantKinds as readonly string[]).includes(user.organisation.kind)) {
      return { ok: false, reason: "Only councils, combined authorities and fire authorities can adopt a product." };
    }
    if (!openForAdoption(project.state)) return { ok: false, reason: "Councils can register to adopt a product only while it is in its scale stage." };
    const existing = await tx.adoption.findUnique({
      where: { projectId_organisationId: { projectId: project.id, organisationId: user.organisation.id } },
      select: { id: true },
    });
    if (existing) return { ok: true, adoptionId: existing.id };
    const adoption = await tx.adoption.create({ data: { projectId: project.id, organisationId: user.organisation.id }, select: { id: true } });
    await recordChanges(
      tx,
      { kind: "adoption", recordId: adoption.id, leadOrganisationId: project.leadOrganisationId, payload: { projectId: project.id } },
      { userId: user.id, role: user.role },
      [{ event: null, from: null, to: "registered" }],
      (_template, officer): AdoptionRegisteredData & Record<string, unknown> => ({
        name: officer.name,
        title: project.title,
        reference: project.reference,
        council: user.organisation.name,
        registeredBy: user.name,
        link: new URL(`/projects/${project.id}/adoptions`, env().APP_URL).toString(),
      }),
    );
    return { ok: true, adoptionId: adoption.id };
  });
}

/** One adoption, for the adopting council's officers (who may change it), its project's team and the fund team. */
export async function loadAdoptionFor(user: SignedInUser, projectId: string | undefined, adoptionId: string | undefined) {
  const adoption =
    projectId && adoptionId
      ? await db().adoption.findFirst({
          where: { id: adoptionId, projectId },
          select: {
            id: true,
            status: true,
            goLiveOn: true,
            savingsPence: true,
            note: true,
            createdAt: true,
            updatedAt: true,
            organisationId: true,
            organisation: { select: { name: true } },
            project: {
              select: {
                id: true,
                title: true,
                reference: true,
                state: true,
                ...{ leadOrganisationId: true },
                bid: { select: { partners: { where: { status: "accepted" }, select: { organisationId: true } } } },
              },
            },
          },
        })
      : null;
  if (!adoption) throw notFound();
  const org = user.organisation.id;
  const own = user.role === "councilOfficer" && adoption.organisationId === org;
  const team =
    user.role === "councilOfficer" && (adoption.project.leadOrganisationId === org || adoption.project.bid.partners.some((p) => p.organisationId === org));
  if (!own && !team && user.role !== "fundTeam") throw notFound();
  return { adoption, canEdit: own };
}

export interface AdoptionUpdate {
  status: string;
  goLiveOn: string | null;
  savingsPence: number;
  note: string;
}

/**
 * Saves the adopting council's own figures, with a history row for each change and the
 * emails the notification matrix names, in one transaction. `expectedUpdatedAt` refuses a
 * save made from a page that someone else has changed since it was opened.
 */
export async function updateAdoption(
  adoptionId: string,
  update: AdoptionUpdate,
  expectedUpdatedAt: string | null,
  actor: { id: string; role: string; name: string },
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const changedMeanwhile = { ok: false as const, reason: "Someone else changed this adoption while you were editing it. Check the details and try again." };
  return db().$transaction(async (tx) => {
    const current = await tx.adoption.findUnique({
      where: { id: adoptionId },
      select: {
        status: true,
        goLiveOn: true,
        savingsPence: true,
        note: true,
        updatedAt: true,
        organisation: { select: { name: true } },
        project: { select: { id: true, title: true, reference: true, leadOrganisationId: true } },
      },
    });
    if (!current) return changedMeanwhile;
    const goLiveOn = calendarDate(update.goLiveOn);
    const result = await tx.adoption.updateMany({
      where: { id: adoptionId, updatedAt: expectedUpdatedAt ? new Date(expectedUpdatedAt) : current.updatedAt },
      data: { status: update.status, goLiveOn, savingsPence: update.savingsPence, note: update.note },
    });
    if (result.count === 0) return changedMeanwhile;
    const changes = adoptionChanges(current, { ...update, goLiveOn });
    const { project } = current;
    await recordChanges(
      tx,
      { kind: "adoption", recordId: adoptionId, leadOrganisationId: project.leadOrganisationId, payload: { projectId: project.id } },
      { userId: actor.id, role: actor.role },
      changes,
      (_template, person, reported): AdoptionUpdatedData & Record<string, unknown> => ({
        name: person.name,
        title: project.title,
        reference: project.reference,
        council: current.organisation.name,
        updatedBy: actor.name,
        status: adoptionStatusOf(update.status).text,
        wentLive: reported.some((c) => c.event === adoptionStatusEvent("live")),
        changes: reported.flatMap((c) => c.details ?? []),
        link: new URL(`/projects/${project.id}/adoptions/${adoptionId}`, env().APP_URL).toString(),
      }),
    );
    return { ok: true as const };
  });
}

/** What a save changed, as the adoption machine's events, in the order they apply. */
export function adoptionChanges(
  before: { status: string; goLiveOn: Date | null; savingsPence: number; note: string },
  after: { status: string; goLiveOn: Date | null; savingsPence: number; note: string },
): RecordChange[] {
  const changes: RecordChange[] = [];
  const status = after.status;
  if (after.status !== before.status) {
    changes.push({
      event: adoptionStatusEvent(after.status),
      from: before.status,
      to: status,
      details: [`Status: ${adoptionStatusOf(before.status).text} to ${adoptionStatusOf(after.status).text}`],
    });
  }
  if (isoDay(after.goLiveOn) !== isoDay(before.goLiveOn)) {
    const was = before.goLiveOn ? formatDate(before.goLiveOn) : "not set";
    changes.push({
      event: "CHANGE_GO_LIVE_DATE",
      from: status,
      to: status,
      details: [after.goLiveOn ? `Go-live date: ${formatDate(after.goLiveOn)} (was ${was})` : `Go-live date removed (was ${was})`],
    });
  }
  if (after.savingsPence !== before.savingsPence) {
    changes.push({
      event: "CHANGE_SAVINGS",
      from: status,
      to: status,
      details: [`Savings so far: ${formatMoney(after.savingsPence)} (was ${formatMoney(before.savingsPence)})`],
    });
  }
  if (after.note.trim() !== before.note.trim()) changes.push({ event: "EDIT_NOTE", from: status, to: status });
  return changes;
}

/** Marks exactly the chosen documents of the project as reusable by adopting councils. */
export async function setReusableDocuments(projectId: string, documentIds: string[]) {
  await db().$transaction([
    db().projectDocument.updateMany({ where: { projectId, id: { in: documentIds } }, data: { reusable: true } }),
    db().projectDocument.updateMany({ where: { projectId, id: { notIn: documentIds } }, data: { reusable: false } }),
  ]);
}
