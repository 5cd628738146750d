import { randomUUID } from "node:crypto";
import { db } from "~/db/database.server.ts";
import type { Prisma } from "~/generated/prisma/client.ts";
import { startSnapshot, workflows } from "../../workflows/index.ts";
import { createOrganisation, createRound } from "../../bench/support/fixtures.ts";
import { createUser } from "../../bench/support/requests.ts";

/**
 * Past work for the similar-work tests: funded projects written straight to the database
 * (the search reads what the triggers keep, whatever wrote the rows), each with the funded
 * bid's answers and, where given, a case study in the status given.
 */
export interface PastWork {
  key: string;
  title: string;
  summary: string;
  serviceArea?: string;
  /** The funded bid's answers to the problem and approach questions. */
  problem?: string;
  approach?: string;
  state?: string;
  caseStudy?: { status: "draft" | "inReview" | "returned" | "published"; problem: string; approach?: string; lessons?: string };
}

let counter = 0;

export async function createPastWork(items: PastWork[], options: { leads?: { id: string }[] } = {}) {
  const round = await createRound({ closesInDays: -200 });
  const leads = options.leads ?? [await createOrganisation(), await createOrganisation(), await createOrganisation()];
  const officers = await Promise.all(leads.map((lead) => createUser("councilOfficer", lead.id)));
  const ids = new Map<string, string>();
  for (const [i, item] of items.entries()) {
    counter++;
    const lead = leads[i % leads.length]!;
    const bidId = randomUUID();
    const projectId = randomUUID();
    const reference = `SIM-${String(counter).padStart(4, "0")}-${randomUUID().slice(0, 4).toUpperCase()}`;
    const stage = item.state?.split("_")[0];
    const snapshot = startSnapshot("project", {
      projectId,
      bidId,
      leadOrganisationId: lead.id,
      startStage: stage === "scan" || stage === "scale" ? stage : "pilot",
    });
    await db().bid.create({
      data: {
        id: bidId,
        reference,
        roundId: round.id,
        leadOrganisationId: lead.id,
        createdById: officers[i % leads.length]!.id,
        title: item.title,
        answers: {
          sections: {
            summary: { title: item.title, summary: item.summary },
            problem: { problem: item.problem ?? "", users: "" },
            approach: { approach: item.approach ?? "", reuse: "", openness: "" },
          },
        },
        state: "funded",
        snapshot: startSnapshot("bid", { bidId, roundId: round.id, leadOrganisationId: lead.id }) as unknown as Prisma.InputJsonValue,
        machineVersion: workflows.bid.version,
      },
    });
    await db().project.create({
      data: {
        id: projectId,
        bidId,
        leadOrganisationId: lead.id,
        title: item.title,
        reference,
        awardPence: 50_000_00,
        summary: item.summary,
        serviceArea: item.serviceArea ?? "",
        state: item.state ?? String(snapshot.value),
        snapshot: snapshot as unknown as Prisma.InputJsonValue,
        machineVersion: workflows.project.version,
      },
    });
    if (item.caseStudy) {
      await db().caseStudy.create({
        data: {
          projectId,
          slug: `${item.key}-${reference.toLowerCase()}`,
          title: item.title,
          problem: item.caseStudy.problem,
          approach: item.caseStudy.approach ?? "",
          evidence: "",
          outcome: "",
          lessons: item.caseStudy.lessons ?? "",
          reusableOutputs: "",
          serviceArea: item.serviceArea ?? "",
          stage: "pilot",
          status: item.caseStudy.status,
          publishedAt: item.caseStudy.status === "published" ? new Date() : null,
        },
      });
    }
    ids.set(item.key, projectId);
  }
  return { round, leads, officers, ids };
}
