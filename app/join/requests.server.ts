import { z } from "zod";
import { roleLabels, type Role } from "~/auth/roles.ts";
import type { SignedInUser } from "~/auth/session.server.ts";
import {
  answerFloor,
  LIMIT_WINDOW_SECONDS,
  limitPerAddress,
  limitPerClient,
  normaliseEmail,
  SIGN_IN_ANSWER_MS,
  writeSignInLink,
} from "~/auth/sign-in.server.ts";
import { db } from "~/db/database.server.ts";
import { env } from "~/env.server.ts";
import { choice, email, optionalText, reason, requiredText } from "~/forms/fields.ts";
import { parseForm, type FormErrors, type TypedValues } from "~/forms/parse.server.ts";
import { enqueueEmail, type DbClient } from "~/mail/outbox.server.ts";
import { consumeRateLimit } from "~/security/rate-limit.server.ts";
import { randomToken, sha256 } from "~/security/tokens.server.ts";
import { organisationForEmail } from "./domains.server.ts";
import { grantableRoles, grantRefusal, isFundTeams, REQUESTABLE_ROLES, type JoiningCouncil, type RequestableRole } from "./rules.ts";

/**
 * A person asking to join their council: the request (which never says whether the address
 * has an account or is on a council's domain), the emailed confirmation, and the answer from
 * the council's officers or the fund team.
 */

export const CONFIRM_HOURS = 24;

const roleText = (role: Role) => roleLabels[role].toLowerCase();

export const requestForm = z.object({
  name: requiredText({ missing: "Enter your full name", max: 200, label: "your full name" }),
  email: email("Enter your work email address"),
  role: choice(REQUESTABLE_ROLES, "Select the role you need"),
  note: optionalText({ max: 1000, label: "your note" }),
});

export type AccessRequestInput = z.output<typeof requestForm>;

export type RequestResult = { status: "sent" } | { status: "rate-limited"; retryAfterSeconds: number };

// Thrown to roll back what was written for an address that is on no council's domain.
class Discarded extends Error {}

/**
 * Takes a request for access. The answer is the same whatever happens, and takes at least
 * as long as a sign-in request's, so the form cannot be used to learn whether an address has
 * an account or whether its domain belongs to a council:
 * - an address with an account is emailed a sign-in link instead;
 * - an address on a council's domain is emailed a link to confirm it (the request goes to the
 *   council only once confirmed, so nobody can ask in someone else's name);
 * - any other address gets nothing: the same writes are made and then rolled back.
 */
export async function requestAccess(input: AccessRequestInput & { clientKey: string }): Promise<RequestResult> {
  const floor = answerFloor.wait(SIGN_IN_ANSWER_MS);
  try {
    return await takeRequest(input);
  } finally {
    await floor;
  }
}

async function takeRequest(input: AccessRequestInput & { clientKey: string }): Promise<RequestResult> {
  const address = normaliseEmail(input.email);
  for (const [key, limit] of [
    [`request-access:address:${address}`, limitPerAddress()],
    [`request-access:client:${input.clientKey}`, limitPerClient()],
  ] as const) {
    const result = await consumeRateLimit(key, limit, LIMIT_WINDOW_SECONDS);
    if (!result.allowed) return { status: "rate-limited", retryAfterSeconds: result.retryAfterSeconds };
  }
  const user = await db().user.findUnique({ where: { email: address }, select: { id: true, name: true } });
  if (user) {
    await db().$transaction((tx) => writeSignInLink(tx, { email: address, user }));
    return { status: "sent" };
  }
  const organisation = await organisationForEmail(address);
  const token = randomToken();
  const link = new URL("/request-access/confirm", env().APP_URL);
  link.searchParams.set("token", token);
  try {
    await db().$transaction(async (tx) => {
      if (organisation) {
        await tx.accessRequest.create({
          data: {
            email: address,
            name: input.name,
            roleWanted: input.role,
            note: input.note,
            organisationId: organisation.id,
            tokenHash: sha256(token),
            expiresAt: new Date(Date.now() + CONFIRM_HOURS * 3600_000),
          },
        });
      }
      await enqueueEmail(tx, {
        template: "access-request-confirm",
        to: address,
        data: { name: input.name, organisation: organisation?.name ?? "your council", role: roleText(input.role), link: link.toString(), hours: CONFIRM_HOURS },
      });
      if (!organisation) throw new Discarded();
    });
  } catch (error) {
    if (!(error instanceof Discarded)) throw error;
  }
  return { status: "sent" };
}

export type ConfirmationCheck = { status: "valid"; name: string; organisation: string } | { status: "expired" | "used" | "invalid" };

/** Whether a confirmation link can be used, without using it (mail scanners follow links). */
export async function checkConfirmation(token: string): Promise<ConfirmationCheck> {
  const row = await db().accessRequest.findUnique({
    where: { tokenHash: sha256(token) },
    select: { status: true, expiresAt: true, name: true, organisation: { select: { name: true } } },
  });
  if (!row) return { status: "invalid" };
  if (row.status !== "unconfirmed") return { status: "used" };
  if (row.expiresAt < new Date()) return { status: "expired" };
  return { status: "valid", name: row.name, organisation: row.organisation.name };
}

export type Confirmation =
  { status: "confirmed" | "already-asked"; organisation: string } | { status: "has-account" } | { status: "expired" | "used" | "invalid" };

/**
 * Uses a confirmation link: exactly one use succeeds. The request then goes to whoever
 * answers it, by email. Someone who has meanwhile got an account, or already has a request
 * waiting, is told so (they have just shown the address is theirs).
 */
export async function confirmRequest(token: string): Promise<Confirmation> {
  const check = await checkConfirmation(token);
  if (check.status !== "valid") return check;
  return db().$transaction(async (tx) => {
    const request = await tx.accessRequest.findUniqueOrThrow({
      where: { tokenHash: sha256(token) },
      select: { id: true, email: true, name: true, roleWanted: true, organisation: { select: { id: true, name: true } } },
    });
    const claimed = await tx.accessRequest.updateMany({
      where: { id: request.id, status: "unconfirmed", expiresAt: { gt: new Date() } },
      data: { status: "pending", confirmedAt: new Date() },
    });
    if (claimed.count !== 1) return { status: "used" as const };
    if (await tx.user.count({ where: { email: request.email } })) {
      await tx.accessRequest.update({ where: { id: request.id }, data: { status: "closed" } });
      return { status: "has-account" as const };
    }
    const earlier = await tx.accessRequest.count({ where: { email: request.email, status: "pending", id: { not: request.id } } });
    if (earlier) {
      await tx.accessRequest.update({ where: { id: request.id }, data: { status: "closed" } });
      return { status: "already-asked" as const, organisation: request.organisation.name };
    }
    const role = request.roleWanted as RequestableRole;
    for (const approver of await approversFor(tx, request.organisation.id, role)) {
      await enqueueEmail(tx, {
        template: "access-request-waiting",
        to: approver.email,
        userId: approver.id,
        data: {
          name: approver.name,
          requester: request.name,
          requesterEmail: request.email,
          organisation: request.organisation.name,
          role: roleText(role),
          link: `${env().APP_URL}/access-requests/${request.id}`,
        },
      });
    }
    return { status: "confirmed" as const, organisation: request.organisation.name };
  });
}

/**
 * Who is asked to answer: the council's officers and certifiers for the officer role, its
 * certifiers for the certifier role, and the fund team where the council has nobody to do it.
 */
async function approversFor(tx: DbClient, organisationId: string, role: RequestableRole) {
  const select = { id: true, email: true, name: true };
  const council = await tx.user.findMany({
    where: { organisationId, role: { in: role === "certifier" ? ["certifier"] : ["councilOfficer", "certifier"] } },
    select,
    orderBy: { email: "asc" },
  });
  if (council.length) return council;
  return tx.user.findMany({ where: { role: "fundTeam" }, select, orderBy: { email: "asc" } });
}

/** How many officers and certifiers each council has: who answers its requests depends on it. */
async function staffing(organisationIds: string[]): Promise<Map<string, { officers: number; certifiers: number }>> {
  const groups = await db().user.groupBy({
    by: ["organisationId", "role"],
    where: { organisationId: { in: organisationIds }, role: { in: ["councilOfficer", "certifier"] } },
    _count: { _all: true },
  });
  const result = new Map(organisationIds.map((id) => [id, { officers: 0, certifiers: 0 }]));
  for (const g of groups) {
    const entry = result.get(g.organisationId)!;
    entry.officers += g._count._all;
    if (g.role === "certifier") entry.certifiers += g._count._all;
  }
  return result;
}

const isCouncilRole = (role: Role) => role === "councilOfficer" || role === "certifier";
const answersAll = (role: Role) => role === "fundTeam" || role === "admin";

/** The requests this person may see: their own council's, or, for the fund team, every council's. */
function visibleTo(user: SignedInUser) {
  if (answersAll(user.role)) return {};
  if (isCouncilRole(user.role)) return { organisationId: user.organisation.id };
  return { id: "" };
}

/** Pending requests this person may see, oldest first, as the list page shows them. */
export async function listPendingRequests(user: SignedInUser) {
  const rows = await db().accessRequest.findMany({
    where: { ...visibleTo(user), status: "pending" },
    select: { id: true, name: true, email: true, roleWanted: true, confirmedAt: true, organisation: { select: { id: true, name: true } } },
    orderBy: [{ confirmedAt: "asc" }, { id: "asc" }],
    take: 200,
  });
  const staff = await staffing([...new Set(rows.map((r) => r.organisation.id))]);
  return rows.map((r) => {
    const counts = staff.get(r.organisation.id)!;
    const council: JoiningCouncil = { id: r.organisation.id, name: r.organisation.name, officers: counts.officers };
    const role = r.roleWanted as RequestableRole;
    return {
      id: r.id,
      name: r.name,
      email: r.email,
      role: roleLabels[role],
      organisation: r.organisation.name,
      confirmedAt: r.confirmedAt?.toISOString() ?? null,
      canAnswer: grantableRoles(user, council, role).length > 0,
      answeredBy: isFundTeams(counts, role) ? "The fund team" : role === "certifier" ? "The council's certifiers" : "The council's officers",
    };
  });
}

/** The requests that are this person's to answer, oldest first (their home page lists them). */
export async function requestsToAnswer(user: SignedInUser) {
  if (!isCouncilRole(user.role) && user.role !== "fundTeam") return [];
  const rows = await db().accessRequest.findMany({
    where: {
      ...visibleTo(user),
      status: "pending",
      ...(user.role === "councilOfficer" ? { roleWanted: "councilOfficer" as const } : {}),
    },
    select: { id: true, name: true, email: true, roleWanted: true, confirmedAt: true, organisation: { select: { id: true, name: true } } },
    orderBy: [{ confirmedAt: "asc" }, { id: "asc" }],
    take: 200,
  });
  const staff = user.role === "fundTeam" ? await staffing([...new Set(rows.map((r) => r.organisation.id))]) : null;
  return rows.filter((r) => !staff || isFundTeams(staff.get(r.organisation.id)!, r.roleWanted as RequestableRole));
}

/** One request as its page shows it, or null when this person may not see it. */
export async function findRequest(user: SignedInUser, id: string) {
  const row = await db().accessRequest.findFirst({
    where: { ...visibleTo(user), id, status: { in: ["pending", "approved", "declined"] } },
    select: {
      id: true,
      name: true,
      email: true,
      roleWanted: true,
      note: true,
      status: true,
      confirmedAt: true,
      answeredAt: true,
      grantedRole: true,
      declineReason: true,
      answeredBy: { select: { name: true } },
      organisation: { select: { id: true, name: true, code: true } },
    },
  });
  if (!row) return null;
  const counts = (await staffing([row.organisation.id])).get(row.organisation.id)!;
  const council: JoiningCouncil = { id: row.organisation.id, name: row.organisation.name, officers: counts.officers };
  const roles = row.status === "pending" ? grantableRoles(user, council, row.roleWanted as RequestableRole) : [];
  return {
    view: {
      id: row.id,
      name: row.name,
      email: row.email,
      roleWanted: row.roleWanted as RequestableRole,
      note: row.note,
      status: row.status,
      confirmedAt: row.confirmedAt?.toISOString() ?? null,
      answeredAt: row.answeredAt?.toISOString() ?? null,
      answeredBy: row.answeredBy?.name ?? null,
      grantedRole: row.grantedRole ? roleLabels[row.grantedRole] : null,
      declineReason: row.declineReason,
      organisation: { name: row.organisation.name, code: row.organisation.code },
      grantable: roles.map((role) => ({ value: role, text: roleLabels[role] })),
      // Why this person cannot answer, when they cannot.
      cannotAnswer:
        row.status === "pending" && !roles.length ? grantRefusal(user, council, row.roleWanted as RequestableRole, row.roleWanted as RequestableRole) : null,
    },
    council,
  };
}

const answerForms = {
  approve: z.object({ role: choice(REQUESTABLE_ROLES, "Select the role to give") }),
  decline: z.object({ reason: reason("why you are declining the request", 2000) }),
};
const intentOf = z.object({ intent: z.enum(["approve", "decline"]).catch("approve") });

export type Answer = { ok: true; outcome: "approved" | "declined" } | { ok: false; errors: FormErrors; values: TypedValues };

class Refusal extends Error {}

/**
 * Approves or declines a pending request. A request is answered once: the answer is a
 * conditional update, so of two people answering at the same moment one succeeds and the
 * other is told the request has been answered. Approving creates the user in the council
 * with the chosen role and emails them; declining emails the reason.
 */
export async function answerRequest(user: SignedInUser, id: string, form: FormData): Promise<Answer | null> {
  // Someone who may not see the request is told only that there is no such request.
  const found = await findRequest(user, id);
  if (!found) return null;
  const { view, council } = found;
  const intent = intentOf.parse({ intent: form.get("intent") }).intent;
  const parsed = parseForm(form, answerForms[intent] as z.ZodType<{ role?: RequestableRole; reason?: string }>);
  const field = intent === "approve" ? "role" : "reason";
  const refuse = (message: string): Answer => ({ ok: false, errors: { [field]: message }, values: parsed.values });
  if (!parsed.ok) return { ok: false, errors: parsed.errors, values: parsed.values };
  if (view.status !== "pending") return refuse(alreadyAnswered(view));
  if (intent === "approve") {
    const refusal = grantRefusal(user, council, parsed.value.role!, view.roleWanted);
    if (refusal) return refuse(refusal);
  } else if (!view.grantable.length) {
    return refuse(view.cannotAnswer ?? "You cannot answer this request.");
  }
  const now = new Date();
  try {
    await db().$transaction(async (tx) => {
      const claimed = await tx.accessRequest.updateMany({
        where: { id, status: "pending" },
        data:
          intent === "approve"
            ? { status: "approved", answeredAt: now, answeredById: user.id, grantedRole: parsed.value.role! }
            : { status: "declined", answeredAt: now, answeredById: user.id, declineReason: parsed.value.reason! },
      });
      if (claimed.count !== 1) throw new Refusal("answered");
      if (intent === "approve") {
        const role = parsed.value.role!;
        const created = await tx.user.create({
          data: { email: view.email, name: view.name, role, organisationId: council.id, invitedById: user.id },
          select: { id: true },
        });
        await enqueueEmail(tx, {
          template: "access-request-approved",
          to: view.email,
          userId: created.id,
          data: { name: view.name, organisation: council.name, role: roleText(role), approvedBy: user.name, signInUrl: `${env().APP_URL}/sign-in` },
        });
      } else {
        await enqueueEmail(tx, {
          template: "access-request-declined",
          to: view.email,
          data: { name: view.name, organisation: council.name, declinedBy: user.name, reason: parsed.value.reason! },
        });
      }
    });
  } catch (error) {
    if (error instanceof Refusal) {
      const answered = await findRequest(user, id);
      return refuse(answered ? alreadyAnswered(answered.view) : "This request has already been answered.");
    }
    if ((error as { code?: string }).code === "P2002") {
      // The address was given an account some other way meanwhile (an invitation).
      await db().accessRequest.updateMany({ where: { id, status: "pending" }, data: { status: "closed" } });
      return refuse(`${view.email} already has an account, so the request has been closed. Nothing else needs doing.`);
    }
    throw error;
  }
  return { ok: true, outcome: intent === "approve" ? "approved" : "declined" };
}

function alreadyAnswered(view: { status: string; answeredBy: string | null; grantedRole: string | null }): string {
  const by = view.answeredBy ?? "Someone else";
  if (view.status === "approved")
    return `This request has already been answered: ${by} approved it${view.grantedRole ? ` as ${view.grantedRole.toLowerCase()}` : ""}. A request is answered once.`;
  if (view.status === "declined") return `This request has already been answered: ${by} declined it. A request is answered once.`;
  return "This request has already been answered. A request is answered once.";
}
