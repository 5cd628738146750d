import { describe, expect, it } from "vitest";
import { assignmentNotice, conflictRefusal, planAssignments, type BidToStaff, type PoolAssessor } from "~/assessment/assignment.ts";

const assessor = (userId: string, organisationId: string, load = 0): PoolAssessor => ({
  userId,
  name: `Assessor ${userId}`,
  organisationId,
  organisationName: `Organisation ${organisationId}`,
  load,
});

const bid = (bidId: string, partnerOrgs: string[], overrides: Partial<BidToStaff> = {}): BidToStaff => ({
  bidId,
  label: `Bid ${bidId}`,
  partnership: partnerOrgs.map((organisationId, i) => ({ organisationId, name: `Council ${organisationId}`, role: i === 0 ? "lead" : "partner" })),
  activeAssessorIds: [],
  formerAssessorIds: [],
  needed: 2,
  ...overrides,
});

const loads = (plan: { assignments: { assessorUserId: string }[] }) => {
  const counts: Record<string, number> = {};
  for (const a of plan.assignments) counts[a.assessorUserId] = (counts[a.assessorUserId] ?? 0) + 1;
  return counts;
};

describe("the conflict rule", () => {
  it("refuses an assessor from the lead council or a partner, naming the council and its role", () => {
    const partnership = bid("b", ["lead", "p1"]).partnership;
    expect(conflictRefusal({ name: "Ann Lee", organisationId: "lead" }, partnership)).toBe(
      "Ann Lee cannot assess this bid because they work for Council lead, which is the lead council in its partnership.",
    );
    expect(conflictRefusal({ name: "Bo Ray", organisationId: "p1" }, partnership)).toBe(
      "Bo Ray cannot assess this bid because they work for Council p1, which is a partner in its partnership.",
    );
    expect(conflictRefusal({ name: "Cy Dee", organisationId: "elsewhere" }, partnership)).toBeNull();
  });

  it("never plans a bid for an assessor whose organisation is in its partnership", () => {
    const pool = [assessor("a", "council-x"), assessor("b", "body"), assessor("c", "body"), assessor("d", "council-y")];
    const bids = [bid("1", ["council-x", "council-z"]), bid("2", ["council-q", "council-y"]), bid("3", ["council-q", "council-x", "council-y"])];
    const plan = planAssignments(bids, pool);
    const conflicted = plan.assignments.filter((a) => {
      const org = pool.find((p) => p.userId === a.assessorUserId)!.organisationId;
      return bids.find((b) => b.bidId === a.bidId)!.partnership.some((m) => m.organisationId === org);
    });
    expect(conflicted).toEqual([]);
    expect(
      plan.assignments
        .filter((a) => a.bidId === "3")
        .map((a) => a.assessorUserId)
        .sort(),
    ).toEqual(["b", "c"]);
    expect(plan.shortfalls).toEqual([]);
  });
});

describe("balancing the load", () => {
  it("gives each place to the assessor with the fewest assignments, spreading bids evenly", () => {
    const pool = ["a", "b", "c", "d"].map((id) => assessor(id, `org-${id}`));
    const bids = ["1", "2", "3", "4"].map((id) => bid(id, ["council"]));
    const plan = planAssignments(bids, pool);
    expect(plan.assignments).toHaveLength(8);
    expect(loads(plan)).toEqual({ a: 2, b: 2, c: 2, d: 2 });
    for (const b of bids) {
      const assigned = plan.assignments.filter((a) => a.bidId === b.bidId).map((a) => a.assessorUserId);
      expect(new Set(assigned).size).toBe(2);
    }
  });

  it("counts the work assessors already have, and breaks ties the same way every time", () => {
    const pool = [assessor("busy", "o1", 3), assessor("z", "o2", 0), assessor("y", "o3", 0)];
    const first = planAssignments([bid("1", ["council"], { needed: 1 })], pool);
    expect(first.assignments).toEqual([{ bidId: "1", assessorUserId: "y" }]);
    const again = planAssignments([bid("1", ["council"], { needed: 1 })], [...pool].reverse());
    expect(again.assignments).toEqual(first.assignments);
  });

  it("only fills the places still empty, and never asks again someone who declined or was taken off", () => {
    const pool = [assessor("a", "o1"), assessor("b", "o2"), assessor("c", "o3")];
    const plan = planAssignments([bid("1", ["council"], { activeAssessorIds: ["a"], formerAssessorIds: ["b"] })], pool);
    expect(plan.assignments).toEqual([{ bidId: "1", assessorUserId: "c" }]);
  });
});

describe("when the pool is too small", () => {
  it("assigns whoever it can and says, per bid, why the rest could not be found", () => {
    const pool = [assessor("a", "council-x"), assessor("b", "body"), assessor("c", "body2")];
    const bids = [bid("1", ["council-x"], { formerAssessorIds: ["c"] }), bid("2", ["council-q"])];
    const plan = planAssignments(bids, pool);
    expect(plan.assignments.filter((a) => a.bidId === "1")).toEqual([{ bidId: "1", assessorUserId: "b" }]);
    expect(plan.assignments.filter((a) => a.bidId === "2")).toHaveLength(2);
    expect(plan.shortfalls).toEqual([
      {
        bidId: "1",
        needed: 2,
        assigned: 1,
        sentence:
          "Bid 1 needs 1 more assessor: 1 assessor is assigned from a pool of 3, 1 works for a council in its partnership and 1 has already declined it or been taken off it. Add assessors to the round's pool.",
      },
    ]);
  });

  it("says so when the round has no assessors at all", () => {
    const plan = planAssignments([bid("1", ["council"])], []);
    expect(plan.assignments).toEqual([]);
    expect(plan.shortfalls[0]!.sentence).toBe("Bid 1 needs 2 more assessors: the round's pool of assessors is empty. Add assessors to the round's pool.");
  });
});

describe("the notice after automatic assignment", () => {
  it("counts assessments and assessors apart, since one assessor may take several bids", () => {
    expect(assignmentNotice({ created: 6, assessors: 3 })).toBe("6 assessments assigned to 3 assessors.");
    expect(assignmentNotice({ created: 1, assessors: 1 })).toBe("1 assessment assigned to 1 assessor.");
    expect(assignmentNotice({ created: 0, assessors: 0 })).toBe("No new assignments were needed or possible.");
  });
});
