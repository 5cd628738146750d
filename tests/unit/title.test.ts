import { describe, expect, it } from "vitest";
import { isRefusal, pageTitle, REFUSED_FLAG, refusedIn, titled } from "~/utils/title.ts";

describe("pageTitle", () => {
  it("names the page, then the thing it is about, then the service", () => {
    expect(pageTitle(["Gate review", "Housing repairs"])).toBe("Gate review: Housing repairs – Springboard");
    expect(pageTitle(["Portfolio"])).toBe("Portfolio – Springboard");
    expect(pageTitle([])).toBe("Springboard");
  });

  it('starts with "Error: " when the page shows a refused form', () => {
    expect(pageTitle(["Gate review", "Housing repairs"], true)).toBe("Error: Gate review: Housing repairs – Springboard");
    expect(pageTitle(["Sign in"], false)).toBe("Sign in – Springboard");
  });

  it("leaves out parts a loader could not give, and blank ones", () => {
    expect(pageTitle(["Evidence", undefined])).toBe("Evidence – Springboard");
    expect(pageTitle([null, "  ", "Moderation"])).toBe("Moderation – Springboard");
  });
});

describe("titled", () => {
  const meta = titled<() => { round: { name: string } }>(({ data }) => ["Decisions", data?.round.name]);
  const args = (root: Record<string, unknown>) =>
    ({
      data: { round: { name: "Pilot round 2027" } },
      params: {},
      location: { pathname: "/", search: "", hash: "", state: null, key: "default" },
      matches: [{ id: "root", data: root, meta: [], params: {}, pathname: "/", handle: undefined, error: undefined }],
      error: undefined,
    }) as unknown as Parameters<typeof meta>[0];

  it("gives the route's title, with \"Error: \" only when the root's data is marked as showing a refusal", () => {
    expect(meta(args({ user: null }))).toEqual([{ title: "Decisions: Pilot round 2027 – Springboard" }]);
    expect(meta(args({ user: null, [REFUSED_FLAG]: true }))).toEqual([{ title: "Error: Decisions: Pilot round 2027 – Springboard" }]);
    expect(refusedIn(undefined)).toBe(false);
  });
});

describe("isRefusal", () => {
  it("is an action's answer carrying an error message, or a problem sentence", () => {
    expect(isRefusal({ errors: { title: "Enter the name of the bid" }, values: {} })).toBe(true);
    expect(isRefusal({ problem: "This import was applied on 1 May 2027. It cannot be applied again." })).toBe(true);
    // Answers that report success, or carry an empty errors object, are not refusals.
    expect(isRefusal({ errors: null, notice: "Assessors assigned", shortfalls: [] })).toBe(false);
    expect(isRefusal({ errors: {}, values: {} })).toBe(false);
    expect(isRefusal({ errors: { title: undefined } })).toBe(false);
    expect(isRefusal({ done: true })).toBe(false);
    expect(isRefusal(undefined)).toBe(false);
  });
});
