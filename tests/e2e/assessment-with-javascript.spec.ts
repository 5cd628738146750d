import { test } from "./fixtures.ts";
import { fundTeamRunsARound } from "./journeys/round.ts";

// The journey of assessment.spec.ts with JavaScript on: forms go through the client app.
test("with JavaScript, the fund team runs a round: eligibility, assessors, scoring, moderation, the funding line and decisions", async ({ page }) => {
  test.setTimeout(600_000);
  await fundTeamRunsARound(page);
});
