import { describe, expect, it } from "vitest";
import { countWords, defaultQuestions, fieldsFor, keyFromLabel, parseQuestionForm, questionsFor, requiredMessage } from "~/bid-form/questions.ts";
import { bidSections, parseSection, sectionFields } from "~/bid-form/sections.ts";

const criteria = [{ key: "deliverability", label: "Deliverability" }];
const form = { section: "risks", label: "What could stop the pilot?", hint: "", kind: "short", limit: "120", required: "no", criterion: "" };

describe("a round's questions as data", () => {
  it("keeps the standard questions, field for field, for a round with none of its own or with unreadable ones", () => {
    for (const stored of [null, undefined, [{ key: "broken" }], "not json"]) expect(questionsFor({ questions: stored })).toBe(defaultQuestions);
    for (const { key } of bidSections) {
      expect(
        fieldsFor(defaultQuestions, key).map(({ name, label, hint, long, max, required, words, optional, showLimit }) => ({
          name,
          label,
          hint,
          long,
          max,
          required,
          words,
          optional,
          showLimit,
        })),
      ).toEqual(
        sectionFields[key].map((f) => ({
          name: f.name,
          label: f.label,
          hint: f.hint,
          long: f.long ?? false,
          max: f.max,
          required: f.required,
          words: false,
          optional: false,
          showLimit: false,
        })),
      );
    }
  });

  it("reads stored questions that pass the schema", () => {
    const own = [
      ...defaultQuestions,
      {
        key: "stopping",
        section: "risks",
        label: "What could stop it?",
        hint: "",
        kind: "short",
        limit: 100,
        unit: "characters",
        required: false,
        criterion: null,
      },
    ];
    expect(questionsFor({ questions: JSON.stringify(own) }).at(-1)).toMatchObject({ key: "stopping", required: false });
  });

  it("makes a stable key from the label, never one already used or one the form needs", () => {
    expect(keyFromLabel("How will residents be involved?", [])).toBe("howWillResidentsBeInvolved");
    expect(keyFromLabel("Approach", ["approach"])).toBe("approach2");
    expect(keyFromLabel("Version", [])).toBe("version2");
    expect(keyFromLabel("2027 plans", [])).toBe("q2027Plans");
  });

  it("derives the required message from the label, keeping the standard wording", () => {
    expect(requiredMessage({ label: "What could stop the pilot?" })).toBe("Enter what could stop the pilot");
    expect(requiredMessage(defaultQuestions.find((q) => q.key === "summary")!)).toBe("Enter a summary of the bid");
  });

  it("refuses each broken rule of the fund team's form beside its field", () => {
    expect(parseQuestionForm(form, { others: defaultQuestions, criteria })).toEqual({
      ok: true,
      value: {
        section: "risks",
        label: "What could stop the pilot?",
        hint: "",
        kind: "short",
        limit: 120,
        unit: "characters",
        required: false,
        criterion: null,
      },
    });
    const refused = parseQuestionForm(
      { ...form, section: "budget", kind: "long", limit: "5001", criterion: "speed", hint: "h".repeat(501) },
      { others: defaultQuestions, criteria },
    );
    expect(refused).toEqual({
      ok: false,
      errors: {
        section: "Select the section the question is in",
        hint: "The hint must be 500 characters or fewer",
        limit: "The limit for long text must be 5,000 words or fewer",
        criterion: "Select a criterion from the list, or none",
      },
      order: ["section", "hint", "limit", "criterion"],
    });
    expect(parseQuestionForm({ ...form, section: "risks", label: "risks and how you will manage them" }, { others: defaultQuestions, criteria })).toMatchObject(
      { ok: false, errors: { label: expect.stringContaining("already asks") } },
    );
  });

  it("counts a long answer's limit in words, and lets an optional question be left blank", () => {
    expect(countWords("  one two\n\nthree  ")).toBe(3);
    expect(countWords("   ")).toBe(0);
    const fields = fieldsFor(
      [
        { key: "plan", section: "risks", label: "Plan", hint: "", kind: "long", limit: 3, unit: "words", required: true, criterion: null },
        { key: "extra", section: "risks", label: "Anything else?", hint: "", kind: "short", limit: 10, unit: "characters", required: false, criterion: null },
      ],
      "risks",
    );
    const options = { complete: true, capPence: 1, formatMoney: String, fields };
    expect(parseSection("risks", { plan: "a b c", extra: "" }, options).errors).toEqual({});
    expect(parseSection("risks", { plan: "a b c d", extra: "12345678901" }, options).errors).toEqual({
      plan: "Plan must be 3 words or fewer",
      extra: "Anything else must be 10 characters or fewer",
    });
    expect(parseSection("risks", { plan: "", extra: "" }, options).errors).toEqual({ plan: "Enter plan" });
  });
});
