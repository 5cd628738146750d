// `npm run test:quick`: the inner loop for a change in progress, in well under two minutes.
// Type checks and the lint rules, every unit and workflow test, then the integration tests
// that import (directly or not) a file changed since QUICK_BASE (default: the last commit,
// so uncommitted work; `QUICK_BASE=main` for a whole branch), on the embedded database.
// `npm test` runs everything before a change is shared.
import { spawnSync } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const base = process.env.QUICK_BASE ?? "HEAD";

function run(title, command, args) {
  console.log(`\n== ${title}`);
  const started = performance.now();
  const { status } = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  console.log(`(${((performance.now() - started) / 1000).toFixed(1)}s)`);
  if (status !== 0) process.exit(status ?? 1);
}

run("lint", "npm", ["run", "lint"]);
run("unit and workflow tests", "npx", ["vitest", "run", "--project", "unit"]);
run(`integration tests touched by changes since ${base} (PGlite)`, "npx", [
  "vitest",
  "run",
  "--project",
  "pglite",
  "--project",
  "pglite-mocking",
  "--changed",
  base,
  "--passWithNoTests",
]);
