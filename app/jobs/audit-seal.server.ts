import { sealAuditChain } from "~/audit/chain.server.ts";
import { database } from "~/db/database.server.ts";
import type { Job } from "./scheduler.server.ts";

/** Seals new audit entries into the hash chain every minute (app/audit/chain.server.ts). */
export const auditSealJob: Job = {
  name: "audit-seal",
  nextRunAfter: (now) => new Date(now.getTime() + 60_000),
  run: () => sealAuditChain(database()),
};
