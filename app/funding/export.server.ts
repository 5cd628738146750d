import { db } from "~/db/database.server.ts";
import type { CsvValue } from "~/utils/csv.ts";
import { stateLabel } from "../../workflows/index.ts";
import type { DecisionRound } from "./decisions.server.ts";
import { scoreBids } from "~/assessment/round-scores.server.ts";
import { storedRoundRanking } from "./stored-scores.server.ts";

// The round's bids and scores as CSV rows, a page of bids at a time (keyset pagination on
// the reference), so a large round streams out without being held in memory. Only the
// ranking itself (a few stored numbers per moderated bid, app/funding/stored-scores.server.ts)
// is worked out up front, because a bid's rank and side of the line depend on every other bid.

const NOT_SUBMITTED = ["draft", "awaitingCertification"];
const BATCH = 500;
const pounds = (pence: number) => (pence / 100).toFixed(2);

export function exportHeader(round: DecisionRound): string[] {
  return [
    "Reference",
    "Title",
    "Lead",
    "Partners",
    "Status",
    "Amount asked (£)",
    ...round.ruleSet.assessment.criteria.map((c) => `${c.label} (moderated)`),
    "Weighted score",
    "Rank",
    "Funding line",
    "Award (£)",
    "Budget (£)",
  ];
}

export async function* exportRows(round: DecisionRound): AsyncGenerator<CsvValue[][]> {
  const ranking = await storedRoundRanking(round, round.ruleSet);
  const placed = new Map(ranking.bids.map((b) => [b.bidId, b]));
  const criteria = round.ruleSet.assessment.criteria;
  const where = { roundId: round.id, state: { notIn: NOT_SUBMITTED } };
  let after = "";
  let count = 0;
  let asked = 0;
  for (;;) {
    const page = await db().bid.findMany({
      where: { ...where, reference: { gt: after } },
      select: {
        id: true,
        reference: true,
        title: true,
        state: true,
        version: true,
        amountRequestedPence: true,
        snapshot: true,
        leadOrganisation: { select: { name: true } },
        partners: { where: { status: "accepted" }, select: { organisation: { select: { name: true } } }, orderBy: { invitedAt: "asc" } },
      },
      orderBy: { reference: "asc" },
      take: BATCH,
    });
    if (!page.length) break;
    const scores = new Map((await scoreBids(page, round.ruleSet)).map((s) => [s.bidId, s]));
    yield page.map((bid) => {
      const s = scores.get(bid.id)!;
      const ranked = placed.get(bid.id);
      const scored = criteria.some((c) => s.criteria[c.key] !== null);
      count++;
      asked += bid.amountRequestedPence;
      return [
        bid.reference,
        bid.title,
        bid.leadOrganisation.name,
        bid.partners.map((p) => p.organisation.name).join("; "),
        stateLabel("bid", bid.state),
        pounds(bid.amountRequestedPence),
        ...criteria.map((c) => {
          const value = s.criteria[c.key];
          return value === null || value === undefined ? "" : Math.round(value * 100) / 100;
        }),
        scored ? s.moderatedScore : "",
        ranked?.rank ?? "",
        ranked ? (ranked.placement === "above" ? (ranked.partial ? "Above (partly funded)" : "Above") : "Below") : "",
        ranked && ranked.placement === "above" ? pounds(ranked.awardPence) : "",
        "",
      ];
    });
    if (page.length < BATCH) break;
    after = page[page.length - 1]!.reference;
  }
  yield [
    [
      "Totals",
      `${count} ${count === 1 ? "bid" : "bids"}`,
      "",
      "",
      "",
      pounds(asked),
      ...criteria.map(() => ""),
      "",
      "",
      "",
      pounds(ranking.allocatedPence),
      pounds(round.budgetPence),
    ],
  ];
}
