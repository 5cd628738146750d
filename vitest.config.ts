import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig } from "vitest/config";

// Every test file gets its own freshly migrated database (tests/support/database.ts).
// Everything runs on embedded PGlite; with TEST_DATABASE_URL set, the integration suite
// runs a second time against that PostgreSQL server.
const shared = { extends: true as const };
const projects = [
  {
    ...shared,
    test: { name: "pglite", include: ["tests/**/*.test.ts"], exclude: ["tests/e2e/**"], env: { TEST_DB_ENGINE: "pglite" } },
  },
];
if (process.env.TEST_DATABASE_URL) {
  projects.push({
    ...shared,
    test: { name: "postgres", include: ["tests/integration/**/*.test.ts"], exclude: [], env: { TEST_DB_ENGINE: "postgres" } },
  });
}

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    projects,
    setupFiles: ["tests/support/setup.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
