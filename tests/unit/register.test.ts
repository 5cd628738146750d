import { describe, expect, it } from "vitest";
import { diffRegister, parseRegister, type CurrentCouncil, type RegisterRow } from "~/organisations/register.server.ts";

const types = new Set(["MD", "UA", "NMD", "CTY", "LBO"]);
const HEADER = "local-authority-eng\tlocal-authority-type\tname\tofficial-name\tstart-date\tend-date";
const tsv = (...lines: string[]) => [HEADER, ...lines].join("\n");

describe("parseRegister", () => {
  it("reads a TSV register, upper-casing codes and types and treating empty dates as none", () => {
    const parsed = parseRegister(
      tsv("BIR\tMD\tBirmingham\tBirmingham City Council\t1986-07-01\t", "bas\tua\tBath\tBath and North East Somerset Council\t\t"),
      types,
    );
    expect(parsed.fileError).toBeNull();
    expect(parsed.problems).toEqual([]);
    expect(parsed.rows).toEqual([
      { code: "BIR", type: "MD", name: "Birmingham", officialName: "Birmingham City Council", startDate: "1986-07-01", endDate: null, declarationSigned: null },
      { code: "BAS", type: "UA", name: "Bath", officialName: "Bath and North East Somerset Council", startDate: null, endDate: null, declarationSigned: null },
    ]);
  });

  it("reads a CSV register with quoted commas, a byte order mark, Windows line ends and columns in any order", () => {
    const csv = [
      "\uFEFFname,local-authority-eng,official-name,local-authority-type,declaration-signed,notes",
      'Leeds,LDS,"Leeds City Council, The",MD,2018-09-12,"a note, with a comma"',
      "Sheffield,SHF,Sheffield City Council,MD,,",
    ].join("\r\n");
    const parsed = parseRegister(csv, types);
    expect(parsed.fileError).toBeNull();
    expect(parsed.problems).toEqual([]);
    // No start-date column: the rows say so, and an import keeps the start dates it has.
    expect(parsed.rows[0]).toEqual({
      hasStartDate: false,
      code: "LDS",
      type: "MD",
      name: "Leeds",
      officialName: "Leeds City Council, The",
      startDate: null,
      endDate: null,
      declarationSigned: "2018-09-12",
    });
    expect(parsed.rows[1]!.code).toBe("SHF");
  });

  it("refuses a file that is empty, has only a header, or lacks a required column", () => {
    expect(parseRegister("", types).fileError).toBe("The file is empty.");
    expect(parseRegister("\n\n", types).fileError).toBe("The file is empty.");
    expect(parseRegister(HEADER, types).fileError).toBe("The file has a header but no councils.");
    const missing = parseRegister("local-authority-eng,local-authority-type,name\nBIR,MD,Birmingham", types);
    expect(missing.fileError).toBe("The first row must name the columns. Missing: official-name.");
    expect(missing.rows).toEqual([]);
    expect(parseRegister("code\tname\nBIR\tBirmingham", types).fileError).toBe(
      "The first row must name the columns. Missing: local-authority-eng, local-authority-type, official-name.",
    );
  });

  it("reports a repeated register code against the line that repeats it", () => {
    const parsed = parseRegister(tsv("BIR\tMD\tBirmingham\tBirmingham City Council\t\t", "BIR\tMD\tBirmingham 2\tBirmingham 2\t\t"), types);
    expect(parsed.rows.map((r) => r.code)).toEqual(["BIR"]);
    expect(parsed.problems).toEqual([{ line: 3, code: "BIR", reason: "Line 3 repeats register code BIR from line 2." }]);
  });

  it("reports dates that are not real dates in the year-month-day form, and an end before the start", () => {
    const parsed = parseRegister(
      tsv("AAA\tMD\tA\tA Council\t2024-02-30\t", "BBB\tMD\tB\tB Council\t01/04/2024\t", "CCC\tMD\tC\tC Council\t2024-04-01\t2020-01-01"),
      types,
    );
    expect(parsed.rows).toEqual([]);
    expect(parsed.problems.map((p) => p.reason)).toEqual([
      'Line 2 start-date "2024-02-30" is not a date like 2024-04-01.',
      'Line 3 start-date "01/04/2024" is not a date like 2024-04-01.',
      "Line 4 end-date is before start-date.",
    ]);
  });

  it("reports an unknown council type, missing names and a malformed code, all reasons on one line", () => {
    const parsed = parseRegister(tsv("TOOLONGCODE\tXYZ\t\t\t\t", "\tMD\tNo code\tNo code Council\t\t"), types);
    expect(parsed.rows).toEqual([]);
    expect(parsed.problems[0]!.reason).toBe(
      'Line 2 register code "TOOLONGCODE" must be 2 to 6 letters or digits; type "XYZ" is not a known council type; has no name; has no official name.',
    );
    expect(parsed.problems[1]!.reason).toBe("Line 3 has no register code.");
  });

  it("reports a row with the wrong number of columns", () => {
    const parsed = parseRegister(tsv("BIR\tMD\tBirmingham\tBirmingham City Council", "LDS\tMD\tLeeds\tLeeds City Council\t\t\textra"), types);
    expect(parsed.rows).toEqual([]);
    expect(parsed.problems.map((p) => p.reason)).toEqual(["Line 2 has 4 columns; the header has 6.", "Line 3 has 7 columns; the header has 6."]);
  });

  it("keeps the good rows when some rows are bad", () => {
    const parsed = parseRegister(tsv("BIR\tMD\tBirmingham\tBirmingham City Council\t\t", "LDS\tQQ\tLeeds\tLeeds City Council\t\t"), types);
    expect(parsed.rows.map((r) => r.code)).toEqual(["BIR"]);
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0]!.line).toBe(3);
  });
});

const row = (code: string, extra: Partial<RegisterRow> = {}): RegisterRow => ({
  code,
  type: "MD",
  name: code,
  officialName: `${code} Council`,
  startDate: "1986-04-01",
  endDate: null,
  declarationSigned: null,
  ...extra,
});

const council = (code: string, extra: Partial<CurrentCouncil> = {}): CurrentCouncil => ({
  code,
  councilTypeCode: "MD",
  name: code,
  officialName: `${code} Council`,
  startDate: new Date("1986-04-01T00:00:00Z"),
  endDate: null,
  declarationSignedAt: null,
  ...extra,
});

describe("diffRegister", () => {
  it("adds councils not yet known, changes those that differ (naming the fields) and counts the rest as unchanged", () => {
    const diff = diffRegister(
      [row("NEW"), row("BIR"), row("LDS", { name: "Leeds", type: "UA" }), row("MAN", { endDate: "2026-03-31" })],
      [council("BIR"), council("LDS"), council("MAN")],
      "2026-05-01",
    );
    expect(diff.add.map((r) => r.code)).toEqual(["NEW"]);
    expect(diff.change).toEqual([
      { row: row("LDS", { name: "Leeds", type: "UA" }), fields: ["type", "name"] },
      { row: row("MAN", { endDate: "2026-03-31" }), fields: ["end date (retired)"] },
    ]);
    expect(diff.unchanged).toBe(1);
    expect(diff.retire).toEqual([]);
  });

  it("retires councils missing from the file, today, unless they are already retired", () => {
    const diff = diffRegister(
      [row("BIR")],
      [council("BIR"), council("OLD", { name: "Old Town" }), council("GONE", { endDate: new Date("2020-03-31T00:00:00Z") })],
      "2026-05-01",
    );
    expect(diff.retire).toEqual([{ code: "OLD", name: "Old Town", endDate: "2026-05-01" }]);
  });

  it("changes the declaration date only when the file gives one that differs", () => {
    const signed = new Date("2018-07-04T00:00:00Z");
    const diff = diffRegister(
      [row("BIR"), row("LDS", { declarationSigned: "2018-07-04" }), row("MAN", { declarationSigned: "2019-01-01" })],
      [council("BIR", { declarationSignedAt: signed }), council("LDS", { declarationSignedAt: signed }), council("MAN", { declarationSignedAt: signed })],
      "2026-05-01",
    );
    expect(diff.change).toEqual([{ row: row("MAN", { declarationSigned: "2019-01-01" }), fields: ["declaration signed"] }]);
    expect(diff.unchanged).toBe(2);
  });

  it("notices changed official names and start dates", () => {
    const diff = diffRegister([row("BIR", { officialName: "New name", startDate: "1974-04-01" })], [council("BIR")], "2026-05-01");
    expect(diff.change[0]!.fields).toEqual(["official name", "start date"]);
  });
});

describe("a register file without the optional start-date column", () => {
  it("leaves the councils' start dates as they are", async () => {
    const { parseRegister, diffRegister } = await import("~/organisations/register.server.ts");
    const parsed = parseRegister(
      "local-authority-eng\tlocal-authority-type\tname\tofficial-name\nBIR\tMD\tBirmingham\tBirmingham City Council\n",
      new Set(["MD"]),
    );
    expect(parsed.problems).toEqual([]);
    const changes = diffRegister(
      parsed.rows,
      [
        {
          code: "BIR",
          councilTypeCode: "MD",
          name: "Birmingham",
          officialName: "Birmingham City Council",
          startDate: new Date("1986-07-01T00:00:00Z"),
          endDate: null,
          declarationSignedAt: null,
        },
      ],
      "2026-11-23",
    );
    expect(changes).toMatchObject({ add: [], change: [], retire: [], unchanged: 1 });
  });
});
