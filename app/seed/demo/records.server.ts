import { randomUUID } from "node:crypto";
import { nextReference } from "~/bids/bids.server.ts";
import { bidSections } from "~/bid-form/sections.ts";
import { applyWorkflowEvent, recordCreation } from "~/engine/apply-event.server.ts";
import type { Prisma, PrismaClient, Role } from "~/generated/prisma/client.ts";
import { startSnapshot, stateOf, workflows, type Actor, type PersistedSnapshot, type WorkflowKind } from "../../../workflows/index.ts";

// What the demo seeds make alike: their people, the bids' answers, a bid's record, and a
// step through the workflow engine. Each seed keeps its own story (which bids, which steps,
// when); these are the parts that read the same in every one of them.

/** A demo user as the workflow engine takes them: who acts, and the name the timeline shows. */
export type Person = Actor & { name: string };

/** The register's id of each organisation code, for the codes a seed names. */
export async function organisationIds(prisma: PrismaClient, codes: readonly string[]): Promise<Map<string, string>> {
  const rows = await prisma.organisation.findMany({ where: { code: { in: [...new Set(codes)] } }, select: { id: true, code: true } });
  return new Map(rows.map((o) => [o.code, o.id]));
}

/** Makes the seed's people (any already made by another seed are left as they are). */
export async function createPeople(
  prisma: Pick<PrismaClient, "user">,
  people: readonly { email: string; name: string; role: Role; org: string }[],
  organisationId: (code: string) => string,
) {
  await prisma.user.createMany({
    data: people.map((u) => ({ email: u.email, name: u.name, role: u.role, organisationId: organisationId(u.org) })),
    skipDuplicates: true,
  });
}

/** The people with these addresses, and a lookup that says which seed missed one. */
export async function peopleByEmail(prisma: PrismaClient, emails: readonly string[], seed: string) {
  const rows = await prisma.user.findMany({
    where: { email: { in: [...emails] } },
    select: { id: true, email: true, name: true, role: true, organisationId: true, senior: true },
  });
  const people = new Map(
    rows.map((u) => [u.email, { userId: u.id, role: u.role, organisationId: u.organisationId, senior: u.senior, name: u.name } satisfies Person]),
  );
  return (email: string): Person => {
    const found = people.get(email);
    if (!found) throw new Error(`${seed}: the demo user ${email} is missing.`);
    return found;
  };
}

type CostLine = { who: "lead" | "partner" | "supplier"; description: string; amountPence: number };

/** A funded bid's usual costs: the lead's own people, and a development partner for the rest. */
export function costLinesFor(awardPence: number): CostLine[] {
  const lead = Math.round(awardPence * 0.4);
  return [
    { who: "lead", description: "Product manager and user researcher", amountPence: lead },
    { who: "supplier", description: "Development partner", amountPence: awardPence - lead },
  ];
}

/** Every section of a demo bid answered, in the shape the bid form keeps its answers. */
export function bidAnswers(bid: {
  title: string;
  summary: string;
  problem: string;
  users: string;
  collaboration: string;
  approach: string;
  reuse: string;
  openness: string;
  costs: CostLine[];
  risks: string;
  evaluationPlan: string;
}) {
  return {
    completed: bidSections.map((s) => s.key),
    sections: {
      summary: { title: bid.title, summary: bid.summary },
      problem: { problem: bid.problem, users: bid.users },
      partners: { collaboration: bid.collaboration },
      approach: { approach: bid.approach, reuse: bid.reuse, openness: bid.openness },
      costs: { lines: bid.costs },
      risks: { risks: bid.risks },
      evaluation: { evaluationPlan: bid.evaluationPlan },
    },
    versions: {},
    savedBy: {},
  };
}

export interface DemoBidRecord {
  id: string;
  roundId: string;
  leadOrganisationId: string;
  /** The partners' organisation ids: each accepted the invitation as the bid was drafted. */
  partnerIds: string[];
  officer: Person;
  title: string;
  amountRequestedPence: number;
  answers: ReturnType<typeof bidAnswers>;
  drafted: Date;
  snapshot: PersistedSnapshot;
  /** How many steps the snapshot has taken since the bid was drafted. */
  version?: number;
}

/** A demo bid's row, its reference numbered by the day it was drafted. */
export async function bidRow(tx: Prisma.TransactionClient, bid: DemoBidRecord) {
  return {
    id: bid.id,
    reference: await nextReference(tx, bid.drafted),
    roundId: bid.roundId,
    leadOrganisationId: bid.leadOrganisationId,
    createdById: bid.officer.userId,
    title: bid.title,
    amountRequestedPence: bid.amountRequestedPence,
    answers: bid.answers as unknown as Prisma.InputJsonValue,
    state: stateOf(bid.snapshot),
    snapshot: bid.snapshot as unknown as Prisma.InputJsonValue,
    machineVersion: workflows.bid.version,
    version: bid.version ?? 0,
    createdAt: bid.drafted,
    partners: {
      create: bid.partnerIds.map((organisationId) => ({ organisationId, status: "accepted", invitedAt: bid.drafted, respondedAt: bid.drafted })),
    },
  } satisfies Prisma.BidUncheckedCreateInput;
}

/** A bid drafted by its officer, as a new bid is recorded: its row and the creation on its timeline. Gives its reference. */
export async function createDraftBid(
  prisma: PrismaClient,
  bid: Omit<DemoBidRecord, "id" | "snapshot" | "version">,
): Promise<{ id: string; reference: string }> {
  const id = randomUUID();
  const snapshot = startSnapshot("bid", { bidId: id, roundId: bid.roundId, leadOrganisationId: bid.leadOrganisationId });
  const reference = await prisma.$transaction(async (tx) => {
    const created = await tx.bid.create({ data: await bidRow(tx, { ...bid, id, snapshot }) });
    await recordCreation(tx, "bid", { ...created, snapshot }, bid.officer, bid.drafted);
    return created.reference;
  });
  return { id, reference };
}

/**
 * Steps through the workflow engine, each taken by `who` at `at` as a person would take it;
 * a refusal stops the seed, naming it (`seed`) and the step.
 */
export function stepsFor(seed: string) {
  return async (kind: WorkflowKind, id: string, who: Person, at: Date, event: Record<string, unknown>) => {
    const { name, ...actor } = who;
    const outcome = await applyWorkflowEvent(kind, id, { ...event, actor, at: at.toISOString() } as never, { actorName: name });
    if (!outcome.ok) throw new Error(`${seed}: ${String(event.type)} refused: ${outcome.reason}`);
  };
}
