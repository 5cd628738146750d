import { defaultQuestions } from "~/bid-form/questions.ts";
import { describe, expect, it } from "vitest";
import { db } from "~/db/database.server.ts";
import { valuesFromSettings } from "~/rounds/setup.ts";
import { action as editAction, loader as editLoader } from "~/routes/rounds.$slug_.edit.tsx";
import { loader as previewLoader } from "~/routes/rounds.$slug_.preview.tsx";
import { loader as roundLoader } from "~/routes/rounds.$slug.tsx";
import { loader as roundsLoader } from "~/routes/rounds._index.tsx";
import { action as newAction, loader as newLoader } from "~/routes/rounds.new.tsx";
import { applyWorkflowEvent } from "~/engine/apply-event.server.ts";
import { bidSubmissionFacts } from "~/bids/facts.server.ts";
import { defaultFundRules, type FundRules } from "../../workflows/rules.ts";
import { useTestDatabase } from "../support/database.ts";
import { actor, createPartnershipBid, createRound } from "../../bench/support/fixtures.ts";
import { context, createUser, get, post, run, signedInBrowser, type Browser } from "../../bench/support/requests.ts";

useTestDatabase();

const call = <T>(fn: (args: any) => Promise<T>, request: Request, params: Record<string, string> = {}) =>
  run(() => fn({ request, context: context(), params }));
const fundTeam = async () => signedInBrowser((await createUser("fundTeam")).id);

/** A complete, valid form for a new round in the given fund, as a browser sends it. */
function newRoundForm(fundId: string, changes: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  const values = valuesFromSettings({
    name: "Scan round spring 2027",
    slug: "",
    stage: "scan",
    opensAt: new Date("2027-03-01T09:00:00Z"),
    closesAt: new Date("2027-04-30T11:00:00Z"),
    assessmentDueAt: new Date("2027-06-01T16:00:00Z"),
    capPence: 80_000_00,
    budgetPence: 1_000_000_00,
    guidance: "Bid for up to £80,000 to scan a shared problem.\n\nTell us who you will work with.",
    rules: defaultFundRules,
  });
  return { ...values, fund: fundId, intent: "save", ...changes } as Record<string, string | string[]>;
}

const create = (browser: Browser, fields: Record<string, string | string[]>, query = "") => call(newAction, post(`/rounds/new${query}`, browser, fields));

describe("setting up a new round", () => {
  it("creates the round with its own copy of the rules, and shows it on the public page", async () => {
    const { fundId } = await createRound();
    const browser = await fundTeam();
    const form = await call(newLoader, get("/rounds/new", browser));
    expect(form.status).toBe(200);
    expect(form.data.values["criterion-0-label"]).toBe("Strategic fit");

    const created = await create(
      browser,
      newRoundForm(fundId, {
        "criterion-0-label": "Impact on residents",
        "criterion-0-weight": "50",
        "criterion-1-label": "Deliverability",
        "criterion-1-weight": "50",
        "criterion-2-label": "",
        "criterion-2-weight": "",
        "criterion-3-label": "",
        "criterion-3-weight": "",
        assessorsPerBid: "3",
        minCouncils: "2",
        leadKinds: ["council"],
        cap: "£80,000",
        budget: "1,000,000",
      }),
    );
    expect(created.status).toBe(302);
    expect(created.location).toBe("/rounds/scan-round-spring-2027?notice=created");
    const round = await db().round.findUniqueOrThrow({ where: { slug: "scan-round-spring-2027" } });
    expect(round).toMatchObject({ name: "Scan round spring 2027", stage: "scan", capPence: 80_000_00, budgetPence: 1_000_000_00, fundId });
    expect(round.opensAt.toISOString()).toBe("2027-03-01T09:00:00.000Z");
    expect(round.assessmentDueAt?.toISOString()).toBe("2027-06-01T16:00:00.000Z");
    const rules = round.rules as FundRules;
    expect(rules.assessment.criteria.map((c) => [c.key, c.weight])).toEqual([
      ["impactOnResidents", 50],
      ["deliverability", 50],
    ]);
    expect(rules.assessment.assessorsPerBid).toBe(3);
    expect(rules.eligibility).toMatchObject({ minCouncils: 2, leadKinds: ["council"] });

    const page = await call(roundLoader, get(`/rounds/${round.slug}?notice=created`, browser), { slug: round.slug });
    expect(page.data.notice).toBe("The round has been set up.");
    expect(page.data.criteria.map((c: { label: string }) => c.label)).toEqual(["Impact on residents", "Deliverability"]);
    expect(page.data.eligibility).toContain("A bid needs at least 2 councils in the partnership, including the lead.");
    expect(page.data.eligibility).toContain("Councils may lead a bid.");
  });

  it("gives every error by its field, with everything typed kept", async () => {
    const { fundId, slug } = await createRound();
    const browser = await fundTeam();
    const fields = newRoundForm(fundId, {
      name: "Pilot round with mistakes",
      slug,
      cap: "£2,000,000",
      budget: "£1,000,000",
      "criterion-0-weight": "20",
      "closesAt-year": "2026",
      "scale-2-label": "",
    });
    const result = await create(browser, fields);
    expect(result.status).toBe(400);
    expect(result.data.errors).toMatchObject({
      cap: "The most a bid can ask for cannot be more than the round's budget of £1,000,000",
      criteria: "The criteria weights must add up to 100; they add up to 90.",
      closesAt: "The date the round closes must be after the round opens, at 9am on 1 March 2027",
      "scale-2-label": "Enter a label for score 2",
    });
    expect(result.data.values).toMatchObject({
      name: "Pilot round with mistakes",
      cap: "£2,000,000",
      "criterion-0-weight": "20",
      "closesAt-year": "2026",
      slug,
    });
    expect(await db().round.count({ where: { name: "Pilot round with mistakes" } })).toBe(0);

    // Once the rest is right, the address already in use is refused by its field.
    const taken = await create(browser, newRoundForm(fundId, { slug }));
    expect(taken.status).toBe(400);
    expect(taken.data.errors).toEqual({ slug: "Another round already uses this web address; choose another" });
  });

  it("asks which fund the round belongs to", async () => {
    const result = await create(await fundTeam(), newRoundForm("no-such-fund"));
    expect(result.status).toBe(400);
    expect(result.data.errors.fund).toBe("Select the fund the round belongs to");
  });

  it("previews what applicants will see without saving anything", async () => {
    const { fundId } = await createRound();
    const result = await create(await fundTeam(), newRoundForm(fundId, { intent: "preview", name: "Preview only round" }));
    expect(result.status).toBe(200);
    expect(result.data.preview.round).toMatchObject({ name: "Preview only round", stageLabel: "Scan", capPence: 80_000_00 });
    expect(result.data.preview.eligibility).toContain("A bid can ask for up to £80,000.");
    expect(result.data.values.name).toBe("Preview only round");
    expect(await db().round.count({ where: { name: "Preview only round" } })).toBe(0);
  });

  it("copies a previous round: every setting, new dates left blank, named 'Copy of …'", async () => {
    const original = await createRound();
    const rules = structuredClone(defaultFundRules);
    rules.assessment.assessorsPerBid = 5;
    rules.assessment.criteria = [
      { key: "impact", label: "Impact", weight: 70, guidance: "Who benefits" },
      { key: "cost", label: "Cost", weight: 30, guidance: "" },
    ];
    // The original asks a question of its own: the copy asks it too.
    const questions = [
      ...defaultQuestions,
      {
        key: "residents",
        section: "approach",
        label: "How will residents be involved?",
        hint: "",
        kind: "long",
        limit: 300,
        unit: "words",
        required: true,
        criterion: null,
      },
    ];
    await db().round.update({ where: { id: original.id }, data: { rules: rules as object, questions } });
    const browser = await fundTeam();
    const form = await call(newLoader, get(`/rounds/new?copy=${original.slug}`, browser));
    expect(form.status).toBe(200);
    expect(form.data.copiedFrom).toEqual({ slug: original.slug, name: original.name });
    expect(form.data.values).toMatchObject({
      fund: original.fundId,
      name: `Copy of ${original.name}`,
      slug: "",
      "opensAt-day": "",
      "closesAt-year": "",
      "assessmentDueAt-day": "",
      assessorsPerBid: "5",
      "criterion-0-label": "Impact",
      "criterion-0-weight": "70",
      "criterion-0-guidance": "Who benefits",
      "criterion-2-label": "",
      guidance: original.guidance,
      cap: "350000",
    });

    // Sent back with dates filled in, the copy is created.
    const values = {
      ...form.data.values,
      "opensAt-day": "1",
      "opensAt-month": "9",
      "opensAt-year": "2027",
      "closesAt-day": "1",
      "closesAt-month": "10",
      "closesAt-year": "2027",
      intent: "save",
      copyFrom: original.slug,
    };
    const created = await create(browser, values);
    expect(created.status).toBe(302);
    const copy = await db().round.findUniqueOrThrow({ where: { slug: `copy-of-${original.name.toLowerCase().replace(/ /g, "-")}` } });
    expect((copy.rules as FundRules).assessment).toMatchObject({ assessorsPerBid: 5, criteria: rules.assessment.criteria });
    expect(copy.stage).toBe(original.stage);
    expect(copy.questions).toEqual(questions);

    expect((await call(newLoader, get("/rounds/new?copy=no-such-round", browser))).status).toBe(404);
  });
});

describe("editing a round's settings", () => {
  const edit = (browser: Browser, slug: string, fields: Record<string, string | string[]>) =>
    call(editAction, post(`/rounds/${slug}/edit`, browser, fields), { slug });

  it("saves changes, and the preview and public page show them", async () => {
    const round = await createRound();
    const browser = await fundTeam();
    const form = await call(editLoader, get(`/rounds/${round.slug}/edit`, browser), { slug: round.slug });
    expect(form.status).toBe(200);
    expect(form.data.locked).toEqual([]);
    expect(form.data.values).toMatchObject({ name: round.name, cap: "350000", budget: "2500000", stage: "pilot" });

    const saved = await edit(browser, round.slug, { ...form.data.values, guidance: "New guidance for councils.", cap: "£300,000", intent: "save" });
    expect(saved.status).toBe(302);
    expect(saved.location).toBe(`/rounds/${round.slug}?notice=saved`);
    const after = await db().round.findUniqueOrThrow({ where: { id: round.id } });
    expect(after).toMatchObject({ guidance: "New guidance for councils.", capPence: 300_000_00 });
    expect((after.rules as FundRules).caps.pilot).toBe(300_000_00);

    const preview = await call(previewLoader, get(`/rounds/${round.slug}/preview`, browser), { slug: round.slug });
    expect(preview.status).toBe(200);
    expect(preview.data.round.guidance).toBe("New guidance for councils.");
    expect(preview.data.eligibility).toContain("A bid can ask for up to £300,000.");
  });

  it("refuses changes to the rules bids were submitted under, and says why", async () => {
    const { round, bid, officer, certifier } = await createPartnershipBid();
    const facts = async () => bidSubmissionFacts(db(), bid.id);
    await applyWorkflowEvent("bid", bid.id, { type: "REQUEST_CERTIFICATION", actor: actor(officer), at: new Date().toISOString(), facts: await facts() });
    await applyWorkflowEvent("bid", bid.id, { type: "CERTIFY", actor: actor(certifier), at: new Date().toISOString(), facts: await facts() });
    const browser = await fundTeam();
    const form = await call(editLoader, get(`/rounds/${round.slug}/edit`, browser), { slug: round.slug });
    expect(form.data.locked[0]).toContain("because 1 bid has been submitted");

    const refused = await edit(browser, round.slug, { ...form.data.values, minCouncils: "2", cap: "400000", intent: "save" });
    expect(refused.status).toBe(400);
    expect(refused.data.errors).toEqual({
      minCouncils: "The size of a partnership cannot change because 1 bid has already been submitted under the current setting",
      cap: "The most a bid can ask for cannot change because 1 bid has already been submitted under the current setting",
    });
    expect(refused.data.values.minCouncils).toBe("2");
    expect((await db().round.findUniqueOrThrow({ where: { id: round.id } })).capPence).toBe(350_000_00);

    // Criteria can change until assessment starts; then they are fixed too.
    const weights = { "criterion-0-weight": "35", "criterion-1-weight": "25" };
    expect((await edit(browser, round.slug, { ...form.data.values, ...weights, intent: "preview" })).status).toBe(200);
    await db().assessment.create({
      data: { bidId: bid.id, assessorUserId: (await createUser("assessor")).id, state: "invited", snapshot: {}, machineVersion: 1 },
    });
    const locked = await edit(browser, round.slug, { ...form.data.values, ...weights, intent: "save" });
    expect(locked.status).toBe(400);
    expect(locked.data.errors.criteria).toBe(
      "The criteria and their weights cannot change because assessment has started and assessors are scoring against the current setting",
    );

    // What does not change the rules for bids already in can still change.
    const later = await edit(browser, round.slug, {
      ...form.data.values,
      "closesAt-year": String(Number(form.data.values["closesAt-year"]) + 1),
      guidance: "Extended.",
      intent: "save",
    });
    expect(later.status).toBe(302);
  });

  it("is 404 for a round that does not exist", async () => {
    const browser = await fundTeam();
    expect((await call(editLoader, get("/rounds/nope/edit", browser), { slug: "nope" })).status).toBe(404);
    expect((await call(previewLoader, get("/rounds/nope/preview", browser), { slug: "nope" })).status).toBe(404);
  });
});

describe("who may set up rounds", () => {
  it("is the fund team only, and the fund team is shown the way in", async () => {
    const round = await createRound();
    for (const role of ["councilOfficer", "certifier", "assessor", "gateApprover", "admin"] as const) {
      const browser = await signedInBrowser((await createUser(role)).id);
      expect((await call(newLoader, get("/rounds/new", browser))).status).toBe(403);
      expect((await call(editLoader, get(`/rounds/${round.slug}/edit`, browser), { slug: round.slug })).status).toBe(403);
      expect((await call(previewLoader, get(`/rounds/${round.slug}/preview`, browser), { slug: round.slug })).status).toBe(403);
      expect((await create(browser, newRoundForm(round.fundId))).status).toBe(403);
      expect((await call(editAction, post(`/rounds/${round.slug}/edit`, browser, {}), { slug: round.slug })).status).toBe(403);
      const page = await call(roundLoader, get(`/rounds/${round.slug}`, browser), { slug: round.slug });
      expect(page.data.fundTeam).toBeNull();
      expect((await call(roundsLoader, get("/rounds", browser))).data.canSetUp).toBe(false);
    }
    const browser = await fundTeam();
    expect((await call(roundsLoader, get("/rounds", browser))).data.canSetUp).toBe(true);
    expect((await call(roundLoader, get(`/rounds/${round.slug}`, browser), { slug: round.slug })).data.fundTeam).toEqual({ waiting: 0 });
  });
});
