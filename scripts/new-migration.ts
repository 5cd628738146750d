/**
 * npm run db:new-migration -- <name> [--schema <path>] [--migrations-dir <path>]
 *
 * Writes the next migration, prisma/migrations/<UTC yyyymmddHHMMSS>_<name>/migration.sql, with
 * the SQL that takes the existing migrations to prisma/schema.prisma: they are applied to a fresh
 * in-memory PGlite and Prisma's schema engine (WASM build) diffs that database against the
 * schema. Writes nothing and says "No changes" when they already agree.
 * Stands in for `prisma migrate dev --create-only`, which cannot run on these machines
 * (docs/decisions/0003-migrations.md). Touches no real database.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { createMigration, MigrationToolError } from "./lib/schema-engine.ts";

const usage = `Usage: npm run db:new-migration -- <name> [options]

Writes prisma/migrations/<UTC yyyymmddHHMMSS>_<name>/migration.sql with the SQL that brings
the existing migrations up to prisma/schema.prisma. Writes nothing if they already agree.

  <name>                   what the migration does, e.g. add_bid_deadline
  --schema <path>          Prisma schema file or folder (default: prisma/schema.prisma)
  --migrations-dir <path>  migrations folder (default: prisma/migrations)
  -h, --help               show this help`;

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: {
        schema: { type: "string", default: "prisma/schema.prisma" },
        "migrations-dir": { type: "string", default: "prisma/migrations" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if (args.values.help) {
    console.log(usage);
    return 0;
  }
  if (args.positionals.length !== 1) {
    console.error(
      `${args.positionals.length === 0 ? "Give the migration a name." : `One name only, got: ${args.positionals.join(" ")} (use underscores).`}\n\n${usage}`,
    );
    return 2;
  }

  const started = Date.now();
  const result = await createMigration({
    name: args.positionals[0]!,
    schemaPath: args.values.schema!,
    migrationsDir: args.values["migrations-dir"]!,
    log: (line) => console.log(line),
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);

  if (result.status === "no-changes") {
    console.log(`No changes: the migrations already match ${args.values.schema}. Nothing written. (${seconds}s)`);
    return 0;
  }

  const relative = path.relative(process.cwd(), result.file);
  const shown = relative.startsWith("..") ? result.file : relative;
  console.log(`\nChanges found:\n${result.diff.summary.replace(/^(?=.)/gm, "  ")}\n`);
  console.log(`Wrote ${shown} (${seconds}s):\n`);
  console.log(result.diff.sql.replace(/^/gm, "  | "));
  if (result.notes.length > 0) {
    console.log("Review before committing, this migration:");
    for (const note of result.notes) console.log(`  - ${note}`);
    console.log("Edit migration.sql by hand if data must be carried over (e.g. backfill before SET NOT NULL).");
  }
  console.log("\nNext: read the SQL, then run `npx vitest run tests/db/schema-drift.test.ts` to prove the migrations match the schema.");
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof MigrationToolError) {
      console.error(`\nError: ${error.message}`);
    } else {
      console.error("\nUnexpected error while creating the migration:");
      console.error(error);
    }
    process.exit(1);
  },
);
