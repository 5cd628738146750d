// Prisma's CLI insists on a native schema-engine binary that this environment cannot
// download; `prisma generate` never runs it, so any existing file satisfies the check.
// Migrations are applied by the service itself (see app/db/migrate.server.ts).
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= "/bin/false";
process.env.CHECKPOINT_DISABLE ??= "1";

import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
