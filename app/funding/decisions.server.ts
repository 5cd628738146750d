import { randomUUID } from "node:crypto";
import { unresolvedDisagreements } from "~/assessment/moderation.server.ts";
import { SUBMITTED_STATES } from "~/assessment/states.ts";
import { readScores } from "~/assessment/scoring.ts";
import type { SignedInUser } from "~/auth/session.server.ts";
import { database, db, type SqlQuery } from "~/db/database.server.ts";
import { roundRules } from "~/rounds/rules.ts";
import { formatMoney } from "~/utils/format.ts";
import { actorOf, applyWorkflowEvent, recordCreationInSql } from "~/engine/apply-event.server.ts";
import { startSnapshot, workflows, type FundRules } from "../../workflows/index.ts";
import { plural } from "../../workflows/format.ts";
import { BEFORE_LINE_STATES, type RankedBid } from "./ranking.ts";
import type { BidScores } from "~/assessment/round-scores.server.ts";
import { roundRanking, type RoundRanking } from "./scores.server.ts";
import { insertProject, insertTranche } from "~/projects/sql.server.ts";
import { decisionRoundBySlug } from "./sql.server.ts";
import { notFound } from "~/http/errors.server.ts";

/** Decisions held until the fund team publishes them together. */
export const HELD_STATES = ["recommended", "notRecommended"] as const;
/** Bids still on their way to moderation: publishing waits for them. */
export { BEFORE_LINE_STATES };

const isHeld = (state: string) => (HELD_STATES as readonly string[]).includes(state);

export async function loadDecisionRound(slug: string | undefined) {
  // One statement (the round with its fund's rules): every decision page and the progress page start here.
  const round = slug ? await decisionRoundBySlug(database().sql, slug) : null;
  if (!round) throw notFound();
  return { ...round, ruleSet: roundRules(round) };
}
export type DecisionRound = Awaited<ReturnType<typeof loadDecisionRound>>;

/** Held bids whose state no longer matches the ranking (a bid was withdrawn, or the line moved). */
export function staleHeld(ranking: RoundRanking): RankedBid[] {
  return ranking.bids.filter((b) => {
    const state = ranking.scores.get(b.bidId)!.state;
    return (state === "recommended" && b.placement === "below") || (state === "notRecommended" && b.placement === "above");
  });
}

export async function decisionsOverview(round: DecisionRound) {
  const ranking = await roundRanking(round, round.ruleSet);
  const waiting = await db().bid.findMany({
    where: { roundId: round.id, state: { in: [...BEFORE_LINE_STATES] } },
    select: { reference: true },
    orderBy: { reference: "asc" },
    take: 20,
  });
  const waitingCount = waiting.length < 20 ? waiting.length : await db().bid.count({ where: { roundId: round.id, state: { in: [...BEFORE_LINE_STATES] } } });
  return { ranking, waiting: { count: waitingCount, references: waiting.map((w) => w.reference) }, stale: staleHeld(ranking) };
}

export type LineOutcome = { drawn: string[]; skipped: string[]; refused: { reference: string; reason: string }[] };

/**
 * Brings every bid's held state into line with the ranking: each bid in moderation is
 * placed (DRAW_FUNDING_LINE, unless it has unresolved disagreements), and each held bid on
 * the wrong side of the line is returned to moderation and placed again, with `reasonFor`.
 */
async function placeBids(user: SignedInUser, ranking: RoundRanking, reasonFor: (bid: RankedBid) => string, alwaysRedraw?: string): Promise<LineOutcome> {
  const outcome: LineOutcome = { drawn: [], skipped: [], refused: [] };
  const actor = actorOf(user);
  const stale = new Set(staleHeld(ranking).map((b) => b.bidId));
  for (const bid of ranking.bids) {
    const scores = ranking.scores.get(bid.bidId)!;
    let version = scores.version;
    if (isHeld(scores.state) && (stale.has(bid.bidId) || alwaysRedraw === bid.bidId)) {
      const back = await applyWorkflowEvent(
        "bid",
        bid.bidId,
        { type: "REDRAW_FUNDING_LINE", actor, at: new Date().toISOString(), reason: reasonFor(bid) },
        { expectedVersion: version, actorName: user.name },
      );
      if (!back.ok) {
        outcome.refused.push({ reference: bid.reference, reason: back.reason });
        continue;
      }
      version = back.version;
    } else if (scores.state !== "moderation") {
      continue;
    }
    const unresolved = await unresolvedDisagreements(bid.bidId);
    if (unresolved > 0) {
      outcome.skipped.push(bid.reference);
      continue;
    }
    const drawn = await applyWorkflowEvent(
      "bid",
      bid.bidId,
      {
        type: "DRAW_FUNDING_LINE",
        actor,
        at: new Date().toISOString(),
        facts: { aboveLine: bid.placement === "above", rank: bid.rank, moderatedScore: bid.moderatedScore, unresolvedDisagreements: unresolved },
      },
      { expectedVersion: version, actorName: user.name },
    );
    if (drawn.ok) outcome.drawn.push(bid.reference);
    else outcome.refused.push({ reference: bid.reference, reason: drawn.reason });
  }
  return outcome;
}

/** "Draw the funding line": every bid in moderation is placed, and held bids are put right. */
export async function drawFundingLine(user: SignedInUser, round: DecisionRound): Promise<LineOutcome> {
  const ranking = await roundRanking(round, round.ruleSet);
  return placeBids(user, ranking, () => "The ranking changed after the funding line was drawn, so the bid was placed again.");
}

export type Direction = "include" | "exclude" | "follow";

/**
 * Moves the line for one bid (recorded with the reason), then places again the bid and any
 * held bid the move carried across the line.
 */
export async function moveLine(
  user: SignedInUser,
  round: DecisionRound,
  bid: { id: string; reference: string },
  direction: Direction,
  reason: string,
): Promise<LineOutcome> {
  if (direction === "follow") {
    await db().fundingLineAdjustment.deleteMany({ where: { roundId: round.id, bidId: bid.id } });
  } else {
    await db().fundingLineAdjustment.upsert({
      where: { roundId_bidId: { roundId: round.id, bidId: bid.id } },
      create: { roundId: round.id, bidId: bid.id, direction, reason, byUserId: user.id },
      update: { direction, reason, byUserId: user.id, at: new Date() },
    });
  }
  const ranking = await roundRanking(round, round.ruleSet);
  return placeBids(user, ranking, (b) => (b.bidId === bid.id ? reason : `The funding line moved for ${bid.reference}: ${reason}`), bid.id);
}

/** A bid of this round whose place against the line can still be changed, or null. */
export async function movableBid(round: DecisionRound, bidId: string | undefined) {
  const bid = bidId
    ? await db().bid.findFirst({ where: { id: bidId, roundId: round.id }, select: { id: true, reference: true, title: true, state: true, version: true } })
    : null;
  return bid;
}

// ---------------------------------------------------------------- feedback

/**
 * The assessors' feedback for the bidders: each assessor's justification per criterion,
 * anonymised in a fixed order (the order they were assigned), and each consensus rationale.
 */
export async function feedbackFor(bidId: string, rules: FundRules): Promise<string[]> {
  const [assessments, consensus] = await Promise.all([
    db().assessment.findMany({
      where: { bidId, state: { in: [...SUBMITTED_STATES] } },
      select: { scores: true },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    }),
    db().consensusScore.findMany({ where: { bidId }, select: { criterionKey: true, score: true, rationale: true } }),
  ]);
  const { criteria, scale } = rules.assessment;
  const lines: string[] = [];
  assessments.forEach((assessment, index) => {
    const scores = readScores(assessment.scores);
    for (const c of criteria) {
      const entry = scores[c.key];
      if (!entry || entry.score === null) continue;
      lines.push(`Assessor ${index + 1} on ${c.label.toLowerCase()} (${entry.score} out of ${scale.max}): ${entry.justification.trim()}`);
    }
  });
  for (const c of criteria) {
    const agreed = consensus.find((s) => s.criterionKey === c.key);
    if (agreed) lines.push(`Agreed score on ${c.label.toLowerCase()} after moderation (${agreed.score} out of ${scale.max}): ${agreed.rationale.trim()}`);
  }
  return lines;
}

// ---------------------------------------------------------------- publishing

export interface PublishPlan {
  ranking: RoundRanking;
  funded: (RankedBid & { title: string; lead: string })[];
  notFunded: (RankedBid & { title: string; lead: string })[];
  /** Why the decisions cannot be published yet, as sentences; empty when they can. */
  blockers: string[];
}

export async function publishPlan(round: DecisionRound): Promise<PublishPlan> {
  const { ranking, waiting, stale } = await decisionsOverview(round);
  const withNames = (b: RankedBid) => ({ ...b, title: ranking.scores.get(b.bidId)!.title, lead: ranking.scores.get(b.bidId)!.lead });
  const state = (b: RankedBid) => ranking.scores.get(b.bidId)!.state;
  const blockers: string[] = [];
  const inModeration = ranking.bids.filter((b) => state(b) === "moderation");
  if (inModeration.length) {
    blockers.push(
      `${plural(inModeration.length, "bid")} ${inModeration.length === 1 ? "is" : "are"} in moderation and not yet placed against the funding line: ${inModeration
        .slice(0, 20)
        .map((b) => b.reference)
        .join(", ")}.`,
    );
  }
  if (waiting.count) {
    blockers.push(`${plural(waiting.count, "bid")} ${waiting.count === 1 ? "is" : "are"} still being checked or assessed: ${waiting.references.join(", ")}.`);
  }
  if (stale.length) {
    blockers.push(`The ranking has changed since the funding line was drawn for ${stale.map((b) => b.reference).join(", ")}. Draw the funding line again.`);
  }
  const held = ranking.bids.filter((b) => isHeld(state(b)));
  return {
    ranking,
    funded: held.filter((b) => state(b) === "recommended").map(withNames),
    notFunded: held.filter((b) => state(b) === "notRecommended").map(withNames),
    blockers,
  };
}

async function createProject(
  sql: SqlQuery,
  user: SignedInUser,
  round: DecisionRound,
  bid: BidScores & { leadOrganisationId: string },
  award: { pence: number; partial: boolean },
  at: Date,
) {
  const id = randomUUID();
  const snapshot = startSnapshot("project", { projectId: id, bidId: bid.bidId, leadOrganisationId: bid.leadOrganisationId, startStage: round.stage });
  const reference = `P-${bid.reference}`;
  await insertProject(sql, {
    id,
    bidId: bid.bidId,
    leadOrganisationId: bid.leadOrganisationId,
    title: bid.title,
    reference,
    awardPence: award.pence,
    state: String(snapshot.value),
    snapshot,
    machineVersion: workflows.project.version,
    summary: "",
    serviceArea: "",
    at,
  });
  const reason = award.partial
    ? `Award on funding: the ${formatMoney(award.pence)} left of the round's budget, where the bid asked for ${formatMoney(bid.amountPence)}`
    : "Award on funding";
  await insertTranche(sql, { projectId: id, stage: round.stage, amountPence: award.pence, reason, at });
  await recordCreationInSql(sql, "project", { id, title: bid.title, reference, snapshot }, { ...actorOf(user), name: user.name }, at);
}

export type PublishOutcome =
  { ok: false; blockers: string[] } | { ok: true; published: string[]; refused: { reference: string; reason: string }[]; complete: boolean };

/**
 * Publishes every held decision in the round, each bid in its own transaction with its
 * emails and, when funded, its project. Safe to run again after a failure part-way: only
 * bids still held are published, and the round is marked published once none are left.
 */
export async function publishDecisions(user: SignedInUser, round: DecisionRound): Promise<PublishOutcome> {
  const plan = await publishPlan(round);
  if (plan.blockers.length) return { ok: false, blockers: plan.blockers };
  const message = round.decisionMessage?.trim() ?? "";
  const published: string[] = [];
  const refused: { reference: string; reason: string }[] = [];
  const leads = new Map(
    (await db().bid.findMany({ where: { id: { in: plan.funded.map((b) => b.bidId) } }, select: { id: true, leadOrganisationId: true } })).map((b) => [
      b.id,
      b.leadOrganisationId,
    ]),
  );
  for (const bid of [...plan.funded, ...plan.notFunded]) {
    const scores = plan.ranking.scores.get(bid.bidId)!;
    const funded = scores.state === "recommended";
    const feedback = await feedbackFor(bid.bidId, round.ruleSet);
    const at = new Date();
    const result = await applyWorkflowEvent(
      "bid",
      bid.bidId,
      { type: "PUBLISH_DECISION", actor: actorOf(user), at: at.toISOString(), message, feedback },
      {
        expectedVersion: scores.version,
        actorName: user.name,
        alsoInTransaction: funded
          ? (sql) =>
              createProject(sql, user, round, { ...scores, leadOrganisationId: leads.get(bid.bidId)! }, { pence: bid.awardPence, partial: bid.partial }, at)
          : undefined,
      },
    );
    if (result.ok) published.push(bid.reference);
    else refused.push({ reference: bid.reference, reason: result.reason });
  }
  const stillHeld = await db().bid.count({ where: { roundId: round.id, state: { in: [...HELD_STATES, "moderation"] } } });
  if (stillHeld === 0) {
    await db().round.updateMany({ where: { id: round.id, decisionsPublishedAt: null }, data: { decisionsPublishedAt: new Date() } });
  }
  return { ok: true, published, refused, complete: stillHeld === 0 };
}

/** The published decision on a bid, for its page: the outcome, message, award and feedback. */
export async function publishedDecision(bidId: string) {
  const row = await db().transitionHistory.findFirst({
    where: { recordType: "bid", recordId: bidId, event: "PUBLISH_DECISION" },
    orderBy: { at: "desc" },
    select: { at: true, toState: true, payload: true },
  });
  if (!row) return null;
  const payload = (row.payload ?? {}) as { message?: unknown; feedback?: unknown };
  const project = await db().project.findUnique({ where: { bidId }, select: { id: true, reference: true, awardPence: true } });
  return {
    at: row.at.toISOString(),
    funded: row.toState === "funded",
    message: typeof payload.message === "string" ? payload.message : "",
    feedback: Array.isArray(payload.feedback) ? payload.feedback.filter((l): l is string => typeof l === "string") : [],
    project,
  };
}
