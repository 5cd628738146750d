// `npm test`: every check, in the order that fails fastest, each stage timed. At the end
// (pass or fail) it prints how long each stage took, each Vitest project's span, and the
// ten slowest test files, so that a slow suite is seen in every run's output, CI's too.
//
//   stages: preflight (chromium and clamd present), lint (types, rules), build (once, for the
//   browser tests, the fault tests and the reduced benchmarks), vitest (every project at
//   once: unit, pglite, and with TEST_DATABASE_URL postgres and faults), e2e (Playwright).
//
// TEST_TIMINGS_FROM names a JSON file of stages timed before this script ran ({"install":
// seconds, ...}); .ci/run uses it for the install.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const results = path.join(root, "test-results");
const vitestTimings = path.join(results, "vitest-timings.json");
const e2eReport = path.join(results, "e2e-report.json");

/** @type {{ name: string, seconds: number, status: string }[]} */
const stages = [];
let failed = false;

function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: "inherit" });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function stage(name, fn) {
  console.log(`\n== ${name}`);
  const started = performance.now();
  let status;
  try {
    status = (await fn()) === 0 ? "passed" : "failed";
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    status = "failed";
  }
  stages.push({ name, seconds: (performance.now() - started) / 1000, status });
  if (status === "failed") failed = true;
  return status === "passed";
}

function preflight() {
  const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(chromium)) {
    console.error(
      `The browser tests need Chromium at ${chromium}, and it is not there.\n` +
        `Install Debian's package with:  sudo apt-get update && sudo apt-get install -y chromium\n` +
        `or point CHROMIUM_PATH at a Chromium you already have. (Playwright's own browser download is not used.)`,
    );
    return 1;
  }
  // The virus-scanning tests start a private clamd of their own (tests/support/clamd.ts).
  const clamd = process.env.CLAMD_PATH ?? "/usr/sbin/clamd";
  if (!existsSync(clamd)) {
    console.error(
      `The virus-scanning tests need ClamAV's daemon at ${clamd}, and it is not there.\n` +
        `Install Debian's package with:  sudo apt-get update && sudo apt-get install -y clamav-daemon\n` +
        `or point CLAMD_PATH at a clamd you already have. (No virus database is downloaded: the tests bring their own.)`,
    );
    return 1;
  }
  return 0;
}

const readJson = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined);
const seconds = (s) => (s >= 60 ? `${Math.floor(s / 60)}m ${String(Math.round(s % 60)).padStart(2, "0")}s` : `${s.toFixed(1)}s`);

function report() {
  const rows = [];
  const earlier = process.env.TEST_TIMINGS_FROM ? (readJson(process.env.TEST_TIMINGS_FROM) ?? {}) : {};
  for (const [name, s] of Object.entries(earlier)) rows.push([name, seconds(Number(s)), "done"]);
  for (const s of stages) rows.push([s.name, seconds(s.seconds), s.status]);

  /** @type {{ file: string, seconds: number }[]} */
  const files = [];
  let passed = 0;
  let failures = 0;
  const vitest = readJson(vitestTimings);
  if (vitest) {
    // Each project's span, from its first file's start to its last file's end. Projects
    // run side by side, so spans overlap; the vitest stage above is their wall time.
    const spans = new Map();
    for (const row of vitest) {
      passed += row.passed;
      failures += row.failed;
      const span = spans.get(row.project) ?? { start: Infinity, end: 0, files: 0, tests: 0 };
      span.start = Math.min(span.start, row.start);
      span.end = Math.max(span.end, row.end);
      span.files++;
      span.tests += row.passed + row.failed;
      spans.set(row.project, span);
      files.push({ file: `${row.file} (${row.project})`, seconds: (row.end - row.start) / 1000 });
    }
    // Listed under the vitest stage's own row.
    const at = rows.findIndex((r) => r[0] === "vitest") + 1 || rows.length;
    rows.splice(
      at,
      0,
      ...[...spans]
        .sort()
        .map(([project, span]) => [`  vitest ${project}`, seconds((span.end - span.start) / 1000), `${span.files} files, ${span.tests} tests`]),
    );
  }
  const e2e = readJson(e2eReport);
  if (e2e) {
    passed += e2e.stats.expected;
    failures += e2e.stats.unexpected + e2e.stats.flaky;
    const perFile = new Map();
    const walk = (suite) => {
      for (const spec of suite.specs ?? [])
        for (const t of spec.tests) for (const r of t.results) perFile.set(spec.file, (perFile.get(spec.file) ?? 0) + r.duration / 1000);
      for (const child of suite.suites ?? []) walk(child);
    };
    for (const suite of e2e.suites) walk(suite);
    for (const [file, s] of perFile) files.push({ file: `tests/e2e/${file} (playwright)`, seconds: s });
  }
  const width = Math.max(...rows.map((r) => r[0].length), 10);
  console.log("\n== timings");
  console.log(`${"stage".padEnd(width)}  ${"time".padStart(8)}  result`);
  for (const [name, time, status] of rows) console.log(`${name.padEnd(width)}  ${time.padStart(8)}  ${status}`);
  const total = stages.reduce((sum, s) => sum + s.seconds, 0) + Object.values(earlier).reduce((sum, s) => sum + Number(s), 0);
  console.log(`${"total".padEnd(width)}  ${seconds(total).padStart(8)}`);
  if (files.length) {
    console.log("\nslowest test files (Vitest: from import to end, set-up included; Playwright: the tests):");
    for (const f of files.sort((a, b) => b.seconds - a.seconds).slice(0, 10)) console.log(`${seconds(f.seconds).padStart(8)}  ${f.file}`);
  }
  // One closing line that any CI reader understands.
  console.log(`\ntests: ${passed} passed, ${failures} failed`);
}

rmSync(vitestTimings, { force: true });
rmSync(e2eReport, { force: true });
mkdirSync(results, { recursive: true });

try {
  const ready =
    (await stage("preflight", preflight)) &&
    (await stage("lint", () => run("npm", ["run", "lint"]))) &&
    (await stage("build", () => run("npm", ["run", "build"])));
  if (ready) {
    await stage("vitest", () => run("npx", ["vitest", "run", "--reporter=default", "--reporter=./tests/support/timing-reporter.ts"]));
    await stage("e2e (playwright)", () => run("npx", ["playwright", "test"]));
  }
} finally {
  report();
}
process.exit(failed ? 1 : 0);
