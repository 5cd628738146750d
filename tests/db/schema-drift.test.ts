/**
 * Proves that prisma/schema.prisma and prisma/migrations agree: every migration is applied in
 * order to a fresh in-memory PGlite, and Prisma's schema engine (WASM build) diffs that database
 * against the schema. Any difference fails with the SQL that would close it; write that SQL as
 * a migration with `npm run db:new-migration -- <name>`. See docs/decisions/0003-migrations.md.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createMigration,
  openMigratedDatabase,
  readMigrationsDir,
  readSchemaFiles,
  SchemaEngineSession,
  type MigrationFile,
  type SchemaFile,
} from "../../scripts/lib/schema-engine.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const schemaPath = path.join(root, "prisma/schema.prisma");
const migrationsDir = path.join(root, "prisma/migrations");

/** The schema with `field` added as the first line of its first model, in memory only. */
function withExtraField(schema: SchemaFile[], field: string): { files: SchemaFile[]; model: string } {
  for (const [i, file] of schema.entries()) {
    const match = /^model\s+(\w+)\s*\{[^\n]*\n/m.exec(file.content);
    if (!match) continue;
    const at = match.index + match[0].length;
    const content = `${file.content.slice(0, at)}  ${field}\n${file.content.slice(at)}`;
    return { files: schema.map((f, j) => (j === i ? { ...f, content } : f)), model: match[1]! };
  }
  throw new Error("The schema has no model to add a field to.");
}

describe("prisma/schema.prisma and prisma/migrations", () => {
  let schema: SchemaFile[];
  let migrations: MigrationFile[];
  let migrated: Awaited<ReturnType<typeof openMigratedDatabase>>;

  beforeAll(async () => {
    schema = await readSchemaFiles(schemaPath);
    migrations = await readMigrationsDir(migrationsDir);
    migrated = await openMigratedDatabase(migrations);
  }, 60_000);

  afterAll(async () => {
    await migrated?.close();
  });

  it("agree: applying every migration gives exactly the schema", async () => {
    expect(migrations.length).toBeGreaterThan(0);
    const diff = await migrated.engine.diff(schema);
    expect(
      diff.empty,
      [
        `prisma/schema.prisma and prisma/migrations disagree (applied ${migrations.length} migration(s): ${migrations.map((m) => m.name).join(", ")}).`,
        "",
        "Differences (from the migrated database to the schema):",
        diff.summary,
        "",
        "SQL that would bring the migrations up to the schema:",
        diff.sql,
        "If the schema is right, write this as a migration: npm run db:new-migration -- <name>",
        "If the migrations are right, change prisma/schema.prisma to match them.",
        "",
      ].join("\n"),
    ).toBe(true);
  });

  it("detects drift: a field added only to the schema is reported", async () => {
    const { files, model } = withExtraField(schema, "driftProbe String?");
    const diff = await migrated.engine.diff(files);
    expect(diff.empty).toBe(false);
    expect(diff.sql).toMatch(/ALTER TABLE "[^"]+" ADD COLUMN\s+"driftProbe" TEXT;/);
    expect(diff.summary).toContain("driftProbe");
    expect(diff.summary).toContain(model);
  });

  it("db:new-migration writes the migration that closes a drift, and then finds no changes", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "new-migration-"));
    try {
      await cp(migrationsDir, path.join(dir, "migrations"), { recursive: true });
      const { files } = withExtraField(schema, "driftProbe Int @default(7)");
      const tempSchema = path.join(dir, "schema.prisma");
      await writeFile(tempSchema, files[0]!.content);

      const created = await createMigration({
        name: "Add drift probe",
        schemaPath: tempSchema,
        migrationsDir: path.join(dir, "migrations"),
      });
      expect(created.status).toBe("created");
      if (created.status !== "created") return;
      expect(path.basename(created.directory)).toMatch(/^\d{14}_add_drift_probe$/);
      const last = migrations.at(-1)!.name.slice(0, 14);
      expect(path.basename(created.directory).slice(0, 14) > last).toBe(true);
      const sql = await readFile(created.file, "utf8");
      expect(sql).toMatch(/ADD COLUMN\s+"driftProbe" INTEGER NOT NULL DEFAULT 7;/);

      // The written file takes the migrated database to the changed schema.
      const clone = (await migrated.db.clone()) as typeof migrated.db;
      const engine = await SchemaEngineSession.open(clone);
      try {
        await clone.exec(sql);
        const after = await engine.diff(files.map((f) => ({ ...f, path: tempSchema })));
        expect(after.empty, after.sql).toBe(true);
      } finally {
        engine.close();
        await clone.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
