import { z } from "zod";
import type { SignedInUser } from "~/auth/session.server.ts";
import { db } from "~/db/database.server.ts";
import { parseForm, typedValues, type FormErrors, type TypedValues } from "~/forms/parse.server.ts";
import { isRetired } from "~/organisations/directory.server.ts";
import { domainProblem, domainsOf, JOINABLE_KINDS, normaliseDomain } from "./rules.ts";

/** An organisation's email domains: which addresses may ask to join it. */

export const canHaveDomains = (kind: string) => (JOINABLE_KINDS as readonly string[]).includes(kind);

export async function domainsFor(organisationId: string): Promise<{ id: string; domain: string }[]> {
  return db().organisationDomain.findMany({ where: { organisationId }, select: { id: true, domain: true }, orderBy: { domain: "asc" } });
}

const addForm = z.object({ domain: z.string().max(300, "The domain must be 253 characters or fewer").optional().default("") });
const removeForm = z.object({ domainId: z.string().max(100).optional().default("") });

export type DomainChange = { ok: true; outcome: "added" | "removed"; domain: string } | { ok: false; errors: FormErrors; values: TypedValues };

/** Adds the typed domain to the organisation, or says which rule stops it. */
export async function addDomain(
  organisation: { id: string; name: string; kind: string; endDate: Date | null },
  form: FormData,
  by: SignedInUser,
): Promise<DomainChange> {
  const parsed = parseForm(form, addForm);
  if (!parsed.ok) return { ok: false, errors: parsed.errors, values: parsed.values };
  const refuse = (message: string): DomainChange => ({ ok: false, errors: { domain: message }, values: parsed.values });
  if (!canHaveDomains(organisation.kind)) {
    return refuse("Only councils, combined authorities and fire authorities have email domains, since only their staff can ask to join");
  }
  if (isRetired(organisation.endDate)) return refuse(`${organisation.name} no longer exists, so nobody can ask to join it`);
  const domain = normaliseDomain(parsed.value.domain);
  const problem = domainProblem(domain);
  if (problem) return refuse(problem);
  const claimed = await db().organisationDomain.findUnique({ where: { domain }, select: { organisation: { select: { id: true, name: true } } } });
  if (claimed) {
    return refuse(
      claimed.organisation.id === organisation.id
        ? `${domain} is already one of ${organisation.name}'s domains`
        : `${domain} already belongs to ${claimed.organisation.name}. A domain can belong to only one organisation`,
    );
  }
  try {
    await db().organisationDomain.create({ data: { domain, organisationId: organisation.id, addedById: by.id } });
  } catch (error) {
    // Claimed a moment ago by someone else (the domain is unique).
    if ((error as { code?: string }).code === "P2002")
      return refuse(`${domain} has just been given to another organisation. A domain can belong to only one organisation`);
    throw error;
  }
  return { ok: true, outcome: "added", domain };
}

/**
 * The organisation page's domain forms (add one, remove one); null when the form is another
 * of the page's forms.
 */
export async function changeDomains(
  organisation: { id: string; name: string; kind: string; endDate: Date | null },
  form: FormData,
  by: SignedInUser,
): Promise<DomainChange | null> {
  const intent = typedValues(form).intent;
  if (intent === "add-domain") return addDomain(organisation, form, by);
  if (intent === "remove-domain") return removeDomain(organisation.id, form);
  return null;
}

export async function removeDomain(organisationId: string, form: FormData): Promise<DomainChange> {
  const parsed = parseForm(form, removeForm);
  const values = parsed.values;
  const id = parsed.ok ? parsed.value.domainId : "";
  const row = id ? await db().organisationDomain.findFirst({ where: { id, organisationId }, select: { domain: true } }) : null;
  // Removed by someone else meanwhile: what they wanted has happened.
  if (!row) return { ok: false, errors: { domain: "That domain has already been removed" }, values };
  await db().organisationDomain.deleteMany({ where: { id, organisationId } });
  return { ok: true, outcome: "removed", domain: row.domain };
}

/** The organisation that the address's domain (or a parent of it) belongs to, if it can still be joined. */
export async function organisationForEmail(email: string): Promise<{ id: string; name: string } | null> {
  const candidates = domainsOf(email);
  if (!candidates.length) return null;
  const rows = await db().organisationDomain.findMany({
    where: { domain: { in: candidates } },
    select: { domain: true, organisation: { select: { id: true, name: true, kind: true, endDate: true } } },
  });
  // The most specific domain wins: dept.leeds.gov.uk over leeds.gov.uk.
  rows.sort((a, b) => b.domain.length - a.domain.length);
  const match = rows.find((r) => canHaveDomains(r.organisation.kind) && !isRetired(r.organisation.endDate));
  return match ? { id: match.organisation.id, name: match.organisation.name } : null;
}
