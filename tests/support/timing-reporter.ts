import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Reporter, TestModule } from "vitest/node";

/**
 * Writes test-results/vitest-timings.json: for each test file of each project, when it
 * started and ended on the wall clock (its imports and hooks included, which is where set-up
 * time hides) and how many of its tests passed and failed. scripts/test.mjs prints the
 * timing table from it.
 */
export default class TimingReporter implements Reporter {
  private started = new Map<string, number>();
  private rows: { project: string; file: string; start: number; end: number; passed: number; failed: number }[] = [];

  // Called just before the worker imports the setup file and the test file.
  onTestModuleQueued(module: TestModule) {
    this.started.set(`${module.project.name}:${module.moduleId}`, Date.now());
  }

  onTestModuleEnd(module: TestModule) {
    let passed = 0;
    let failed = 0;
    for (const test of module.children.allTests()) {
      const state = test.result().state;
      if (state === "passed") passed++;
      else if (state === "failed") failed++;
    }
    // A file that failed to load has no tests but an error: count it as a failure.
    if (!passed && !failed && module.state() === "failed") failed = 1;
    const key = `${module.project.name}:${module.moduleId}`;
    this.rows.push({
      project: module.project.name,
      file: path.relative(process.cwd(), module.moduleId),
      start: this.started.get(key) ?? Date.now(),
      end: Date.now(),
      passed,
      failed,
    });
  }

  onTestRunEnd() {
    const out = path.resolve("test-results/vitest-timings.json");
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify(this.rows, null, 1));
  }
}
