import { createHash } from "node:crypto";
import type { Database, SqlQuery } from "~/db/database.server.ts";
import { countUnsealed, finalUnsealed, lockSeal, readSeal, saveSeal, sealedAfter, sealEntry, type AuditRow } from "./sql.server.ts";

// The audit chain. Triggers (migration 20261123202002_audit_log) append an AuditEvent row for
// every change to a business table, in the change's own transaction. Sealing then links the
// rows into a chain: hash = SHA-256(previous hash, the row's fields), each row given the next
// chain position. Changing, inserting or deleting any sealed row breaks every later hash,
// which `verifyAuditChain` reports.
//
// Why seal afterwards rather than in the trigger: hashing in the trigger would need every
// writing transaction to wait for the previous one's hash, serialising all writes. Instead a
// row is sealed once its transaction has ended: its txid is below the oldest transaction
// still running, so it is committed and no more rows will come from it. Rows are sealed in
// that order, not in seq order, because a transaction that began earlier may commit a
// lower seq after a higher one has been sealed.

export const GENESIS = "0".repeat(64);

/** JSON with object keys sorted at every level, so a value hashes the same however it was read. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function auditHash(prevHash: string, position: string, row: Omit<AuditRow, "prevHash" | "hash" | "chainPos">): string {
  return createHash("sha256")
    .update(
      [prevHash, position, row.seq, row.txid, row.at, row.tableName, row.operation, row.rowId ?? "", canonicalJson(row.before), canonicalJson(row.after)].join(
        "\u001f",
      ),
    )
    .digest("hex");
}

/**
 * Seals every row whose order is final, in batches. Safe to run in several processes at once:
 * each batch locks the one AuditSeal row, so sealers take turns. Returns how many rows it sealed.
 */
export async function sealAuditChain(database: Database, batchSize = 2000): Promise<number> {
  let sealed = 0;
  for (;;) {
    const count = await database.sqlTransaction(async (sql) => sealBatch(sql, batchSize));
    sealed += count;
    if (count < batchSize) return sealed;
  }
}

async function sealBatch(sql: SqlQuery, batchSize: number): Promise<number> {
  const seal = await lockSeal(sql, GENESIS);
  // Rows from transactions older than the oldest one still running are final.
  const rows = await finalUnsealed(sql, batchSize);
  let prev = seal.lastHash;
  let position = BigInt(seal.lastPos);
  for (const row of rows) {
    position++;
    const hash = auditHash(prev, String(position), row);
    await sealEntry(sql, row.seq, { position: String(position), prevHash: prev, hash });
    prev = hash;
  }
  if (rows.length) await saveSeal(sql, { lastPos: String(position), lastHash: prev });
  return rows.length;
}

export type VerifyResult = { ok: true; sealed: number; unsealed: number; lastHash: string } | { ok: false; sealed: number; brokenAt: string; problem: string };

/** Recomputes the whole chain from the start and compares it with what is stored. */
export async function verifyAuditChain(database: Database, pageSize = 5000): Promise<VerifyResult> {
  const seal = (await readSeal(database.sql)) ?? { lastPos: "0", lastHash: GENESIS };
  let prev = GENESIS;
  let position = 0n;
  for (;;) {
    const rows = await sealedAfter(database.sql, String(position), pageSize);
    for (const row of rows) {
      const expectedPosition = position + 1n;
      if (row.chainPos !== String(expectedPosition) || row.prevHash !== prev) {
        return {
          ok: false,
          sealed: Number(position),
          brokenAt: String(expectedPosition),
          problem: `The entry at position ${expectedPosition} is missing or out of place: entries were removed or added.`,
        };
      }
      const expected = auditHash(prev, row.chainPos, row);
      if (row.hash !== expected) {
        return {
          ok: false,
          sealed: Number(position),
          brokenAt: row.chainPos,
          problem: `The entry at position ${row.chainPos} (${row.tableName} ${row.operation.toLowerCase()}, row ${row.rowId ?? "?"}) was changed after it was sealed.`,
        };
      }
      prev = expected;
      position = expectedPosition;
    }
    if (rows.length < pageSize) break;
  }
  if (String(position) !== seal.lastPos || prev !== seal.lastHash) {
    return {
      ok: false,
      sealed: Number(position),
      brokenAt: String(position + 1n),
      problem: `The chain stops at position ${position}, but ${seal.lastPos} entries were sealed: entries were removed from its end.`,
    };
  }
  const unsealed = await countUnsealed(database.sql);
  return { ok: true, sealed: Number(position), unsealed, lastHash: prev };
}
