import zlib from "node:zlib";
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanFileName, contentDisposition, storedFileName } from "~/storage/file-name.server.ts";
import { detectFileType, INFLATE_LIMIT, refuseFile, UNPACKED_LIMIT } from "~/storage/file-type.server.ts";

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

const WORD_TYPES = '<Types><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';

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
    expect(refuseFile(bomb, "report.docx")).toEqual({ reason: "The selected file must unpack to 512MB or less, and this one says it unpacks to 2,048MB" });
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
    expect(refuseFile(bomb, "report.docx")).toMatchObject({ reason: expect.stringContaining("could not recognise it") });
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
    expect(refuseFile(new TextEncoder().encode("%PDF-1.7\n<script>"), "page.html")).toMatchObject({ fileName: "page.pdf" });
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
    const header = contentDisposition("plan\r\nSet-Cookie: x=1 \"Café\" (v2)'s.pdf");
    expect(header).not.toMatch(/[\r\n]/);
    expect(header).toBe(
      `attachment; filename="plan__Set-Cookie: x=1 _Caf__ (v2)'s.pdf"; filename*=UTF-8''plan%0D%0ASet-Cookie%3A%20x%3D1%20%22Caf%C3%A9%22%20%28v2%29%27s.pdf`,
    );
    // A header Node would refuse to send is one that could have been split: this one is accepted.
    expect(() => new Headers({ "Content-Disposition": contentDisposition("a\u0000\r\nb\u202E.pdf") })).not.toThrow();
  });
});
