import { describe, expect, it } from "vitest";
import { csvCell, csvDocument, csvResponse, csvRow } from "~/utils/csv.ts";

describe("csvCell", () => {
  it("leaves plain text and numbers alone", () => {
    expect(csvCell("Birmingham")).toBe("Birmingham");
    expect(csvCell(350000)).toBe("350000");
    expect(csvCell(-12.5)).toBe("-12.5");
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
  });

  it("quotes commas, quotes and line breaks, doubling the quotes", () => {
    expect(csvCell("Bath, and North East")).toBe('"Bath, and North East"');
    expect(csvCell('The "front door"')).toBe('"The ""front door"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
  });

  it("neutralises text that a spreadsheet would run as a formula", () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell("+44 20")).toBe("'+44 20");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tcmd")).toBe("'\tcmd");
    expect(csvCell("\rcmd")).toBe(`"'\rcmd"`);
    expect(csvCell("a=b")).toBe("a=b");
  });

  it("writes dates as ISO 8601", () => {
    expect(csvCell(new Date("2026-04-01T00:00:00Z"))).toBe("2026-04-01T00:00:00.000Z");
  });
});

describe("rows and documents", () => {
  it("ends each row with CRLF", () => {
    expect(csvRow(["a", 1, "=1"])).toBe("a,1,'=1\r\n");
    expect(csvDocument(["Title", "Amount"], [["x", 2]])).toBe("Title,Amount\r\nx,2\r\n");
  });

  it("streams a header then each batch", async () => {
    async function* batches() {
      yield [["one", 1]];
      yield [
        ["two", 2],
        ["=three", 3],
      ];
    }
    const response = csvResponse(["Name", "Count"], batches(), { fileName: "test.csv" });
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toBe('attachment; filename="test.csv"');
    expect(new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer())).toBe("\uFEFFName,Count\r\none,1\r\ntwo,2\r\n'=three,3\r\n");
  });
});
