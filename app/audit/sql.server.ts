import type { SqlQuery } from "~/db/database.server.ts";

// The audit chain's SQL. Sealing writes one UPDATE per entry, up to a whole batch in one
// transaction, and reads rows by transaction id against pg_snapshot_xmin, which Prisma's API
// cannot express; so the chain is SQL from end to end. docs/decisions/0015-data-access.md.

export interface AuditRow {
  chainPos: string | null;
  seq: string;
  txid: string;
  at: string;
  tableName: string;
  operation: string;
  rowId: string | null;
  before: unknown;
  after: unknown;
  prevHash: string | null;
  hash: string | null;
}

export interface Seal {
  lastPos: string;
  lastHash: string;
}

// Big integers as text, and the time as the text that was hashed, so a value reads the same on both engines.
const COLUMNS = `"chainPos"::text AS "chainPos", "seq"::text AS seq, "txid"::text AS txid, to_char("at", 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS at,
  "tableName", "operation", "rowId", "before", "after", "prevHash", "hash"`;

/** The seal, created at `genesis` if there is none, locked until the transaction ends: sealers take turns. */
export async function lockSeal(sql: SqlQuery, genesis: string): Promise<Seal> {
  await sql(`INSERT INTO "AuditSeal" ("id", "lastPos", "lastHash") VALUES (1, 0, $1) ON CONFLICT ("id") DO NOTHING`, [genesis]);
  const { rows } = await sql<Seal>(`SELECT "lastPos"::text AS "lastPos", "lastHash" FROM "AuditSeal" WHERE "id" = 1 FOR UPDATE`);
  return rows[0]!;
}

/** The seal as it stands, if anything was ever sealed. */
export async function readSeal(sql: SqlQuery): Promise<Seal | undefined> {
  const { rows } = await sql<Seal>(`SELECT "lastPos"::text AS "lastPos", "lastHash" FROM "AuditSeal" WHERE "id" = 1`);
  return rows[0];
}

/** Up to `limit` unsealed entries whose transactions are older than every one still running, in the order to seal them. */
export async function finalUnsealed(sql: SqlQuery, limit: number): Promise<AuditRow[]> {
  const { rows } = await sql<AuditRow>(
    `SELECT ${COLUMNS} FROM "AuditEvent"
      WHERE "chainPos" IS NULL AND "txid" < (pg_snapshot_xmin(pg_current_snapshot()))::text::bigint
      ORDER BY "AuditEvent"."txid", "AuditEvent"."seq" LIMIT $1`,
    [limit],
  );
  return rows;
}

export async function sealEntry(sql: SqlQuery, seq: string, seal: { position: string; prevHash: string; hash: string }): Promise<void> {
  await sql(`UPDATE "AuditEvent" SET "chainPos" = $1::bigint, "prevHash" = $2, "hash" = $3 WHERE "seq" = $4::bigint`, [
    seal.position,
    seal.prevHash,
    seal.hash,
    seq,
  ]);
}

export async function saveSeal(sql: SqlQuery, seal: Seal): Promise<void> {
  await sql(`UPDATE "AuditSeal" SET "lastPos" = $1::bigint, "lastHash" = $2 WHERE "id" = 1`, [seal.lastPos, seal.lastHash]);
}

/** Up to `limit` sealed entries after chain position `position`, in chain order. */
export async function sealedAfter(sql: SqlQuery, position: string, limit: number): Promise<AuditRow[]> {
  const { rows } = await sql<AuditRow>(`SELECT ${COLUMNS} FROM "AuditEvent" WHERE "chainPos" > $1::bigint ORDER BY "AuditEvent"."chainPos" LIMIT $2`, [
    position,
    limit,
  ]);
  return rows;
}

export async function countUnsealed(sql: SqlQuery): Promise<number> {
  const { rows } = await sql<{ n: string }>(`SELECT count(*)::text AS n FROM "AuditEvent" WHERE "chainPos" IS NULL`);
  return Number(rows[0]!.n);
}
