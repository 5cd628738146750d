import zlib from "node:zlib";
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanFileName, contentDisposition, storedFileName } from "~/storage/file-name.server.ts";
import { fitsHint, fitsInWords, kindFits } from "~/storage/document-kinds.ts";
import { detectFileType, INFLATE_LIMIT, refuseFile, TOO_BIG, UNPACKED_LIMIT } from "~/storage/file-type.server.ts";
import { UPLOAD_FILE_LIMIT } from "~/forms/limits.ts";

/** A ZIP file; each entry deflated unless `stored`, its claimed unpacked size overridable (a bomb lies). */
function zip(entries: { name: string; data: Buffer; stored?: boolean; claimedSize?: number }[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const packed = entry.stored ? entry.data : zlib.deflateRawSync(entry.data, { level: 9 });
    const method = entry.stored ? 0 : 8;
    const crc = zlib.crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(entry.claimedSize ?? entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(entry.claimedSize ?? entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += 30 + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

const WORD_TYPES =
  '<Types><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';

afterEach(() => {
  vi.restoreAllMocks();
});

describe("a zip bomb offered as an Office file", () => {
  it("is refused without being unpacked when its entries say they unpack to more than the limit", () => {
    const inflate = vi.spyOn(zlib, "inflateRawSync");
    // 8 MB of zeros packs to a few KB; the directory says 2 GB, as a real bomb's would.
    const bomb = zip([
      { name: "[Content_Types].xml", data: Buffer.alloc(8 * 1024 * 1024), claimedSize: 2 * 1024 * 1024 * 1024 },
      { name: "word/document.xml", data: Buffer.from("<w:document/>") },
    ]);
    expect(bomb.length).toBeLessThan(64 * 1024);
    expect(refuseFile(bomb, "report.docx")).toEqual({ reason: "The file must unpack to 512MB or less, and the file you chose says it unpacks to 2,048MB" });
    expect(detectFileType(bomb)).toBeNull();
    expect(inflate).not.toHaveBeenCalled();
    expect(UNPACKED_LIMIT).toBe(512 * 1024 * 1024);
  });

  it("stops inflating at the cap when the entry lies about its size, and refuses the file", () => {
    const inflate = vi.spyOn(zlib, "inflateRawSync");
    // A real Word file's content list, followed by 8 MB of spaces, claiming to be 200 bytes.
    const bomb = zip([
      { name: "[Content_Types].xml", data: Buffer.concat([Buffer.from(WORD_TYPES), Buffer.alloc(8 * 1024 * 1024, " ")]), claimedSize: 200 },
      { name: "word/document.xml", data: Buffer.from("<w:document/>") },
    ]);
    // Its list of contents cannot be read within the limit, so it is no Office file: only an archive.
    expect(refuseFile(bomb, "report.docx")).toMatchObject({ reason: expect.stringContaining("The file you chose is a ZIP archive") });
    expect(inflate).toHaveBeenCalled();
    for (const call of inflate.mock.calls) expect((call[1] as zlib.ZlibOptions | undefined)?.maxOutputLength).toBe(INFLATE_LIMIT);
    // Each call threw at the cap rather than returning 8 MB.
    for (const result of inflate.mock.results) expect(result.type).toBe("throw");
  });

  it("still recognises a real Word document, deflated as Word writes it", () => {
    const inflate = vi.spyOn(zlib, "inflateRawSync");
    const docx = zip([
      { name: "[Content_Types].xml", data: Buffer.from(WORD_TYPES) },
      { name: "word/document.xml", data: Buffer.from("<w:document/>") },
    ]);
    expect(refuseFile(docx, "Plan.docx")).toMatchObject({ type: { label: "Word document" }, fileName: "Plan.docx" });
    expect(inflate.mock.results.every((r) => r.type === "return")).toBe(true);
    const odt = zip([{ name: "mimetype", data: Buffer.from("application/vnd.oasis.opendocument.text"), stored: true }]);
    expect(detectFileType(odt)?.label).toBe("OpenDocument text");
  });
});

describe("the name an upload is kept under", () => {
  const pdf = { extension: "pdf" };

  it("ends with the type found in its bytes, whatever ending it was given", () => {
    expect(storedFileName("evil.html", pdf)).toBe("evil.pdf");
    expect(storedFileName("evil.svg", { extension: "png" })).toBe("evil.png");
    expect(storedFileName("report", pdf)).toBe("report.pdf");
    expect(storedFileName("Budget 2027.XLSX", { extension: "xlsx" })).toBe("Budget 2027.XLSX");
    expect(storedFileName("photo.jpeg", { extension: "jpg" })).toBe("photo.jpeg");
    expect(storedFileName("notes.md", { extension: "txt" })).toBe("notes.txt");
    expect(storedFileName(".html", pdf)).toBe("html.pdf");
    expect(storedFileName("...", pdf)).toBe("document.pdf");
    expect(storedFileName("", pdf)).toBe("document.pdf");
    // A file whose name says another kind than its contents is refused before it gets this far.
    expect(refuseFile(new TextEncoder().encode("%PDF-1.7\n<script>"), "page")).toMatchObject({ fileName: "page.pdf" });
  });

  it("drops control characters, bidi overrides and isolates, zero-width characters and path separators", () => {
    // "invoice<RLO>fdp.exe" shows as "invoiceexe.pdf": its real ending hidden.
    expect(storedFileName("invoice\u202Efdp.exe", pdf)).toBe("invoicefdp.pdf");
    expect(storedFileName("a\u2066b\u2069c\u200Bd\u200Fe.pdf", pdf)).toBe("abcde.pdf");
    expect(storedFileName("plan\r\nSet-Cookie: session=x.pdf", pdf)).toBe("planSet-Cookie sessionx.pdf");
    expect(storedFileName("..\\..\\etc/passwd.pdf", pdf)).toBe("_.._etc_passwd.pdf");
    expect(storedFileName("Café plan (final).pdf", pdf)).toBe("Café plan (final).pdf");
    expect(storedFileName(`${"a".repeat(300)}.pdf`, pdf)).toHaveLength(200);
    // A name only shown (a register import's CSV) keeps its ending, cleaned the same way.
    expect(cleanFileName("register\u202Evsc.exe\r\n")).toBe("registervsc.exe");
  });

  it("is offered for download in a header no character of the name can break out of", () => {
    const header = contentDisposition('plan\r\nSet-Cookie: x=1 "Café" (v2)\'s.pdf');
    expect(header).not.toMatch(/[\r\n]/);
    expect(header).toBe(
      `attachment; filename="plan__Set-Cookie: x=1 _Caf__ (v2)'s.pdf"; filename*=UTF-8''plan%0D%0ASet-Cookie%3A%20x%3D1%20%22Caf%C3%A9%22%20%28v2%29%27s.pdf`,
    );
    // A header Node would refuse to send is one that could have been split: this one is accepted.
    expect(() => new Headers({ "Content-Disposition": contentDisposition("a\u0000\r\nb\u202E.pdf") })).not.toThrow();
  });
});

describe("refusing a file, naming the rule and its figure", () => {
  const text = (s: string) => new TextEncoder().encode(s);
  const pdf = text("%PDF-1.7\nA letter\n%%EOF");
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
  const xlsx = zip([
    { name: "[Content_Types].xml", data: Buffer.from('<Override ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>') },
  ]);
  const reason = (result: ReturnType<typeof refuseFile>) => ("reason" in result ? result.reason : null);

  it("says an empty file is empty, and a large one the limit, from the constant", () => {
    expect(reason(refuseFile(new Uint8Array(), "letter.pdf"))).toBe("The file you chose is empty");
    expect(UPLOAD_FILE_LIMIT).toBe(10 * 1024 * 1024);
    expect(TOO_BIG).toBe("The file must be smaller than 10MB");
    expect(reason(refuseFile(new Uint8Array(UPLOAD_FILE_LIMIT + 1).fill(0x41), "big.txt"))).toBe(TOO_BIG);
  });

  it("refuses a name over 200 characters, saying how long it is", () => {
    expect(reason(refuseFile(pdf, `${"a".repeat(246)}.pdf`))).toBe(
      "The file's name must be 200 characters or fewer, and the name of the file you chose is 250. Rename it and choose it again",
    );
    expect(refuseFile(pdf, `${"a".repeat(196)}.pdf`)).toMatchObject({ fileName: `${"a".repeat(196)}.pdf` });
  });

  it("names what a file not accepted is, when it can tell, with what is accepted", () => {
    const accepted = "a PDF, Word document, Excel spreadsheet, PowerPoint presentation, OpenDocument file, CSV, text file, PNG or JPEG";
    expect(reason(refuseFile(new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03]), "support.pdf"))).toBe(
      `The file must be ${accepted}. The file you chose is a Windows program`,
    );
    expect(reason(refuseFile(text("GIF89a\x01\x00"), "photo.gif"))).toBe(`The file must be ${accepted}. The file you chose is a GIF image`);
    expect(reason(refuseFile(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0]), "budget.xls"))).toBe(
      `The file must be ${accepted}. The file you chose is an older Microsoft Office file (.doc, .xls or .ppt)`,
    );
    expect(reason(refuseFile(new Uint8Array([0x00, 0x01, 0x02, 0xff]), "mystery.dat"))).toBe(
      `The file must be ${accepted}. We checked its contents, not its name, and could not recognise it`,
    );
  });

  it("refuses a file whose contents do not fit the type of document chosen for it, keeping a type with no rule open", () => {
    expect(reason(refuseFile(png, "costs.png", "costBreakdown"))).toBe(
      "A cost breakdown must be a spreadsheet (Excel, OpenDocument or CSV) or a PDF. The file you chose is a PNG image",
    );
    expect(reason(refuseFile(xlsx, "letter.xlsx", "letterOfSupport"))).toBe(
      "A letter of support must be a PDF, a document (Word or OpenDocument) or an image (PNG or JPEG). The file you chose is an Excel spreadsheet",
    );
    expect(reason(refuseFile(png, "chart.png", "spendToDate"))).toBe(
      "A report of spend to date must be a spreadsheet (Excel, OpenDocument or CSV) or a PDF. The file you chose is a PNG image",
    );
    expect(refuseFile(xlsx, "costs.xlsx", "costBreakdown")).toMatchObject({ type: { kind: "xlsx" }, fileName: "costs.xlsx" });
    expect(refuseFile(png, "signed.png", "letterOfSupport")).toMatchObject({ type: { kind: "png" } });
    // "Other", user research and an evidence item a fund added take any accepted file.
    for (const open of ["other", "userResearch", "aFundsOwnItem"]) {
      expect(kindFits(open, "png")).toBe(true);
      expect(fitsInWords(open)).toBeNull();
    }
    // A key that is an object's own property name is not a type with a rule.
    expect(kindFits("constructor", "png")).toBe(true);
  });

  it("refuses a name that says another kind of file than its contents, and takes one with no ending", () => {
    expect(reason(refuseFile(pdf, "page.html"))).toBe(
      "The file you chose is a PDF, so its name must end in .pdf, not .html. Rename it, or choose the file you meant",
    );
    expect(reason(refuseFile(xlsx, "budget.xls"))).toBe(
      "The file you chose is an Excel spreadsheet, so its name must end in .xlsx, not .xls. Rename it, or choose the file you meant",
    );
    expect(refuseFile(pdf, "Minutes 12.03.2026")).toMatchObject({ fileName: "Minutes 12.03.2026.pdf" });
    expect(refuseFile(text("a,b\n1,2\n"), "figures.CSV")).toMatchObject({ type: { kind: "csv" }, fileName: "figures.CSV" });
    expect(refuseFile(text("# Notes\n"), "notes.md")).toMatchObject({ type: { kind: "text" } });
    expect(refuseFile(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]), "photo.JPEG")).toMatchObject({ type: { kind: "jpeg" } });
  });

  it("gives the hint beside the type select from the same table", () => {
    expect(
      fitsHint([
        { value: "", text: "Choose a type" },
        { value: "costBreakdown", text: "Cost breakdown" },
        { value: "other", text: "Other" },
      ]),
    ).toEqual([
      { type: "Cost breakdown", fits: "a spreadsheet (Excel, OpenDocument or CSV) or a PDF" },
      { type: "Other", fits: "any of the kinds of file below" },
    ]);
  });
});
