import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";

// Every test file gets its own freshly migrated database (tests/support/database.ts).
// Everything runs on embedded PGlite; with TEST_DATABASE_URL set, the integration suite
// runs a second time against that PostgreSQL server.
const shared = { extends: true as const };
const projects: TestProjectInlineConfiguration[] = [
  {
    ...shared,
    test: { name: "pglite", include: ["tests/**/*.test.ts"], exclude: ["tests/e2e/**", "tests/faults/**"], env: { TEST_DB_ENGINE: "pglite" } },
  },
];
if (process.env.TEST_DATABASE_URL) {
  projects.push({
    ...shared,
    test: { name: "postgres", include: ["tests/integration/**/*.test.ts"], exclude: [], env: { TEST_DB_ENGINE: "postgres" } },
  });
  // Real processes (the built service, workers) killed and cut off from PostgreSQL; they
  // need a build (npm test builds first) and a server several processes can share.
  projects.push({
    ...shared,
    test: { name: "faults", include: ["tests/faults/**/*.test.ts"], exclude: [], env: { TEST_DB_ENGINE: "postgres" }, testTimeout: 300_000 },
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
