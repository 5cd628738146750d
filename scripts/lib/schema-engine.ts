/**
 * Prisma's schema engine (the WASM build, `@prisma/schema-engine-wasm`) driven over an
 * in-memory PGlite, for the two jobs the Prisma CLI cannot do on these machines:
 *
 * - authoring the next migration (`npm run db:new-migration -- <name>`, scripts/new-migration.ts)
 * - proving that `prisma/schema.prisma` and `prisma/migrations` agree (tests/db/schema-drift.test.ts)
 *
 * Both do the same thing: apply every migration in name order to a fresh in-memory PGlite,
 * then ask the engine for the SQL that takes that database to the Prisma schema.
 * See docs/decisions/0003-migrations.md.
 *
 * Pinned: @prisma/schema-engine-wasm 8.1.0-2.59be4fda12412a79eeb9c2ae727b6aa723593323. Its API is
 * internal to Prisma and changes without notice; keep the pin exact.
 */
import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { bindMigrationAwareSqlAdapterFactory, type SqlDriverAdapter, type SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { DiffParams, DiffResult, SchemaContainer, SchemaEngine } from "@prisma/schema-engine-wasm";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { pgliteExtensions } from "../../app/db/pglite-extensions.ts";

export type SchemaFile = SchemaContainer; // { path, content }

export interface MigrationFile {
  /** Directory name, e.g. `20261123160000_init`. */
  name: string;
  sql: string;
}

export interface SchemaDiff {
  /** True when the migrated database already matches the schema. */
  empty: boolean;
  /** The SQL (Prisma's migration.sql format) that brings the migrated database to the schema. */
  sql: string;
  /** The engine's human-readable summary of the same difference. */
  summary: string;
}

/** A failure with a message meant for the person at the terminal (no stack needed). */
export class MigrationToolError extends Error {
  override name = "MigrationToolError";
}

// ---------------------------------------------------------------------------------------------
// Loading the WASM engine
// ---------------------------------------------------------------------------------------------

type EngineRuntime = typeof import("@prisma/schema-engine-wasm/schema_engine_bg");

// wasm-bindgen's glue module keeps the instance in module state, so the instance is kept once
// per process (a test runner may evaluate this file more than once).
const runtimeKey = Symbol.for("springboard.schemaEngineWasm.runtime");
type GlobalWithRuntime = typeof globalThis & { [runtimeKey]?: Promise<EngineRuntime> };

/**
 * The package's own entry point does `import * as wasm from "./schema_engine_bg.wasm"`, which
 * Node 20 cannot load, so instantiate the .wasm next to the glue module by hand (what
 * @prisma/internals' wasmSchemaEngineLoader does).
 */
export function loadSchemaEngineRuntime(): Promise<EngineRuntime> {
  const global = globalThis as GlobalWithRuntime;
  global[runtimeKey] ??= (async () => {
    const require = createRequire(import.meta.url);
    const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const runtime = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as EngineRuntime;
    const bytes = await readFile(path.join(path.dirname(gluePath), "schema_engine_bg.wasm"));
    const module = await WebAssembly.compile(bytes);
    const instance = await WebAssembly.instantiate(module, {
      "./schema_engine_bg.js": runtime as unknown as WebAssembly.ModuleImports,
    });
    (runtime as unknown as { __wbg_set_wasm(exports: unknown): void }).__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return runtime;
  })();
  return global[runtimeKey];
}

// ---------------------------------------------------------------------------------------------
// Driver adapter over PGlite
// ---------------------------------------------------------------------------------------------

/**
 * pglite-prisma-adapter 0.7.2's adapter, with its `executeScript` fixed to await `exec` (as
 * shipped, a failing script resolves anyway and its error is lost).
 */
async function connectPGlite(db: PGlite, onDispose?: () => Promise<void>): Promise<SqlDriverAdapter> {
  const adapter = (await new PrismaPGlite(db).connect()) as unknown as SqlDriverAdapter & {
    onError(error: unknown): never;
  };
  adapter.executeScript = async (script: string) => {
    try {
      await db.exec(script);
    } catch (error) {
      adapter.onError(error); // throws DriverAdapterError for database errors
    }
  };
  if (onDispose) adapter.dispose = onDispose;
  return adapter;
}

/**
 * Migration-aware adapter factory: `connect()` is the given PGlite; `connectToShadowDb()` is a new
 * in-memory PGlite that is closed when the engine disposes of it. (The stock factory's shadow
 * database is a PGlite that is never awaited nor closed.)
 */
export function pgliteAdapterFactory(db: PGlite): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: "postgres",
    adapterName: "@prisma/adapter-pglite (springboard)",
    connect: () => connectPGlite(db),
    connectToShadowDb: async () => {
      const shadow = await PGlite.create({ extensions: pgliteExtensions });
      return connectPGlite(shadow, () => shadow.close());
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------

/**
 * The migrations in the order they are applied: every directory of `dir`, sorted by name, each
 * holding a `migration.sql` (the same rule as app/db/migrate.server.ts and `prisma migrate deploy`).
 */
export async function readMigrationsDir(dir: string): Promise<MigrationFile[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(dir, name, "migration.sql");
      try {
        return { name, sql: await readFile(file, "utf8") };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") {
          throw new MigrationToolError(
            `${path.join(dir, name)} has no migration.sql. Every directory in ${dir} must be a migration; remove the directory or add its migration.sql.`,
          );
        }
        throw error;
      }
    }),
  );
}

/** A schema path may be a single .prisma file or a folder of them (multi-file schema). */
export async function readSchemaFiles(schemaPath: string): Promise<SchemaFile[]> {
  let info;
  try {
    info = await stat(schemaPath);
  } catch {
    throw new MigrationToolError(`Prisma schema not found at ${schemaPath}.`);
  }
  if (info.isFile()) return [{ path: path.resolve(schemaPath), content: await readFile(schemaPath, "utf8") }];
  const files: SchemaFile[] = [];
  for (const entry of await readdir(schemaPath, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".prisma")) continue;
    const file = path.resolve(entry.parentPath, entry.name);
    files.push({ path: file, content: await readFile(file, "utf8") });
  }
  if (files.length === 0) throw new MigrationToolError(`No .prisma files in ${schemaPath}.`);
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

// ---------------------------------------------------------------------------------------------
// Applying migrations
// ---------------------------------------------------------------------------------------------

/** `position` of a PostgreSQL error (1-based character offset) as "line N" of the script. */
function lineOf(sql: string, position: unknown): string {
  const offset = Number(position);
  if (!Number.isInteger(offset) || offset < 1) return "";
  return ` (line ${sql.slice(0, offset - 1).split("\n").length})`;
}

/**
 * Applies each migration in order, as one script (so as one implicit transaction, like
 * `prisma migrate deploy`). No `_prisma_migrations` bookkeeping: this database only exists to
 * be compared with the schema.
 */
export async function applyMigrations(db: PGlite, migrations: MigrationFile[]): Promise<void> {
  for (const migration of migrations) {
    try {
      await db.exec(migration.sql);
    } catch (error) {
      const e = error as Error & { position?: unknown };
      throw new MigrationToolError(`Migration ${migration.name} failed on a fresh database${lineOf(migration.sql, e.position)}: ${e.message}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Diffing
// ---------------------------------------------------------------------------------------------

const noFilters = { externalTables: [], externalEnums: [] };

/** Engine errors carry a Rust span trace after the message; keep the message. */
export function engineErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\n\s+0: schema_engine_wasm::[\s\S]*$/, "").trim();
}

/**
 * A schema engine bound to one database. `diff(schema)` returns the SQL from that database's
 * current state to the given Prisma schema.
 */
export class SchemaEngineSession {
  private constructor(
    private readonly engine: SchemaEngine,
    private readonly logs: string[],
  ) {}

  static async open(db: PGlite): Promise<SchemaEngineSession> {
    const runtime = await loadSchemaEngineRuntime();
    const logs: string[] = [];
    const adapter = bindMigrationAwareSqlAdapterFactory(pgliteAdapterFactory(db));
    const engine = await runtime.SchemaEngine.new({ datamodels: undefined }, (line: string) => logs.push(line), adapter);
    return new SchemaEngineSession(engine, logs);
  }

  private async run(params: Omit<DiffParams, "filters" | "exitCode">): Promise<DiffResult> {
    try {
      return await this.engine.diff({ ...params, exitCode: true, filters: noFilters });
    } catch (error) {
      throw new MigrationToolError(`The schema engine could not compare the database with the schema:\n${engineErrorMessage(error)}`);
    }
  }

  /** SQL that takes the bound database to `schema` (the files of one Prisma schema). */
  async diff(schema: SchemaFile[]): Promise<SchemaDiff> {
    // "schemaDatasource" = the database behind the schema's datasource, i.e. this adapter.
    const from = { tag: "schemaDatasource" as const, files: schema, configDir: path.dirname(schema[0]!.path) };
    const to = { tag: "schemaDatamodel" as const, files: schema };
    const script = await this.run({ from, to, script: true });
    if (script.exitCode === 0) return { empty: true, sql: "", summary: "" };
    const summary = await this.run({ from, to, script: false });
    return { empty: false, sql: script.stdout ?? "", summary: (summary.stdout ?? "").trim() };
  }

  /** The engine's own log lines (JSON), for debugging. */
  get engineLogs(): readonly string[] {
    return this.logs;
  }

  close(): void {
    this.engine.free();
  }
}

/** Applies `migrations` to a fresh in-memory PGlite and opens an engine on it. Close both. */
export async function openMigratedDatabase(migrations: MigrationFile[]): Promise<{
  db: PGlite;
  engine: SchemaEngineSession;
  close(): Promise<void>;
}> {
  const db = await PGlite.create({ extensions: pgliteExtensions });
  try {
    await applyMigrations(db, migrations);
    const engine = await SchemaEngineSession.open(db);
    return {
      db,
      engine,
      async close() {
        engine.close();
        await db.close();
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}

/** One-shot: the difference between (all migrations applied) and the schema. */
export async function diffMigrationsAgainstSchema(migrations: MigrationFile[], schema: SchemaFile[]): Promise<SchemaDiff> {
  const migrated = await openMigratedDatabase(migrations);
  try {
    return await migrated.engine.diff(schema);
  } finally {
    await migrated.close();
  }
}

/**
 * Statements in generated SQL that deserve a human look before the migration is committed
 * (the engine's data-loss checker is not reachable through `diff`).
 */
export function reviewNotes(sql: string): string[] {
  const notes: string[] = [];
  const created = new Set([...sql.matchAll(/CREATE TABLE ("[^"]+")/g)].map((m) => m[1]));
  const statements = sql
    .split(/;\s*\n/)
    .map((s) => s.replace(/^\s*--.*$/gm, "").trim())
    .filter(Boolean);
  for (const statement of statements) {
    const table = /^(?:ALTER TABLE|DROP TABLE|CREATE UNIQUE INDEX \S+ ON)\s+("[^"]+")/.exec(statement)?.[1] ?? "";
    if (/^DROP TABLE/.test(statement)) notes.push(`drops table ${table}: all its data is lost`);
    if (/^DROP TYPE/.test(statement)) notes.push(`drops an enum: ${statement.split("\n")[0]}`);
    for (const m of statement.matchAll(/DROP COLUMN\s+("[^"]+")/g)) notes.push(`drops column ${m[1]} of ${table}: its data is lost`);
    for (const m of statement.matchAll(/ALTER COLUMN\s+("[^"]+")\s+SET DATA TYPE/g)) {
      notes.push(`changes the type of ${table}.${m[1]}: existing values must cast`);
    }
    for (const m of statement.matchAll(/ALTER COLUMN\s+("[^"]+")\s+SET NOT NULL/g)) {
      notes.push(`makes ${table}.${m[1]} required: fails if any row holds NULL`);
    }
    for (const m of statement.matchAll(/ADD COLUMN\s+("[^"]+")\s+([^,]*)/g)) {
      const definition = m[2] ?? "";
      if (/NOT NULL/.test(definition) && !/DEFAULT/.test(definition)) {
        notes.push(`adds required column ${table}.${m[1]} without a default: fails if ${table} has rows`);
      }
    }
    if (/^CREATE UNIQUE INDEX/.test(statement) && !created.has(table)) notes.push(`adds a unique index on ${table}: fails if existing rows hold duplicates`);
    if (/^ALTER TYPE .* RENAME TO .*_old"?$/m.test(statement)) notes.push(`recreates an enum: ${statement.split("\n")[0]}`);
  }
  return [...new Set(notes)];
}

// ---------------------------------------------------------------------------------------------
// Creating a migration
// ---------------------------------------------------------------------------------------------

const lockFileContent = `# Please do not edit this file manually
# It should be added in your version-control system (e.g., Git)
provider = "postgresql"
`;

/** `Add bid deadline!` -> `add_bid_deadline`. */
export function migrationSlug(name: string): string {
  const slug = name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 200);
  if (!slug) {
    throw new MigrationToolError(`"${name}" is not a usable migration name: use letters, digits and underscores, e.g. add_bid_deadline.`);
  }
  return slug;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** UTC `yyyymmddHHMMSS`. */
export function migrationTimestamp(date: Date): string {
  return (
    pad(date.getUTCFullYear(), 4) +
    pad(date.getUTCMonth() + 1) +
    pad(date.getUTCDate()) +
    pad(date.getUTCHours()) +
    pad(date.getUTCMinutes()) +
    pad(date.getUTCSeconds())
  );
}

function parseTimestamp(prefix: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(prefix);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
}

export interface CreateMigrationOptions {
  /** The name given on the command line; it is slugified. */
  name: string;
  schemaPath: string;
  migrationsDir: string;
  /** Defaults to the current time. */
  now?: Date;
  log?: (line: string) => void;
}

export type CreateMigrationResult =
  { status: "no-changes"; applied: string[] } | { status: "created"; applied: string[]; directory: string; file: string; diff: SchemaDiff; notes: string[] };

/**
 * Applies the existing migrations to a fresh in-memory PGlite, diffs it against the schema and,
 * if they differ, writes `<migrationsDir>/<UTC yyyymmddHHMMSS>_<slug>/migration.sql`.
 */
export async function createMigration(options: CreateMigrationOptions): Promise<CreateMigrationResult> {
  const log = options.log ?? (() => {});
  const slug = migrationSlug(options.name);
  const migrationsDir = path.resolve(options.migrationsDir);

  const lockPath = path.join(migrationsDir, "migration_lock.toml");
  const lock = await readFile(lockPath, "utf8").catch(() => undefined);
  if (lock !== undefined && !/^\s*provider\s*=\s*"postgresql"\s*$/m.test(lock)) {
    throw new MigrationToolError(`${lockPath} is not for provider "postgresql"; these migrations are for another database.`);
  }

  const schema = await readSchemaFiles(options.schemaPath);
  if (!schema.some((file) => /provider\s*=\s*"postgresql"/.test(file.content))) {
    throw new MigrationToolError(`${options.schemaPath} has no datasource with provider = "postgresql".`);
  }
  const migrations = await readMigrationsDir(migrationsDir);
  log(`Applying ${migrations.length} existing migration${migrations.length === 1 ? "" : "s"} to a fresh in-memory PGlite…`);
  const applied = migrations.map((m) => m.name);

  log(`Comparing the result with ${options.schemaPath}…`);
  const diff = await diffMigrationsAgainstSchema(migrations, schema);
  if (diff.empty) return { status: "no-changes", applied };

  // Name order is apply order: a new migration must sort after every existing one, even if an
  // existing one carries a timestamp ahead of this machine's clock.
  let date = new Date(Math.floor((options.now ?? new Date()).getTime() / 1000) * 1000);
  for (const existing of applied) {
    const last = parseTimestamp(existing.slice(0, 14));
    if (last && last.getTime() >= date.getTime()) date = new Date(last.getTime() + 1000);
  }
  const dirName = `${migrationTimestamp(date)}_${slug}`;
  if (applied.some((name) => name.slice(15) === slug)) {
    log(`Note: a migration named "${slug}" already exists; this one will be ${dirName}.`);
  }
  const directory = path.join(migrationsDir, dirName);
  const file = path.join(directory, "migration.sql");
  await mkdir(migrationsDir, { recursive: true });
  if (lock === undefined) await writeFile(lockPath, lockFileContent);
  try {
    await mkdir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      throw new MigrationToolError(`${directory} already exists; wait a second and run again, or pick another name.`);
    }
    throw error;
  }
  await writeFile(file, diff.sql, { flag: "wx" });
  return { status: "created", applied, directory, file, diff, notes: reviewNotes(diff.sql) };
}
