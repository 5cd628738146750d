import { test } from "./fixtures.ts";
import { fundTeamRunsARound } from "./journeys/round.ts";

// The same journey runs with JavaScript on in assessment-with-javascript.spec.ts; each file
// starts from fresh demo data.
test.use({ javaScriptEnabled: false });

test("the fund team runs a round: eligibility, assessors, scoring, moderation, the funding line and decisions", async ({ page }) => {
  test.setTimeout(600_000);
  await fundTeamRunsARound(page);
});
