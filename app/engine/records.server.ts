import type { SqlQuery } from "~/db/database.server.ts";
import { jsonColumn } from "~/db/json.server.ts";
import type { Prisma, PrismaClient } from "~/generated/prisma/client.ts";
import type { PersistedSnapshot, WorkflowKind } from "../../workflows/index.ts";
import type { PreloadedPeople } from "./recipients.server.ts";
import { selectRecord, type Partnership, type PeopleWanted, type UserRow } from "./sql.server.ts";

export type Tx = Prisma.TransactionClient | PrismaClient;

/** What the engine needs of any workflow record, whichever table holds it. */
export interface StoredRecord {
  id: string;
  state: string;
  snapshot: PersistedSnapshot;
  machineVersion: number;
  version: number;
  title: string;
  reference: string;
  /** Who the record's emails go to is worked out from its bid's partnership. */
  partnership: Partnership;
  /** The people of the roles asked for at loading, when any were. */
  people?: PreloadedPeople;
}

const paths: Record<WorkflowKind, (id: string) => string> = {
  bid: (id) => `/bids/${id}`,
  assessment: (id) => `/assessments/${id}`,
  project: (id) => `/projects/${id}`,
};

/**
 * A workflow record with what the engine needs of it. With `people`, the same statement also
 * reads the people those roles mean for it (and the actor's name), so that a transition
 * whose recipients were foreseen needs no second read before its write.
 */
export async function loadRecord(sql: SqlQuery, kind: WorkflowKind, id: string, people?: PeopleWanted): Promise<StoredRecord | null> {
  const row = await selectRecord(sql, kind, id, people);
  if (!row) return null;
  const users = typeof row.people === "string" ? (JSON.parse(row.people) as UserRow[]) : (row.people ?? []);
  return {
    ...(people ? { people: { roles: people.roles, actor: people.actorUserId !== null, users } } : {}),
    id: row.id,
    state: row.state,
    snapshot: jsonColumn(row.snapshot),
    machineVersion: Number(row.machineVersion),
    version: Number(row.version),
    title: row.title,
    reference: row.reference,
    partnership: { lead: row.lead, partners: Array.isArray(row.partners) ? row.partners : parseArray(row.partners) },
  };
}

export const recordPath = (kind: WorkflowKind, id: string) => paths[kind](id);

// Some drivers hand back a Postgres array as its text form, {a,b}.
function parseArray(text: string): string[] {
  const inner = text.replace(/^\{|\}$/g, "");
  return inner ? inner.split(",").map((s) => s.replace(/^"|"$/g, "")) : [];
}
