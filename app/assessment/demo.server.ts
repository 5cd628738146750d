import type { PrismaClient } from "~/generated/prisma/client.ts";

/**
 * For the demo: puts every assessor into every round's pool, so that automatic assignment
 * has someone to draw on as soon as a demo bid is found eligible. Safe to run again.
 */
export async function seedDemoAssessorPool(prisma: PrismaClient) {
  const [rounds, assessors] = await Promise.all([
    prisma.round.findMany({ select: { id: true } }),
    prisma.user.findMany({ where: { role: "assessor" }, select: { id: true } }),
  ]);
  const data = rounds.flatMap((r) => assessors.map((a) => ({ roundId: r.id, userId: a.id })));
  if (data.length) await prisma.roundAssessor.createMany({ data, skipDuplicates: true });
  return data.length;
}
