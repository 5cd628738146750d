import { describe, expect, it } from "vitest";
import { loader } from "~/routes/projects.$id.tsx";
import { useTestDatabase } from "../support/database.ts";
import { createFundedProject } from "../../bench/support/fixtures.ts";
import { decideGate, stoppedPilot } from "../support/project-journeys.ts";
import { context, get, run, signedInBrowser } from "../../bench/support/requests.ts";

// The project page leads on to the adoptions page once the product scales, and to the case
// study once the project has finished; without these links neither page could be found.
useTestDatabase();

async function linksOn(projectId: string, userId: string) {
  const browser = await signedInBrowser(userId);
  const loaded = await run(() => loader({ request: get(`/projects/${projectId}`, browser), context: context(), params: { id: projectId } } as never));
  expect(loaded.status).toBe(200);
  return loaded.data.links as { adoptions: boolean; caseStudy: boolean };
}

describe("links from the project page", () => {
  it("offers the adoptions page in scale, and the case study once completed", async () => {
    const f = await createFundedProject({ stage: "scale" });
    expect(await linksOn(f.project.id, f.officer.id)).toEqual({ adoptions: true, caseStudy: false });
    expect(await linksOn(f.project.id, f.fundTeam.id)).toEqual({ adoptions: true, caseStudy: false });
    // A gate approver cannot open either page, so is not offered them.
    expect(await linksOn(f.project.id, f.approver.id)).toEqual({ adoptions: false, caseStudy: false });
    await decideGate(f, "scale", "go");
    expect(await linksOn(f.project.id, f.officer.id)).toEqual({ adoptions: true, caseStudy: true });
  });

  it("offers neither to a pilot, and the case study to a stopped one", async () => {
    const pilot = await createFundedProject({ stage: "pilot" });
    expect(await linksOn(pilot.project.id, pilot.officer.id)).toEqual({ adoptions: false, caseStudy: false });
    const stopped = await stoppedPilot();
    expect(await linksOn(stopped.project.id, stopped.officer.id)).toEqual({ adoptions: false, caseStudy: true });
  });
});
