import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Database } from "./database.server.ts";
import { appliedMigrations } from "./schema-version.server.ts";

/**
 * Applies pending migrations from prisma/migrations in name order, each in its own
 * transaction, recording them in `_prisma_migrations` exactly as `prisma migrate deploy`
 * would (checksum = SHA-256 of the file), so either tool can take over from the other.
 * See docs/decisions/0003-migrations.md for why the service applies them itself.
 */
export const migrationsDir = path.resolve(process.cwd(), "prisma/migrations");

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export async function readMigrations(dir = migrationsDir): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

const bookkeeping = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum" VARCHAR(64) NOT NULL,
    "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL,
    "logs" TEXT,
    "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

const quote = (value: string) => `'${value.replaceAll("'", "''")}'`;

export async function migrate(database: Database, dir = migrationsDir): Promise<string[]> {
  const migrations = await readMigrations(dir);
  await database.exec(bookkeeping);
  const applied = await appliedMigrations(database.sql);
  const appliedByName = new Map(applied.map((row) => [row.migration_name, row.checksum]));
  const newlyApplied: string[] = [];
  for (const migration of migrations) {
    const checksum = appliedByName.get(migration.name);
    if (checksum !== undefined) {
      if (checksum !== migration.checksum) {
        throw new Error(`Migration ${migration.name} was changed after it was applied. Write a new migration instead of editing an applied one.`);
      }
      continue;
    }
    // One transaction per migration: a failing migration leaves no trace and is not recorded.
    await database
      .exec(
        `BEGIN;\n${migration.sql}\n;INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES (${quote(randomUUID())}, ${quote(migration.checksum)}, now(), ${quote(migration.name)}, 1);\nCOMMIT;`,
      )
      .catch(async (error: unknown) => {
        await database.exec("ROLLBACK").catch(() => undefined);
        throw new Error(`Migration ${migration.name} failed: ${(error as Error).message}`);
      });
    newlyApplied.push(migration.name);
  }
  return newlyApplied;
}
