import { describe, expect, it } from "vitest";
import { dateLiteral, namesLiteral } from "~/db/literals.server.ts";

describe("values written into a statement's text", () => {
  it("writes a calendar date quoted, and nothing that is not one", () => {
    expect(dateLiteral("2026-12-07")).toBe("'2026-12-07'");
    for (const bad of ["2026-12-7", '2026-12-07\'; DROP TABLE "Bid"; --', "", "07/12/2026", "2026-12-07 "]) {
      expect(() => dateLiteral(bad)).toThrow(/Not a date/);
    }
  });

  it("writes names as a text array, and nothing that is not a name", () => {
    expect(namesLiteral(["council", "combinedAuthority"])).toBe("ARRAY['council', 'combinedAuthority']::text[]");
    for (const bad of ["o'clock", "two words", "", "x;--"]) {
      expect(() => namesLiteral(["council", bad])).toThrow(/Not a name/);
    }
  });
});
