import { mkdtempSync } from "node:fs";
import type http from "node:http";
import net, { type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docx } from "../support/zip.ts";
import { db } from "~/db/database.server.ts";
import { UPLOAD_BODY_LIMIT, UPLOAD_FILE_LIMIT } from "~/forms/limits.ts";
import { action as bidEvidenceAction, loader as bidEvidenceLoader } from "~/routes/bids.$id_.evidence.tsx";
import { action as projectEvidenceAction, loader as projectEvidenceLoader } from "~/routes/projects.$id_.evidence.tsx";
import { TOO_BIG } from "~/storage/file-type.server.ts";
import { localDiskStorage, setStorage } from "~/storage/storage.server.ts";
import { refuseOversizedBodies } from "../../server/http.ts";
import { useTestDatabase } from "../support/database.ts";
import { createFundedProject, createPartnershipBid } from "../../bench/support/fixtures.ts";
import { context, get, run, signedInBrowser, type Browser } from "../../bench/support/requests.ts";

// Uploads refuse plainly: a file too large is refused beside its field with the type chosen
// beside it kept, as soon as its size is known; a file must be what its chosen type says.

useTestDatabase();

beforeAll(() => setStorage(localDiskStorage(mkdtempSync(path.join(tmpdir(), "springboard-refusals-")))));
afterAll(() => setStorage(undefined));

const call = (fn: (args: never) => Promise<unknown>, request: Request, params: Record<string, string>) =>
  run(() => fn({ request, context: context(), params } as never));
const encode = (text: string) => new TextEncoder().encode(text);

const BOUNDARY = "----SpringboardUploadTest7f3a";

/** The start of a multipart body as a browser sends the evidence form: token, type, then the file's part. */
function formStart(browser: Browser, type: string, fileName: string, firstBytes: string) {
  return encode(
    [
      `--${BOUNDARY}`,
      'Content-Disposition: form-data; name="csrf"',
      "",
      browser.csrf,
      `--${BOUNDARY}`,
      'Content-Disposition: form-data; name="type"',
      "",
      type,
      `--${BOUNDARY}`,
      `Content-Disposition: form-data; name="file"; filename="${fileName}"`,
      "Content-Type: application/octet-stream",
      "",
      firstBytes,
    ].join("\r\n"),
  );
}

/**
 * A body that hands over its first chunk (the fields and the start of the file) and then a
 * megabyte a pull, counting the pulls: with no queue ahead (highWaterMark 0), a chunk is made
 * only when the reader asks for it, so the count is how much of the body was read.
 */
function countedBody(first: Uint8Array) {
  const counter = { pulls: 0 };
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        counter.pulls++;
        controller.enqueue(counter.pulls === 1 ? first : new Uint8Array(1024 * 1024));
      },
    },
    { highWaterMark: 0 },
  );
  return { body, counter };
}

function uploadRequest(url: string, browser: Browser, body: ReadableStream<Uint8Array>, declaredLength?: number) {
  return new Request(`http://localhost:3000${url}`, {
    method: "POST",
    headers: {
      Cookie: browser.cookie,
      "Content-Type": `multipart/form-data; boundary=${BOUNDARY}`,
      ...(declaredLength ? { "Content-Length": String(declaredLength) } : {}),
    },
    body,
    duplex: "half",
  } as RequestInit);
}

/** A form as a browser sends it, whole: the type first, then the file. */
function formRequest(url: string, browser: Browser, type: string, file: { name: string; bytes: Uint8Array }) {
  const form = new FormData();
  form.set("csrf", browser.csrf);
  form.set("type", type);
  form.set("file", new File([Buffer.from(file.bytes)], file.name));
  return new Request(`http://localhost:3000${url}`, { method: "POST", headers: { Cookie: browser.cookie }, body: form });
}

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const pdf = encode("%PDF-1.4\nA signed letter\n%%EOF\n");

describe("a file too large for the limit", () => {
  it("is refused on its declared length, with the type kept, reading nothing past the first chunk", async () => {
    const { bid, officer } = await createPartnershipBid();
    const browser = await signedInBrowser(officer.id);
    const { body, counter } = countedBody(formStart(browser, "costBreakdown", "costs.xlsx", "PK\u0003\u0004"));
    const url = `/bids/${bid.id}/evidence`;
    const result = await call(bidEvidenceAction, uploadRequest(url, browser, body, 50 * 1024 * 1024), { id: bid.id });
    expect(result.status).toBe(413);
    expect(result.data).toEqual({ errors: { file: "The file must be smaller than 10MB" }, values: { type: "costBreakdown" } });
    // The answer came from the first chunk alone: the 50 MB behind it were never asked for.
    expect(counter.pulls).toBe(1);
    expect(await db().bidDocument.count({ where: { bidId: bid.id } })).toBe(0);
  });

  it("is refused beside the file on the project evidence page too, the figure from the limit itself", async () => {
    const f = await createFundedProject();
    const browser = await signedInBrowser(f.officer.id);
    const url = `/projects/${f.project.id}/evidence`;
    const declared = countedBody(formStart(browser, "spendToDate", "spend.pdf", "%PDF-1.4"));
    const early = await call(projectEvidenceAction, uploadRequest(url, browser, declared.body, 50 * 1024 * 1024), { id: f.project.id });
    expect(early.status).toBe(413);
    expect(early.data).toEqual({ errors: { file: TOO_BIG }, values: { type: "spendToDate" } });
    expect(declared.counter.pulls).toBe(1);
    expect(TOO_BIG).toBe(`The file must be smaller than ${UPLOAD_FILE_LIMIT / 1024 / 1024}MB`);

    // With no length declared, the body is read only until it passes the limit.
    const streamed = countedBody(formStart(browser, "spendToDate", "spend.pdf", "%PDF-1.4"));
    const late = await call(projectEvidenceAction, uploadRequest(url, browser, streamed.body), { id: f.project.id });
    expect(late.status).toBe(413);
    expect(late.data).toEqual({ errors: { file: TOO_BIG }, values: { type: "spendToDate" } });
    expect(streamed.counter.pulls).toBeLessThanOrEqual(Math.ceil(UPLOAD_BODY_LIMIT / (1024 * 1024)) + 2);
    expect(await db().projectDocument.count({ where: { projectId: f.project.id } })).toBe(0);

    // The page quotes the same figure beside the file box.
    const page = await call(projectEvidenceLoader, get(url, browser), { id: f.project.id });
    expect(page.data).toMatchObject({ limit: "10MB", tooBig: TOO_BIG, maxBytes: UPLOAD_FILE_LIMIT });
  });

  it("keeps nothing of a type that is not one of the page's, and refuses without a type just the same", async () => {
    const { bid, officer } = await createPartnershipBid();
    const browser = await signedInBrowser(officer.id);
    const { body } = countedBody(formStart(browser, "x".repeat(300), "a.pdf", "%PDF"));
    const result = await call(bidEvidenceAction, uploadRequest(`/bids/${bid.id}/evidence`, browser, body, 50 * 1024 * 1024), { id: bid.id });
    expect(result.data).toEqual({ errors: { file: TOO_BIG }, values: { type: "" } });
  });
});

describe("a file that is not what its chosen type says", () => {
  it("is refused with the type's rule and what the file is, the type still chosen", async () => {
    const { bid, officer } = await createPartnershipBid();
    const browser = await signedInBrowser(officer.id);
    const url = `/bids/${bid.id}/evidence`;
    const upload = (type: string, file: { name: string; bytes: Uint8Array }) => call(bidEvidenceAction, formRequest(url, browser, type, file), { id: bid.id });

    const picture = await upload("costBreakdown", { name: "costs.png", bytes: png });
    expect(picture.status).toBe(400);
    expect(picture.data).toEqual({
      errors: { file: "A cost breakdown must be a spreadsheet (Excel, OpenDocument or CSV) or a PDF. The file you chose is a PNG image" },
      values: { type: "costBreakdown" },
    });
    const letter = await upload("letterOfSupport", { name: "letter.docx", bytes: docx() });
    expect(letter.status).toBe(302);
    const renamed = await upload("businessCase", { name: "case.pdf", bytes: docx() });
    expect(renamed.data.errors.file).toBe(
      "The file you chose is a Word document, so its name must end in .docx, not .pdf. Rename it, or choose the file you meant",
    );
    const empty = await upload("dpia", { name: "dpia.pdf", bytes: new Uint8Array() });
    expect(empty.data.errors.file).toBe("The file you chose is empty");
    const longName = await upload("other", { name: `${"n".repeat(210)}.pdf`, bytes: pdf });
    expect(longName.data.errors.file).toBe(
      "The file's name must be 200 characters or fewer, and the name of the file you chose is 214. Rename it and choose it again",
    );
    expect(await db().bidDocument.count({ where: { bidId: bid.id } })).toBe(1);

    // The rule is the hint beside the type select.
    const page = await call(bidEvidenceLoader, get(url, browser), { id: bid.id });
    expect(page.data.fits).toContainEqual({ type: "Cost breakdown", fits: "a spreadsheet (Excel, OpenDocument or CSV) or a PDF" });
    expect(page.data.fits).toContainEqual({ type: "Other", fits: "any of the kinds of file below" });
  });

  it("is refused on the project evidence page by the fund's evidence item", async () => {
    const f = await createFundedProject();
    const browser = await signedInBrowser(f.officer.id);
    const url = `/projects/${f.project.id}/evidence`;
    const upload = (type: string, file: { name: string; bytes: Uint8Array }) =>
      call(projectEvidenceAction, formRequest(url, browser, type, file), { id: f.project.id });
    const chart = await upload("metricsAgainstBaseline", { name: "chart.png", bytes: png });
    expect(chart.status).toBe(400);
    expect(chart.data).toEqual({
      errors: { file: "Metrics against baseline and target must be a spreadsheet (Excel, OpenDocument or CSV) or a PDF. The file you chose is a PNG image" },
      values: { type: "metricsAgainstBaseline" },
    });
    expect((await upload("metricsAgainstBaseline", { name: "metrics.pdf", bytes: pdf })).status).toBe(302);
    const page = await call(projectEvidenceLoader, get(url, browser), { id: f.project.id });
    expect(page.data.fits).toContainEqual({ type: "Data protection impact assessment", fits: "a PDF or a document (Word or OpenDocument)" });
  });
});

describe("the server's fence for bodies declared too large", () => {
  const LIMIT = 1024;
  const ANSWER_LIMIT = 64 * 1024 * 1024;
  let server: http.Server;
  let port: number;
  let read = 0;

  beforeAll(async () => {
    const app = express();
    app.use(refuseOversizedBodies(LIMIT, "Too large.", ANSWER_LIMIT));
    // A page that answers from the first chunk of the body, as the evidence pages do.
    app.post("/upload", (req, res) => {
      req.once("data", (chunk: Buffer) => {
        read += chunk.length;
        req.pause();
        res.status(413).type("text/plain").send("The file must be smaller than 1KB");
      });
    });
    server = app.listen(0);
    await new Promise((resolve) => server.once("listening", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  /**
   * Sends `size` bytes declared up front, as a browser sends a form, over a plain socket (a
   * browser reads no answer until its body is sent, and Node's own client is no stand-in for
   * that), and collects the answer: settled once the answer is in and the body all sent, or
   * the server closes.
   */
  function send(size: number, type: string) {
    return new Promise<{ status: number; text: string; sent: number }>((resolve) => {
      let sent = 0;
      let received = "";
      const answer = () => {
        const [head = "", text = ""] = received.split("\r\n\r\n");
        return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), text, sent };
      };
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.write(`POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Type: ${type}\r\nContent-Length: ${size}\r\n\r\n`);
        const chunk = Buffer.alloc(64 * 1024);
        const write = () => {
          while (sent < size) {
            const piece = chunk.subarray(0, Math.min(chunk.length, size - sent));
            sent += piece.length;
            if (!socket.write(piece)) return void socket.once("drain", write);
          }
          settle();
        };
        write();
      });
      const settle = () => {
        if (sent === size && received.includes("\r\n\r\n")) {
          resolve(answer());
          socket.destroy();
        }
      };
      socket.on("data", (data: Buffer) => {
        received += data.toString("latin1");
        settle();
      });
      socket.on("error", () => undefined);
      socket.on("close", () => resolve(answer()));
    });
  }

  it("lets a form with a file through to its page, then reads the rest away so the browser gets the answer", async () => {
    const result = await send(30 * 1024 * 1024, `multipart/form-data; boundary=${BOUNDARY}`);
    expect(result).toEqual({ status: 413, text: "The file must be smaller than 1KB", sent: 30 * 1024 * 1024 });
    // The page read one chunk; the rest was thrown away, not handed to it.
    expect(read).toBeLessThan(128 * 1024);
  });

  it("refuses anything else declared over the limit, and a file past the answer limit, before the page runs", async () => {
    const before = read;
    const form = await send(LIMIT + 1, "application/x-www-form-urlencoded");
    expect(form).toMatchObject({ status: 413, text: "Too large." });
    // Refused on its headers: the answer comes before a byte of the body is sent.
    const huge = await new Promise<number>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.write(
          `POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${ANSWER_LIMIT + 1}\r\n\r\n`,
        );
      });
      socket.once("data", (data: Buffer) => {
        resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(data.toString("latin1"))?.[1] ?? 0));
        socket.destroy();
      });
      socket.on("error", () => undefined);
    });
    expect(huge).toBe(413);
    expect(read).toBe(before);
  });
});
