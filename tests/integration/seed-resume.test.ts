import { describe, expect, it } from "vitest";
import { emptyDatabase } from "~/db/empty.server.ts";
import { seedReferenceData } from "~/seed/reference.server.ts";
import { seedIfEmpty } from "~/seed/seed.server.ts";
import { useTestDatabase } from "../support/database.ts";

const database = useTestDatabase();

/**
 * Rows in every table the seeding fills, by table; for the bid tallies (spread over slots
 * chosen at random, so their row count varies) the bids counted in each state.
 */
async function rowCounts() {
  const { rows } = await database().sql<{ tablename: string }>(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('_prisma_migrations', 'SeedRun', 'RoundBidTally') ORDER BY tablename`,
  );
  const counts: Record<string, number> = {};
  const tallies = await database().sql<{ state: string; n: number }>(`SELECT state, sum(bids)::int AS n FROM "RoundBidTally" GROUP BY state`);
  for (const { state, n } of tallies.rows) if (n) counts[`bids ${state}`] = n;
  for (const { tablename } of rows) {
    const result = await database().sql<{ n: number }>(`SELECT count(*)::int AS n FROM "${tablename}"`);
    counts[tablename] = result.rows[0]!.n;
  }
  return counts;
}

class Stopped extends Error {}

describe("the first start's seeding", () => {
  it("is finished by the next start when a start was stopped half-way through the demo", async () => {
    await emptyDatabase(database());
    expect(await seedIfEmpty(database(), { demo: true })).toBe("seeded");
    const whole = await rowCounts();
    expect(whole["Bid"]).toBeGreaterThan(0);
    expect(whole["Project"]).toBeGreaterThan(0);

    await emptyDatabase(database());
    const stopped = seedIfEmpty(database(), {
      demo: true,
      afterStep: async (step) => {
        if (step === "demo round") throw new Stopped(step);
      },
    });
    await expect(stopped).rejects.toBeInstanceOf(Stopped);
    // Half-made: the demo round's bids are there, the funded projects are not.
    const half = await rowCounts();
    expect(half["Bid"]).toBeGreaterThan(0);
    expect(half["Project"]).toBe(0);

    expect(await seedIfEmpty(database(), { demo: true })).toBe("seeded-again");
    expect(await rowCounts()).toEqual(whole);
    // And the start after that leaves it alone.
    expect(await seedIfEmpty(database(), { demo: true })).toBe("skipped");
    expect(await rowCounts()).toEqual(whole);
  });

  it("is finished by the next start when it was stopped inside the reference data, without the demo too", async () => {
    await emptyDatabase(database());
    await expect(
      seedIfEmpty(database(), {
        demo: false,
        afterStep: async () => {
          throw new Stopped("reference data");
        },
      }),
    ).rejects.toBeInstanceOf(Stopped);
    const organisations = await database().prisma.organisation.count();
    expect(await seedIfEmpty(database(), { demo: false })).toBe("seeded-again");
    expect(await database().prisma.organisation.count()).toBe(organisations);
    expect(await database().prisma.user.count()).toBe(0);
  });

  it("leaves alone a database seeded before seeding was bracketed (organisations, no record of a seeding)", async () => {
    await emptyDatabase(database());
    await seedReferenceData(database().prisma);
    const before = await rowCounts();
    expect(await seedIfEmpty(database(), { demo: true })).toBe("skipped");
    expect(await rowCounts()).toEqual(before);
  });
});
