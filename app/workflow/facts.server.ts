import { incompleteSections } from "~/bids/sections.ts";
import { roundRules, roundRulesSelect } from "~/rounds/rules.ts";
import type { SubmissionFacts } from "../../workflows/index.ts";
import type { Tx } from "./records.server.ts";

// States in which a bid counts towards its lead council's limit of lead bids in a round.
const COUNTED_STATES_EXCLUDED = ["draft", "withdrawn"];

/**
 * What the bid machine needs to know to let a bid go to certification or be certified,
 * read from the database at the moment of the event.
 */
export async function bidSubmissionFacts(tx: Tx, bidId: string): Promise<SubmissionFacts> {
  const bid = await tx.bid.findUniqueOrThrow({
    where: { id: bidId },
    select: {
      id: true,
      roundId: true,
      answers: true,
      amountRequestedPence: true,
      leadOrganisation: { select: { id: true, name: true, kind: true, declarationSignedAt: true } },
      partners: {
        where: { status: "accepted" },
        select: { organisation: { select: { id: true, name: true, kind: true, declarationSignedAt: true } } },
      },
      round: { select: { closesAt: true, ...roundRulesSelect } },
    },
  });
  const leadBidsInRound = await tx.bid.count({
    where: {
      roundId: bid.roundId,
      leadOrganisationId: bid.leadOrganisation.id,
      id: { not: bid.id },
      state: { notIn: COUNTED_STATES_EXCLUDED },
    },
  });
  const council = (org: { id: string; name: string; kind: string; declarationSignedAt: Date | null }, role: "lead" | "partner") => ({
    organisationId: org.id,
    name: org.name,
    kind: org.kind as SubmissionFacts["councils"][number]["kind"],
    role,
    signedDeclaration: org.declarationSignedAt !== null,
  });
  return {
    rules: roundRules(bid.round),
    deadline: bid.round.closesAt.toISOString(),
    stage: bid.round.stage,
    amountRequestedPence: bid.amountRequestedPence,
    capPence: bid.round.capPence,
    councils: [council(bid.leadOrganisation, "lead"), ...bid.partners.map((p) => council(p.organisation, "partner"))],
    leadBidsInRound,
    incompleteSections: incompleteSections(bid.answers),
  };
}
