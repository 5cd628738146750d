/**
 * The two-apps test on object storage: two app processes on one PostgreSQL database, each
 * with its own data folder and the same S3 settings, as two machines behind a load
 * balancer would run. A file uploaded through one is downloaded through the other, byte for
 * byte, from a real S3-protocol server (s3rver) on loopback.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDatabase, type Database } from "~/db/database.server.ts";
import { createScratchDatabase } from "../../bench/support/scratch.ts";
import { createPartnershipBid } from "../../bench/support/fixtures.ts";
import { signedInBrowser, type Browser } from "../../bench/support/requests.ts";
import { startS3, type S3Server } from "../support/s3.ts";
import { scratchPrefix } from "../support/scratch-names.ts";
import { startApp, type AppProcess } from "../../bench/support/service.ts";

let database: Database & { url?: string };
let s3: S3Server;
const dataDirs: string[] = [];
const running: AppProcess[] = [];
let first: AppProcess;
let second: AppProcess;

/** An app process with a data folder of its own, keeping uploads in the shared bucket. */
async function app(): Promise<AppProcess> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "springboard-app-"));
  dataDirs.push(dataDir);
  const started = await startApp(database.url!, { ...s3.env("evidence"), DATA_DIR: dataDir });
  running.push(started);
  return started;
}

beforeAll(async () => {
  database = await createScratchDatabase(process.env.TEST_DATABASE_URL, { namePrefix: scratchPrefix(process.env.SPRINGBOARD_TEST_RUN!) });
  setDatabase(database);
  s3 = await startS3();
  // One after the other: the first migrates the new database and seeds the register.
  first = await app();
  second = await app();
});

afterAll(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
  await s3?.stop();
  await database?.close();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

/** The evidence form as a browser sends it: token, type, then the file. */
function upload(service: AppProcess, browser: Browser, bidId: string, bytes: Uint8Array) {
  const form = new FormData();
  form.set("csrf", browser.csrf);
  form.set("type", "letterOfSupport");
  form.set("file", new File([Buffer.from(bytes)], "Letter of support.pdf", { type: "application/pdf" }));
  return fetch(`${service.url}/bids/${bidId}/evidence`, { method: "POST", redirect: "manual", headers: { Cookie: browser.cookie }, body: form });
}

const download = (service: AppProcess, browser: Browser, bidId: string, documentId: string) =>
  fetch(`${service.url}/bids/${bidId}/documents/${documentId}`, { headers: { Cookie: browser.cookie } });

/** A PDF's header, then bytes of every value: any re-encoding on the way would show. */
const pdfBytes = () => new Uint8Array(Buffer.concat([Buffer.from("%PDF-1.7\n"), randomBytes(256 * 1024), Buffer.from("\n%%EOF\n")]));

describe("uploads on object storage", () => {
  it("a file uploaded through one app process is downloaded through another, byte for byte", async () => {
    const { bid, officer } = await createPartnershipBid();
    const browser = await signedInBrowser(officer.id);
    const bytes = pdfBytes();

    const sent = await upload(first, browser, bid.id, bytes);
    expect(sent.status).toBe(302);
    expect(sent.headers.get("location")).toBe(`/bids/${bid.id}/evidence?notice=uploaded`);
    const document = await database.prisma.bidDocument.findFirstOrThrow({ where: { bidId: bid.id } });

    const received = await download(second, browser, bid.id, document.id);
    expect(received.status).toBe(200);
    expect(received.headers.get("content-type")).toBe("application/pdf");
    expect(Buffer.from(await received.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);

    // It is in the bucket, under the prefix, and on neither machine's disk.
    const objectKey = `evidence/${document.storageKey.slice(0, 2)}/${document.storageKey}`;
    expect(await s3.keys()).toContain(objectKey);
    for (const dataDir of dataDirs) expect(existsSync(path.join(dataDir, "uploads"))).toBe(false);

    // The same file sent again, through the other process, is kept once and written once.
    const again = await upload(second, browser, bid.id, bytes);
    expect(again.status).toBe(302);
    expect(await database.prisma.bidDocument.count({ where: { bidId: bid.id } })).toBe(1);
    expect(s3.written.filter((key) => key === objectKey)).toHaveLength(1);
  });

  it("a download while the store is down is the service's error page, not 'not found', and the process carries on", async () => {
    const { bid, officer } = await createPartnershipBid();
    const browser = await signedInBrowser(officer.id);
    expect((await upload(first, browser, bid.id, pdfBytes())).status).toBe(302);
    const document = await database.prisma.bidDocument.findFirstOrThrow({ where: { bidId: bid.id } });

    await s3.stop();
    const answer = await download(second, browser, bid.id, document.id);
    expect(answer.status).toBe(503);
    const page = await answer.text();
    expect(page).toContain("Sorry, there is a problem with the service");
    expect(page).toContain("The file cannot be downloaded at the moment. It has not been lost.");
    expect((await fetch(`${second.url}/healthz`)).status).toBe(200);
  });
});
