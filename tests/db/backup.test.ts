/**
 * npm run backup / npm run restore for the embedded database, run as the commands a person
 * types: a backup restored into a new data folder holds the same data and files.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDatabase } from "~/db/database.server.ts";
import { migrate } from "~/db/migrate.server.ts";
import { openPGlite } from "~/db/open.server.ts";
import { seedIfEmpty } from "~/seed/seed.server.ts";
import { localDiskStorage } from "~/storage/storage.server.ts";

const root = path.resolve(import.meta.dirname, "../..");
let work: string;
const original = () => path.join(work, "original");
const restored = () => path.join(work, "restored");
const backup = () => path.join(work, "backup");
let rowsBefore: { users: number; bids: number; projects: number };
let storedKey: string;
const fileBytes = new TextEncoder().encode("Evaluation report, version 3\n");

async function run(script: "backup" | "restore", dataDir: string, arg?: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, NODE_ENV: "development" };
  // The embedded database with its files on local disk, whatever the machine has set.
  for (const name of ["DATABASE_URL", "UPLOAD_DIR", "S3_BUCKET"]) delete env[name];
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ["--import", "tsx", `scripts/${script}.ts`, ...(arg ? [arg] : [])], {
      cwd: root,
      env,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "springboard-backup-"));
  const database = await openPGlite(path.join(original(), "pglite"));
  try {
    await migrate(database);
    setDatabase(database);
    await seedIfEmpty(database, { demo: true });
    rowsBefore = { users: await database.prisma.user.count(), bids: await database.prisma.bid.count(), projects: await database.prisma.project.count() };
    storedKey = (await localDiskStorage(path.join(original(), "uploads")).put(fileBytes)).key;
  } finally {
    setDatabase(undefined);
    await database.close();
  }
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("backing up and restoring the embedded database", () => {
  it("refuses to back up a database another process has open, and says which", async () => {
    const database = await openPGlite(path.join(original(), "pglite"));
    try {
      const { code, output } = await run("backup", original(), path.join(work, "refused"));
      expect(code).toBe(1);
      expect(output).toContain(`is open in another process (process ${process.pid})`);
    } finally {
      await database.close();
    }
  });

  it("restores a backup into a new data folder, with the same records and uploaded files", async () => {
    const made = await run("backup", original(), backup());
    expect(made.code).toBe(0);
    expect(made.output).toContain(`${rowsBefore.bids} Bid`);
    expect(made.output).toContain("1 uploaded files");

    const back = await run("restore", restored(), backup());
    expect(back.output).toContain("Restored the backup");
    expect(back.code).toBe(0);

    const database = await openPGlite(path.join(restored(), "pglite"));
    try {
      expect({ users: await database.prisma.user.count(), bids: await database.prisma.bid.count(), projects: await database.prisma.project.count() }).toEqual(
        rowsBefore,
      );
      expect(await migrate(database)).toEqual([]);
    } finally {
      await database.close();
    }
    expect(await readFile(path.join(restored(), "uploads", storedKey.slice(0, 2), storedKey))).toEqual(Buffer.from(fileBytes));
  });

  it("never restores over a database that is already there", async () => {
    const again = await run("restore", restored(), backup());
    expect(again.code).toBe(1);
    expect(again.output).toContain("already holds a database");
  });
});
