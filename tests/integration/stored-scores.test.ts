import { describe, expect, it } from "vitest";
import { bidModeration, unresolvedDisagreements } from "~/assessment/moderation.server.ts";
import { db } from "~/db/database.server.ts";
import { loadDecisionRound } from "~/funding/decisions.server.ts";
import { roundRanking } from "~/funding/scores.server.ts";
import { refreshRoundScores } from "~/assessment/round-scores.server.ts";
import { rankingPage, submittedIso } from "~/funding/stored-scores.server.ts";
import { applyWorkflowEvent } from "~/engine/apply-event.server.ts";
import { useTestDatabase } from "../support/database.ts";
import { actor, createModeratedRound } from "../../bench/support/fixtures.ts";

useTestDatabase();

const k = (pounds: number) => pounds * 1000 * 100;

/** The stored figures for a bid, after working out whatever the triggers marked. */
async function stored(roundId: string, bidId: string) {
  const round = await loadDecisionRound((await db().round.findUniqueOrThrow({ where: { id: roundId } })).slug);
  await refreshRoundScores(roundId, round.ruleSet);
  return db().bidScore.findUniqueOrThrow({ where: { bidId } });
}

async function expectCurrent(roundId: string, bidId: string) {
  const row = await stored(roundId, bidId);
  const moderation = (await bidModeration(bidId))!;
  expect(row.dirty).toBe(0);
  expect(row.moderatedScore).toBe(moderation.moderatedScore);
  expect(row.unresolved).toBe(await unresolvedDisagreements(bidId));
  // The round's running counts (a trigger on BidScore) agree with its rows counted now.
  const [flagged, flagsOpen, unresolved] = await Promise.all([
    db().bidScore.count({ where: { roundId, flagged: { gt: 0 } } }),
    db().bidScore.count({ where: { roundId, flagged: { gt: 0 }, flagsOpen: { gt: 0 } } }),
    db().bidScore.count({ where: { roundId, unresolved: { gt: 0 } } }),
  ]);
  const tally = await db().roundModerationTally.findUnique({ where: { roundId }, select: { flagged: true, flagsOpen: true, unresolved: true } });
  expect(tally ?? { flagged: 0, flagsOpen: 0, unresolved: 0 }).toEqual({ flagged, flagsOpen, unresolved });
  return row;
}

describe("the stored ranking scores", () => {
  it("stay equal to the moderated score after every kind of write", async () => {
    const { round, fundTeam, assessors, bids } = await createModeratedRound({
      bids: [
        {
          amountPence: k(100),
          scores: [
            [5, 2, 2, 2],
            [1, 2, 2, 2],
          ],
        },
      ],
    });
    const bidId = bids[0]!.bid.id;
    // Assessments submitted through the engine.
    expect((await expectCurrent(round.id, bidId)).unresolved).toBe(1);

    // A consensus score recorded, changed, then removed.
    await db().consensusScore.create({ data: { bidId, criterionKey: "strategicFit", score: 4, rationale: "Agreed", byUserId: fundTeam.id } });
    expect((await expectCurrent(round.id, bidId)).unresolved).toBe(0);
    await db().consensusScore.update({ where: { bidId_criterionKey: { bidId, criterionKey: "strategicFit" } }, data: { score: 1 } });
    await expectCurrent(round.id, bidId);

    // An assessment returned for rework, its draft changed, then resubmitted.
    const assessment = await db().assessment.findFirstOrThrow({ where: { bidId, assessorUserId: assessors[0]!.id } });
    const step = async (event: Record<string, unknown>, who: typeof fundTeam) => {
      const result = await applyWorkflowEvent("assessment", assessment.id, { ...event, actor: actor(who), at: new Date().toISOString() } as never);
      expect(result.ok, JSON.stringify(result)).toBe(true);
    };
    await step({ type: "RETURN_FOR_REWORK", reason: "Justify strategic fit" }, fundTeam);
    expect((await expectCurrent(round.id, bidId)).unresolved).toBe(1);
    await step({ type: "START_SCORING" }, assessors[0]!);
    const scores = assessment.scores as Record<string, { score: number; justification: string }>;
    await db().assessment.update({
      where: { id: assessment.id },
      data: { scores: { ...scores, deliverability: { score: 3, justification: "Better evidence" } } },
    });
    await expectCurrent(round.id, bidId);
    await step({ type: "SUBMIT_SCORES", facts: { unscoredCriteria: [], unjustifiedCriteria: [] } }, assessors[0]!);
    expect((await expectCurrent(round.id, bidId)).unresolved).toBe(0);

    await db().consensusScore.delete({ where: { bidId_criterionKey: { bidId, criterionKey: "strategicFit" } } });
    expect((await expectCurrent(round.id, bidId)).unresolved).toBe(1);
  });

  it("page by page, give the same ranking, line, awards and sentences as ranking the whole round", async () => {
    // Ties on score (broken by the top criterion, then the amount), a line part-way, and the
    // fund team excluding a bid above it and including two below it (the second partly).
    const { round, fundTeam, bids } = await createModeratedRound({
      budgetPence: k(900),
      bids: [
        { amountPence: k(300), scores: [[5, 5, 5, 5]] },
        { amountPence: k(200), scores: [[4, 4, 4, 4]] },
        { amountPence: k(150), scores: [[4, 4, 4, 4]] },
        { amountPence: k(250), scores: [[5, 3, 4, 4]] },
        { amountPence: k(300), scores: [[3, 3, 3, 3]] },
        { amountPence: k(100), scores: [[2, 3, 3, 3]] },
        { amountPence: k(350), scores: [[2, 2, 2, 2]] },
        { amountPence: k(50), scores: [[1, 1, 1, 1]] },
      ],
    });
    const at = (i: number) => bids[i]!.bid.id;
    await db().fundingLineAdjustment.createMany({
      data: [
        { roundId: round.id, bidId: at(1), direction: "exclude", reason: "Duplicates other work", byUserId: fundTeam.id },
        { roundId: round.id, bidId: at(5), direction: "include", reason: "Cheap and useful", byUserId: fundTeam.id },
        { roundId: round.id, bidId: at(6), direction: "include", reason: "Can phase it", byUserId: fundTeam.id },
      ],
    });
    const decisionRound = await loadDecisionRound(round.slug);
    const whole = await roundRanking(decisionRound, decisionRound.ruleSet);
    const pages = [];
    for (let page = 1; page <= 3; page++) pages.push(await rankingPage(decisionRound, decisionRound.ruleSet, page, 3));
    // Read a bid at a time first: the line is then found in later batches (1, 2, 4), and the
    // last page lies beyond the bids read down to it.
    for (let page = 1; page <= 3; page++) expect(await rankingPage(decisionRound, decisionRound.ruleSet, page, 3, 1)).toEqual(pages[page - 1]);
    expect(pages.map((p) => p.pages)).toEqual([3, 3, 3]);
    const rows = pages.flatMap((p) => p.rows);
    const pick = (b: (typeof whole.bids)[number]) => [b.rank, b.reference, b.placement, b.awardPence, b.partial, b.cumulativePence, b.explanation, b.tie];
    expect(rows.map(pick)).toEqual(whole.bids.map(pick));
    expect(whole.bids.some((b) => b.tie)).toBe(true);
    expect(whole.bids.some((b) => b.partial)).toBe(true);
    for (const page of pages) {
      expect([page.allocatedPence, page.leftPence, page.firstBelow, page.lineRank]).toEqual([
        whole.allocatedPence,
        whole.leftPence,
        whole.firstBelow,
        whole.lineIndex + 1,
      ]);
      expect(page.total).toBe(8);
    }
  });
});

describe("a stored submission time as the ranking compares it", () => {
  it("is what toISOString writes, however the time was read", () => {
    // As JSON gives a timestamp without a zone: to the second, or with one to six digits of fraction.
    for (const text of [
      "2026-03-01T12:00:00",
      "2026-03-01T12:00:00.5",
      "2026-03-01T12:00:00.12",
      "2026-03-01T12:00:00.123",
      "2026-03-01T12:00:00.1239",
      "2026-12-31T23:59:59.999999",
      "2024-02-29T00:00:00.000001",
    ]) {
      expect(submittedIso(text)).toBe(new Date(`${text}Z`).toISOString());
    }
    // As PostgreSQL's text gives it, and as a Date (a statement read on its own).
    expect(submittedIso("2026-03-01 12:00:00.25")).toBe("2026-03-01T12:00:00.250Z");
    expect(submittedIso(new Date("2026-03-01T12:00:00.250Z"))).toBe("2026-03-01T12:00:00.250Z");
    expect(submittedIso(null)).toBeNull();
  });
});
