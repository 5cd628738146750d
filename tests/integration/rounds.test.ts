import { describe, expect, it } from "vitest";
import { db } from "~/db/database.server.ts";
import { loader as roundLoader } from "~/routes/rounds.$slug.tsx";
import { loader as roundsLoader } from "~/routes/rounds._index.tsx";
import { defaultFundRules } from "../../workflows/rules.ts";
import { useTestDatabase } from "../support/database.ts";
import { anonymousBrowser, context, createUser, get, run, signedInBrowser, type Browser } from "../../bench/support/requests.ts";

useTestDatabase({ referenceData: true });

const DAY = 86_400_000;
const at = (days: number) => new Date(Date.now() + days * DAY);

let fundCount = 0;
async function fund(rules: unknown = defaultFundRules) {
  fundCount++;
  return db().fund.create({
    data: {
      slug: `fund-${fundCount}`,
      name: `Local Digital Innovation Fund ${fundCount}`,
      summary: "Helps councils solve shared problems together.",
      rules: rules as object,
    },
  });
}

async function round(fundId: string, slug: string, opens: number, closes: number, extra: { stage?: "scan" | "pilot" | "scale"; guidance?: string } = {}) {
  return db().round.create({
    data: {
      fundId,
      slug,
      name: `Round ${slug}`,
      stage: extra.stage ?? "pilot",
      opensAt: at(opens),
      closesAt: at(closes),
      capPence: 350_000_00,
      budgetPence: 2_500_000_00,
      guidance: extra.guidance ?? "Bid for up to £350,000.\n\nSay how you will measure success.",
    },
  });
}

const list = (browser?: Browser) => run(() => roundsLoader({ request: get("/rounds", browser), context: context(), params: {} }));
const show = (slug: string, browser?: Browser) => run(() => roundLoader({ request: get(`/rounds/${slug}`, browser), context: context(), params: { slug } }));

describe("the list of rounds", () => {
  it("is public, and lists open rounds first, then rounds opening soon, then closed ones", async () => {
    const f = await fund();
    await round(f.id, "closed-long-ago", -100, -60);
    await round(f.id, "open-closing-later", -10, 30);
    await round(f.id, "closed-recently", -40, -1);
    await round(f.id, "open-closing-soon", -5, 3, { stage: "scan" });
    await round(f.id, "opening-soon", 5, 40);

    const anonymous = await list();
    expect(anonymous.status).toBe(200);
    const slugs = (rounds: { slug: string }[]) => rounds.map((r) => r.slug);
    expect(slugs(anonymous.data.open)).toEqual(["open-closing-soon", "open-closing-later"]);
    expect(slugs(anonymous.data.upcoming)).toEqual(["opening-soon"]);
    expect(slugs(anonymous.data.closed)).toEqual(["closed-recently", "closed-long-ago"]);
    expect(anonymous.data.open[0]).toMatchObject({
      name: "Round open-closing-soon",
      stage: "scan",
      capPence: 350_000_00,
      budgetPence: 2_500_000_00,
      fund: { name: f.name },
    });

    const signedIn = await list(await signedInBrowser((await createUser("councilOfficer")).id));
    expect(signedIn.status).toBe(200);
    expect(slugs(signedIn.data.open)).toEqual(["open-closing-soon", "open-closing-later"]);
  });
});

describe("a round's page", () => {
  it("is public, and shows the round, the fund, the criteria with their weights and who can bid", async () => {
    const f = await fund();
    await round(f.id, "pilot-open", -3, 20);
    const page = await show("pilot-open");
    expect(page.status).toBe(200);
    expect(page.data.status).toBe("open");
    expect(page.data.round).toMatchObject({
      slug: "pilot-open",
      name: "Round pilot-open",
      stage: "pilot",
      capPence: 350_000_00,
      budgetPence: 2_500_000_00,
      guidance: "Bid for up to £350,000.\n\nSay how you will measure success.",
      fund: { name: f.name, summary: "Helps councils solve shared problems together." },
    });
    // The fund's full rules are not sent to the page.
    expect(page.data.round.fund.rules).toBeUndefined();
    expect(page.data.criteria).toEqual([
      { key: "strategicFit", label: "Strategic fit", weight: 30, guidance: "" },
      { key: "deliverability", label: "Deliverability", weight: 30, guidance: "" },
      { key: "valueForMoney", label: "Value for money", weight: 25, guidance: "" },
      { key: "reuseAndOpenness", label: "Reuse and openness", weight: 15, guidance: "" },
    ]);
    expect(page.data.scale).toEqual({ min: { score: 0, label: "No evidence" }, max: { score: 5, label: "Excellent" } });
    expect(page.data.eligibility).toEqual([
      "The lead council and every partner must have signed the Local Digital Declaration before the bid is submitted.",
      "A bid needs at least 3 councils in the partnership, including the lead.",
      "A council can lead at most 2 bids in this round. It can be a partner in any number.",
      "Councils and combined authorities may lead a bid.",
      "Councils, combined authorities and fire authorities may be partners.",
      "Fire authorities may only be partners, not leads.",
      "A bid can ask for up to £350,000.",
    ]);
    const asOfficer = await show("pilot-open", await signedInBrowser((await createUser("councilOfficer")).id));
    expect(asOfficer.status).toBe(200);
  });

  it("says a fund's own settings in the same plain English", async () => {
    const rules = structuredClone(defaultFundRules);
    rules.eligibility = {
      declarationRequired: false,
      minCouncils: 1,
      maxLeadBidsPerCouncilPerRound: 1,
      leadKinds: ["council"],
      partnerKinds: ["council", "fireAuthority"],
    };
    const f = await fund(rules);
    await round(f.id, "own-rules", -3, 20);
    expect((await show("own-rules")).data.eligibility).toEqual([
      "A council can bid on its own or in a partnership.",
      "A council can lead at most 1 bid in this round. It can be a partner in any number.",
      "Councils may lead a bid.",
      "Councils and fire authorities may be partners.",
      "Fire authorities may only be partners, not leads.",
      "A bid can ask for up to £350,000.",
    ]);
  });

  it("shows whether the round is open, opening soon or closed", async () => {
    const f = await fund();
    await round(f.id, "later", 2, 30);
    await round(f.id, "over", -30, -2);
    expect((await show("later")).data.status).toBe("upcoming");
    expect((await show("over")).data.status).toBe("closed");
  });

  it("leaves out the criteria and eligibility when the fund's rules are not valid", async () => {
    const broken = structuredClone(defaultFundRules) as unknown as { assessment: { criteria: { weight: number }[] } };
    broken.assessment.criteria[0]!.weight = 99;
    const f = await fund(broken);
    await round(f.id, "broken-rules", -3, 20);
    const page = await show("broken-rules");
    expect(page.status).toBe(200);
    expect(page.data.criteria).toEqual([]);
    expect(page.data.eligibility).toEqual([]);
    expect(page.data.scale).toBeNull();

    const g = await fund({ nonsense: true });
    await round(g.id, "nonsense-rules", -3, 20);
    expect((await show("nonsense-rules")).data.criteria).toEqual([]);
  });

  it("is 404 for a round that does not exist", async () => {
    expect((await show("no-such-round", anonymousBrowser())).status).toBe(404);
  });
});
