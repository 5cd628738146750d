import { z } from "zod";
import { roleLabels, ROLES, type Role } from "~/auth/roles.ts";
import type { SignedInUser } from "~/auth/session.server.ts";
import { normaliseEmail } from "~/auth/sign-in.server.ts";
import { db } from "~/db/database.server.ts";
import { env } from "~/env.server.ts";
import { checkbox, choice, email, requiredText } from "~/forms/fields.ts";
import { parseForm, type FormErrors, type TypedValues } from "~/forms/parse.server.ts";
import { enqueueEmail } from "~/mail/outbox.server.ts";
import { isRetired } from "~/organisations/directory.server.ts";
import { londonToday } from "~/utils/dates.ts";
import { organisationKindLabels } from "../../workflows/rules.ts";

/** Administrators see and invite users. */
export const USERS_SHOWN = 100;

export async function listUsers(q: string) {
  const where = q
    ? {
        OR: [
          { name: { contains: q, mode: "insensitive" as const } },
          { email: { contains: q, mode: "insensitive" as const } },
          { organisation: { name: { contains: q, mode: "insensitive" as const } } },
        ],
      }
    : {};
  const [total, users] = await Promise.all([
    db().user.count({ where }),
    db().user.findMany({
      where,
      orderBy: [{ name: "asc" }, { email: "asc" }],
      take: USERS_SHOWN,
      select: {
        id: true,
        name: true,
        email: true,
        role: true,
        senior: true,
        lastSignInAt: true,
        organisation: { select: { code: true, name: true } },
      },
    }),
  ]);
  return { total, users };
}

export const roleHints: Record<Role, string> = {
  councilOfficer: "Drafts and submits their council's bids, and reports on funded projects",
  certifier: "Signs off their council's bids before they are submitted (the section 151 officer or a delegate)",
  assessor: "Scores the bids they are given against the fund's criteria",
  fundTeam: "Ministry staff who run rounds, check eligibility and manage funded projects",
  gateApprover: "Ministry staff who vote on gate reviews",
  admin: "Manages who has access and imports the register of councils",
};

const councilKinds = ["council", "combinedAuthority", "fireAuthority"];

const whoMay: Record<Role, { kinds: string[]; people: string; where: string }> = {
  councilOfficer: { kinds: councilKinds, people: "Council officers", where: "a council, combined authority or fire authority" },
  certifier: { kinds: councilKinds, people: "Council certifiers", where: "a council, combined authority or fire authority" },
  assessor: { kinds: ["assessorBody", "council"], people: "Assessors", where: "an assessor body or a council" },
  fundTeam: { kinds: ["ministry"], people: "Fund team members", where: "the ministry" },
  gateApprover: { kinds: ["ministry"], people: "Gate approvers", where: "the ministry" },
  admin: { kinds: ["ministry"], people: "Administrators", where: "the ministry" },
};

/** Null when the role fits the organisation; otherwise why not, in plain English. */
export function roleMismatch(role: Role, organisation: { name: string; kind: string }): string | null {
  const rule = whoMay[role];
  if (rule.kinds.includes(organisation.kind)) return null;
  const is = organisationKindLabels[organisation.kind]?.one ?? "another kind of organisation";
  return `${rule.people} must belong to ${rule.where}, and ${organisation.name} is ${is}. Choose a different role or organisation.`;
}

/** The names offered as the organisation field's suggestions: every organisation that still exists. */
export async function organisationNames(): Promise<string[]> {
  const today = londonToday();
  const organisations = await db().organisation.findMany({
    select: { name: true, endDate: true },
    orderBy: { name: "asc" },
  });
  return organisations.filter((o) => !isRetired(o.endDate, today)).map((o) => o.name);
}

export type ResolvedOrganisation = { id: string; name: string; kind: string };

/** The one organisation whose name, official name or code is the typed text (any case). */
export async function resolveOrganisation(text: string): Promise<{ organisation: ResolvedOrganisation } | { error: string }> {
  const typed = text.trim().replace(/\s+/g, " ");
  const notFound = { error: "Enter the name of an organisation in the register" };
  if (!typed) return notFound;
  const matches = await db().organisation.findMany({
    where: {
      OR: [
        { name: { equals: typed, mode: "insensitive" } },
        { officialName: { equals: typed, mode: "insensitive" } },
        { code: { equals: typed, mode: "insensitive" } },
      ],
    },
    select: { id: true, name: true, kind: true, code: true, endDate: true },
    take: 5,
  });
  // A code is unique, so it settles any ambiguity between names.
  const byCode = matches.find((m) => m.code.toLowerCase() === typed.toLowerCase());
  const candidates = byCode ? [byCode] : matches;
  if (!candidates.length) return notFound;
  if (candidates.length > 1) {
    return { error: `More than one organisation is called ${typed}. Enter its code instead, for example ${candidates[0]!.code}` };
  }
  const organisation = candidates[0]!;
  if (isRetired(organisation.endDate)) {
    return { error: `${organisation.name} no longer exists. Enter the name of an organisation in the register` };
  }
  return { organisation: { id: organisation.id, name: organisation.name, kind: organisation.kind } };
}

export async function emailInUse(email: string): Promise<boolean> {
  return (await db().user.count({ where: { email: normaliseEmail(email) } })) > 0;
}

export const EMAIL_IN_USE = "A user with this email address already exists";

export interface Invitation {
  name: string;
  email: string;
  role: Role;
  senior: boolean;
  organisation: ResolvedOrganisation;
}

/**
 * Creates the user and puts the invitation email in the outbox in one transaction: both
 * are written or neither is. Returns null when the address was taken meanwhile.
 */
export async function inviteUser(invitation: Invitation, invitedBy: SignedInUser): Promise<{ id: string; email: string } | null> {
  const email = normaliseEmail(invitation.email);
  try {
    return await db().$transaction(async (tx) => {
      const user = await tx.user.create({
        data: {
          email,
          name: invitation.name,
          role: invitation.role,
          senior: invitation.role === "gateApprover" && invitation.senior,
          organisationId: invitation.organisation.id,
          invitedById: invitedBy.id,
        },
        select: { id: true, email: true },
      });
      await enqueueEmail(tx, {
        template: "user-invited",
        to: email,
        userId: user.id,
        data: {
          name: invitation.name,
          organisation: invitation.organisation.name,
          role: roleLabels[invitation.role].toLowerCase(),
          invitedBy: invitedBy.name,
          signInUrl: `${env().APP_URL}/sign-in`,
        },
      });
      return user;
    });
  } catch (error) {
    // Another administrator invited the same address a moment ago (unique email).
    if ((error as { code?: string }).code === "P2002") return null;
    throw error;
  }
}

export const roleOptions = ROLES.map((role) => ({ value: role, text: roleLabels[role], hint: roleHints[role] }));

/** The invitation form. The email rule is the sign-in form's, so whoever is invited can sign in. */
export const invitationForm = z.object({
  name: requiredText({ missing: "Enter the person's full name", max: 200, label: "full name" }),
  email: email("Enter the person's email address"),
  role: choice(ROLES, "Select the person's role"),
  organisation: requiredText({ missing: "Enter the person's organisation", max: 200, label: "the organisation's name" }),
  senior: checkbox,
});

export type InvitationCheck = { ok: true; invitation: Invitation; values: TypedValues } | { ok: false; errors: FormErrors; values: TypedValues };

/**
 * The invitation in a posted form, or every reason it cannot be sent. The address and the
 * organisation are looked up even when another answer is wrong, so the person sees every
 * problem at once; whether the role fits the organisation is only asked once both are known.
 */
export async function readInvitation(form: FormData): Promise<InvitationCheck> {
  const parsed = parseForm(form, invitationForm);
  const values = parsed.values;
  const errors: FormErrors = parsed.ok ? {} : { ...parsed.errors };
  if (!errors.email && (await emailInUse(values.email ?? ""))) errors.email = EMAIL_IN_USE;
  let organisation: ResolvedOrganisation | null = null;
  if (!errors.organisation) {
    const resolved = await resolveOrganisation(values.organisation ?? "");
    if ("error" in resolved) errors.organisation = resolved.error;
    else organisation = resolved.organisation;
  }
  if (!parsed.ok || Object.keys(errors).length || !organisation) return { ok: false, errors, values };
  const mismatch = roleMismatch(parsed.value.role, organisation);
  if (mismatch) return { ok: false, errors: { role: mismatch }, values };
  const { name, email: address, role, senior } = parsed.value;
  return { ok: true, invitation: { name, email: address, role, senior, organisation }, values };
}
