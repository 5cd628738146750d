/**
 * The other half of the authorisation matrix: a person with the right role but from another
 * organisation. Every page and form action about a particular record (a bid, an assessment, a
 * project) is opened by a council officer, a certifier and an assessor who have nothing to do
 * with it; each must be refused (403) or told there is no such record (404), never served.
 */
import { describe, expect, it } from "vitest";
import { actionAccess, routeAccess, type Rule } from "~/auth/access.server.ts";
import { db } from "~/db/database.server.ts";
import { useTestDatabase } from "../support/database.ts";
import { createBidsInAssessment, createFundedProject, createOrganisation, createPartnershipBid } from "../../bench/support/fixtures.ts";
import { context, createUser, get, post, run, signedInBrowser } from "../../bench/support/requests.ts";

const modules = import.meta.glob<Record<string, unknown>>("../../app/routes/*.tsx");
const routes = Object.keys(modules).map((file) => ({
  file,
  id: `routes/${file
    .split("/")
    .pop()!
    .replace(/\.tsx$/, "")}`,
}));

useTestDatabase({ referenceData: true });

// Pages about a record that any organisation's people may rightly open, and why.
const openToEveryOrganisation: Record<string, string> = {
  "routes/rounds.$slug_.start": "any council's officers may start a bid in an open round",
  "routes/organisations.$code": "the directory of councils is for every signed-in person",
  "routes/projects.$id_.adoptions": "any council's officers may register to adopt a product in scale",
};

describe("people from another organisation", () => {
  it("are refused every page and form action about a record that is not theirs", async () => {
    const draft = await createPartnershipBid();
    const assessing = await createBidsInAssessment(1, 2);
    const funded = await createFundedProject();
    const assessment = await db().assessment.findFirstOrThrow({ where: { bidId: assessing.bids[0]!.bid.id } });
    const outsider = await createOrganisation({ name: "Unrelated Borough Council" });
    // A request to join the draft bid's lead council, waiting for its officers.
    const joining = await db().accessRequest.create({
      data: {
        email: "joining@lead.example",
        name: "Joining Person",
        roleWanted: "councilOfficer",
        organisationId: draft.lead.id,
        status: "pending",
        tokenHash: "records-test",
        expiresAt: new Date(),
        confirmedAt: new Date(),
      },
    });
    const outsiders = {
      councilOfficer: await signedInBrowser((await createUser("councilOfficer", outsider.id)).id),
      certifier: await signedInBrowser((await createUser("certifier", outsider.id)).id),
      assessor: await signedInBrowser((await createUser("assessor")).id),
    };
    const paramFor = (routeId: string, name: string): string | null => {
      const family = routeId.replace(/^routes\//, "").split(".")[0];
      if (name === "id")
        return family === "projects"
          ? funded.project.id
          : family === "assessments"
            ? assessment.id
            : family === "bids"
              ? draft.bid.id
              : family === "access-requests"
                ? joining.id
                : null;
      if (name === "bidId") return assessing.bids[0]!.bid.id;
      if (name === "slug") return assessing.round.slug;
      if (name === "section") return "summary";
      if (name === "documentId") return "placeholder";
      return null;
    };

    const served: string[] = [];
    let checked = 0;
    for (const route of routes) {
      if (route.id in openToEveryOrganisation) continue;
      const names = [...route.id.matchAll(/\$([A-Za-z0-9]+)/g)].map((m) => m[1]!);
      if (!names.length) continue;
      const values = names.map((n) => paramFor(route.id, n));
      if (values.some((v) => v === null)) continue;
      const params = Object.fromEntries(names.map((n, i) => [n, values[i]!]));
      const path = `/${route.id
        .replace(/^routes\//, "")
        .split(".")
        .map((s) => (s.startsWith("$") ? params[s.slice(1).replace(/_$/, "")] : s.replace(/^_|_$/g, "")))
        .filter((s) => s && s !== "_index")
        .join("/")}`;
      const mod = await modules[route.file]!();
      const key = route.id as keyof typeof routeAccess;
      for (const [kind, fn] of [
        ["loader", mod.loader],
        ["action", mod.action],
      ] as const) {
        if (typeof fn !== "function") continue;
        const rule = ((kind === "action" ? actionAccess[key] : undefined) ?? routeAccess[key]) as Rule;
        if ("public" in rule) continue;
        for (const [role, browser] of Object.entries(outsiders)) {
          if (!rule.roles.includes(role as never)) continue;
          const request = kind === "loader" ? get(path, browser) : post(path, browser, { intent: "save", reason: "An outsider's attempt" });
          const outcome = await run(() => (fn as (args: unknown) => Promise<unknown>)({ request, context: context(), params }));
          checked++;
          if (outcome.status !== 403 && outcome.status !== 404)
            served.push(`${route.id} ${kind} as another organisation's ${role}: ${outcome.status} ${outcome.location ?? ""}`);
        }
      }
    }
    expect(served).toEqual([]);
    // Enough of the service was walked for the answer to mean something.
    expect(checked).toBeGreaterThan(30);
  }, 180_000);
});
