import { describe, expect, it } from "vitest";
import { db } from "~/db/database.server.ts";
import { applyWorkflowEvent, CHANGED_BY_SOMEONE_ELSE } from "~/engine/apply-event.server.ts";
import { bidSubmissionFacts } from "~/bids/facts.server.ts";
import { WorkflowContractError } from "../../workflows/index.ts";
import { useTestDatabase } from "../support/database.ts";
import { actor, createPartnershipBid } from "../../bench/support/fixtures.ts";

useTestDatabase();

const now = () => new Date().toISOString();

async function certified() {
  const setup = await createPartnershipBid();
  const { bid, officer, certifier } = setup;
  const asked = await applyWorkflowEvent("bid", bid.id, {
    type: "REQUEST_CERTIFICATION",
    actor: actor(officer),
    at: now(),
    facts: await bidSubmissionFacts(db(), bid.id),
  });
  expect(asked).toMatchObject({ ok: true, from: "draft", to: "awaitingCertification" });
  const done = await applyWorkflowEvent("bid", bid.id, {
    type: "CERTIFY",
    actor: actor(certifier),
    at: now(),
    facts: await bidSubmissionFacts(db(), bid.id),
  });
  expect(done).toMatchObject({ ok: true, from: "awaitingCertification", to: "submitted" });
  return setup;
}

async function snapshotOfWrites(recordId: string) {
  const [bid, history, outbox] = await Promise.all([
    db().bid.findUniqueOrThrow({ where: { id: recordId }, select: { state: true, version: true, snapshot: true } }),
    db().transitionHistory.findMany({ where: { recordId }, orderBy: { at: "asc" } }),
    db().notification.count(),
  ]);
  return { bid, history, outbox };
}

describe("applying a workflow event", () => {
  it("moves the record, writes who, when, from and to, and emails the people the matrix names", async () => {
    const { bid, officer, certifier, partnerOfficer, partnerBOfficer, fundTeam } = await certified();
    const stored = await db().bid.findUniqueOrThrow({ where: { id: bid.id } });
    expect(stored.state).toBe("submitted");
    expect(stored.version).toBe(2);
    expect((stored.snapshot as { value: string }).value).toBe("submitted");

    const history = await db().transitionHistory.findMany({ where: { recordId: bid.id }, orderBy: { at: "asc" } });
    expect(history.map((h) => [h.fromState, h.toState, h.event, h.actorUserId])).toEqual([
      ["", "draft", "CREATE", officer.id],
      ["draft", "awaitingCertification", "REQUEST_CERTIFICATION", officer.id],
      ["awaitingCertification", "submitted", "CERTIFY", certifier.id],
    ]);
    // The facts that decided the change are kept; the fund's whole rule set is not copied.
    expect((history[1]!.payload as { facts: Record<string, unknown> }).facts).toMatchObject({ leadBidsInRound: 0 });
    expect((history[1]!.payload as { facts: Record<string, unknown> }).facts).not.toHaveProperty("rules");

    const askedCertifier = await db().notification.findMany({ where: { transitionId: history[1]!.id } });
    expect(askedCertifier.map((n) => [n.template, n.toEmail])).toEqual([["bid-certification-requested", certifier.email]]);
    expect(askedCertifier[0]!.text).toContain(`Dear ${certifier.name}`);
    expect(askedCertifier[0]!.text).toContain(`${officer.name} has asked you to sign off`);

    const submitted = await db().notification.findMany({ where: { transitionId: history[2]!.id } });
    expect(submitted.map((n) => n.toEmail).sort()).toEqual(
      [officer.email, partnerOfficer.email, partnerBOfficer.email, certifier.email, fundTeam.email].sort(),
    );
    expect(new Set(submitted.map((n) => n.template))).toEqual(new Set(["bid-submitted"]));
  });

  it("refuses an event the rules forbid with a sentence, and writes nothing", async () => {
    const { bid, officer } = await createPartnershipBid({ partnerSigned: false });
    const before = await snapshotOfWrites(bid.id);
    const result = await applyWorkflowEvent("bid", bid.id, {
      type: "REQUEST_CERTIFICATION",
      actor: actor(officer),
      at: now(),
      facts: await bidSubmissionFacts(db(), bid.id),
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe("refused");
    expect(result.reason).toMatch(/has not signed the Local Digital Declaration/);
    expect(await snapshotOfWrites(bid.id)).toEqual(before);
  });

  it("requires a reason to decline, and records the reason when given", async () => {
    const { bid, officer, certifier } = await createPartnershipBid();
    await applyWorkflowEvent("bid", bid.id, { type: "REQUEST_CERTIFICATION", actor: actor(officer), at: now(), facts: await bidSubmissionFacts(db(), bid.id) });
    const blank = await applyWorkflowEvent("bid", bid.id, { type: "DECLINE_CERTIFICATION", actor: actor(certifier), at: now(), reason: "   " });
    expect(blank).toMatchObject({ ok: false, code: "refused" });
    expect(!blank.ok && blank.reason).toMatch(/reason/i);
    const declined = await applyWorkflowEvent("bid", bid.id, {
      type: "DECLINE_CERTIFICATION",
      actor: actor(certifier),
      at: now(),
      reason: "The costs leave out partner staff time.",
    });
    expect(declined).toMatchObject({ ok: true, to: "draft" });
    const last = await db().transitionHistory.findFirstOrThrow({ where: { recordId: bid.id, event: "DECLINE_CERTIFICATION" } });
    expect(last.reason).toBe("The costs leave out partner staff time.");
    const email = await db().notification.findFirstOrThrow({ where: { transitionId: last.id } });
    expect(email.template).toBe("bid-certification-declined");
    expect(email.text).toContain("> The costs leave out partner staff time.");
  });

  it("applies exactly one of 20 concurrent events on one record; the rest are told someone else changed it", async () => {
    const { bid, fundTeam } = await certified();
    const version = (await db().bid.findUniqueOrThrow({ where: { id: bid.id } })).version;
    const before = await snapshotOfWrites(bid.id);
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        applyWorkflowEvent("bid", bid.id, { type: "BEGIN_ELIGIBILITY_CHECK", actor: actor(fundTeam), at: now() }, { expectedVersion: version }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const refused = results.filter((r) => !r.ok);
    expect(refused).toHaveLength(19);
    for (const r of refused) expect(r).toEqual({ ok: false, code: "conflict", reason: CHANGED_BY_SOMEONE_ELSE });

    const after = await snapshotOfWrites(bid.id);
    expect(after.bid.version).toBe(version + 1);
    expect(after.bid.state).toBe("eligibilityCheck");
    expect(after.history).toHaveLength(before.history.length + 1);
    expect(after.history.at(-1)).toMatchObject({ fromState: "submitted", toState: "eligibilityCheck" });
    // History stays a chain: each row starts where the one before ended.
    for (let i = 1; i < after.history.length; i++) expect(after.history[i]!.fromState).toBe(after.history[i - 1]!.toState);
  });

  it("applies one of several concurrent events even without an expected version, and history stays a chain", async () => {
    const { bid, fundTeam } = await certified();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => applyWorkflowEvent("bid", bid.id, { type: "BEGIN_ELIGIBILITY_CHECK", actor: actor(fundTeam), at: now() })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const history = await db().transitionHistory.findMany({ where: { recordId: bid.id }, orderBy: { at: "asc" } });
    expect(history.filter((h) => h.event === "BEGIN_ELIGIBILITY_CHECK")).toHaveLength(1);
  });

  it("refuses an event made against an old version without writing anything", async () => {
    const { bid, fundTeam } = await certified();
    const before = await snapshotOfWrites(bid.id);
    const result = await applyWorkflowEvent("bid", bid.id, { type: "BEGIN_ELIGIBILITY_CHECK", actor: actor(fundTeam), at: now() }, { expectedVersion: 0 });
    expect(result).toEqual({ ok: false, code: "conflict", reason: CHANGED_BY_SOMEONE_ELSE });
    expect(await snapshotOfWrites(bid.id)).toEqual(before);
  });

  it("leaves no state, history or outbox row behind when the transaction fails part-way", async () => {
    const { bid, officer } = await createPartnershipBid();
    const before = await snapshotOfWrites(bid.id);
    let seenInsideTransaction = { history: 0, outbox: 0 };
    await expect(
      applyWorkflowEvent(
        "bid",
        bid.id,
        { type: "REQUEST_CERTIFICATION", actor: actor(officer), at: now(), facts: await bidSubmissionFacts(db(), bid.id) },
        {
          // Every write has happened inside the transaction by now: prove they are visible
          // there, then fail before the commit.
          async alsoInTransaction(sql) {
            const history = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "TransitionHistory" WHERE "recordId" = $1`, [bid.id]);
            const outbox = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "Notification"`);
            seenInsideTransaction = { history: history.rows[0]!.n, outbox: outbox.rows[0]!.n };
            throw new Error("the server crashed before commit");
          },
        },
      ),
    ).rejects.toThrow("the server crashed before commit");
    // Inside the transaction the history row and the certifier's email were there...
    expect(seenInsideTransaction).toEqual({ history: before.history.length + 1, outbox: before.outbox + 1 });
    expect(await snapshotOfWrites(bid.id)).toEqual(before);
    // And the record still works afterwards.
    const retried = await applyWorkflowEvent("bid", bid.id, {
      type: "REQUEST_CERTIFICATION",
      actor: actor(officer),
      at: now(),
      facts: await bidSubmissionFacts(db(), bid.id),
    });
    expect(retried).toMatchObject({ ok: true, to: "awaitingCertification" });
  });

  it("says when there is no such record, and refuses a record stored by another machine version", async () => {
    const { bid, officer } = await createPartnershipBid();
    expect(await applyWorkflowEvent("bid", "no-such-id", { type: "WITHDRAW", actor: actor(officer), at: now(), reason: "x" })).toEqual({
      ok: false,
      code: "not-found",
      reason: "There is no such bid.",
    });
    await db().bid.update({ where: { id: bid.id }, data: { machineVersion: 99 } });
    await expect(applyWorkflowEvent("bid", bid.id, { type: "WITHDRAW", actor: actor(officer), at: now(), reason: "Changed plans" })).rejects.toThrow(
      WorkflowContractError,
    );
  });
});
