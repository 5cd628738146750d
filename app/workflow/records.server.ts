import type { Prisma, PrismaClient } from "~/generated/prisma/client.ts";
import type { PersistedSnapshot, WorkflowKind } from "../../workflows/index.ts";

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
}

export interface RecordWrite {
  state: string;
  snapshot: PersistedSnapshot;
}

interface RecordTable {
  load(tx: Tx, id: string): Promise<StoredRecord | null>;
  /** Compare-and-set on `version`: 1 if this write won, 0 if the record changed meanwhile. */
  write(tx: Tx, id: string, expectedVersion: number, change: RecordWrite): Promise<number>;
  path(id: string): string;
}

const columns = { id: true, state: true, snapshot: true, machineVersion: true, version: true } as const;
const asJson = (snapshot: PersistedSnapshot) => snapshot as unknown as Prisma.InputJsonValue;

// The only code that writes a workflow record's state. Routes and jobs go through
// applyWorkflowEvent (apply-event.server.ts), which calls these inside its transaction.
export const recordTables: Record<WorkflowKind, RecordTable> = {
  bid: {
    async load(tx, id) {
      const row = await tx.bid.findUnique({ where: { id }, select: { ...columns, title: true, reference: true } });
      return row as unknown as StoredRecord | null;
    },
    async write(tx, id, expectedVersion, change) {
      const result = await tx.bid.updateMany({
        where: { id, version: expectedVersion },
        data: { state: change.state, snapshot: asJson(change.snapshot), version: { increment: 1 } },
      });
      return result.count;
    },
    path: (id) => `/bids/${id}`,
  },
  assessment: {
    async load(tx, id) {
      const row = await tx.assessment.findUnique({
        where: { id },
        select: { ...columns, bid: { select: { title: true, reference: true } } },
      });
      return row ? ({ ...row, title: row.bid.title, reference: row.bid.reference } as unknown as StoredRecord) : null;
    },
    async write(tx, id, expectedVersion, change) {
      const result = await tx.assessment.updateMany({
        where: { id, version: expectedVersion },
        data: { state: change.state, snapshot: asJson(change.snapshot), version: { increment: 1 } },
      });
      return result.count;
    },
    path: (id) => `/assessments/${id}`,
  },
  project: {
    async load(tx, id) {
      const row = await tx.project.findUnique({ where: { id }, select: { ...columns, title: true, reference: true } });
      return row as unknown as StoredRecord | null;
    },
    async write(tx, id, expectedVersion, change) {
      const result = await tx.project.updateMany({
        where: { id, version: expectedVersion },
        data: { state: change.state, snapshot: asJson(change.snapshot), version: { increment: 1 } },
      });
      return result.count;
    },
    path: (id) => `/projects/${id}`,
  },
};
