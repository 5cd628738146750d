import { db } from "~/db/database.server.ts";
import type { Prisma } from "~/generated/prisma/client.ts";
import { calendarDate, isoDay, londonToday } from "~/utils/dates.ts";
import { clampPage, pageParam } from "~/utils/paging.ts";

/**
 * The organisations list and page: searching, filtering and paging the organisations
 * Springboard knows (the register's councils and the other bodies), for every signed-in role.
 */
export const organisationKinds = ["council", "combinedAuthority", "fireAuthority", "ministry", "assessorBody"] as const;
export type OrganisationKind = (typeof organisationKinds)[number];

export const kindLabels: Record<OrganisationKind, string> = {
  council: "Council",
  combinedAuthority: "Combined authority",
  fireAuthority: "Fire authority",
  ministry: "Ministry",
  assessorBody: "Assessor body",
};

export const PAGE_SIZE = 50;

export interface OrganisationFilters {
  q: string;
  kind: OrganisationKind | "";
  declaration: "signed" | "unsigned" | "";
  retired: boolean;
  page: number;
}

const isKind = (value: string): value is OrganisationKind => (organisationKinds as readonly string[]).includes(value);

/** Reads the GET form's fields; anything unrecognised is ignored rather than refused. */
export function filtersFrom(params: URLSearchParams): OrganisationFilters {
  const kind = params.get("kind") ?? "";
  const declaration = params.get("declaration") ?? "";
  return {
    q: (params.get("q") ?? "").trim().slice(0, 100),
    kind: isKind(kind) ? kind : "",
    declaration: declaration === "signed" || declaration === "unsigned" ? declaration : "",
    retired: params.get("retired") === "1",
    page: pageParam(params.get("page")),
  };
}

/** A council is retired once its end date (from the register) has come. */
export function isRetired(endDate: Date | null, today = londonToday()): boolean {
  return endDate !== null && isoDay(endDate) <= today;
}

function whereFor(filters: OrganisationFilters, today: string): Prisma.OrganisationWhereInput {
  const and: Prisma.OrganisationWhereInput[] = [];
  if (filters.q) {
    and.push({
      OR: [
        { name: { contains: filters.q, mode: "insensitive" } },
        { officialName: { contains: filters.q, mode: "insensitive" } },
        { code: { contains: filters.q, mode: "insensitive" } },
      ],
    });
  }
  if (filters.kind) and.push({ kind: filters.kind });
  if (filters.declaration === "signed") and.push({ declarationSignedAt: { not: null } });
  if (filters.declaration === "unsigned") and.push({ declarationSignedAt: null });
  if (!filters.retired) and.push({ OR: [{ endDate: null }, { endDate: { gt: calendarDate(today) } }] });
  return { AND: and };
}

export async function listOrganisations(filters: OrganisationFilters, today = londonToday()) {
  const where = whereFor(filters, today);
  const total = await db().organisation.count({ where });
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = clampPage(filters.page, pageCount);
  const organisations = await db().organisation.findMany({
    where,
    orderBy: [{ name: "asc" }, { code: "asc" }],
    skip: (page - 1) * PAGE_SIZE,
    take: PAGE_SIZE,
    select: {
      code: true,
      name: true,
      kind: true,
      endDate: true,
      declarationSignedAt: true,
      councilType: { select: { name: true } },
    },
  });
  return {
    organisations: organisations.map((o) => ({
      code: o.code,
      name: o.name,
      type: o.councilType?.name ?? kindLabels[o.kind],
      retired: isRetired(o.endDate, today),
      declarationSignedAt: isoDay(o.declarationSignedAt),
    })),
    total,
    page,
    pageCount,
  };
}

export async function findOrganisation(code: string) {
  const select = {
    id: true,
    code: true,
    kind: true,
    name: true,
    officialName: true,
    website: true,
    startDate: true,
    endDate: true,
    declarationSignedAt: true,
    councilType: { select: { code: true, name: true } },
  } as const;
  const exact = await db().organisation.findUnique({ where: { code }, select });
  if (exact || code === code.toUpperCase()) return exact;
  return db().organisation.findUnique({ where: { code: code.toUpperCase() }, select });
}

/** Records (or, with null, clears) the date the organisation signed the Local Digital Declaration. */
export async function recordDeclaration(organisationId: string, date: string | null) {
  await db().organisation.update({
    where: { id: organisationId },
    data: { declarationSignedAt: calendarDate(date) },
  });
}
