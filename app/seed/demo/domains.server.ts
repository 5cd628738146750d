import type { PrismaClient } from "~/generated/prisma/client.ts";

/**
 * The demo councils' email domains, taken from their demo users' addresses, so that on a
 * demo installation anyone at, say, leeds.example can ask to join Leeds.
 */
export const demoDomains: Record<string, string> = {
  BIR: "birmingham.example",
  MAN: "manchester.example",
  LDS: "leeds.example",
  HCK: "hackney.example",
  CMD: "camden.example",
  SHF: "sheffield.example",
};

export async function seedDemoDomains(prisma: PrismaClient) {
  const organisations = await prisma.organisation.findMany({ where: { code: { in: Object.keys(demoDomains) } }, select: { id: true, code: true } });
  await prisma.organisationDomain.createMany({
    data: organisations.map((o) => ({ domain: demoDomains[o.code]!, organisationId: o.id })),
    skipDuplicates: true,
  });
}
