import { describe, expect, it } from "vitest";
import { bidSelect, loadBidFor } from "~/bids/bids.server.ts";
import { db } from "~/db/database.server.ts";
import { createPartnershipBid } from "../../bench/support/fixtures.ts";
import { useTestDatabase } from "../support/database.ts";

useTestDatabase();

describe("loading a bid for its pages", () => {
  it("gives exactly what Prisma's select gives, times and all, from one statement", async () => {
    const { bid, officer, round, lead } = await createPartnershipBid({ partnerSigned: true });
    // Everything the select reads, set: documents, a partner's answer, the round's due date and questions.
    await db().bidDocument.createMany({
      data: [
        {
          bidId: bid.id,
          type: "evidence",
          fileName: "b.pdf",
          size: 2048,
          mimeType: "application/pdf",
          sha256: "b".repeat(64),
          storageKey: "k2",
          uploadedById: officer.id,
          createdAt: new Date("2026-11-02T09:30:00.123Z"),
        },
        {
          bidId: bid.id,
          type: "evidence",
          fileName: "a.pdf",
          size: 1024,
          mimeType: "application/pdf",
          sha256: "a".repeat(64),
          storageKey: "k1",
          uploadedById: officer.id,
          createdAt: new Date("2026-11-01T23:59:59.999Z"),
        },
      ],
    });
    await db().bidPartner.updateMany({ where: { bidId: bid.id }, data: { respondedAt: new Date("2026-11-03T12:00:00.5Z") } });
    await db().round.update({ where: { id: round.id }, data: { assessmentDueAt: new Date("2027-01-31T17:00:00Z"), questions: [{ key: "q1", text: "Why?" }] } });

    const user = { ...officer, senior: false, organisation: { id: lead.id, code: lead.code, name: lead.name, kind: lead.kind } } as Parameters<
      typeof loadBidFor
    >[0];
    const { bid: loaded } = await loadBidFor(user, bid.id);
    const expected = await db().bid.findUniqueOrThrow({ where: { id: bid.id }, select: bidSelect });
    expect(loaded).toEqual(expected);
    expect(loaded.documents.map((d) => d.fileName)).toEqual(["a.pdf", "b.pdf"]);
    expect(loaded.leadOrganisation.declarationSignedAt).toEqual(expected.leadOrganisation.declarationSignedAt);
    expect(loaded.partners.some((p) => p.organisation.declarationSignedAt instanceof Date)).toBe(true);
  });

  it("finds no bid that does not exist", async () => {
    const { officer, lead } = await createPartnershipBid();
    const user = { ...officer, senior: false, organisation: { id: lead.id, code: lead.code, name: lead.name, kind: lead.kind } } as Parameters<
      typeof loadBidFor
    >[0];
    await expect(loadBidFor(user, "no-such-bid")).rejects.toMatchObject({ status: 404 });
  });
});
