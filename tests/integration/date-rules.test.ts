import { describe, expect, it } from "vitest";
import { db } from "~/db/database.server.ts";
import { yearsAfter } from "~/utils/dates.ts";
import { PLANNING_HORIZON_YEARS } from "~/forms/limits.ts";
import { londonToday } from "~/utils/dates.ts";
import { valuesFromSettings } from "~/rounds/setup.ts";
import { action as adoptionAction } from "~/routes/projects.$id_.adoptions_.$adoptionId.tsx";
import { action as adoptionsAction } from "~/routes/projects.$id_.adoptions.tsx";
import { action as gateAction } from "~/routes/projects.$id_.gate.tsx";
import { action as metricsAction } from "~/routes/projects.$id_.metrics.tsx";
import { action as milestonesAction } from "~/routes/projects.$id_.milestones.tsx";
import { action as spendAction } from "~/routes/projects.$id_.spend.tsx";
import { action as editRoundAction, loader as editRoundLoader } from "~/routes/rounds.$slug_.edit.tsx";
import { action as newRoundAction } from "~/routes/rounds.new.tsx";
import { formatDate } from "~/utils/format.ts";
import { defaultFundRules } from "../../workflows/rules.ts";
import { useTestDatabase } from "../support/database.ts";
import { createFundedProject, createOrganisation, createRound } from "../../bench/support/fixtures.ts";
import { context, createUser, get, post, run, signedInBrowser } from "../../bench/support/requests.ts";

// Dates that cannot make sense where they are asked for are refused with a sentence naming
// the limit: before the project started, in the future for something that has happened,
// further ahead than anything is planned, or a round closing before it could take a bid.

useTestDatabase();

type User = { id: string };
const call = (fn: (args: never) => Promise<unknown>, request: Request, params: Record<string, string>) =>
  run(() => fn({ request, context: context(), params } as never));
const send = async (fn: (args: never) => Promise<unknown>, user: User, url: string, params: Record<string, string>, fields: Record<string, string>) =>
  call(fn, post(url, await signedInBrowser(user.id), fields), params);

const DAY = 86_400_000;
const today = () => londonToday();
const daysFromToday = (days: number) => new Date(Date.parse(`${today()}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
const dateFields = (name: string, iso: string) => {
  const [y, m, d] = iso.split("-");
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y! };
};
/** The last day within the planning horizon, and its wording in a refusal. */
const horizon = () => {
  const last = yearsAfter(today(), PLANNING_HORIZON_YEARS);
  return { last, words: `${formatDate(last)}, ${PLANNING_HORIZON_YEARS} years from today` };
};
const dayAfter = (iso: string) => new Date(Date.parse(`${iso}T00:00:00Z`) + DAY).toISOString().slice(0, 10);

/** A funded project that started `days` ago. */
async function projectStarted(days: number) {
  const f = await createFundedProject();
  const createdAt = new Date(Date.now() - days * DAY);
  await db().project.update({ where: { id: f.project.id }, data: { createdAt } });
  return { ...f, startedOn: londonToday(createdAt) };
}

describe("a project's dates", () => {
  it("refuses a milestone due before the project started, or further ahead than anything is planned", async () => {
    const f = await projectStarted(10);
    const url = `/projects/${f.project.id}/milestones`;
    const add = (dueOn: string) =>
      send(milestonesAction, f.officer, url, { id: f.project.id }, { intent: "add", title: "Discovery", ...dateFields("dueOn", dueOn) });

    const early = await add(daysFromToday(-11));
    expect(early.status).toBe(400);
    expect(early.data.errors).toEqual({ "dueOn-day": `The due date must be on or after ${formatDate(f.startedOn)}, when the project started` });
    expect(early.data.values).toMatchObject({ title: "Discovery", ...dateFields("dueOn", daysFromToday(-11)) });
    const far = await add(dayAfter(horizon().last));
    expect(far.data.errors).toEqual({ "dueOn-day": `The due date must be on or before ${horizon().words}` });

    expect((await add(f.startedOn)).status).toBe(302);
    expect((await add(horizon().last)).status).toBe(302);
    expect(await db().milestone.count({ where: { projectId: f.project.id } })).toBe(2);
  });

  it("refuses an actual measured before the project started, or in the future", async () => {
    const f = await projectStarted(10);
    const metric = await db().metric.create({ data: { projectId: f.project.id, name: "Days to assess", unit: "days", baseline: 30, target: 10 } });
    const url = `/projects/${f.project.id}/metrics`;
    const record = (recordedOn: string) =>
      send(
        metricsAction,
        f.officer,
        url,
        { id: f.project.id },
        { intent: "actual", metricId: metric.id, value: "20", ...dateFields("recordedOn", recordedOn) },
      );

    const before = await record(daysFromToday(-30));
    expect(before.data.errors).toEqual({ "recordedOn-day": `The date must be on or after ${formatDate(f.startedOn)}, when the project started` });
    const future = await record(daysFromToday(1));
    expect(future.data.errors).toEqual({ "recordedOn-day": `The date must be on or before today (${formatDate(today())})` });
    expect((await record(today())).status).toBe(302);
  });

  it("refuses spend reported to a date before the project started, or in the future", async () => {
    const f = await projectStarted(10);
    const url = `/projects/${f.project.id}/spend`;
    const report = (periodEnd: string) => send(spendAction, f.officer, url, { id: f.project.id }, { amount: "1,000", ...dateFields("periodEnd", periodEnd) });

    const before = await report(daysFromToday(-30));
    expect(before.status).toBe(400);
    expect(before.data.errors).toEqual({ "periodEnd-day": `The date must be on or after ${formatDate(f.startedOn)}, when the project started` });
    const future = await report(daysFromToday(3));
    expect(future.data.errors).toEqual({ "periodEnd-day": `The date must be on or before today (${formatDate(today())})` });
    expect((await report(daysFromToday(-2))).status).toBe(302);
  });

  it("refuses a next gate review further ahead than anything is planned", async () => {
    const f = await projectStarted(0);
    const url = `/projects/${f.project.id}/gate`;
    const far = await send(gateAction, f.officer, url, { id: f.project.id }, { intent: "due", ...dateFields("nextGateDueOn", dayAfter(horizon().last)) });
    expect(far.status).toBe(400);
    expect(far.data.errors).toEqual({ "nextGateDueOn-day": `The date of the next gate review must be on or before ${horizon().words}` });
    expect((await send(gateAction, f.officer, url, { id: f.project.id }, { intent: "due", ...dateFields("nextGateDueOn", horizon().last) })).status).toBe(302);
  });

  it("refuses a gate condition due further ahead than anything is planned", async () => {
    const f = await createFundedProject({ awardPence: 20_000_00 });
    // Tier 1's evidence, recorded straight into the tables the gate reads.
    await db().projectEvaluation.create({ data: { projectId: f.project.id, stage: "scan", text: "Residents found the new form quicker." } });
    await db().spendReport.create({
      data: { projectId: f.project.id, stage: "scan", amountPence: 10_000_00, periodEnd: new Date(`${today()}T00:00:00Z`), reportedById: f.officer.id },
    });
    const gate = async (user: User, fields: Record<string, string>) => {
      const { version } = await db().project.findUniqueOrThrow({ where: { id: f.project.id }, select: { version: true } });
      return send(gateAction, user, `/projects/${f.project.id}/gate`, { id: f.project.id }, { version: String(version), ...fields });
    };
    expect((await gate(f.officer, { intent: "request", nextTranche: "50000" })).status).toBe(302);
    expect((await gate(f.fundTeam, { intent: "open" })).status).toBe(302);
    const vote = (due: string) =>
      gate(f.approver, {
        intent: "vote",
        outcome: "conditionalGo",
        voteReason: "Nearly there.",
        "condition-1-text": "Publish the DPIA",
        ...dateFields("condition-1-due", due),
      });

    const far = await vote(dayAfter(horizon().last));
    expect(far.status).toBe(400);
    expect(far.data.errors).toEqual({ "condition-1-due-day": `The due date of condition 1 must be on or before ${horizon().words}` });
    expect(far.data.values["condition-1-text"]).toBe("Publish the DPIA");
    expect((await vote(daysFromToday(30))).status).toBe(302);
  });
});

describe("an adoption's go-live date", () => {
  it("is refused further ahead than anything is planned, as well as before the council registered", async () => {
    const f = await createFundedProject({ stage: "scale" });
    const adopter = await createUser("councilOfficer", (await createOrganisation({ name: "Adopting Borough" })).id);
    const browser = await signedInBrowser(adopter.id);
    await call(adoptionsAction, post(`/projects/${f.project.id}/adoptions`, browser, { intent: "register" }), { id: f.project.id });
    const adoption = await db().adoption.findFirstOrThrow({ where: { projectId: f.project.id } });
    const url = `/projects/${f.project.id}/adoptions/${adoption.id}`;
    const params = { id: f.project.id, adoptionId: adoption.id };
    const update = (goLiveOn: string) =>
      call(adoptionAction, post(url, browser, { status: "planning", savings: "0", ...dateFields("goLiveOn", goLiveOn) }), params);

    const far = await update(dayAfter(horizon().last));
    expect(far.status).toBe(400);
    expect(far.data.errors).toEqual({ "goLiveOn-day": `The go-live date must be on or before ${horizon().words}` });
    const early = await update(daysFromToday(-1));
    expect(early.data.errors).toEqual({
      "goLiveOn-day": `The go-live date must be on or after ${formatDate(londonToday(adoption.createdAt))}, when your council registered to adopt`,
    });
    expect((await update(daysFromToday(90))).status).toBe(302);
  });
});

describe("a round's closing date", () => {
  const fundTeam = async () => signedInBrowser((await createUser("fundTeam")).id);

  it("is refused in the past on a new round", async () => {
    const { fundId } = await createRound();
    const browser = await fundTeam();
    const opensAt = new Date(Date.now() - 20 * DAY);
    const closesAt = new Date(Date.now() - 2 * DAY);
    const values = valuesFromSettings({
      name: "A round already over",
      slug: "",
      stage: "scan",
      opensAt,
      closesAt,
      assessmentDueAt: null,
      capPence: 80_000_00,
      budgetPence: 1_000_000_00,
      guidance: "Bid for up to £80,000.",
      rules: defaultFundRules,
    });
    const result = await call(newRoundAction, post("/rounds/new", browser, { ...values, fund: fundId, intent: "save" } as Record<string, string>), {});
    expect(result.status).toBe(400);
    expect(result.data.errors.closesAt).toMatch(/^The date the round closes must be in the future, after (midday|\d{1,2}(:\d{2})?[ap]m) on \d{1,2} \w+ \d{4}$/);
    expect(result.data.values.name).toBe("A round already over");
    expect(await db().round.count({ where: { name: "A round already over" } })).toBe(0);
  });

  it("is refused when moved into the past, but a closed round's own date may be sent back unchanged", async () => {
    const round = await createRound();
    const browser = await fundTeam();
    const form = await call(editRoundLoader, get(`/rounds/${round.slug}/edit`, browser), { slug: round.slug });
    const yesterday = new Date(Date.now() - DAY);
    const [y, m, d] = londonToday(yesterday).split("-");
    const moved = await call(
      editRoundAction,
      post(`/rounds/${round.slug}/edit`, browser, {
        ...form.data.values,
        "closesAt-day": String(Number(d)),
        "closesAt-month": String(Number(m)),
        "closesAt-year": y!,
        intent: "save",
      }),
      { slug: round.slug },
    );
    expect(moved.status).toBe(400);
    expect(moved.data.errors.closesAt).toMatch(/^The date the round closes must be in the future, after .+ on \d{1,2} \w+ \d{4}$/);
    expect((await db().round.findUniqueOrThrow({ where: { id: round.id } })).closesAt).toEqual(round.closesAt);

    // A round that has closed can still have its guidance corrected.
    await db().round.update({ where: { id: round.id }, data: { closesAt: new Date(Date.now() - DAY) } });
    const closed = await call(editRoundLoader, get(`/rounds/${round.slug}/edit`, browser), { slug: round.slug });
    const corrected = await call(
      editRoundAction,
      post(`/rounds/${round.slug}/edit`, browser, { ...closed.data.values, guidance: "Corrected.", intent: "save" }),
      { slug: round.slug },
    );
    expect(corrected.status).toBe(302);
    expect((await db().round.findUniqueOrThrow({ where: { id: round.id } })).guidance).toBe("Corrected.");
  });
});
