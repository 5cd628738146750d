import { joinList, plural } from "~/utils/format.ts";

// Who assesses which bid, decided without a database so the conflict rule and the load
// balancing can be tested on their own. The server reads the pool, the bids and the current
// assignments, asks planAssignments, and writes what it answers in one transaction.

export interface PoolAssessor {
  userId: string;
  name: string;
  organisationId: string;
  organisationName: string;
  /** Active assignments (not declined, not unassigned) the assessor already has. */
  load: number;
}

export interface PartnershipMember {
  organisationId: string;
  name: string;
  role: "lead" | "partner";
}

export interface BidToStaff {
  bidId: string;
  /** How the bid is named in sentences, e.g. "LDF-2026-0001 (Shared digital front door)". */
  label: string;
  /** The lead and every partner that accepted. */
  partnership: PartnershipMember[];
  /** Assessors with an active assessment of this bid. */
  activeAssessorIds: string[];
  /**
   * Assessors who had this bid before and declined it or were taken off it: never asked
   * again automatically (one assessment per assessor per bid).
   */
  formerAssessorIds: string[];
  /** How many active assessors the bid needs in all. */
  needed: number;
}

export interface PlannedAssignment {
  bidId: string;
  assessorUserId: string;
}

export interface Shortfall {
  bidId: string;
  needed: number;
  assigned: number;
  /** Why the bid is still short, as a sentence for the fund team. */
  sentence: string;
}

/**
 * The conflict rule: an assessor employed by the lead or an accepted partner council never
 * assesses the bid. Returns the sentence refusing the assignment, or null when there is
 * no conflict.
 */
export function conflictRefusal(assessor: Pick<PoolAssessor, "name" | "organisationId">, partnership: readonly PartnershipMember[]): string | null {
  const member = partnership.find((m) => m.organisationId === assessor.organisationId);
  if (!member) return null;
  const role = member.role === "lead" ? "the lead council" : "a partner";
  return `${assessor.name} cannot assess this bid because they work for ${member.name}, which is ${role} in its partnership.`;
}

export const hasConflict = (assessor: Pick<PoolAssessor, "organisationId">, partnership: readonly PartnershipMember[]) =>
  partnership.some((m) => m.organisationId === assessor.organisationId);

// Fewest assignments first; equal loads by name, then id, so the same data always gives
// the same plan.
const byLoad = (load: Map<string, number>) => (a: PoolAssessor, b: PoolAssessor) =>
  load.get(a.userId)! - load.get(b.userId)! || a.name.localeCompare(b.name) || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0);

/**
 * Fills every bid's empty places from the pool. Places are filled one round at a time
 * across all the bids (every bid's first missing place, then every bid's second…) so the
 * work spreads evenly, each place going to the least-loaded assessor who is free of
 * conflict and not already on the bid. Bids that cannot be filled are reported with why.
 */
export function planAssignments(bids: readonly BidToStaff[], pool: readonly PoolAssessor[]): { assignments: PlannedAssignment[]; shortfalls: Shortfall[] } {
  const load = new Map(pool.map((a) => [a.userId, a.load]));
  const onBid = new Map(bids.map((b) => [b.bidId, new Set([...b.activeAssessorIds, ...b.formerAssessorIds])]));
  const filled = new Map(bids.map((b) => [b.bidId, b.activeAssessorIds.length]));
  const assignments: PlannedAssignment[] = [];
  const stuck = new Set<string>();
  for (;;) {
    const open = bids.filter((b) => !stuck.has(b.bidId) && filled.get(b.bidId)! < b.needed);
    if (open.length === 0) break;
    for (const bid of open) {
      const taken = onBid.get(bid.bidId)!;
      const candidate = pool.filter((a) => !taken.has(a.userId) && !hasConflict(a, bid.partnership)).sort(byLoad(load))[0];
      if (!candidate) {
        stuck.add(bid.bidId);
        continue;
      }
      assignments.push({ bidId: bid.bidId, assessorUserId: candidate.userId });
      taken.add(candidate.userId);
      load.set(candidate.userId, load.get(candidate.userId)! + 1);
      filled.set(bid.bidId, filled.get(bid.bidId)! + 1);
    }
  }
  const shortfalls = bids.filter((b) => stuck.has(b.bidId)).map((b) => shortfallOf(b, pool, filled.get(b.bidId)!));
  return { assignments, shortfalls };
}

function shortfallOf(bid: BidToStaff, pool: readonly PoolAssessor[], assigned: number): Shortfall {
  const missing = bid.needed - assigned;
  const conflicted = pool.filter((a) => hasConflict(a, bid.partnership)).length;
  const former = pool.filter((a) => bid.formerAssessorIds.includes(a.userId) && !hasConflict(a, bid.partnership)).length;
  const reasons: string[] = [];
  if (pool.length === 0) reasons.push("the round's pool of assessors is empty");
  else {
    reasons.push(`${plural(assigned, "assessor is", "assessors are")} assigned from a pool of ${pool.length}`);
    if (conflicted > 0) reasons.push(`${plural(conflicted, "works", "work")} for a council in its partnership`);
    if (former > 0) reasons.push(`${plural(former, "has", "have")} already declined it or been taken off it`);
  }
  return {
    bidId: bid.bidId,
    needed: bid.needed,
    assigned,
    sentence: `${bid.label} needs ${plural(missing, "more assessor")}: ${joinList(reasons)}. Add assessors to the round's pool.`,
  };
}

/**
 * What an automatic assignment did, in words: assessments and assessors are counted apart,
 * because one assessor may take several bids ("6 assessments assigned to 3 assessors").
 */
export function assignmentNotice(result: { created: number; assessors: number }): string {
  if (result.created === 0) return "No new assignments were needed or possible.";
  return `${plural(result.created, "assessment")} assigned to ${plural(result.assessors, "assessor")}.`;
}
