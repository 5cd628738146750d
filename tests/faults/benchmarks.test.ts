/**
 * The load benchmarks at a reduced size, for what they check besides speed: under a rush of
 * simultaneous requests nothing is lost or duplicated, and the dashboards answer correctly
 * at scale. Speed itself is not judged here (BENCH_CHECK_ONLY): these machines are too noisy
 * for timings in a test; the full-size figures are in docs/performance.md.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");

function bench(script: string, env: Record<string, string>) {
  const result = spawnSync(process.execPath, ["--import", "tsx", script], {
    cwd: root,
    env: { ...process.env, BENCH_CHECK_ONLY: "1", BENCH_DATABASE_URL: process.env.TEST_DATABASE_URL!, ...env },
    encoding: "utf8",
    timeout: 600_000,
  });
  const lines = result.stdout.trim().split("\n");
  return { status: result.status, output: `${result.stdout}\n${result.stderr}`, last: lines[lines.length - 1] ?? "" };
}

describe("the benchmarks, at a reduced size", () => {
  it("deadline rush: every sign-off recorded once, none lost, repeats harmless", () => {
    const run = bench("bench/deadline-rush.ts", { BENCH_SIZE: "60" });
    expect(run.output).not.toContain("FAIL:");
    expect(run.status, run.output).toBe(0);
    expect(run.last).toMatch(/^ratio \d+\.\d+$/);
  });

  it("dashboards: every page answers with the right totals and first rows at scale", () => {
    const run = bench("bench/dashboards.ts", { BENCH_BIDS: "3000", BENCH_PROJECTS: "300", BENCH_ROUNDS: "2" });
    expect(run.output).not.toContain("FAIL:");
    expect(run.status, run.output).toBe(0);
    expect(run.last).toMatch(/^ratio \d+\.\d+$/);
  });

  it("similar work: the panel lists work on the draft's topic, and no draft case study or other council's draft, at scale", () => {
    // Over 1,000 projects, so the search also reads the column's statistics (app/reuse/similar.server.ts).
    const run = bench("bench/similar-work.ts", { BENCH_PROJECTS: "1200", BENCH_ROUNDS: "2" });
    expect(run.output).not.toContain("FAIL:");
    expect(run.status, run.output).toBe(0);
    expect(run.last).toMatch(/^ratio \d+\.\d+$/);
  });
});
