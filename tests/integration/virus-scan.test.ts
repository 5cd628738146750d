import { mkdtempSync, readdirSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db/database.server.ts";
import { env, resetEnvCache } from "~/env.server.ts";
import { setLogger } from "~/log/log.server.ts";
import { action as bidEvidenceAction } from "~/routes/bids.$id_.evidence.tsx";
import { loader as homeLoader } from "~/routes/home.tsx";
import { action as projectEvidenceAction } from "~/routes/projects.$id_.evidence.tsx";
import { loader as refusedLoader } from "~/routes/uploads.refused.tsx";
import { parseClamdUrl } from "~/utils/clamd-url.ts";
import { localDiskStorage, setStorage } from "~/storage/storage.server.ts";
import { NOT_CHECKED, virusFound } from "~/storage/upload-scan.server.ts";
import { announceVirusScanning, clamdScanner, setVirusScanner } from "~/storage/virus-scan.server.ts";
import { startClamd, eicar, EICAR_SIGNATURE, freeLoopbackPort, type Clamd } from "../support/clamd.ts";
import { useTestDatabase } from "../support/database.ts";
import { createFundedProject, createPartnershipBid } from "../../bench/support/fixtures.ts";
import { anonymousBrowser, context, createUser, get, run, signedInBrowser, type Browser } from "../../bench/support/requests.ts";

// Every upload goes past a real clamd (Debian's clamav-daemon) before it is kept: an
// infected file is refused beside the file box and recorded for the fund team, and a
// scanner that cannot answer refuses the file too. Nothing of a refused file is stored.

useTestDatabase();

let clamd: Clamd;
let uploadDir: string;

beforeAll(async () => {
  clamd = await startClamd();
});
afterAll(async () => {
  setVirusScanner(undefined);
  setStorage(undefined);
  await clamd?.stop();
});
beforeEach(() => {
  // A fresh folder each time, so "nothing was stored" is an empty folder.
  uploadDir = mkdtempSync(path.join(tmpdir(), "springboard-scanned-"));
  setStorage(localDiskStorage(uploadDir));
  setVirusScanner(clamdScanner(clamd.url));
});
afterEach(() => setVirusScanner(undefined));

const call = (fn: (args: never) => Promise<unknown>, request: Request, params: Record<string, string> = {}) =>
  run(() => fn({ request, context: context(), params } as never));
const storedFiles = () => readdirSync(uploadDir, { recursive: true }).filter((name) => /[a-f0-9]{64}$/.test(String(name)));

/** A form as a browser sends it: the type first, then the file. */
function formRequest(url: string, browser: Browser, type: string, file: { name: string; bytes: Uint8Array }) {
  const form = new FormData();
  form.set("csrf", browser.csrf);
  form.set("type", type);
  form.set("file", new File([Buffer.from(file.bytes)], file.name));
  return new Request(`http://localhost:3000${url}`, { method: "POST", headers: { Cookie: browser.cookie }, body: form });
}

const encode = (text: string) => new TextEncoder().encode(text);
const cleanPdf = encode("%PDF-1.4\nA signed letter of support\n%%EOF\n");
const infectedNotes = () => encode(`Notes from the user research\n${eicar()}\n`);
const infectedPdf = () => encode(`%PDF-1.4\n${eicar()}\n%%EOF\n`);

/** A stand-in server on a loopback port; close() ends its connections too, whatever state they are in. */
async function listening(server: net.Server) {
  const sockets = new Set<net.Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Log lines written while `fn` runs, as objects. */
async function logsOf(fn: () => Promise<void>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  const previous = setLogger(pino({ level: "info" }, sink));
  try {
    await fn();
  } finally {
    setLogger(previous);
  }
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("uploads checked by clamd", () => {
  it("accepts and keeps a clean file", async () => {
    const { bid, officer } = await createPartnershipBid();
    const browser = await signedInBrowser(officer.id);
    const result = await call(bidEvidenceAction, formRequest(`/bids/${bid.id}/evidence`, browser, "letterOfSupport", { name: "letter.pdf", bytes: cleanPdf }), {
      id: bid.id,
    });
    expect(result.status).toBe(302);
    expect(result.location).toBe(`/bids/${bid.id}/evidence?notice=uploaded`);
    expect(await db().bidDocument.count({ where: { bidId: bid.id } })).toBe(1);
    expect(storedFiles()).toHaveLength(1);
    expect(await db().refusedUpload.count({ where: { recordId: bid.id } })).toBe(0);
  });

  it("refuses an infected file on the bid evidence page beside the file box, keeps the type chosen, records it and stores nothing", async () => {
    const { bid, officer } = await createPartnershipBid();
    const browser = await signedInBrowser(officer.id);
    const bytes = infectedNotes();
    const result = await call(bidEvidenceAction, formRequest(`/bids/${bid.id}/evidence`, browser, "userResearch", { name: "interview notes.txt", bytes }), {
      id: bid.id,
    });
    expect(result.status).toBe(400);
    expect(result.data).toEqual({
      errors: {
        file: `The file contains a virus (${EICAR_SIGNATURE}), so it was not uploaded. Ask your IT team to check the computer it came from, then upload a copy without the virus`,
      },
      values: { type: "userResearch" },
    });
    expect(await db().bidDocument.count({ where: { bidId: bid.id } })).toBe(0);
    expect(storedFiles()).toEqual([]);
    const rows = await db().refusedUpload.findMany({ where: { recordId: bid.id } });
    expect(rows).toEqual([
      expect.objectContaining({
        userId: officer.id,
        organisationId: officer.organisationId,
        recordKind: "bid",
        documentType: "userResearch",
        fileName: "interview notes.txt",
        size: bytes.length,
        signature: `${EICAR_SIGNATURE}.UNOFFICIAL`,
        sha256: expect.stringMatching(/^[a-f0-9]{64}$/),
      }),
    ]);
  });

  it("refuses an infected file on the project evidence page too, inside a PDF", async () => {
    const f = await createFundedProject();
    const browser = await signedInBrowser(f.officer.id);
    const url = `/projects/${f.project.id}/evidence`;
    const result = await call(projectEvidenceAction, formRequest(url, browser, "spendToDate", { name: "spend.pdf", bytes: infectedPdf() }), {
      id: f.project.id,
    });
    expect(result.status).toBe(400);
    expect(result.data).toEqual({ errors: { file: virusFound(`${EICAR_SIGNATURE}.UNOFFICIAL`) }, values: { type: "spendToDate" } });
    expect(await db().projectDocument.count({ where: { projectId: f.project.id } })).toBe(0);
    expect(storedFiles()).toEqual([]);
    expect(await db().refusedUpload.findMany({ where: { recordId: f.project.id }, select: { recordKind: true, fileName: true, userId: true } })).toEqual([
      { recordKind: "project", fileName: "spend.pdf", userId: f.officer.id },
    ]);

    // The same page takes a clean file.
    const clean = await call(projectEvidenceAction, formRequest(url, browser, "spendToDate", { name: "spend.pdf", bytes: cleanPdf }), { id: f.project.id });
    expect(clean.status).toBe(302);
    expect(await db().projectDocument.count({ where: { projectId: f.project.id } })).toBe(1);
  });

  it("reaches clamd through its unix socket as well", async () => {
    const scanner = clamdScanner(clamd.socketUrl);
    expect(await scanner.scan(cleanPdf)).toEqual({ clean: true });
    expect(await scanner.scan(infectedPdf())).toEqual({ clean: false, signature: `${EICAR_SIGNATURE}.UNOFFICIAL` });
    // A file bigger than one chunk, with the signature in a later one.
    const large = new Uint8Array(3 * 1024 * 1024);
    large.set(encode(eicar()), 2 * 1024 * 1024 + 17);
    expect(await scanner.scan(large)).toEqual({ clean: false, signature: `${EICAR_SIGNATURE}.UNOFFICIAL` });
  });
});

describe("a scanner that does not answer", () => {
  it("refuses uploads while clamd is stopped, says so, logs it, and keeps nothing", async () => {
    const stopped = await startClamd();
    await stopped.stop();
    setVirusScanner(clamdScanner(stopped.url));
    const { bid, officer } = await createPartnershipBid();
    const browser = await signedInBrowser(officer.id);
    let result: Awaited<ReturnType<typeof call>> | undefined;
    const lines = await logsOf(async () => {
      result = await call(bidEvidenceAction, formRequest(`/bids/${bid.id}/evidence`, browser, "letterOfSupport", { name: "letter.pdf", bytes: cleanPdf }), {
        id: bid.id,
      });
    });
    expect(result!.status).toBe(400);
    expect(result!.data).toEqual({ errors: { file: NOT_CHECKED }, values: { type: "letterOfSupport" } });
    expect(NOT_CHECKED).toBe("The file could not be checked for viruses, so it was not uploaded. Try again later");
    expect(await db().bidDocument.count({ where: { bidId: bid.id } })).toBe(0);
    expect(storedFiles()).toEqual([]);
    // Not a virus: nothing for the fund team's list, but a line for whoever runs the service.
    expect(await db().refusedUpload.count({ where: { recordId: bid.id } })).toBe(0);
    expect(lines).toContainEqual(expect.objectContaining({ level: 50, event: "virus_scan_failed", recordKind: "bid", recordId: bid.id, userId: officer.id }));
  });

  it("refuses uploads when the port has nothing listening on it", async () => {
    setVirusScanner(clamdScanner(`tcp://127.0.0.1:${await freeLoopbackPort()}`));
    const f = await createFundedProject();
    const browser = await signedInBrowser(f.officer.id);
    let result: Awaited<ReturnType<typeof call>> | undefined;
    const lines = await logsOf(async () => {
      result = await call(
        projectEvidenceAction,
        formRequest(`/projects/${f.project.id}/evidence`, browser, "spendToDate", { name: "spend.pdf", bytes: cleanPdf }),
        { id: f.project.id },
      );
    });
    expect(result!.data).toEqual({ errors: { file: NOT_CHECKED }, values: { type: "spendToDate" } });
    expect(await db().projectDocument.count({ where: { projectId: f.project.id } })).toBe(0);
    expect(storedFiles()).toEqual([]);
    expect(lines).toContainEqual(expect.objectContaining({ level: 50, event: "virus_scan_failed", recordKind: "project", recordId: f.project.id }));
  });

  it("gives up on a server that takes the connection and never answers", async () => {
    const received: number[] = [];
    // Reads everything and says nothing, and keeps its side open after the client's end.
    const silent = net.createServer({ allowHalfOpen: true }, (socket) => socket.on("data", (chunk) => received.push(chunk.length)));
    const server = await listening(silent);
    try {
      setVirusScanner(clamdScanner(`tcp://127.0.0.1:${server.port}`, { scanTimeoutMs: 500 }));
      const { bid, officer } = await createPartnershipBid();
      const browser = await signedInBrowser(officer.id);
      let result: Awaited<ReturnType<typeof call>> | undefined;
      const lines = await logsOf(async () => {
        result = await call(bidEvidenceAction, formRequest(`/bids/${bid.id}/evidence`, browser, "letterOfSupport", { name: "letter.pdf", bytes: cleanPdf }), {
          id: bid.id,
        });
      });
      expect(result!.data).toEqual({ errors: { file: NOT_CHECKED }, values: { type: "letterOfSupport" } });
      expect(lines).toContainEqual(expect.objectContaining({ level: 50, event: "virus_scan_failed", recordKind: "bid", recordId: bid.id }));
      expect(received.length).toBeGreaterThan(0);
      expect(await db().bidDocument.count({ where: { bidId: bid.id } })).toBe(0);
    } finally {
      await server.close();
    }
  });

  it("takes a reply that is not a verdict as no check", async () => {
    // What clamd says to a stream over its StreamMaxLength, before it closes.
    const server = await listening(net.createServer((socket) => socket.end("INSTREAM size limit exceeded. ERROR\0")));
    try {
      const scanner = clamdScanner(`tcp://127.0.0.1:${server.port}`);
      await expect(scanner.scan(cleanPdf)).rejects.toMatchObject({ name: "ScannerUnavailable" });
    } finally {
      await server.close();
    }
  });
});

describe("without CLAMD_URL", () => {
  it("keeps uploads as before, unchecked", async () => {
    setVirusScanner(null);
    const { bid, officer } = await createPartnershipBid();
    const browser = await signedInBrowser(officer.id);
    const result = await call(
      bidEvidenceAction,
      formRequest(`/bids/${bid.id}/evidence`, browser, "userResearch", { name: "notes.txt", bytes: infectedNotes() }),
      { id: bid.id },
    );
    expect(result.status).toBe(302);
    expect(await db().bidDocument.count({ where: { bidId: bid.id } })).toBe(1);
  });

  it("takes tcp:// and unix:// addresses and refuses anything else at start", () => {
    expect(parseClamdUrl("tcp://127.0.0.1:3310")).toEqual({ host: "127.0.0.1", port: 3310 });
    expect(parseClamdUrl("tcp://[::1]:3310")).toEqual({ host: "::1", port: 3310 });
    expect(parseClamdUrl("unix:///run/clamav/clamd.ctl")).toEqual({ path: "/run/clamav/clamd.ctl" });
    for (const wrong of ["tcp://127.0.0.1", "http://127.0.0.1:3310", "unix://host/clamd.ctl", "127.0.0.1:3310"]) expect(parseClamdUrl(wrong)).toBeNull();

    const before = process.env.CLAMD_URL;
    try {
      process.env.CLAMD_URL = "clamd.internal:3310";
      resetEnvCache();
      expect(() => env()).toThrow("CLAMD_URL: must be a clamd address such as tcp://127.0.0.1:3310 or unix:///run/clamav/clamd.ctl");
    } finally {
      if (before === undefined) delete process.env.CLAMD_URL;
      else process.env.CLAMD_URL = before;
      resetEnvCache();
    }
  });
});

describe("at start", () => {
  /** The events a process logs at start with these settings. */
  async function announced(settings: Record<string, string | undefined>) {
    const saved = Object.fromEntries(Object.keys(settings).map((key) => [key, process.env[key]]));
    try {
      for (const [key, value] of Object.entries(settings)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      resetEnvCache();
      return (await logsOf(() => announceVirusScanning())).map((line) => [line.level, line.event]);
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      resetEnvCache();
    }
  }

  it("warns in production that uploads go unchecked without CLAMD_URL, and says whether clamd answers", async () => {
    const production = { NODE_ENV: "production", SMTP_URL: "smtp://mail.invalid:587", DATABASE_URL: undefined };
    expect(await announced({ ...production, CLAMD_URL: undefined })).toEqual([[40, "virus_scanning_off"]]);
    expect(await announced({ NODE_ENV: "development", CLAMD_URL: undefined })).toEqual([]);
    expect(await announced({ ...production, CLAMD_URL: clamd.url })).toEqual([[30, "virus_scanning_on"]]);
    expect(await announced({ ...production, CLAMD_URL: `tcp://127.0.0.1:${await freeLoopbackPort()}` })).toEqual([[40, "virus_scanner_unavailable"]]);
  });
});

describe("the fund team's list of refused files", () => {
  it("lists each refusal, newest first, with who sent it and where, and is closed to everyone else", async () => {
    const { bid, officer, fundTeam } = await createPartnershipBid();
    const officerBrowser = await signedInBrowser(officer.id);
    await call(bidEvidenceAction, formRequest(`/bids/${bid.id}/evidence`, officerBrowser, "userResearch", { name: "first.txt", bytes: infectedNotes() }), {
      id: bid.id,
    });
    await call(bidEvidenceAction, formRequest(`/bids/${bid.id}/evidence`, officerBrowser, "userResearch", { name: "second.txt", bytes: infectedNotes() }), {
      id: bid.id,
    });

    const team = await signedInBrowser(fundTeam.id);
    const page = await call(refusedLoader, get("/uploads/refused", team));
    expect(page.status).toBe(200);
    const ours = page.data.refusals.filter((r: { place: { href: string | null } }) => r.place.href === `/bids/${bid.id}`);
    expect(ours.map((r: { fileName: string }) => r.fileName)).toEqual(["second.txt", "first.txt"]);
    expect(ours[0]).toMatchObject({ person: officer.name, signature: `${EICAR_SIGNATURE}.UNOFFICIAL`, place: { text: `Bid ${bid.reference}: ${bid.title}` } });

    // The fund team's home page counts them and links to the list.
    const home = await call(homeLoader, get("/home", team));
    expect(home.data.home.refusedUploads).toBeGreaterThanOrEqual(2);

    expect((await call(refusedLoader, get("/uploads/refused", officerBrowser))).status).toBe(403);
    for (const role of ["certifier", "assessor", "gateApprover", "admin"] as const) {
      const other = await signedInBrowser((await createUser(role)).id);
      expect((await call(refusedLoader, get("/uploads/refused", other))).status, role).toBe(403);
    }
    const visitor = await call(refusedLoader, get("/uploads/refused", anonymousBrowser()));
    expect(visitor.location).toMatch(/^\/sign-in\?returnTo=/);
  });
});
