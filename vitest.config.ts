import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";

// Test files that replace a module with vi.mock need a module graph of their own; every
// other file shares its worker's modules and database (isolate: false), which is what
// keeps the suite fast: loading the app and opening PGlite is paid once per worker, not
// once per file. Each file still starts from an empty, migrated database
// (tests/support/database.ts). See docs/testing.md.
const mocking = ["tests/integration/admin-users.test.ts", "tests/integration/project-pages.test.ts"];
// The audit chain seals an entry once no transaction that could precede it is running
// anywhere on the server (pg_snapshot_xmin). On a shared PostgreSQL the other workers'
// transactions hold that back, so its tests run after everything else has finished.
const alone = ["tests/integration/audit.test.ts"];
const transport = "tests/faults/transport-fuzz.test.ts";

const shared = { extends: true as const };
function engineProjects(engine: "pglite" | "postgres", include: string[]): TestProjectInlineConfiguration[] {
  // PGlite lives inside one worker: nothing else can hold its transactions back.
  const last = engine === "postgres" ? alone : [];
  const projects: TestProjectInlineConfiguration[] = [
    { ...shared, test: { name: engine, include, exclude: [...mocking, ...last], isolate: false, env: { TEST_DB_ENGINE: engine } } },
    { ...shared, test: { name: `${engine}-mocking`, include: mocking, env: { TEST_DB_ENGINE: engine } } },
  ];
  if (last.length) {
    projects.push({ ...shared, test: { name: `${engine}-alone`, include: last, env: { TEST_DB_ENGINE: engine }, sequence: { groupOrder: 1 } } });
  }
  return projects;
}

// Everything runs on embedded PGlite; with TEST_DATABASE_URL set, the integration suite
// runs a second time against that PostgreSQL server, and the fault tests run too.
const projects: TestProjectInlineConfiguration[] = [
  { ...shared, test: { name: "unit", include: ["tests/unit/**/*.test.ts", "tests/workflows/**/*.test.ts"], isolate: false } },
  ...engineProjects("pglite", ["tests/integration/**/*.test.ts", "tests/db/**/*.test.ts"]),
];
if (process.env.TEST_DATABASE_URL) {
  projects.push(...engineProjects("postgres", ["tests/integration/**/*.test.ts"]));
  // Real processes (the built service, workers) killed and cut off from PostgreSQL; they
  // need a build (npm test builds first) and a server several processes can share.
  projects.push({
    ...shared,
    test: { name: "faults", include: ["tests/faults/**/*.test.ts"], exclude: [transport], env: { TEST_DB_ENGINE: "postgres" }, testTimeout: 300_000 },
  });
  // The transport sweep requires /healthz to answer within a second while it runs: that
  // bounds what one request can cost everyone else, so it is measured with nothing else
  // competing for the two cores, after every other Vitest file.
  projects.push({
    ...shared,
    test: { name: "faults-alone", include: [transport], env: { TEST_DB_ENGINE: "postgres" }, testTimeout: 300_000, sequence: { groupOrder: 2 } },
  });
}

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    projects,
    globalSetup: ["tests/support/global-setup.ts"],
    setupFiles: ["tests/support/setup.ts"],
    pool: "forks",
    // Vitest's default is one worker fewer than the cores: one, on the 2-core machines CI
    // runs on. The fault tests and the PostgreSQL files spend much of their time waiting
    // on other processes, so three share two cores well. VITEST_MAX_WORKERS overrides it.
    maxWorkers: Number(process.env.VITEST_MAX_WORKERS ?? 3),
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
