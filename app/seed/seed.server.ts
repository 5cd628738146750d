import type { Database } from "~/db/database.server.ts";
import { emptyDatabase } from "~/db/empty.server.ts";
import { logger } from "~/log/log.server.ts";
import { seedDemoDomains } from "./demo/domains.server.ts";
import { seedDemo } from "./demo/fund.server.ts";
import { seedDemoPortfolio } from "./demo/portfolio.server.ts";
import { seedDemoProjects } from "./demo/projects.server.ts";
import { seedDemoRound } from "./demo/round.server.ts";
import { seedReferenceData } from "./reference.server.ts";

/**
 * Reference data every installation needs (council types, the register of councils, the
 * ministry) and, on a demo installation, a fund with an open round, one user per role and
 * the demo's history. Runs only on an empty database, under the start-up lock, so it happens
 * once; a first start that was stopped half-way is finished by the next (seedIfEmpty).
 *
 * It lives outside app/db because the demo is recorded through the domain and the workflow
 * engine, which themselves depend on app/db.
 */

/** The one seeding a database has: reference data, and the demo on a demo installation. */
const FIRST_SEED = "first-start";

export type SeedOutcome = "seeded" | "skipped" | "seeded-again";

/**
 * Seeds an empty database; leaves a seeded one alone. The seeding takes many transactions
 * (the demo records its history through the workflow engine, as people would), so a process
 * stopped half-way would leave it half-made for good. It is bracketed instead: a row says it
 * began, and the same row says it finished. A start that finds it begun and never finished
 * knows the database holds nothing but that half-made seed (seeding runs before anything is
 * served, under the start-up lock), so it empties it and seeds again.
 *
 * `afterStep` is for the tests that stop it half-way.
 */
export async function seedIfEmpty(
  database: Database,
  options: {
    demo: boolean;
    /** The earlier rounds' portfolio of projects (on unless turned off: the browser tests' reset leaves it out for speed). */
    portfolio?: boolean;
    afterStep?: (step: string) => Promise<void>;
  },
): Promise<SeedOutcome> {
  const prisma = database.prisma;
  const run = await prisma.seedRun.findUnique({ where: { id: FIRST_SEED } });
  if (run?.finishedAt) return "skipped";
  // A database seeded before seeding was bracketed has no row, but has its organisations.
  if (!run && (await prisma.organisation.count()) > 0) return "skipped";
  const again = run !== null;
  if (again) {
    logger().warn("The last start was stopped while it was adding the reference and demo data: removing what it made and starting again.");
    await emptyDatabase(database);
  }
  await prisma.seedRun.create({ data: { id: FIRST_SEED } });
  const step = async (name: string, fn: () => Promise<unknown>) => {
    await fn();
    await options.afterStep?.(name);
  };
  await step("reference data", () => seedReferenceData(prisma));
  if (options.demo) {
    await step("demo fund", () => seedDemo(prisma));
    // A round part-way through assessment, and funded projects, so every page has something
    // to show; each is recorded through the workflow engine, history and emails included.
    await step("demo round", () => seedDemoRound(prisma));
    await step("demo projects", () => seedDemoProjects(prisma));
    if (options.portfolio !== false) await step("demo portfolio", () => seedDemoPortfolio(prisma));
    await step("demo domains", () => seedDemoDomains(prisma));
  }
  await prisma.seedRun.update({ where: { id: FIRST_SEED }, data: { finishedAt: new Date() } });
  return again ? "seeded-again" : "seeded";
}
