import { randomUUID } from "node:crypto";
import { jsonColumn } from "~/db/json.server.ts";
import { resolveOrganisation } from "~/admin/users.server.ts";
import { returnToAssessment } from "~/assessment/changes.server.ts";
import type { SignedInUser } from "~/auth/session.server.ts";
import { database, db, sqlIn, type SqlQuery } from "~/db/database.server.ts";
import { timeFromJson } from "~/db/together.server.ts";
import { env } from "~/env.server.ts";
import type { Prisma } from "~/generated/prisma/client.ts";
import { composeEmail } from "~/mail/outbox.server.ts";
import type { ComposedEmail } from "~/mail/sql.server.ts";
import { logger } from "~/log/log.server.ts";
import { isRetired } from "~/organisations/directory.server.ts";
import { londonToday, londonYear } from "~/utils/dates.ts";
import { refuseFile } from "~/storage/file-type.server.ts";
import { virusRefusal } from "~/storage/upload-scan.server.ts";
import { storage } from "~/storage/storage.server.ts";
import { capitalise, formatDate, formatDateTime, formatMoney, joinList, plural } from "~/utils/format.ts";
import { actorOf, applyWorkflowEvent, recordCreation } from "~/engine/apply-event.server.ts";
import { recordChanges } from "~/engine/record-changes.server.ts";
import { bidSubmissionFacts } from "./facts.server.ts";
import type { Tx } from "~/engine/records.server.ts";
import type { BidConfirmationData } from "../../emails/bid-confirmation.ts";
import type { BidPartnerAnsweredData } from "../../emails/bid-partner-answered.ts";
import type { BidPartnerInvitedData } from "../../emails/bid-partner-invited.ts";
import { eligibilityFindings } from "../../workflows/bid.ts";
import type { EligibilityCode } from "../../workflows/rules.ts";
import { contextOf, parseFundRules, startSnapshot, workflows, type PersistedSnapshot, type SubmissionFacts } from "../../workflows/index.ts";
import { organisationKindLabels } from "../../workflows/rules.ts";
import { bidSections, costTotals, readAnswers, sectionTitle, summaryOf, type BidSectionKey, type StoredSection } from "~/bid-form/sections.ts";
import { fieldsFor, questionsFor } from "~/bid-form/questions.ts";
import { bidForConfirmation, bidForPage, lockBid } from "./sql.server.ts";
import { forbidden, notFound } from "~/http/errors.server.ts";

// ---------------------------------------------------------------- loading, with who may see what

export const bidSelect = {
  id: true,
  reference: true,
  title: true,
  state: true,
  snapshot: true,
  version: true,
  answers: true,
  amountRequestedPence: true,
  leadOrganisationId: true,
  createdAt: true,
  leadOrganisation: { select: { id: true, name: true, code: true, kind: true, declarationSignedAt: true } },
  round: {
    select: {
      id: true,
      slug: true,
      name: true,
      stage: true,
      opensAt: true,
      closesAt: true,
      capPence: true,
      assessmentDueAt: true,
      questions: true,
      fund: { select: { name: true, rules: true } },
    },
  },
  partners: {
    select: {
      organisationId: true,
      status: true,
      invitedAt: true,
      respondedAt: true,
      organisation: { select: { id: true, name: true, code: true, kind: true, declarationSignedAt: true } },
    },
    orderBy: { invitedAt: "asc" },
  },
  documents: {
    select: { id: true, type: true, fileName: true, size: true, mimeType: true, sha256: true, createdAt: true, uploadedById: true },
    orderBy: { createdAt: "asc" },
  },
} satisfies Prisma.BidSelect;

export type LoadedBid = Prisma.BidGetPayload<{ select: typeof bidSelect }>;

/** How the person relates to the bid: what they may see and do follows from this. */
export type Relation = "leadOfficer" | "leadCertifier" | "partnerOfficer" | "invitedOfficer" | "partnerCertifier" | "fundTeam";

export function relationTo(user: SignedInUser, bid: LoadedBid): Relation | null {
  if (user.role === "fundTeam") return "fundTeam";
  const org = user.organisation.id;
  const partner = bid.partners.find((p) => p.organisationId === org);
  if (user.role === "councilOfficer") {
    if (bid.leadOrganisationId === org) return "leadOfficer";
    if (partner?.status === "accepted") return "partnerOfficer";
    // A council that declined is no longer part of the bid, so it sees nothing of it; one
    // whose invitation was withdrawn has no row at all.
    // An invitation is open only while the bid can still take partners, and it is read
    // while it waits for sign-off; once the bid is sent, a council that never answered
    // loses sight of it.
    if (partner?.status === "invited" && (invitationOpen(bid) || bid.state === "awaitingCertification")) return "invitedOfficer";
  }
  if (user.role === "certifier") {
    if (bid.leadOrganisationId === org) return "leadCertifier";
    if (partner?.status === "accepted") return "partnerCertifier";
  }
  return null;
}

/**
 * The bid as Prisma's `bidSelect` would give it, from one SQL statement (bidForPage): the same
 * fields, with its times as Dates (stored in UTC without a zone; the councils' declaration
 * dates as calendar dates, midnight UTC, as Prisma reads a date column).
 */
async function loadedBid(id: string): Promise<LoadedBid | null> {
  const row = await bidForPage(database().sql, id);
  if (!row) return null;
  // The shape bidSelect gives, but for the times, which are JSON text until converted here.
  const raw = row.bid as LoadedBid;
  // A calendar date ("2019-01-01"), as Prisma reads a date column: midnight UTC.
  const day = (value: unknown) => (typeof value === "string" ? new Date(value) : null);
  const organisation = (o: LoadedBid["leadOrganisation"]) => ({ ...o, declarationSignedAt: day(o.declarationSignedAt) });
  return {
    ...raw,
    createdAt: timeFromJson(raw.createdAt)!,
    leadOrganisation: organisation(raw.leadOrganisation),
    round: {
      ...raw.round,
      opensAt: timeFromJson(raw.round.opensAt)!,
      closesAt: timeFromJson(raw.round.closesAt)!,
      assessmentDueAt: timeFromJson(raw.round.assessmentDueAt),
    },
    partners: raw.partners.map((p) => ({
      ...p,
      invitedAt: timeFromJson(p.invitedAt)!,
      respondedAt: timeFromJson(p.respondedAt),
      organisation: organisation(p.organisation),
    })),
    documents: raw.documents.map((d) => ({ ...d, createdAt: timeFromJson(d.createdAt)! })),
  };
}

/**
 * The bid, if this person may see it: officers and certifiers of the lead or a partner
 * council, and the fund team. Anyone else is told it is not there (not that it is secret).
 */
export async function loadBidFor<R extends Relation = Relation>(user: SignedInUser, id: string | undefined, allowed?: readonly R[]) {
  const bid = id ? await loadedBid(id) : null;
  if (!bid) throw notFound();
  const relation = relationTo(user, bid);
  if (!relation) throw notFound();
  if (allowed && !(allowed as readonly Relation[]).includes(relation)) {
    throw forbidden();
  }
  // Narrowed to the relations the caller allowed, so a page for the fund team alone gets the fund team's view.
  return { bid, relation: relation as R, snapshot: bid.snapshot as unknown as PersistedSnapshot };
}

/** The keys of the sections the fund team reopened, when changes are requested. */
export function reopenedSections(bid: { state: string; snapshot: unknown }): BidSectionKey[] {
  if (bid.state !== "changesRequested") return [];
  const request = contextOf("bid", bid.snapshot as PersistedSnapshot).changeRequest;
  const named = (request?.sections ?? []).map((s) => s.trim().toLowerCase());
  return bidSections.filter((s) => named.includes(s.key.toLowerCase()) || named.includes(s.title.toLowerCase())).map((s) => s.key);
}

export function changeRequestOf(bid: { state: string; snapshot: unknown }) {
  if (bid.state !== "changesRequested") return null;
  const request = contextOf("bid", bid.snapshot as PersistedSnapshot).changeRequest;
  return request ? { reason: request.reason, at: request.at, sections: reopenedSections(bid).map(sectionTitle) } : null;
}

/** Whether the lead's officers may change a section now. */
export function canEditSection(relation: Relation, bid: { state: string; snapshot: unknown }, key: BidSectionKey): boolean {
  if (relation !== "leadOfficer") return false;
  if (bid.state === "draft") return true;
  return reopenedSections(bid).includes(key);
}

export const canManagePartners = (relation: Relation, bid: { state: string; snapshot: unknown }) => canEditSection(relation, bid, "partners");

/** An invitation can be answered while the lead can still change the partnership. */
export const invitationOpen = (bid: { state: string; snapshot: unknown }) => canManagePartners("leadOfficer", bid);
export const canManageEvidence = (relation: Relation, bid: { state: string }) =>
  relation === "leadOfficer" && (bid.state === "draft" || bid.state === "changesRequested");

export const roundStatus = (round: { opensAt: Date; closesAt: Date }, now = new Date()) =>
  round.closesAt <= now ? "closed" : round.opensAt > now ? "upcoming" : "open";

// ---------------------------------------------------------------- starting a bid

/** Why this person cannot start a bid in this round, or null if they can. */
export function cannotStartBid(user: SignedInUser, round: { opensAt: Date; closesAt: Date; fund: { rules: unknown } }, now = new Date()): string | null {
  if (user.role !== "councilOfficer") return "Only council officers can start a bid.";
  const status = roundStatus(round, now);
  if (status === "closed") return "This round has closed, so no more bids can be started.";
  if (status === "upcoming") return "This round has not opened yet.";
  const rules = parseFundRules(round.fund.rules);
  if (!(rules.eligibility.leadKinds as readonly string[]).includes(user.organisation.kind)) {
    const label = organisationKindLabels[user.organisation.kind]?.many ?? user.organisation.kind;
    return `${capitalise(label)} cannot lead a bid in this round, but can be invited to join one as a partner.`;
  }
  return null;
}

/** The next reference for the year, like LDF-2026-0042: one atomic increment, never reused. */
export async function nextReference(tx: Tx, at = new Date()): Promise<string> {
  const year = londonYear(at);
  // Prisma runs this upsert as one INSERT … ON CONFLICT DO UPDATE, so two bids started at
  // once cannot both read the same value.
  const counter = await tx.referenceCounter.upsert({
    where: { scope: `bid-${year}` },
    create: { scope: `bid-${year}`, value: 1 },
    update: { value: { increment: 1 } },
    select: { value: true },
  });
  return `LDF-${year}-${String(counter.value).padStart(4, "0")}`;
}

/**
 * Starts a draft bid led by the officer's council. `id` comes from the form, so pressing
 * the button twice starts one bid, not two.
 */
export async function startBid(user: SignedInUser, roundId: string, id: string, title: string) {
  const existing = await db().bid.findUnique({ where: { id }, select: { id: true, createdById: true } });
  if (existing) {
    if (existing.createdById !== user.id) throw notFound();
    return existing.id;
  }
  const now = new Date();
  const snapshot = startSnapshot("bid", { bidId: id, roundId, leadOrganisationId: user.organisation.id });
  try {
    return await db().$transaction(async (tx) => {
      const reference = await nextReference(tx, now);
      const bid = await tx.bid.create({
        data: {
          id,
          reference,
          roundId,
          leadOrganisationId: user.organisation.id,
          createdById: user.id,
          title,
          answers: { completed: [], sections: { summary: { title, summary: "" } }, versions: {}, savedBy: {} },
          state: "draft",
          snapshot: snapshot as unknown as Prisma.InputJsonValue,
          machineVersion: workflows.bid.version,
        },
        select: { id: true, reference: true, title: true },
      });
      await recordCreation(tx, "bid", { ...bid, snapshot }, { ...actorOf(user), name: user.name }, now);
      return bid.id;
    });
  } catch (error) {
    // The same form sent twice at once: the first one made it.
    if ((error as { code?: string }).code === "P2002" && (await db().bid.findUnique({ where: { id } }))) return id;
    throw error;
  }
}

export const newBidId = () => randomUUID();

// ---------------------------------------------------------------- saving a section

export type SaveResult =
  | { ok: true; version: number }
  | { ok: false; code: "conflict"; latest: StoredSection; savedBy: { name: string; at: string } | null; version: number }
  | { ok: false; code: "locked"; reason: string };

/**
 * Saves one section. The form carries the section's version as the officer saw it; if
 * another officer saved the section since, nothing is written and the officer is shown
 * both (their text stays in the form). Sending the same text twice is harmless.
 */
export async function saveSection(
  user: SignedInUser,
  bidId: string,
  key: BidSectionKey,
  stored: StoredSection,
  complete: boolean,
  expectedVersion: number,
): Promise<SaveResult> {
  return db().$transaction(async (tx) => {
    // One save at a time per bid, so versions and the completed list cannot race.
    await lockBid(sqlIn(tx), bidId);
    const bid = await tx.bid.findUniqueOrThrow({
      where: { id: bidId },
      select: { state: true, snapshot: true, answers: true, leadOrganisationId: true },
    });
    if (user.role !== "councilOfficer" || user.organisation.id !== bid.leadOrganisationId || !canEditSection("leadOfficer", bid, key)) {
      return { ok: false as const, code: "locked" as const, reason: "This section cannot be changed now." };
    }
    const answers = readAnswers(bid.answers);
    const current = answers.versions[key] ?? 0;
    const wasComplete = answers.completed.includes(key);
    if (current !== expectedVersion) {
      const same = JSON.stringify(answers.sections[key] ?? {}) === JSON.stringify(stored) && wasComplete === complete;
      if (same) return { ok: true as const, version: current };
      const by = answers.savedBy[key];
      return {
        ok: false as const,
        code: "conflict" as const,
        latest: answers.sections[key] ?? {},
        savedBy: by ? { name: by.name, at: by.at } : null,
        version: current,
      };
    }
    answers.sections[key] = stored;
    answers.versions[key] = current + 1;
    answers.savedBy[key] = { userId: user.id, name: user.name, at: new Date().toISOString() };
    answers.completed = complete ? [...new Set([...answers.completed, key])] : answers.completed.filter((k) => k !== key);
    const data: Prisma.BidUpdateInput = { answers: answers as unknown as Prisma.InputJsonValue };
    if (key === "summary" && typeof stored.title === "string" && stored.title.trim()) data.title = stored.title.trim();
    if (key === "costs") data.amountRequestedPence = costTotals(stored.lines ?? []).total;
    await tx.bid.update({ where: { id: bidId }, data });
    return { ok: true as const, version: current + 1 };
  });
}

// Forms kept when a session expires: app/auth/kept-forms.server.ts.

// ---------------------------------------------------------------- eligibility, live

export interface EligibilityRule {
  key: "declaration" | "councils" | "leadBids" | "kinds" | "amount" | "deadline" | "sections" | "other";
  title: string;
  passes: boolean;
  explanation: string;
}

// The panel's rows follow the codes the machine gives each problem; a missing lead has no
// row of its own and shows under "Partnership".
const ruleOf = (code: EligibilityCode): EligibilityRule["key"] => (code === "lead" ? "other" : code);

/**
 * Which of the fund's rules this bid meets now, and why, in plain English. The failures
 * are the bid machine's own sentences and codes (eligibilityFindings), so this panel and the
 * machine that refuses a submission cannot disagree.
 */
/** A council invited to the partnership that has not answered yet, and whether it has signed the declaration. */
export interface PendingCouncil {
  name: string;
  signedDeclaration: boolean;
}

export function eligibilityRules(
  facts: SubmissionFacts,
  leadOrganisationId: string,
  invited: PendingCouncil[],
  now = new Date(),
  /** Set when the bid is back for changes: it was submitted then, and the deadline is judged by that. */
  resubmission?: { submittedAt: string },
): EligibilityRule[] {
  const pending = invited.map((c) => c.name);
  const problems = eligibilityFindings(facts, leadOrganisationId);
  const failed = (key: EligibilityRule["key"]) => problems.filter((p) => ruleOf(p.code) === key).map((p) => `${capitalise(p.text)}.`);
  const { rules } = facts;
  const names = facts.councils.map((c) => c.name);
  const lead = facts.councils.find((c) => c.role === "lead");
  const cap = facts.capPence ?? rules.caps[facts.stage];
  const rule = (key: EligibilityRule["key"], title: string, pass: string, extra = ""): EligibilityRule => {
    const fails = failed(key);
    return { key, title, passes: fails.length === 0, explanation: [fails.length ? fails.join(" ") : pass, extra].filter(Boolean).join(" ") };
  };
  const waiting = pending.length
    ? `${joinList(pending)} ${pending.length === 1 ? "has" : "have"} not accepted yet, and will count once ${pending.length === 1 ? "it does" : "they do"}.`
    : "";
  // Invited councils do not count until they accept, but one that has not signed the
  // declaration will stop the bid the moment it does: the officer is told now, not at sign-off.
  const unsigned = invited.filter((c) => !c.signedDeclaration).map((c) => c.name);
  const unsignedInvited =
    rules.eligibility.declarationRequired && unsigned.length
      ? `${joinList(unsigned)} ${unsigned.length === 1 ? "has" : "have"} been invited but ${unsigned.length === 1 ? "has" : "have"} not signed the Local Digital Declaration: if ${unsigned.length === 1 ? "it accepts" : "they accept"}, the bid cannot be sent for sign-off until ${unsigned.length === 1 ? "it signs" : "they sign"}, or until you remove ${unsigned.length === 1 ? "it" : "them"} from the partnership.`
      : "";
  const list: EligibilityRule[] = [
    rule(
      "declaration",
      "Local Digital Declaration",
      rules.eligibility.declarationRequired
        ? `${joinList(names)} ${names.length === 1 ? "has" : "have"} signed the Local Digital Declaration.`
        : "This fund does not require the Local Digital Declaration.",
      unsignedInvited,
    ),
    rule(
      "councils",
      "Enough councils",
      `The partnership has ${plural(facts.councils.length, "council")} including the lead, and needs at least ${rules.eligibility.minCouncils}.`,
      waiting,
    ),
    rule(
      "leadBids",
      "Bids led by one council",
      `${lead?.name ?? "The lead council"} leads ${plural(facts.leadBidsInRound, "other submitted bid")} in this round; a council may lead at most ${rules.eligibility.maxLeadBidsPerCouncilPerRound}.`,
    ),
    rule("kinds", "Types of organisation", "Every organisation in the partnership may take its role (lead or partner)."),
    rule("amount", "Amount asked for", `The amount asked for, ${formatMoney(facts.amountRequestedPence)}, is within the cap of ${formatMoney(cap)}.`),
    resubmission
      ? {
          // Changes the fund team asked for come after the deadline as often as not (always, during
          // assessment): the bid met the deadline when it was first submitted, and that is what counts.
          key: "deadline",
          title: "Deadline",
          passes: Date.parse(resubmission.submittedAt) < Date.parse(facts.deadline),
          explanation: `The bid was submitted at ${formatDateTime(resubmission.submittedAt)}, before the round closed at ${formatDateTime(facts.deadline)} (UK time), so the changes the fund team asked for can be resubmitted now.`,
        }
      : {
          key: "deadline",
          title: "Deadline",
          passes: now.getTime() < Date.parse(facts.deadline),
          explanation:
            now.getTime() < Date.parse(facts.deadline)
              ? `The round closes at ${formatDateTime(facts.deadline)} (UK time). The bid must be signed off by then.`
              : `The round closed at ${formatDateTime(facts.deadline)} (UK time), so the bid cannot be submitted.`,
        },
    rule("sections", "Every section complete", "Every section is marked as complete."),
  ];
  const other = failed("other");
  if (other.length) list.push({ key: "other", title: "Partnership", passes: false, explanation: other.join(" ") });
  return list;
}

export async function eligibilityOf(bid: LoadedBid) {
  const facts = await bidSubmissionFacts(db(), bid.id);
  const pending = bid.partners
    .filter((p) => p.status === "invited")
    .map((p) => ({ name: p.organisation.name, signedDeclaration: p.organisation.declarationSignedAt !== null }));
  const submittedAt = contextOf("bid", bid.snapshot as unknown as PersistedSnapshot).submitted?.at;
  const resubmission = bid.state === "changesRequested" && submittedAt ? { submittedAt } : undefined;
  const rules = eligibilityRules(facts, bid.leadOrganisationId, pending, new Date(), resubmission);
  return { rules, eligible: rules.every((r) => r.passes) };
}

// ---------------------------------------------------------------- partners

const partnerKinds = ["council", "combinedAuthority", "fireAuthority"] as const;

/** Suggestions for the partner field: councils and other bodies in the register that still exist. */
export async function partnerCandidates(excludeIds: string[]): Promise<string[]> {
  const today = londonToday();
  const rows = await db().organisation.findMany({
    where: { kind: { in: [...partnerKinds] }, id: { notIn: excludeIds } },
    select: { name: true, endDate: true },
    orderBy: { name: "asc" },
  });
  return rows.filter((o) => !isRetired(o.endDate, today)).map((o) => o.name);
}

export async function invitePartner(
  bid: LoadedBid,
  typed: string,
  invitedBy: { id: string; role: string; name: string },
): Promise<{ ok: true; name: string } | { error: string }> {
  if (!typed.trim()) return { error: "Enter the name of a partner council" };
  if (typed.trim().length > 200) return { error: "Enter the name of a council in the register" };
  const resolved = await resolveOrganisation(typed);
  if ("error" in resolved) return { error: resolved.error.replace("an organisation", "a council") };
  const org = resolved.organisation;
  if (org.id === bid.leadOrganisationId) return { error: `${org.name} is the lead council, so cannot also be a partner` };
  if (!(partnerKinds as readonly string[]).includes(org.kind)) {
    return {
      error: `${org.name} is ${organisationKindLabels[org.kind]?.one ?? org.kind}, and only councils, combined authorities and fire authorities can be partners`,
    };
  }
  const existing = bid.partners.find((p) => p.organisationId === org.id);
  // Asked again: nothing changes and no second email, and the officer is told where it stands.
  if (existing?.status === "accepted") return { error: `${org.name} is already a partner in this bid` };
  if (existing && existing.status !== "declined") {
    return { error: `${org.name} has already been invited. An officer there needs to accept before it counts as a partner` };
  }
  await db().$transaction(async (tx) => {
    await tx.bidPartner.upsert({
      where: { bidId_organisationId: { bidId: bid.id, organisationId: org.id } },
      create: { bidId: bid.id, organisationId: org.id, status: "invited" },
      update: { status: "invited", respondedAt: null, respondedById: null, invitedAt: new Date() },
    });
    // The partner council's officers are asked, in the same transaction as the invitation.
    await recordChanges(
      tx,
      {
        kind: "partnership",
        recordId: bid.id,
        leadOrganisationId: bid.leadOrganisationId,
        invitedOrganisationId: org.id,
        payload: { organisationId: org.id, council: org.name },
      },
      { userId: invitedBy.id, role: invitedBy.role },
      [existing ? { event: "INVITE", from: "declined", to: "invited" } : { event: null, from: null, to: "invited" }],
      (_template, officer): BidPartnerInvitedData & Record<string, unknown> => ({
        name: officer.name,
        title: bid.title,
        reference: bid.reference,
        lead: bid.leadOrganisation.name,
        invitedBy: invitedBy.name,
        council: org.name,
        link: new URL(`/bids/${bid.id}`, env().APP_URL).toString(),
      }),
    );
  });
  return { ok: true, name: org.name };
}

export async function removePartner(bid: LoadedBid, organisationId: string, by: { id: string; role: string }) {
  await db().$transaction(async (tx) => {
    const row = await tx.bidPartner.findUnique({
      where: { bidId_organisationId: { bidId: bid.id, organisationId } },
      select: { status: true, organisation: { select: { name: true } } },
    });
    if (!row) return;
    await tx.bidPartner.delete({ where: { bidId_organisationId: { bidId: bid.id, organisationId } } });
    // Silent by the notification matrix, but kept on the bid's timeline.
    await recordChanges(
      tx,
      {
        kind: "partnership",
        recordId: bid.id,
        leadOrganisationId: bid.leadOrganisationId,
        invitedOrganisationId: organisationId,
        payload: { organisationId, council: row.organisation.name },
      },
      { userId: by.id, role: by.role },
      [{ event: "REMOVE", from: row.status, to: "removed" }],
      () => ({}),
    );
  });
}

/** A partner council's officer accepts or declines; only an accepted partner counts. */
export async function respondToInvitation(user: SignedInUser, bid: LoadedBid, accept: boolean): Promise<{ ok: true } | { error: string }> {
  const row = bid.partners.find((p) => p.organisationId === user.organisation.id);
  if (!row || user.role !== "councilOfficer") return { error: "Your council has not been invited to join this bid." };
  const status = accept ? "accepted" : "declined";
  const answered = (s: string, at: Date | null) =>
    `Your council already ${s === "accepted" ? "accepted" : "declined"} this invitation${at ? ` on ${formatDate(at)}` : ""}. To change that, ask ${bid.leadOrganisation.name} to invite your council again.`;
  if (row.status !== "invited") return { error: answered(row.status, row.respondedAt) };
  if (!invitationOpen(bid)) return { error: "This bid has already been sent for sign-off, so the partnership cannot change now." };
  // Only an open invitation is answered: two officers answering at once get one answer. The
  // lead's officers hear of it in the same transaction.
  const count = await db().$transaction(async (tx) => {
    const { count } = await tx.bidPartner.updateMany({
      where: { bidId: bid.id, organisationId: row.organisationId, status: "invited" },
      data: { status, respondedAt: new Date(), respondedById: user.id },
    });
    if (count === 0) return 0;
    await recordChanges(
      tx,
      {
        kind: "partnership",
        recordId: bid.id,
        leadOrganisationId: bid.leadOrganisationId,
        invitedOrganisationId: row.organisationId,
        payload: { organisationId: row.organisationId, council: row.organisation.name },
      },
      { userId: user.id, role: user.role },
      [{ event: accept ? "ACCEPT" : "DECLINE", from: "invited", to: status }],
      (_template, officer): BidPartnerAnsweredData & Record<string, unknown> => ({
        name: officer.name,
        title: bid.title,
        reference: bid.reference,
        council: row.organisation.name,
        accepted: accept,
        answeredBy: user.name,
        link: new URL(`/bids/${bid.id}`, env().APP_URL).toString(),
      }),
    );
    return count;
  });
  if (count === 0) {
    const now = await db().bidPartner.findUnique({
      where: { bidId_organisationId: { bidId: bid.id, organisationId: row.organisationId } },
      select: { status: true, respondedAt: true },
    });
    return { error: answered(now?.status ?? status, now?.respondedAt ?? null) };
  }
  return { ok: true };
}

// ---------------------------------------------------------------- evidence

export const documentTypes = [
  { value: "letterOfSupport", text: "Letter of support" },
  { value: "businessCase", text: "Business case" },
  { value: "userResearch", text: "User research" },
  { value: "costBreakdown", text: "Cost breakdown" },
  { value: "dpia", text: "Data protection impact assessment" },
  { value: "other", text: "Other" },
] as const;
export const documentTypeLabel = (value: string) => documentTypes.find((t) => t.value === value)?.text ?? value;

export async function addDocument(
  user: SignedInUser,
  bid: LoadedBid,
  type: string,
  file: { name: string; bytes: Uint8Array } | null,
): Promise<{ ok: true; id: string } | { errors: Record<string, string> }> {
  const errors: Record<string, string> = {};
  if (!documentTypes.some((t) => t.value === type)) errors.type = "Select the type of document";
  if (!file || (file.bytes.length === 0 && !file.name)) errors.file = "Select a file";
  else {
    // Judged by its content, and as the type chosen for it (a cost breakdown is a spreadsheet or a PDF).
    const checked = refuseFile(file.bytes, file.name, errors.type ? undefined : type);
    if ("reason" in checked) errors.file = checked.reason;
  }
  if (Object.keys(errors).length || !file) return { errors };
  // The name it is stored and downloaded under: cleaned, with the detected type's extension.
  const { type: detected, fileName } = refuseFile(file.bytes, file.name, type) as { type: { mimeType: string }; fileName: string };
  // Checked for viruses before anything is kept (nothing is, without CLAMD_URL).
  const infected = await virusRefusal(user, { kind: "bid", id: bid.id }, { documentType: type, fileName, bytes: file.bytes });
  if (infected) return { errors: { file: infected } };
  const { key, sha256 } = await storage().put(file.bytes);
  // The same file, as the same type, sent twice: keep one.
  const same = await db().bidDocument.findFirst({ where: { bidId: bid.id, sha256, type }, select: { id: true } });
  if (same) return { ok: true, id: same.id };
  const row = await db().bidDocument.create({
    data: { bidId: bid.id, type, fileName, size: file.bytes.length, mimeType: detected.mimeType, sha256, storageKey: key, uploadedById: user.id },
    select: { id: true },
  });
  return { ok: true, id: row.id };
}

export async function removeDocument(bid: LoadedBid, documentId: string) {
  await db().bidDocument.deleteMany({ where: { id: documentId, bidId: bid.id } });
}

export { formatSize } from "~/utils/format.ts";

// ---------------------------------------------------------------- the answers, for reading

/** Every section's answers, asked as the bid's round asks them (its own questions, or the standard ones). */
export function answerSections(bid: Pick<LoadedBid, "answers"> & { round?: { questions?: unknown } | null }) {
  const answers = readAnswers(bid.answers);
  const questions = questionsFor(bid.round);
  return bidSections.map((s) => ({
    key: s.key,
    title: s.title,
    complete: answers.completed.includes(s.key),
    rows: summaryOf(s.key, answers.sections[s.key], formatMoney, fieldsFor(questions, s.key)),
  }));
}

/** The answers to the questions a round links to a score criterion, by the criterion's key, for assessors to read beside it. */
export function answersByCriterion(
  bid: Pick<LoadedBid, "answers"> & { round?: { questions?: unknown } | null },
): Record<string, { label: string; value: string }[]> {
  const answers = readAnswers(bid.answers);
  const linked: Record<string, { label: string; value: string }[]> = {};
  for (const q of questionsFor(bid.round)) {
    if (!q.criterion) continue;
    const value = answers.sections[q.section]?.[q.key];
    (linked[q.criterion] ??= []).push({ label: q.label, value: typeof value === "string" ? value : "" });
  }
  return linked;
}

// ---------------------------------------------------------------- workflow events

type BidAction = "REQUEST_CERTIFICATION" | "CERTIFY" | "DECLINE_CERTIFICATION" | "RESUBMIT" | "WITHDRAW";

/**
 * Sends a workflow event for the person, with the facts read from the database now.
 * Pressing a button twice is harmless: if the last thing that happened to the bid is this
 * very event by this person, the repeat counts as done.
 */
export async function act(
  user: SignedInUser,
  bidId: string,
  type: BidAction,
  fields: { reason?: string },
  expectedVersion: number | undefined,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const at = new Date().toISOString();
  const actor = actorOf(user);
  const withFacts = type === "REQUEST_CERTIFICATION" || type === "CERTIFY";
  const facts = withFacts ? await bidSubmissionFacts(db(), bidId) : undefined;
  const event = { type, actor, at, ...(fields.reason !== undefined ? { reason: fields.reason } : {}), ...(facts ? { facts } : {}) };
  const outcome = await applyWorkflowEvent("bid", bidId, event as never, {
    expectedVersion,
    actorName: user.name,
    // The confirmation with a copy of the answers is written by the certification's own
    // statement: both happen or neither does.
    alsoEmails: type === "CERTIFY" ? (sql, change) => confirmationEmails(sql, bidId, user.name, at, change.transitionId) : undefined,
  });
  if (outcome.ok) {
    // The resubmission is saved whatever follows; a failure to restart the assessment is
    // left for the fund team's "Start assessment" button, not reported to the council.
    if (type === "RESUBMIT") {
      await returnToAssessment(bidId).catch((error: unknown) => logger().error({ err: error, bidId }, "Returning a resubmitted bid to assessment failed"));
    }
    return { ok: true };
  }
  if (outcome.code === "not-found") throw notFound();
  const last = await db().transitionHistory.findFirst({
    where: { recordType: "bid", recordId: bidId },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    select: { event: true, actorUserId: true, at: true },
  });
  if (last && last.event === type && last.actorUserId === user.id && Date.now() - last.at.getTime() < 10 * 60_000) return { ok: true };
  return { ok: false, reason: outcome.reason };
}

/** The confirmation with a copy of the answers, to the lead council's officers, written with the certification. */
async function confirmationEmails(sql: SqlQuery, bidId: string, certifiedBy: string, at: string, transitionId: string): Promise<ComposedEmail[]> {
  const row = (await bidForConfirmation(sql, bidId))!;
  const bid = { ...row, questions: jsonColumn(row.questions) };
  const partners = jsonColumn<{ name: string }[]>(row.partners);
  const officers = jsonColumn<{ id: string; email: string; name: string }[]>(row.officers);
  const documents = jsonColumn<{ fileName: string; type: string }[]>(row.documents);
  const answers = jsonColumn<LoadedBid["answers"]>(bid.answers);
  const sections = answerSections({ answers, round: { questions: bid.questions } }).map((s) => ({ title: s.title, rows: s.rows }));
  const emails = officers.map((officer) => {
    const data: BidConfirmationData = {
      name: officer.name,
      title: bid.title,
      reference: bid.reference,
      round: bid.round,
      submittedAt: formatDateTime(at),
      certifiedBy,
      link: new URL(`/bids/${bidId}/confirmation`, env().APP_URL).toString(),
      partners: partners.map((p) => p.name),
      sections,
      documents: documents.map((d) => ({ fileName: d.fileName, type: documentTypeLabel(d.type) })),
    };
    return composeEmail(
      { template: "bid-confirmation", to: officer.email, userId: officer.id, transitionId, data: data as unknown as Record<string, unknown> },
      null,
    );
  });
  return emails;
}
