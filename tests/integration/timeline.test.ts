import { describe, expect, it } from "vitest";
import { db } from "~/db/database.server.ts";
import { applyWorkflowEvent } from "~/engine/apply-event.server.ts";
import { changeTimeline } from "~/engine/record-changes.server.ts";
import { timelineFor } from "~/engine/timeline.server.ts";
import { bidSubmissionFacts } from "~/bids/facts.server.ts";
import { useTestDatabase } from "../support/database.ts";
import { actor, createPartnershipBid } from "../../bench/support/fixtures.ts";

useTestDatabase();

describe("a record's timeline", () => {
  it("gives a bid's history and its partnership's together, newest first, each change with who made it", async () => {
    const { bid, officer, certifier, partnerA } = await createPartnershipBid();
    const council = async (id: string) => (await db().organisation.findUniqueOrThrow({ where: { id } })).name;
    const at = (seconds: number) => new Date(Date.UTC(2026, 11, 1, 9, 0, seconds, 250)).toISOString();
    await applyWorkflowEvent("bid", bid.id, {
      type: "REQUEST_CERTIFICATION",
      actor: actor(officer),
      at: at(10),
      facts: await bidSubmissionFacts(db(), bid.id),
    });
    await applyWorkflowEvent("bid", bid.id, { type: "DECLINE_CERTIFICATION", actor: actor(certifier), at: at(20), reason: "Budget line 4 is wrong" });
    // A partner answering, and a change the service made itself (no one named).
    await db().transitionHistory.createMany({
      data: [
        {
          recordType: "partnership",
          recordId: bid.id,
          fromState: "invited",
          toState: "accepted",
          event: "ACCEPT",
          actorUserId: null,
          payload: { council: partnerA.name },
          at: new Date(at(15)),
        },
        {
          recordType: "bid",
          recordId: "another-bid",
          fromState: "draft",
          toState: "awaitingCertification",
          event: "REQUEST_CERTIFICATION",
          at: new Date(at(30)),
        },
      ],
    });

    const timeline = await timelineFor("bid", bid.id, "staff");
    const officerName = `${officer.name}, ${await council(officer.organisationId)}`;
    // The bid was created today, after the changes dated above.
    expect(timeline[0]).toMatchObject({ title: "Created", actor: officerName });
    expect(timeline[0]!.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const ours = timeline.slice(1);
    expect(ours.map((entry) => [entry.at, entry.title, entry.actor])).toEqual([
      [at(20), "Sign-off declined", `${certifier.name}, ${await council(certifier.organisationId)}`],
      [at(15), `${partnerA.name} accepted the invitation`, "Springboard"],
      [at(10), "Asked the certifier to sign off", officerName],
    ]);
    expect(ours[0]).toMatchObject({ from: "Awaiting certification", to: "Draft", reason: "Budget line 4 is wrong" });
    // Another record's history never shows.
    expect(timeline.every((entry) => entry.at !== at(30))).toBe(true);
    // The partnership's own timeline has its change alone.
    expect((await changeTimeline("partnership", bid.id)).map((entry) => entry.title)).toEqual([`${partnerA.name} accepted the invitation`]);
  });
});
