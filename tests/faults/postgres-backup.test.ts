/**
 * The README's backup procedure for PostgreSQL, as an operator would follow it: pg_dump in
 * the custom format, then pg_restore into a new, empty database. The restored database
 * holds the same records, the service's migrations find nothing to do, and the audit chain
 * still verifies (the hashes cover the rows, so a restore that changed one would show).
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sealAuditChain, verifyAuditChain } from "~/audit/chain.server.ts";
import { setDatabase, type Database } from "~/db/database.server.ts";
import { migrate } from "~/db/migrate.server.ts";
import { openPostgres } from "~/db/open.server.ts";
import { createScratchDatabase } from "../../bench/support/scratch.ts";
import { seedIfEmpty } from "~/seed/seed.server.ts";

const run = promisify(execFile);
let original: Database & { url?: string };
let restoredName: string | undefined;
let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "springboard-pg-backup-"));
  original = await createScratchDatabase(process.env.TEST_DATABASE_URL);
  setDatabase(original);
  await seedIfEmpty(original, { demo: true });
  await sealAuditChain(original);
});

afterAll(async () => {
  setDatabase(undefined);
  await original?.close();
  if (restoredName) {
    const admin = new URL(process.env.TEST_DATABASE_URL!);
    await run("dropdb", ["--if-exists", "--force", "--maintenance-db", admin.toString(), restoredName]).catch(() => undefined);
  }
  await rm(work, { recursive: true, force: true });
});

async function counts(database: Database) {
  const p = database.prisma;
  return {
    users: await p.user.count(),
    bids: await p.bid.count(),
    projects: await p.project.count(),
    history: await p.transitionHistory.count(),
    audit: await p.auditEvent.count(),
  };
}

describe("backing up PostgreSQL as the README says", () => {
  it("restores with pg_restore into a new database holding the same records, migrated, with the audit chain intact", async () => {
    const dump = path.join(work, "springboard.dump");
    await run("pg_dump", ["--format=custom", `--file=${dump}`, original.url!]);

    restoredName = `${new URL(original.url!).pathname.slice(1)}_restored`;
    const restoredUrl = new URL(original.url!);
    restoredUrl.pathname = `/${restoredName}`;
    await run("createdb", ["--maintenance-db", process.env.TEST_DATABASE_URL!, restoredName]);
    await run("pg_restore", ["--no-owner", `--dbname=${restoredUrl.toString()}`, dump]);

    const restored = await openPostgres(restoredUrl.toString());
    try {
      expect(await counts(restored)).toEqual(await counts(original));
      expect(await migrate(restored)).toEqual([]);
      const verified = await verifyAuditChain(restored);
      expect(verified.ok).toBe(true);
      // The seed's history was sealed before the dump: the chain checked is not empty.
      expect(verified.ok && verified.sealed).toBeGreaterThan(100);
    } finally {
      await restored.close();
    }
  });
});
