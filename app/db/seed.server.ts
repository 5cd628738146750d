import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "csv-parse/sync";
import type { PrismaClient } from "~/generated/prisma/client.ts";
import {
  applyRegisterChanges,
  diffRegister,
  parseRegister,
} from "~/organisations/register.server.ts";
import { defaultFundRules } from "../../workflows/rules.ts";
import { seedDemoProjects } from "./demo-projects.server.ts";
import { seedDemoPortfolio } from "./demo-portfolio.server.ts";
import { seedDemoRound } from "./demo-round.server.ts";
import { seedDemoDomains } from "~/join/demo.server.ts";
import { logger } from "~/observability/log.server.ts";
import type { Database } from "./database.server.ts";
import { emptyDatabase } from "./scratch.server.ts";

/**
 * Reference data every installation needs (council types, the register of councils, the
 * ministry) and, on a demo installation, a fund with an open round and one user per role.
 * Runs only on an empty database, under the start-up lock, so it happens once; a first
 * start that was stopped half-way is finished by the next (seedIfEmpty).
 */
const dataDir = path.resolve(process.cwd(), "prisma/data");

export const demoUsers = [
  { email: "officer@birmingham.example", name: "Priya Shah", role: "councilOfficer", org: "BIR" },
  { email: "certifier@birmingham.example", name: "David Clarke", role: "certifier", org: "BIR" },
  { email: "officer@manchester.example", name: "Tom Hughes", role: "councilOfficer", org: "MAN" },
  { email: "certifier@manchester.example", name: "Aisha Begum", role: "certifier", org: "MAN" },
  { email: "officer@leeds.example", name: "Hannah Wright", role: "councilOfficer", org: "LDS" },
  { email: "assessor@assessors.example", name: "Grace Adeyemi", role: "assessor", org: "OPEN-ASSESS" },
  { email: "fund.team@mhclg.example", name: "Alex Morgan", role: "fundTeam", org: "MHCLG" },
  { email: "approver@mhclg.example", name: "Ruth Patel", role: "gateApprover", org: "MHCLG", senior: true },
  { email: "admin@mhclg.example", name: "Sam Okafor", role: "admin", org: "MHCLG" },
] as const;

// Demo signatories of the Local Digital Declaration (the register does not record it).
const demoSignatories: Record<string, string> = {
  BIR: "2018-07-04",
  MAN: "2018-07-04",
  LDS: "2018-09-12",
  HCK: "2018-07-04",
  CMD: "2019-01-21",
  SHF: "2019-03-05",
  KEN: "2019-06-17",
};

const otherOrganisations = [
  { code: "MHCLG", kind: "ministry", name: "MHCLG", officialName: "Ministry of Housing, Communities and Local Government" },
  { code: "GMCA", kind: "combinedAuthority", name: "Greater Manchester CA", officialName: "Greater Manchester Combined Authority", signed: "2019-02-01" },
  { code: "WMCA", kind: "combinedAuthority", name: "West Midlands CA", officialName: "West Midlands Combined Authority" },
  { code: "DSFRA", kind: "fireAuthority", name: "Devon and Somerset Fire", officialName: "Devon and Somerset Fire and Rescue Authority", signed: "2019-05-10" },
  { code: "EFRA", kind: "fireAuthority", name: "Essex Fire", officialName: "Essex County Fire and Rescue Service" },
  { code: "OPEN-ASSESS", kind: "assessorBody", name: "Open Assessment Panel", officialName: "Open Assessment Panel (demo assessor body)" },
] as const;

export async function seedReferenceData(prisma: PrismaClient) {
  const typesText = await readFile(path.join(dataDir, "local-authority-types.tsv"), "utf8");
  const types = (parse(typesText, { delimiter: "\t", columns: true, trim: true }) as Record<string, string>[]).map(
    (row) => ({ code: row["local-authority-type"]!, name: row["name"]! }),
  );
  await prisma.councilType.createMany({ data: types, skipDuplicates: true });
  const register = parseRegister(
    await readFile(path.join(dataDir, "local-authority-eng.tsv"), "utf8"),
    new Set(types.map((t) => t.code)),
  );
  if (register.fileError || register.problems.length) {
    throw new Error(`The bundled register is invalid: ${register.fileError ?? register.problems[0]!.reason}`);
  }
  await prisma.$transaction(async (tx) => {
    await applyRegisterChanges(tx, diffRegister(register.rows, [], new Date().toISOString().slice(0, 10)));
    await tx.organisation.createMany({
      data: otherOrganisations.map(({ signed, ...org }: (typeof otherOrganisations)[number] & { signed?: string }) => ({
        ...org,
        declarationSignedAt: signed ? new Date(`${signed}T00:00:00Z`) : null,
      })),
    });
  });
}

/** 12:00 in London on the date `days` from now, whatever the clocks are doing. */
export function londonNoonInDays(days: number, from = new Date()): Date {
  const date = new Date(from.getTime() + days * 86_400_000).toISOString().slice(0, 10);
  const noonUtc = new Date(`${date}T12:00:00Z`);
  const londonHour = Number(
    new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", hour: "2-digit", hourCycle: "h23" }).format(noonUtc),
  );
  return new Date(noonUtc.getTime() - (londonHour - 12) * 3600_000);
}

export async function seedDemo(prisma: PrismaClient) {
  await prisma.$transaction(async (tx) => {
    for (const [code, signed] of Object.entries(demoSignatories)) {
      await tx.organisation.update({ where: { code }, data: { declarationSignedAt: new Date(`${signed}T00:00:00Z`) } });
    }
    const fund = await tx.fund.create({
      data: {
        slug: "local-digital",
        name: "Local Digital Innovation Fund",
        summary:
          "Helps councils develop common solutions to their shared challenges, in partnership, with open and reusable outputs. Funded work moves through Scan, Pilot and Scale stages.",
        rules: defaultFundRules as object,
      },
    });
    await tx.round.create({
      data: {
        fundId: fund.id,
        slug: "pilot-2026",
        name: "Pilot round 2026 to 2027",
        stage: "pilot",
        opensAt: londonNoonInDays(-14),
        closesAt: londonNoonInDays(28),
        capPence: defaultFundRules.caps.pilot,
        budgetPence: defaultFundRules.roundBudget,
        rules: defaultFundRules as object,
        guidance:
          "Bid for up to £350,000 to pilot a common solution with at least two other councils. Every council in the partnership must have signed the Local Digital Declaration. Say how you will measure success from the start: pilots are evaluated at every gate.",
      },
    });
    const orgs = await tx.organisation.findMany({
      where: { code: { in: demoUsers.map((u) => u.org) } },
      select: { id: true, code: true },
    });
    const orgId = new Map(orgs.map((o) => [o.code, o.id]));
    await tx.user.createMany({
      data: demoUsers.map((u) => ({
        email: u.email,
        name: u.name,
        role: u.role,
        senior: "senior" in u ? u.senior : false,
        organisationId: orgId.get(u.org)!,
      })),
    });
  });
}

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
