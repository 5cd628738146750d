import { describe, expect, it } from "vitest";
import {
  copyValues,
  keepUnchangedDates,
  keyFromLabel,
  lockedChanges,
  parseRoundSetup,
  parseTime,
  slugFromName,
  valuesFromSettings,
  type FormValues,
  type RoundSettings,
} from "~/rounds/setup.ts";
import { londonTime } from "~/utils/dates.ts";
import { defaultFundRules } from "../../workflows/rules.ts";

const settings: RoundSettings = {
  name: "Pilot round 2027",
  slug: "pilot-2027",
  stage: "pilot",
  opensAt: londonTime(2027, 3, 1, 9, 0),
  closesAt: londonTime(2027, 4, 30, 12, 0),
  assessmentDueAt: londonTime(2027, 6, 1, 17, 0),
  capPence: 350_000_00,
  budgetPence: 2_500_000_00,
  guidance: "Bid for up to £350,000.",
  rules: defaultFundRules,
};

const valid = (): FormValues => valuesFromSettings(settings);
const parse = (changes: FormValues) => parseRoundSetup({ ...valid(), ...changes }, defaultFundRules);
const errorsOf = (changes: FormValues) => {
  const result = parse(changes);
  if (result.ok) throw new Error("expected errors");
  return result.errors;
};

describe("money typed in pounds", () => {
  it("reads the cap as every money box is read: £ signs, commas and pence", () => {
    for (const typed of ["£350,000", "350000", " £ 350,000.00 "]) {
      const result = parse({ cap: typed });
      expect(result.ok && result.settings.capPence).toBe(350_000_00);
    }
  });
  it("refuses what is not an amount of money", () => {
    for (const typed of ["abc", "£", "-5", "1.234", "350k"]) {
      expect(errorsOf({ cap: typed }).cap).toBe("The most a bid can ask for must be an amount in pounds, like £350,000");
    }
  });
});

describe("times and dates", () => {
  it("reads times as people write them, with blank meaning midday", () => {
    expect(parseTime("")).toEqual([12, 0]);
    expect(parseTime("9am")).toEqual([9, 0]);
    expect(parseTime("5:30pm")).toEqual([17, 30]);
    expect(parseTime("12am")).toEqual([0, 0]);
    expect(parseTime("17:30")).toEqual([17, 30]);
    expect(parseTime("midnight")).toEqual([0, 0]);
    expect(parseTime("9")).toBeNull();
    expect(parseTime("25:00")).toBeNull();
    expect(parseTime("13pm")).toBeNull();
  });
  it("shows stored dates in the form in UK time", () => {
    expect(valid()).toMatchObject({ "opensAt-day": "1", "opensAt-month": "3", "opensAt-year": "2027", "opensAt-time": "09:00", "closesAt-time": "12:00" });
  });
});

describe("names made from labels", () => {
  it("derives criterion keys and web addresses", () => {
    expect(keyFromLabel("Reuse and openness")).toBe("reuseAndOpenness");
    expect(keyFromLabel("  Value-for-money ")).toBe("valueForMoney");
    expect(keyFromLabel("2 councils")).toBe("c2Councils");
    expect(slugFromName("Copy of Pilot round 2026 to 2027")).toBe("copy-of-pilot-round-2026-to-2027");
  });
});

describe("parsing the round setup form", () => {
  it("turns a valid form back into the same settings", () => {
    const result = parse({});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.settings).toEqual(settings);
  });

  it("ignores blank criterion rows and derives keys from labels", () => {
    const result = parse({
      "criterion-0-label": "Impact",
      "criterion-0-weight": "60",
      "criterion-0-guidance": "What changes for residents",
      "criterion-1-label": "Cost",
      "criterion-1-weight": "40",
      "criterion-1-guidance": "",
      "criterion-2-label": "",
      "criterion-2-weight": "",
      "criterion-3-label": "",
      "criterion-3-weight": "",
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.settings.rules.assessment.criteria).toEqual([
      { key: "impact", label: "Impact", weight: 60, guidance: "What changes for residents" },
      { key: "cost", label: "Cost", weight: 40, guidance: "" },
    ]);
  });

  it("says the weights must add up to 100, by the criteria", () => {
    expect(errorsOf({ "criterion-0-weight": "20" }).criteria).toBe("The criteria weights must add up to 100; they add up to 90.");
  });

  it("puts each criterion row's problem by its field", () => {
    const errors = errorsOf({ "criterion-1-label": "", "criterion-2-weight": "ten", "criterion-3-label": "Strategic fit" });
    expect(errors["criterion-1-label"]).toBe("Enter the name of criterion 2");
    expect(errors["criterion-2-weight"]).toBe("The weight of criterion 3 must be a whole number from 0 to 100");
    expect(errors["criterion-3-label"]).toBe("Criterion 4 has the same name as criterion 1");
  });

  it("needs at least one criterion", () => {
    const blank: FormValues = {};
    for (let i = 0; i < 8; i++) Object.assign(blank, { [`criterion-${i}-label`]: "", [`criterion-${i}-weight`]: "", [`criterion-${i}-guidance`]: "" });
    expect(errorsOf(blank).criteria).toBe("Add at least one criterion");
  });

  it("needs every score on the scale labelled", () => {
    expect(errorsOf({ "scale-3-score": "", "scale-3-label": "" }).scale).toBe("Score 3 needs a label.");
    expect(errorsOf({ "scale-2-label": "" })["scale-2-label"]).toBe("Enter a label for score 2");
    expect(errorsOf({ "scale-2-score": "1" })["scale-2-score"]).toBe("Score 1 has more than one label");
  });

  it("reads a different scale from the rows given", () => {
    const rows: FormValues = {};
    for (let i = 0; i < 11; i++)
      Object.assign(rows, { [`scale-${i}-score`]: i < 3 ? String(i + 1) : "", [`scale-${i}-label`]: ["Low", "Medium", "High"][i] ?? "" });
    const result = parse(rows);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.settings.rules.assessment.scale).toEqual({
      min: 1,
      max: 3,
      labels: [
        { score: 1, label: "Low" },
        { score: 2, label: "Medium" },
        { score: 3, label: "High" },
      ],
    });
  });

  it("checks the dates are real and in order", () => {
    expect(errorsOf({ "opensAt-day": "", "opensAt-month": "", "opensAt-year": "" }).opensAt).toBe("Enter the date the round opens");
    expect(errorsOf({ "opensAt-day": "31", "opensAt-month": "2" }).opensAt).toBe("The date the round opens must be a real date");
    expect(errorsOf({ "closesAt-month": "" }).closesAt).toBe("The date the round closes must include a month");
    // Each order rule names the date it is measured from.
    expect(errorsOf({ "closesAt-month": "2", "closesAt-day": "28" }).closesAt).toBe(
      "The date the round closes must be after the round opens, at 9am on 1 March 2027",
    );
    expect(errorsOf({ "assessmentDueAt-month": "4", "assessmentDueAt-day": "1" }).assessmentDueAt).toBe(
      "The date assessments are due must be after the round closes, at midday on 30 April 2027",
    );
    expect(errorsOf({ "opensAt-time": "noonish" }).opensAt).toBe("Enter the time as, for example, 9am, 5:30pm or 17:30");
  });

  it("leaves the assessment date optional", () => {
    const result = parse({ "assessmentDueAt-day": "", "assessmentDueAt-month": "", "assessmentDueAt-year": "", "assessmentDueAt-time": "" });
    expect(result.ok && result.settings.assessmentDueAt).toBeNull();
  });

  it("keeps the cap within the budget and reads money in pounds", () => {
    expect(errorsOf({ cap: "£3,000,000" }).cap).toBe("The most a bid can ask for cannot be more than the round's budget of £2,500,000");
    expect(errorsOf({ budget: "lots" }).budget).toBe("The round's budget must be an amount in pounds, like £350,000");
    expect(errorsOf({ cap: "" }).cap).toBe("Enter the most a bid can ask for");
    const result = parse({ cap: "£80,000", budget: "1,000,000", stage: "scan" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.settings).toMatchObject({ capPence: 80_000_00, budgetPence: 1_000_000_00, stage: "scan" });
    expect(result.settings.rules.caps.scan).toBe(80_000_00);
    expect(result.settings.rules.roundBudget).toBe(1_000_000_00);
  });

  it("checks the name, web address, stage and choices", () => {
    const errors = errorsOf({ name: "", slug: "Not A Slug", stage: "", assessorsPerBid: "4", declarationRequired: "", leadKinds: [], minCouncils: "0" });
    expect(errors).toMatchObject({
      name: "Enter the name of the round",
      slug: "The web address must use only lowercase letters, numbers and hyphens, like pilot-round-2027",
      stage: "Select the stage the round funds",
      assessorsPerBid: "Select how many assessors score each bid",
      declarationRequired: "Select whether every council must have signed the Local Digital Declaration",
      leadKinds: "Select the types of organisation that may lead a bid",
      minCouncils: "The fewest councils a partnership needs must be a whole number of 1 or more",
    });
    expect(errorsOf({ slug: "new" }).slug).toBe('The web address cannot be "new"; choose another');
  });

  it("makes the web address from the name when it is left blank", () => {
    const result = parse({ slug: "", name: "Scale round: spring 2028" });
    expect(result.ok && result.settings.slug).toBe("scale-round-spring-2028");
  });

  it("offers 1, 2, 3 or 5 assessors", () => {
    for (const n of ["1", "2", "3", "5"]) {
      const result = parse({ assessorsPerBid: n });
      expect(result.ok && result.settings.rules.assessment.assessorsPerBid).toBe(Number(n));
    }
  });

  it("keeps the parts of the rules the form does not show", () => {
    const result = parse({});
    expect(result.ok && result.settings.rules.governance).toEqual(defaultFundRules.governance);
  });
});

describe("copying a round", () => {
  it("keeps every setting but the dates, under a new name", () => {
    const copy = copyValues(settings);
    expect(copy.name).toBe("Copy of Pilot round 2027");
    expect(copy.slug).toBe("");
    for (const field of ["opensAt", "closesAt", "assessmentDueAt"]) expect(copy[`${field}-day`]).toBe("");
    expect(copy["criterion-0-label"]).toBe("Strategic fit");
    expect(copy.cap).toBe("350000");
    expect(copy.leadKinds).toEqual(["council", "combinedAuthority"]);
  });
});

describe("what cannot change once bids are in", () => {
  const changed = (changes: FormValues) => {
    const result = parse(changes);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return result.settings;
  };
  const none = { bidsSubmitted: 0, assessmentStarted: false, fundingLineDrawn: false };

  it("lets anything change before a bid is submitted", () => {
    expect(lockedChanges(settings, changed({ cap: "300000", minCouncils: "2", "criterion-0-weight": "25", "criterion-1-weight": "35" }), none)).toEqual({});
  });

  it("fixes eligibility, stage, cap and opening date once a bid is submitted, and lets the deadline move later only", () => {
    const progress = { ...none, bidsSubmitted: 2 };
    const errors = lockedChanges(settings, changed({ cap: "300000", minCouncils: "2", stage: "scale", "opensAt-day": "2", "closesAt-day": "29" }), progress);
    expect(errors).toMatchObject({
      cap: "The most a bid can ask for cannot change because 2 bids have already been submitted under the current setting",
      minCouncils: "The size of a partnership cannot change because 2 bids have already been submitted under the current setting",
      stage: expect.stringContaining("cannot change"),
      opensAt: expect.stringContaining("cannot change"),
      closesAt: "The closing date can be moved later but not earlier because 2 bids have already been submitted",
    });
    expect(lockedChanges(settings, changed({ "closesAt-month": "5", name: "New name", guidance: "New guidance" }), progress)).toEqual({});
    // Criteria can still change until assessment starts.
    expect(lockedChanges(settings, changed({ "criterion-0-weight": "25", "criterion-1-weight": "35" }), progress)).toEqual({});
  });

  it("fixes criteria, weights, scale and assessors once assessment starts", () => {
    const progress = { ...none, bidsSubmitted: 1, assessmentStarted: true };
    const errors = lockedChanges(
      settings,
      changed({ "criterion-0-weight": "25", "criterion-1-weight": "35", assessorsPerBid: "3", "scale-5-label": "Outstanding" }),
      progress,
    );
    expect(errors.criteria).toBe(
      "The criteria and their weights cannot change because assessment has started and assessors are scoring against the current setting",
    );
    expect(errors.assessorsPerBid).toContain("cannot change");
    expect(errors.scale).toContain("cannot change");
    // Guidance for a criterion is not part of the scoring.
    expect(lockedChanges(settings, changed({ "criterion-0-guidance": "Fit with the plan" }), progress)).toEqual({});
  });

  it("treats a stored time with seconds as unchanged when the form sends back the same minute", () => {
    const stored = { ...settings, opensAt: new Date(settings.opensAt.getTime() + 42_123) };
    const sentBack = changed({});
    expect(lockedChanges(stored, sentBack, { ...none, bidsSubmitted: 1 })).toEqual({});
    expect(keepUnchangedDates(stored, sentBack).opensAt).toEqual(stored.opensAt);
    expect(keepUnchangedDates(stored, changed({ "opensAt-day": "2" })).opensAt).toEqual(londonTime(2027, 3, 2, 9, 0));
  });

  it("fixes the budget once the funding line is drawn", () => {
    const progress = { bidsSubmitted: 3, assessmentStarted: true, fundingLineDrawn: true };
    expect(lockedChanges(settings, changed({ budget: "3000000" }), progress).budget).toBe(
      "The budget cannot change because the funding line has been drawn against it",
    );
  });
});
