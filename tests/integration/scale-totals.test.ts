import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db/database.server.ts";
import { londonToday } from "~/utils/dates.ts";
import { loader as portfolioLoader } from "~/routes/portfolio.tsx";
import { useTestDatabase } from "../support/database.ts";
import { createFundedProject, createOrganisation } from "../../bench/support/fixtures.ts";
import { completedProject } from "../support/project-journeys.ts";
import { context, get, run, signedInBrowser, type Browser } from "../../bench/support/requests.ts";

useTestDatabase();

const call = (path: string, browser: Browser) => run(() => portfolioLoader({ request: get(path, browser), context: context(), params: {} } as never));
const utc = (iso: string) => new Date(`${iso}T00:00:00Z`);
function inDays(days: number) {
  const date = new Date(`${londonToday()}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

let fundTeam: Browser;
let scaling: Awaited<ReturnType<typeof createFundedProject>>;
let completed: Awaited<ReturnType<typeof createFundedProject>>;
let eligible: number;

// A known portfolio: four projects, seven adoptions by five councils (one of them no longer
// on the register), and every figure below worked out by hand from it.
beforeAll(async () => {
  scaling = await createFundedProject({ stage: "scale", awardPence: 100_000_00, title: "Scaling, with adopters" });
  completed = await completedProject({ title: "Completed, with adopters" });
  const onlyStopped = await createFundedProject({ stage: "scale", awardPence: 40_000_00, title: "Scaling, adopters all stopped" });
  await createFundedProject({ stage: "pilot", awardPence: 30_000_00, title: "Pilot, no adopters" });

  const [c1, c2, c3, c4] = await Promise.all([1, 2, 3, 4].map((n) => createOrganisation({ name: `Adopting council ${n}` })));
  const ended = await createOrganisation({ name: "Merged council", endDate: utc("2025-04-01") });
  // A fire authority may take part in a bid; a ministry may not.
  await createOrganisation({ kind: "fireAuthority", name: "Fire authority" });
  await createOrganisation({ kind: "ministry", name: "A ministry" });

  const adoption = (projectId: string, organisationId: string, status: string, goLiveOn: string | null, savingsPence: number) => ({
    projectId,
    organisationId,
    status,
    goLiveOn: goLiveOn ? utc(goLiveOn) : null,
    savingsPence,
  });
  await db().adoption.createMany({
    data: [
      adoption(scaling.project.id, c1!.id, "live", "2026-03-01", 12_500_00),
      adoption(scaling.project.id, c2!.id, "planning", inDays(30), 0),
      adoption(scaling.project.id, c3!.id, "stopped", null, 1_000_00),
      adoption(completed.project.id, c1!.id, "live", "2026-05-01", 5_000_00),
      adoption(completed.project.id, c4!.id, "registered", null, 0),
      adoption(completed.project.id, ended.id, "live", "2026-04-01", 2_000_00),
      adoption(onlyStopped.project.id, c2!.id, "stopped", null, 0),
    ],
  });
  eligible = await db().organisation.count({ where: { kind: { in: ["council", "combinedAuthority", "fireAuthority"] }, endDate: null } });
  fundTeam = await signedInBrowser(scaling.fundTeam.id);
});

describe("scale you can see on the portfolio", () => {
  it("totals adoptions by status, councils reached, go-live dates, savings and the share of the award that scaled", async () => {
    const page = await call("/portfolio", fundTeam);
    expect(page.status).toBe(200);
    const { scale } = page.data;
    expect(scale.adoptions).toEqual({ registered: 1, planning: 1, live: 3, stopped: 2 });
    // Live: council 1 only (the merged council is off the register). Adopting at any stage: councils 1, 2 and 4.
    expect(scale.councils).toEqual({
      live: 1,
      adopting: 3,
      eligible,
      livePercent: Math.round((1 / eligible) * 1000) / 10,
      adoptingPercent: Math.round((3 / eligible) * 1000) / 10,
    });
    expect(scale.goLive).toEqual({ first: "2026-03-01", latest: "2026-05-01", next: inDays(30), planned: 1 });
    expect(scale.savingsPence).toBe(20_500_00);
    // Released: £100,000 + £60,000 (completed) + £40,000 + £30,000. Scaled: the first two; the
    // third is in Scale but every adopter stopped.
    expect(scale.share).toEqual({ scaledPence: 160_000_00, totalPence: 230_000_00, percent: 69.6 });
    expect(scale.projects.total).toBe(3);
    expect(scale.projects.rows.map((r: any) => [r.title, r.stageLabel, r.adoptions, r.firstLive, r.nextGoLive, r.savingsPence])).toEqual([
      ["Scaling, with adopters", "Scale", { registered: 0, planning: 1, live: 1, stopped: 1 }, "2026-03-01", inDays(30), 13_500_00],
      ["Completed, with adopters", "Completed", { registered: 1, planning: 0, live: 2, stopped: 0 }, "2026-04-01", null, 7_000_00],
      ["Scaling, adopters all stopped", "Scale", { registered: 0, planning: 0, live: 0, stopped: 1 }, null, null, 0],
    ]);
  });

  it("follows the portfolio's filters", async () => {
    const page = await call(`/portfolio?round=${completed.round.id}`, fundTeam);
    const { scale } = page.data;
    expect(scale.adoptions).toEqual({ registered: 1, planning: 0, live: 2, stopped: 0 });
    expect(scale.councils).toMatchObject({ live: 1, adopting: 2, eligible });
    expect(scale.savingsPence).toBe(7_000_00);
    expect(scale.share).toEqual({ scaledPence: 60_000_00, totalPence: 60_000_00, percent: 100 });
    expect(scale.projects.rows.map((r: any) => r.id)).toEqual([completed.project.id]);
  });

  it("shows the projects with the most savings, one page of them, and totals them all", async () => {
    const extra = [];
    for (let i = 0; i < 25; i++) extra.push(await createFundedProject({ stage: "scale", awardPence: 1_000_00 }));
    const council = await createOrganisation({ name: "Busy adopter" });
    await db().adoption.createMany({ data: extra.map((e) => ({ projectId: e.project.id, organisationId: council.id, status: "live", savingsPence: 100 })) });
    const page = await call("/portfolio", fundTeam);
    const { scale } = page.data;
    expect(scale.projects.total).toBe(28);
    expect(scale.projects.rows).toHaveLength(20);
    expect(scale.projects.rows.slice(0, 2).map((r: any) => r.title)).toEqual(["Scaling, with adopters", "Completed, with adopters"]);
    expect(scale.adoptions.live).toBe(28);
    // Each new project brought its own councils onto the register too.
    const now = await db().organisation.count({ where: { kind: { in: ["council", "combinedAuthority", "fireAuthority"] }, endDate: null } });
    expect(now).toBeGreaterThan(eligible);
    expect(scale.councils).toMatchObject({ live: 2, adopting: 4, eligible: now });
    expect(scale.savingsPence).toBe(20_500_00 + 25 * 100);
    expect(scale.share).toEqual({ scaledPence: 185_000_00, totalPence: 255_000_00, percent: 72.5 });
  });
});
