import { describe, expect, it } from "vitest";
import { sealAuditChain, verifyAuditChain } from "~/audit/chain.server.ts";
import { db } from "~/db/database.server.ts";
import { useTestDatabase } from "../support/database.ts";
import { createOrganisation } from "../../bench/support/fixtures.ts";

const database = useTestDatabase();

async function entriesFor(rowId: string) {
  return (
    await database().sql<{ operation: string; before: { name?: string } | null; after: { name?: string } | null }>(
      `SELECT "operation", "before", "after" FROM "AuditEvent" WHERE "rowId" = $1 ORDER BY "seq"`,
      [rowId],
    )
  ).rows;
}

describe("the audit log", () => {
  it("records every insert, update and delete on a business table, whichever code made it", async () => {
    const organisation = await createOrganisation({ name: "Audited Council" });
    await db().organisation.update({ where: { id: organisation.id }, data: { name: "Renamed Council" } });
    await database().sql(`DELETE FROM "Organisation" WHERE "id" = $1`, [organisation.id]);
    const entries = await entriesFor(organisation.id);
    expect(entries.map((e) => e.operation)).toEqual(["INSERT", "UPDATE", "DELETE"]);
    expect(entries[1]!.before?.name).toBe("Audited Council");
    expect(entries[1]!.after?.name).toBe("Renamed Council");
    expect(entries[2]!.after).toBeNull();
  });

  it("leaves nothing in the log when the change is rolled back", async () => {
    const before = await db().auditEvent.count();
    await expect(
      db().$transaction(async (tx) => {
        await tx.organisation.create({ data: { code: "ROLLBK", kind: "council", name: "Never", officialName: "Never Council" } });
        throw new Error("crash before commit");
      }),
    ).rejects.toThrow("crash before commit");
    expect(await db().auditEvent.count()).toBe(before);
  });

  it("seals the log into a chain that verifies, and seals only what is new next time", async () => {
    await createOrganisation();
    const sealed = await sealAuditChain(database());
    expect(sealed).toBeGreaterThan(0);
    const result = await verifyAuditChain(database());
    expect(result).toMatchObject({ ok: true, sealed: await db().auditEvent.count(), unsealed: 0 });
    await createOrganisation();
    expect(await sealAuditChain(database())).toBe(1);
    expect(await verifyAuditChain(database())).toMatchObject({ ok: true, unsealed: 0 });
  });

  it("chains entries in numeric order across batches and pages (entry 10 comes after entry 9)", async () => {
    for (let i = 0; i < 12; i++) await createOrganisation();
    await sealAuditChain(database(), 4);
    expect(await verifyAuditChain(database(), 5)).toMatchObject({ ok: true, unsealed: 0 });
    const positions = (await database().sql<{ p: string }>(`SELECT "chainPos"::text AS p FROM "AuditEvent" ORDER BY "chainPos"`)).rows.map((r) => Number(r.p));
    expect(positions).toEqual(positions.map((_, i) => i + 1));
  });

  it("waits for a transaction that may still be running, and chains its entries once it has ended", async () => {
    await sealAuditChain(database());
    // An entry from a transaction that is still running looks like one whose txid is not yet
    // below the oldest running transaction's; it must not be sealed, and must not block others.
    const future = (await database().sql<{ x: string }>(`SELECT ((pg_current_xact_id())::text::bigint + 1000000)::text AS x`)).rows[0]!.x;
    const inFlight = (
      await database().sql<{ seq: string }>(
        `INSERT INTO "AuditEvent" ("txid", "tableName", "operation", "rowId", "after") VALUES ($1::bigint, 'Organisation', 'INSERT', 'in-flight', '{}') RETURNING "seq"::text AS seq`,
        [future],
      )
    ).rows[0]!.seq;
    await createOrganisation();
    expect(await sealAuditChain(database())).toBe(1);
    expect(await verifyAuditChain(database())).toMatchObject({ ok: true, unsealed: 1 });
    // The transaction ends: its entry, with a lower seq than one already sealed, joins the chain.
    await database().sql(`UPDATE "AuditEvent" SET "txid" = 1 WHERE "seq" = $1::bigint`, [inFlight]);
    expect(await sealAuditChain(database())).toBe(1);
    expect(await verifyAuditChain(database())).toMatchObject({ ok: true, unsealed: 0 });
  });

  it("reports an entry changed after it was sealed", async () => {
    await createOrganisation({ name: "Honest Council" });
    await sealAuditChain(database());
    const target = (
      await database().sql<{ chainPos: string }>(`SELECT "chainPos"::text AS "chainPos" FROM "AuditEvent" WHERE "after"->>'name' = 'Honest Council'`)
    ).rows[0]!.chainPos;
    await database().sql(`UPDATE "AuditEvent" SET "after" = jsonb_set("after", '{name}', '"Forged Council"') WHERE "chainPos" = $1::bigint`, [target]);
    const result = await verifyAuditChain(database());
    expect(result).toMatchObject({ ok: false, brokenAt: target });
    expect(result.ok ? "" : result.problem).toContain("was changed after it was sealed");
    await database().sql(`UPDATE "AuditEvent" SET "after" = jsonb_set("after", '{name}', '"Honest Council"') WHERE "chainPos" = $1::bigint`, [target]);
    expect(await verifyAuditChain(database())).toMatchObject({ ok: true });
  });

  it("reports entries removed from the middle or the end of the chain", async () => {
    await createOrganisation();
    await createOrganisation();
    await sealAuditChain(database());
    const { lastPos } = (await database().sql<{ lastPos: string }>(`SELECT "lastPos"::text AS "lastPos" FROM "AuditSeal"`)).rows[0]!;
    await database().sql(`DELETE FROM "AuditEvent" WHERE "chainPos" = $1::bigint`, [lastPos]);
    const atEnd = await verifyAuditChain(database());
    expect(atEnd.ok ? "" : atEnd.problem).toContain("removed from its end");
    const middle = String(BigInt(lastPos) - 1n);
    await database().sql(`DELETE FROM "AuditEvent" WHERE "chainPos" = $1::bigint`, [middle]);
    const inMiddle = await verifyAuditChain(database());
    expect(inMiddle).toMatchObject({ ok: false, brokenAt: middle });
  });
});
