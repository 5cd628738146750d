import { describe, expect, it } from "vitest";
import { countLiteral, dateLiteral, idLiteral, namesLiteral } from "~/db/literals.server.ts";

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

  it("writes an id the database made, and nothing else", () => {
    expect(idLiteral("160e4e1c-acd1-4085-a68a-ca1e3bef9443")).toBe("'160e4e1c-acd1-4085-a68a-ca1e3bef9443'");
    expect(idLiteral("cmabc123_x")).toBe("'cmabc123_x'");
    for (const bad of ["", "x'", "a b", '1; DROP TABLE "Bid"', "x".repeat(65)]) {
      expect(() => idLiteral(bad)).toThrow(/Not an id/);
    }
  });

  it("writes a count of zero or more, and nothing else", () => {
    expect(countLiteral(0)).toBe("0");
    expect(countLiteral(200)).toBe("200");
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60]) {
      expect(() => countLiteral(bad)).toThrow(/Not a count/);
    }
  });
});
