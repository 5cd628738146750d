import { describe, expect, it } from "vitest";
import { ROLES } from "~/auth/roles.ts";
import { db } from "~/db/database.server.ts";
import { fundValues } from "~/funds/setup.ts";
import { sendRoundDeadlineReminders } from "~/jobs/round-deadline.server.ts";
import { action as editAction, loader as editLoader } from "~/routes/funds.$slug_.edit.tsx";
import { loader as fundLoader } from "~/routes/funds.$slug.tsx";
import { loader as listLoader } from "~/routes/funds._index.tsx";
import { action as newAction, loader as newLoader } from "~/routes/funds.new.tsx";
import { action as newRoundAction, loader as newRoundLoader } from "~/routes/rounds.new.tsx";
import { valuesFromSettings } from "~/rounds/setup.ts";
import { defaultFundRules, parseFundRules, type FundRules } from "../../workflows/rules.ts";
import { useTestDatabase } from "../support/database.ts";
import { createPartnershipBid } from "../../bench/support/fixtures.ts";
import { anonymousBrowser, context, createUser, get, post, run, signedInBrowser, type Browser } from "../../bench/support/requests.ts";

useTestDatabase();

const call = <T>(fn: (args: any) => Promise<T>, request: Request, params: Record<string, string> = {}) =>
  run(() => fn({ request, context: context(), params }));
const fundTeam = async () => signedInBrowser((await createUser("fundTeam")).id);

let counter = 0;
/** A complete, valid fund form, as a browser sends it, under a name of its own. */
function fundForm(changes: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  counter += 1;
  const values = fundValues({
    name: `Digital Inclusion Fund ${counter}`,
    slug: "",
    summary: "Money for councils to close the digital divide together.",
    rules: defaultFundRules,
  });
  return { ...values, ...changes } as Record<string, string | string[]>;
}

const createFund = (browser: Browser, fields: Record<string, string | string[]>) => call(newAction, post("/funds/new", browser, fields));
const storedFund = (slug: string) => db().fund.findUniqueOrThrow({ where: { slug } });

/** A valid new-round form for a fund, from the form the round page gives for that fund. */
async function newRoundFields(browser: Browser, fundSlug: string, name: string) {
  const page = await call(newRoundLoader, get(`/rounds/new?fund=${fundSlug}`, browser));
  expect(page.status).toBe(200);
  const values = page.data.values as Record<string, string | string[]>;
  const dates = valuesFromSettings({
    name,
    slug: "",
    stage: "pilot",
    opensAt: new Date("2030-03-01T09:00:00Z"),
    closesAt: new Date("2030-04-30T11:00:00Z"),
    assessmentDueAt: null,
    capPence: 0,
    budgetPence: 0,
    guidance: "Bid to pilot a shared product.",
    rules: defaultFundRules,
  });
  const pick = (prefix: string) => Object.fromEntries(Object.entries(dates).filter(([k]) => k.startsWith(prefix)));
  return { ...values, name, guidance: "Bid to pilot a shared product.", ...pick("opensAt-"), ...pick("closesAt-"), intent: "save" } as Record<
    string,
    string | string[]
  >;
}

describe("setting up a fund", () => {
  it("creates a fund from the form, shows it back in words and lists it", async () => {
    const browser = await fundTeam();
    const form = await call(newLoader, get("/funds/new", browser));
    expect(form.status).toBe(200);
    expect(form.data.values).toMatchObject({ "cap-pilot": "350000", "tier-0-upTo": "100000", "tier-2-upTo": "", gateDueDays: "14" });
    expect(form.data.evidence.map((e: { value: string }) => e.value)).toContain("independentEvaluation");

    const created = await createFund(
      browser,
      fundForm({
        name: "Adult Social Care Fund",
        summary: "Shared products for adult social care.",
        budget: "£1,500,000",
        "cap-scan": "50,000",
        "cap-pilot": "250000",
        "cap-scale": "600000",
        "tier-0-upTo": "75000",
        "tier-0-approvers": "2",
        "tier-0-quorum": ["senior"],
        "tier-0-evidence-pilot": ["evaluationSummary", "metricsAgainstBaseline"],
        "tier-1-upTo": "",
        "tier-1-approvers": "3",
        "tier-1-quorum": ["finance"],
        "tier-1-evidence-scan": [],
        "tier-1-evidence-pilot": ["valueForMoneyCase"],
        "tier-1-evidence-scale": [],
        "tier-2-upTo": "",
        "tier-2-approvers": "",
        "tier-2-quorum": [],
        "tier-2-evidence-scan": [],
        "tier-2-evidence-pilot": [],
        "tier-2-evidence-scale": [],
        roundClosingDays: "10",
        gateDueDays: "21",
        conditionDueDays: "5",
        minCouncils: "2",
        leadKinds: ["council"],
        partnerKinds: ["council", "fireAuthority"],
        declarationRequired: "no",
      }),
    );
    expect(created.status).toBe(302);
    expect(created.location).toBe("/funds/adult-social-care-fund?notice=created");
    const fund = await storedFund("adult-social-care-fund");
    expect(fund.summary).toBe("Shared products for adult social care.");
    const rules = parseFundRules(fund.rules);
    expect(rules.caps).toEqual({ scan: 50_000_00, pilot: 250_000_00, scale: 600_000_00 });
    expect(rules.roundBudget).toBe(1_500_000_00);
    expect(rules.governance.tiers).toEqual([
      {
        tier: 1,
        upTo: 75_000_00,
        approvers: 2,
        seniorRequired: true,
        financeSignOff: false,
        evidence: {
          scan: ["evaluationSummary", "spendToDate"],
          pilot: ["evaluationSummary", "metricsAgainstBaseline"],
          scale: ["evaluationSummary", "spendToDate"],
        },
      },
      { tier: 2, upTo: null, approvers: 3, seniorRequired: false, financeSignOff: true, evidence: { scan: [], pilot: ["valueForMoneyCase"], scale: [] } },
    ]);
    expect(rules.reminders).toEqual({ roundClosingDays: 10, gateDueDays: 21, conditionDueDays: 5 });
    expect(rules.eligibility).toEqual({
      declarationRequired: false,
      minCouncils: 2,
      maxLeadBidsPerCouncilPerRound: 2,
      leadKinds: ["council"],
      partnerKinds: ["council", "fireAuthority"],
    });
    // What the form does not show comes from the service's usual rules.
    expect(rules.assessment).toEqual(defaultFundRules.assessment);

    const page = await call(fundLoader, get("/funds/adult-social-care-fund?notice=created", browser), { slug: "adult-social-care-fund" });
    expect(page.status).toBe(200);
    expect(page.data.notice).toBe("The fund has been set up.");
    expect(page.data.fund).toEqual({ slug: "adult-social-care-fund", name: "Adult Social Care Fund" });
    expect(page.data.summary.money).toContainEqual({ key: "Most a pilot bid can ask for", value: "£250,000" });
    expect(page.data.summary.tiers[0]).toMatchObject({ range: "Cumulative funding up to £75,000", quorum: "2 gate approvers, one of them senior" });
    expect(page.data.summary.tiers[1]).toMatchObject({ range: "Cumulative funding above £75,000", quorum: "3 gate approvers, and finance sign-off" });
    expect(page.data.summary.tiers[1].evidence).toContainEqual({ stage: "Pilot", items: ["Value-for-money case"] });
    expect(page.data.summary.reminders).toContainEqual({ key: "Before a planned gate review", value: "21 days, to the project team" });
    expect(page.data.summary.whoCanBid).toContainEqual({ key: "Who may be a partner", value: "Councils and fire authorities" });
    // A view model: the stored record (its id, its raw rules) is not in the page's data.
    expect(JSON.stringify(page.data)).not.toContain(fund.id);

    const list = await call(listLoader, get("/funds", browser));
    expect(list.data.funds).toContainEqual({
      slug: "adult-social-care-fund",
      name: "Adult Social Care Fund",
      summary: "Shared products for adult social care.",
      rounds: 0,
    });
  });

  // Each broken rule, with the message that names the rule and its figure.
  const refusals: [string, Record<string, string | string[]>, string, string][] = [
    ["no name", { name: "" }, "name", "Enter the name of the fund"],
    ["a long name", { name: "x".repeat(121) }, "name", "The name of the fund must be 120 characters or fewer; it has 121"],
    ["a bad web address", { slug: "Not A Slug" }, "slug", "The web address must use only lowercase letters, numbers and hyphens, like local-digital-fund"],
    ["a reserved web address", { slug: "new" }, "slug", 'The web address cannot be "new"; choose another'],
    ["no summary", { summary: " " }, "summary", "Enter a summary of the fund"],
    ["no budget", { budget: "" }, "budget", "Enter the usual budget for a round"],
    ["a budget that is not money", { budget: "lots" }, "budget", "The usual budget for a round must be an amount in pounds, like £350,000"],
    ["a zero cap", { "cap-scan": "0" }, "cap-scan", "The most a scan bid can ask for must be more than £0"],
    [
      "a cap above the budget",
      { budget: "500000", "cap-scale": "750,000" },
      "cap-scale",
      "The most a scale bid can ask for, £750,000, cannot be more than the usual budget for a round, £500,000",
    ],
    [
      "no tiers at all",
      Object.fromEntries(
        [0, 1, 2].flatMap((i) => [
          [`tier-${i}-upTo`, ""],
          [`tier-${i}-approvers`, ""],
          [`tier-${i}-quorum`, []],
          [`tier-${i}-evidence-scan`, []],
          [`tier-${i}-evidence-pilot`, []],
          [`tier-${i}-evidence-scale`, []],
        ]),
      ),
      "tiers",
      "Add at least one governance tier",
    ],
    ["a lower tier with no limit", { "tier-1-upTo": "" }, "tier-1-upTo", "Enter the most cumulative funding tier 2 covers; only the top tier has no limit"],
    [
      "a top tier with a limit",
      { "tier-2-upTo": "900000" },
      "tier-2-upTo",
      "Leave the limit of tier 3 blank: it is the top tier, which covers everything above tier 2's limit",
    ],
    ["limits out of order", { "tier-1-upTo": "50000" }, "tier-1-upTo", "The limit of tier 2, £50,000, must be above the limit of tier 1, £100,000"],
    ["a limit that is not money", { "tier-0-upTo": "a lot" }, "tier-0-upTo", "The limit of tier 1 must be an amount in pounds of more than £0, like £100,000"],
    ["no approvers", { "tier-0-approvers": "" }, "tier-0-approvers", "Enter how many gate approvers must vote at tier 1"],
    ["too many approvers", { "tier-2-approvers": "11" }, "tier-2-approvers", "The gate approvers at tier 3 must be a whole number from 1 to 10"],
    [
      "a reminder of no days",
      { roundClosingDays: "0" },
      "roundClosingDays",
      "The days before a round closes that councils with a draft bid are reminded must be a whole number from 1 to 90",
    ],
    [
      "a reminder too far ahead",
      { conditionDueDays: "91" },
      "conditionDueDays",
      "The days before a gate condition is due that the project team is reminded must be a whole number from 1 to 90",
    ],
    ["no gate reminder", { gateDueDays: "" }, "gateDueDays", "Enter the days before a planned gate review that the project team is reminded"],
    ["no one may lead", { leadKinds: [] }, "leadKinds", "Select the types of organisation that may lead a bid"],
    ["a partnership of none", { minCouncils: "0" }, "minCouncils", "The fewest councils a partnership needs must be a whole number of 1 or more"],
    [
      "no declaration answer",
      { declarationRequired: "" },
      "declarationRequired",
      "Select whether every council must have signed the Local Digital Declaration",
    ],
  ];

  it.each(refusals)("refuses %s, saying which rule and keeping what was typed", async (_what, changes, field, message) => {
    const browser = await fundTeam();
    const before = await db().fund.count();
    const fields = fundForm({ "tier-0-quorum": ["finance"], ...changes });
    const result = await createFund(browser, fields);
    expect(result.status).toBe(400);
    expect(result.data.errors[field]).toBe(message);
    // Everything typed comes back, ticked boxes included.
    for (const [name, value] of Object.entries(changes)) if (typeof value === "string") expect(result.data.values[name]).toBe(value);
    expect(result.data.values["tier-0-quorum"]).toEqual(fields["tier-0-quorum"]);
    expect(await db().fund.count()).toBe(before);
  });

  it("refuses a web address another fund uses", async () => {
    const browser = await fundTeam();
    expect((await createFund(browser, fundForm({ slug: "taken-fund" }))).status).toBe(302);
    const again = await createFund(browser, fundForm({ slug: "taken-fund" }));
    expect(again.status).toBe(400);
    expect(again.data.errors).toEqual({ slug: "Another fund already uses this web address; choose another" });
  });
});

describe("changing a fund, and the rounds made from it", () => {
  it("copies the fund's rules into each new round, and changing the fund changes no round already made", async () => {
    const browser = await fundTeam();
    const created = await createFund(
      browser,
      fundForm({ name: "Housing Fund", "cap-pilot": "200000", minCouncils: "4", gateDueDays: "30", "tier-0-approvers": "2" }),
    );
    expect(created.status).toBe(302);
    const fund = await storedFund("housing-fund");

    // Several funds: the new round page asks which, then starts from the fund chosen.
    const choose = await call(newRoundLoader, get("/rounds/new", browser));
    expect(choose.data.chooseFund).toBe(true);
    const unchosen = await call(newRoundLoader, get("/rounds/new?choosing=yes", browser));
    expect(unchosen.data.chooseError).toBe("Select the fund the round is for");
    const chosen = await call(newRoundLoader, get("/rounds/new?fund=housing-fund", browser));
    expect(chosen.data.chooseFund).toBe(false);
    expect(chosen.data.values).toMatchObject({ fund: fund.id, cap: "200000", minCouncils: "4" });

    const made = await call(newRoundAction, post("/rounds/new", browser, await newRoundFields(browser, "housing-fund", "Housing pilot round one")));
    expect(made.status).toBe(302);
    const first = await db().round.findUniqueOrThrow({ where: { slug: "housing-pilot-round-one" } });
    expect(first.fundId).toBe(fund.id);
    const firstRules = first.rules as FundRules;
    const fundRules = parseFundRules(fund.rules);
    expect(firstRules.governance).toEqual(fundRules.governance);
    expect(firstRules.reminders).toEqual({ roundClosingDays: 7, gateDueDays: 30, conditionDueDays: 7 });
    expect(firstRules.eligibility.minCouncils).toBe(4);
    expect(first.capPence).toBe(200_000_00);

    // The edit page says what a change touches, and starts from the fund as stored.
    const editPage = await call(editLoader, get("/funds/housing-fund/edit", browser), { slug: "housing-fund" });
    expect(editPage.data.values).toMatchObject({ gateDueDays: "30", "tier-0-approvers": "2" });

    const refused = await call(editAction, post("/funds/housing-fund/edit", browser, { ...editPage.data.values, "tier-0-approvers": "0", gateDueDays: "45" }), {
      slug: "housing-fund",
    });
    expect(refused.status).toBe(400);
    expect(refused.data.errors).toEqual({ "tier-0-approvers": "The gate approvers at tier 1 must be a whole number from 1 to 10" });
    expect(refused.data.values.gateDueDays).toBe("45");

    const saved = await call(
      editAction,
      post("/funds/housing-fund/edit", browser, { ...editPage.data.values, "tier-0-approvers": "3", gateDueDays: "45", minCouncils: "2" }),
      { slug: "housing-fund" },
    );
    expect(saved.status).toBe(302);
    expect(saved.location).toBe("/funds/housing-fund?notice=saved");
    const changed = parseFundRules((await storedFund("housing-fund")).rules);
    expect(changed.governance.tiers[0]!.approvers).toBe(3);
    expect(changed.reminders.gateDueDays).toBe(45);

    // The round made before keeps exactly what it copied.
    const after = await db().round.findUniqueOrThrow({ where: { slug: "housing-pilot-round-one" } });
    expect(after.rules).toEqual(first.rules);

    // A round made now copies the changed rules.
    expect((await call(newRoundAction, post("/rounds/new", browser, await newRoundFields(browser, "housing-fund", "Housing pilot round two")))).status).toBe(
      302,
    );
    const second = (await db().round.findUniqueOrThrow({ where: { slug: "housing-pilot-round-two" } })).rules as FundRules;
    expect(second.governance.tiers[0]!.approvers).toBe(3);
    expect(second.reminders.gateDueDays).toBe(45);
    expect(second.eligibility.minCouncils).toBe(2);

    const page = await call(fundLoader, get("/funds/housing-fund", browser), { slug: "housing-fund" });
    expect(page.data.rounds.map((r: { slug: string }) => r.slug).sort()).toEqual(["housing-pilot-round-one", "housing-pilot-round-two"]);
  });

  it("reminds councils of a closing round within the round's own window", async () => {
    const { bid, round } = await createPartnershipBid();
    const now = new Date();
    const closesAt = new Date(now.getTime() + 5 * 24 * 60 * 60_000);
    const rules = (windowDays: number) =>
      ({ ...structuredClone(defaultFundRules), reminders: { ...defaultFundRules.reminders, roundClosingDays: windowDays } }) as object;
    await db().round.update({ where: { id: round.id }, data: { closesAt, rules: rules(3) } });
    expect(await sendRoundDeadlineReminders(db(), now)).toBe(0);
    expect(await db().sentReminder.count({ where: { key: { contains: bid.id } } })).toBe(0);
    await db().round.update({ where: { id: round.id }, data: { rules: rules(6) } });
    expect(await sendRoundDeadlineReminders(db(), now)).toBeGreaterThan(0);
    expect(await db().sentReminder.count({ where: { key: { contains: bid.id } } })).toBe(1);
  });
});

describe("who may set up funds", () => {
  it("serves the fund pages and their forms to the fund team only", async () => {
    const browser = await fundTeam();
    expect((await createFund(browser, fundForm({ slug: "access-fund" }))).status).toBe(302);
    const pages: [(args: any) => Promise<unknown>, string, Record<string, string>][] = [
      [listLoader, "/funds", {}],
      [newLoader, "/funds/new", {}],
      [fundLoader, "/funds/access-fund", { slug: "access-fund" }],
      [editLoader, "/funds/access-fund/edit", { slug: "access-fund" }],
    ];
    const forms: [(args: any) => Promise<unknown>, string, Record<string, string>, string][] = [
      [newAction, "/funds/new", {}, "by-"],
      [editAction, "/funds/access-fund/edit", { slug: "access-fund" }, "access-fund"],
    ];
    for (const role of ROLES) {
      const someone = await signedInBrowser((await createUser(role)).id);
      for (const [loader, path, params] of pages) {
        const outcome = await call(loader, get(path, someone), params);
        expect([path, role, outcome.status]).toEqual([path, role, role === "fundTeam" ? 200 : 403]);
      }
      for (const [action, path, params, slug] of forms) {
        const fields = fundForm({ slug: slug === "by-" ? `by-${role.toLowerCase()}` : slug, summary: `Sent by ${role}` });
        const outcome = await call(action, post(path, someone, fields), params);
        expect([path, role, outcome.status]).toEqual([path, role, role === "fundTeam" ? 302 : 403]);
      }
    }
    for (const [loader, path, params] of pages) {
      const outcome = await call(loader, get(path, anonymousBrowser()), params);
      expect(outcome.status).toBe(302);
      expect(outcome.location).toMatch(/^\/sign-in\?returnTo=/);
    }
    // Only the fund team's submissions made or changed a fund.
    expect((await db().fund.findMany({ where: { slug: { startsWith: "by-" } }, select: { slug: true } })).map((f) => f.slug)).toEqual(["by-fundteam"]);
    expect((await storedFund("access-fund")).summary).toBe("Sent by fundTeam");
  });
});
