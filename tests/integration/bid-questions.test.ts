import { describe, expect, it } from "vitest";
import { defaultQuestions, questionsFor, type Question } from "~/bid-form/questions.ts";
import { sectionFields } from "~/bid-form/sections.ts";
import { db } from "~/db/database.server.ts";
import { ROLES } from "~/auth/roles.ts";
import { changeQuestions, FIXED, FROZEN, roundForQuestions } from "~/rounds/questions.server.ts";
import { loader as scoreLoader } from "~/routes/assessments.$id_.score.tsx";
import { loader as bidLoader } from "~/routes/bids.$id.tsx";
import { action as certifyAction } from "~/routes/bids.$id_.certify.tsx";
import { action as checkAction } from "~/routes/bids.$id_.check.tsx";
import { action as sectionAction, loader as sectionLoader } from "~/routes/bids.$id_.sections.$section.tsx";
import { loader as previewLoader } from "~/routes/rounds.$slug_.preview.tsx";
import { action as questionsAction, loader as questionsLoader } from "~/routes/rounds.$slug_.questions.tsx";
import { useTestDatabase } from "../support/database.ts";
import { createBidsInAssessment, createPartnershipBid } from "../../bench/support/fixtures.ts";
import { anonymousBrowser, context, createUser, get, post, run, signedInBrowser, type Browser } from "../../bench/support/requests.ts";

useTestDatabase();

const call = (fn: (args: never) => Promise<unknown>, request: Request, params: Record<string, string>) =>
  run(() => fn({ request, context: context(), params } as never));

const residents = {
  intent: "add",
  section: "approach",
  label: "How will residents be involved?",
  hint: "Who you will talk to, and when",
  kind: "long",
  limit: "5",
  required: "yes",
  criterion: "deliverability",
};

async function setUp() {
  const setup = await createPartnershipBid();
  const team = await signedInBrowser(setup.fundTeam.id);
  const ask = (browser: Browser, fields: Record<string, string>) =>
    call(questionsAction, post(`/rounds/${setup.round.slug}/questions`, browser, fields), { slug: setup.round.slug });
  const page = (browser: Browser, query = "") =>
    call(questionsLoader, get(`/rounds/${setup.round.slug}/questions${query}`, browser), { slug: setup.round.slug });
  const stored = async () => questionsFor(await db().round.findUniqueOrThrow({ where: { id: setup.round.id }, select: { questions: true } }));
  return { ...setup, team, ask, page, stored };
}

describe("a round's bid questions", () => {
  it("asks the standard questions, exactly as before, in a round that has none of its own", async () => {
    const { bid, round, officer, page, team } = await setUp();
    expect(round.questions).toBeNull();
    const browser = await signedInBrowser(officer.id);
    const section = await call(sectionLoader, get(`/bids/${bid.id}/sections/approach`, browser), { id: bid.id, section: "approach" });
    expect(section.status).toBe(200);
    expect(section.data.fields.map((f: { name: string; label: string; max: number; required: string }) => [f.name, f.label, f.max, f.required])).toEqual(
      sectionFields.approach.map((f) => [f.name, f.label, f.max, f.required]),
    );
    // A blank standard answer is refused with its own wording, and the limit is still in characters.
    const blank = await call(
      sectionAction,
      post(`/bids/${bid.id}/sections/problem`, browser, { version: "0", complete: "yes", intent: "continue", problem: "", users: "x".repeat(5001) }),
      { id: bid.id, section: "problem" },
    );
    expect(blank.status).toBe(400);
    expect(blank.data.errors).toEqual({ problem: "Enter the problem", users: "Who are the users affected, and how must be 5,000 characters or fewer" });

    const listed = await page(team);
    expect(listed.data.frozen).toBe(false);
    expect(listed.data.sections.flatMap((s: { questions: Question[] }) => s.questions.map((q) => q.key))).toEqual(defaultQuestions.map((q) => q.key));
  });

  it("lets the fund team add, change, move and remove questions, refusing each broken rule and keeping what was typed", async () => {
    const { ask, stored, team, page } = await setUp();

    const blank = await ask(team, { intent: "add", section: "", label: "", hint: "", kind: "", limit: "", required: "", criterion: "" });
    expect(blank.status).toBe(400);
    expect(blank.data.errors).toEqual({
      section: "Select the section the question is in",
      label: "Enter the question",
      kind: "Select the kind of answer",
      limit: "Enter the most words an answer can have",
      required: "Select whether councils must answer the question",
    });

    const badLimit = await ask(team, { ...residents, limit: "five" });
    expect(badLimit.data.errors).toEqual({ limit: "The limit must be a whole number, like 250" });
    expect(badLimit.data.values).toMatchObject({ label: residents.label, limit: "five", section: "approach" });
    expect((await ask(team, { ...residents, kind: "short", limit: "501" })).data.errors).toEqual({
      limit: "The limit for short text must be 500 characters or fewer",
    });
    expect((await ask(team, { ...residents, criterion: "madeUp" })).data.errors).toEqual({ criterion: "Select a criterion from the list, or none" });
    expect((await ask(team, { ...residents, label: "Approach" })).data.errors).toEqual({
      label: "This section already asks a question with this wording; change the wording or edit that question",
    });
    expect(await stored()).toEqual(defaultQuestions);

    const added = await ask(team, residents);
    expect(added.status).toBe(302);
    expect(added.location).toMatch(/\/questions\?notice=added$/);
    let questions = await stored();
    const question = questions.find((q) => q.label === residents.label)!;
    expect(question).toMatchObject({
      key: "howWillResidentsBeInvolved",
      section: "approach",
      kind: "long",
      limit: 5,
      unit: "words",
      required: true,
      criterion: "deliverability",
    });
    expect(questions.filter((q) => q.section === "approach").map((q) => q.key)).toEqual(["approach", "reuse", "openness", "howWillResidentsBeInvolved"]);

    // The name and summary of the bid stay as they are.
    expect((await ask(team, { ...residents, intent: "save", key: "title", section: "summary", label: "Bid name" })).data.errors).toEqual({ form: FIXED });
    expect((await ask(team, { intent: "remove", key: "summary" })).data.errors).toEqual({ form: FIXED });
    expect((await ask(team, { intent: "up", key: "approach" })).data.errors).toEqual({
      form: "That question is already the first one it can be in its section.",
    });

    const edit = await page(team, `?edit=${question.key}`);
    expect(edit.data.editing.values).toMatchObject({ label: residents.label, limit: "5", criterion: "deliverability" });
    expect((await ask(team, { ...residents, intent: "save", key: question.key, label: "How will residents shape the work?", limit: "0" })).data.errors).toEqual(
      {
        limit: "The limit must be a whole number, like 250",
      },
    );
    expect((await ask(team, { ...residents, intent: "save", key: question.key, label: "How will residents shape the work?", limit: "8" })).status).toBe(302);
    expect((await ask(team, { intent: "up", key: question.key })).status).toBe(302);
    expect((await ask(team, { intent: "remove", key: "openness" })).status).toBe(302);
    questions = await stored();
    expect(questions.filter((q) => q.section === "approach").map((q) => [q.key, q.label, q.limit])).toEqual([
      ["approach", "Approach", 5000],
      ["reuse", "Reuse", 5000],
      [question.key, "How will residents shape the work?", 8],
    ]);
    expect((await ask(team, { intent: "remove", key: "openness" })).data.errors).toEqual({
      form: "That question is no longer in this round; it may have been removed already.",
    });

    // The preview shows the questions as councils will see them, with the criterion each feeds.
    const preview = await call(previewLoader, get(`/rounds/x/preview`, team), { slug: (await page(team)).data.round.slug });
    const approach = preview.data.questions.find((s: { key: string }) => s.key === "approach");
    expect(approach.questions.map((q: { label: string; criterionLabel: string | null }) => [q.label, q.criterionLabel])).toEqual([
      ["Approach", null],
      ["Reuse", null],
      ["How will residents shape the work?", "Deliverability"],
    ]);
  });

  it("checks a council's answer to the round's own question, freezes the questions once the bid is sent, and shows the answer in the confirmation", async () => {
    const { bid, officer, certifier, ask, team, page } = await setUp();
    expect((await ask(team, residents)).status).toBe(302);
    const browser = await signedInBrowser(officer.id);
    const approach = (fields: Record<string, string>) =>
      call(
        sectionAction,
        post(`/bids/${bid.id}/sections/approach`, browser, {
          version: "0",
          intent: "continue",
          approach: "Discovery first.",
          reuse: "GOV.UK patterns.",
          openness: "Weekly notes.",
          ...fields,
        }),
        {
          id: bid.id,
          section: "approach",
        },
      );

    const form = await call(sectionLoader, get(`/bids/${bid.id}/sections/approach`, browser), { id: bid.id, section: "approach" });
    expect(form.data.fields.at(-1)).toMatchObject({ name: "howWillResidentsBeInvolved", label: residents.label, words: true, max: 5 });

    const blank = await approach({ complete: "yes", howWillResidentsBeInvolved: "" });
    expect(blank.status).toBe(400);
    expect(blank.data.errors).toEqual({ howWillResidentsBeInvolved: "Enter how will residents be involved" });
    // Left blank for later, it is kept as a draft.
    expect((await approach({ complete: "no", howWillResidentsBeInvolved: "" })).status).toBe(302);

    const long = await approach({ version: "1", complete: "yes", howWillResidentsBeInvolved: "We will run six open sessions" });
    expect(long.data.errors).toEqual({ howWillResidentsBeInvolved: "How will residents be involved must be 5 words or fewer" });
    expect(long.data.values.howWillResidentsBeInvolved).toBe("We will run six open sessions");
    expect((await approach({ version: "1", complete: "yes", howWillResidentsBeInvolved: "Monthly open sessions   with residents" })).status).toBe(302);
    const answers = (await db().bid.findUniqueOrThrow({ where: { id: bid.id } })).answers as { sections: Record<string, Record<string, string>> };
    expect(answers.sections.approach!.howWillResidentsBeInvolved).toBe("Monthly open sessions   with residents");

    const shown = await call(bidLoader, get(`/bids/${bid.id}`, browser), { id: bid.id });
    const rows = shown.data.sections.find((s: { key: string }) => s.key === "approach").rows;
    expect(rows).toContainEqual({ label: residents.label, value: "Monthly open sessions   with residents" });

    // Sent for sign-off: the questions are frozen.
    const version = async () => String((await db().bid.findUniqueOrThrow({ where: { id: bid.id } })).version);
    expect((await call(checkAction, post(`/bids/${bid.id}/check`, browser, { version: await version() }), { id: bid.id })).status).toBe(302);
    expect((await page(team)).data.frozen).toBe(true);
    const refused = await ask(team, { ...residents, label: "One more thing?" });
    expect(refused.status).toBe(400);
    expect(refused.data.errors).toEqual({ form: FROZEN });
    expect(refused.data.values.label).toBe("One more thing?");
    expect((await ask(team, { intent: "remove", key: "howWillResidentsBeInvolved" })).data.errors).toEqual({ form: FROZEN });

    const signedOff = await call(
      certifyAction,
      post(`/bids/${bid.id}/certify`, await signedInBrowser(certifier.id), { decision: "approve", version: await version() }),
      { id: bid.id },
    );
    expect(signedOff.location).toBe(`/bids/${bid.id}/confirmation`);
    const email = await db().notification.findFirstOrThrow({ where: { template: "bid-confirmation", toEmail: officer.email } });
    const lines = email.text.split("\n");
    expect(lines[lines.indexOf(residents.label) + 1]).toBe("Monthly open sessions   with residents");
  });

  it("shows the assessor the answer beside the criterion it feeds", async () => {
    const { round, bids, assessors } = await createBidsInAssessment(1, 2);
    const linked: Question = {
      key: "residentsInvolved",
      section: "approach",
      label: "How will residents be involved?",
      hint: "",
      kind: "long",
      limit: 200,
      unit: "words",
      required: true,
      criterion: "deliverability",
    };
    await db().round.update({ where: { id: round.id }, data: { questions: [...defaultQuestions, linked] as object } });
    const bid = bids[0]!.bid;
    const stored = (await db().bid.findUniqueOrThrow({ where: { id: bid.id } })).answers as { sections: Record<string, unknown> };
    await db().bid.update({
      where: { id: bid.id },
      data: {
        answers: { ...stored, sections: { ...stored.sections, approach: { approach: "Discovery first.", residentsInvolved: "Panels in each partner area." } } },
      },
    });
    const assessment = await db().assessment.findFirstOrThrow({ where: { bidId: bid.id } });
    const score = await call(scoreLoader, get(`/assessments/${assessment.id}/score`, await signedInBrowser(assessors[0]!.id)), { id: assessment.id });
    expect(score.status).toBe(200);
    expect(score.data.linked).toEqual({ deliverability: [{ label: linked.label, value: "Panels in each partner area." }] });
    expect(score.data.sections.find((s: { key: string }) => s.key === "approach").rows).toContainEqual({
      label: linked.label,
      value: "Panels in each partner area.",
    });
  });

  it("never lets two changes made at once overwrite each other", async () => {
    const { round, team, ask, stored } = await setUp();
    // Two people read the questions; one saves first.
    const readByBoth = await roundForQuestions(round.slug);
    expect((await ask(team, residents)).status).toBe(302);
    const second = await changeQuestions(readByBoth, { ...residents, label: "Which services will change?" });
    expect(second).toMatchObject({ ok: false, errors: { form: expect.stringContaining("The questions changed while you were working on them") } });
    const labels = (await stored()).map((q) => q.label);
    expect(labels).toContain("How will residents be involved?");
    expect(labels).not.toContain("Which services will change?");
    // Read afresh, the same change goes in.
    expect(await changeQuestions(await roundForQuestions(round.slug), { ...residents, label: "Which services will change?" })).toMatchObject({ ok: true });
    expect((await stored()).map((q) => q.label)).toContain("Which services will change?");
  });

  it("opens the questions page to the fund team only", async () => {
    const { round } = await createPartnershipBid();
    const params = { slug: round.slug };
    for (const role of ROLES) {
      const browser = await signedInBrowser((await createUser(role)).id);
      const page = await call(questionsLoader, get(`/rounds/${round.slug}/questions`, browser), params);
      const change = await call(questionsAction, post(`/rounds/${round.slug}/questions`, browser, residents), params);
      if (role === "fundTeam") {
        expect(page.status).toBe(200);
        expect(change.status).toBe(302);
      } else {
        expect(page.status).toBe(403);
        expect(change.status).toBe(403);
      }
    }
    const visitor = await call(questionsLoader, get(`/rounds/${round.slug}/questions`, anonymousBrowser()), params);
    expect(visitor.status).toBe(302);
    expect(visitor.location).toMatch(/^\/sign-in\?returnTo=/);
    expect(
      (await call(questionsLoader, get(`/rounds/no-such-round/questions`, await signedInBrowser((await createUser("fundTeam")).id)), { slug: "no-such-round" }))
        .status,
    ).toBe(404);
  });
});
