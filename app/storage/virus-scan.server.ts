import net from "node:net";
import { env } from "~/env.server.ts";
import { logger } from "~/log/log.server.ts";
import { clamdUrlProblem, parseClamdUrl, type ClamdAddress } from "~/utils/clamd-url.ts";

/**
 * Checking uploads for viruses with ClamAV's daemon, clamd, before they are kept. The rest
 * of the service sees only VirusScanner: a file is clean, or infected with a named
 * signature, or the check could not be made (ScannerUnavailable), which the callers treat
 * as a refusal: a file is never let through unchecked once a scanner is configured.
 *
 * The client speaks clamd's INSTREAM command itself rather than through the clamscan
 * package: why, in docs/decisions/0013-virus-scanning.md.
 */
export type ScanVerdict = { clean: true } | { clean: false; signature: string };

export interface VirusScanner {
  /** Resolves with the verdict, or rejects with ScannerUnavailable. */
  scan(bytes: Uint8Array): Promise<ScanVerdict>;
}

/** The scanner did not answer, or answered something other than a verdict. */
export class ScannerUnavailable extends Error {
  override name = "ScannerUnavailable";
}

export interface ClamdOptions {
  /** How long to wait for the connection: clamd on the same network answers at once. */
  connectTimeoutMs?: number;
  /** How long the whole scan may take, from sending the first byte to the verdict. */
  scanTimeoutMs?: number;
}

export const CLAMD_CONNECT_TIMEOUT_MS = 5_000;
export const CLAMD_SCAN_TIMEOUT_MS = 30_000;

/** Bytes per INSTREAM chunk; clamd's own client sends chunks of this order. */
const CHUNK = 64 * 1024;

const addressOf = (url: string): ClamdAddress => {
  const address = parseClamdUrl(url);
  if (!address) throw new Error(`CLAMD_URL ${clamdUrlProblem(url)}`);
  return address;
};

/**
 * Sends one command and reads clamd's one reply, which ends in a NUL (the "z" form of each
 * command). Everything that is not a reply within the time allowed (a refused or dropped
 * connection, silence, a reply cut short) becomes ScannerUnavailable.
 */
function exchange(address: ClamdAddress, send: (socket: net.Socket) => void, options: ClamdOptions): Promise<string> {
  const connectTimeout = options.connectTimeoutMs ?? CLAMD_CONNECT_TIMEOUT_MS;
  const scanTimeout = options.scanTimeoutMs ?? CLAMD_SCAN_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const socket = net.connect(address);
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (error: Error | null, reply?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(reply!);
    };
    // One deadline for connecting, then another for the whole exchange: a clamd that takes
    // the connection and never answers ends here, not with the person's browser.
    let timer = setTimeout(() => finish(new ScannerUnavailable(`no connection to clamd within ${connectTimeout} ms`)), connectTimeout);
    socket.once("connect", () => {
      clearTimeout(timer);
      timer = setTimeout(() => finish(new ScannerUnavailable(`no answer from clamd within ${scanTimeout} ms`)), scanTimeout);
      send(socket);
    });
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      const all = Buffer.concat(chunks);
      const end = all.indexOf(0);
      if (end >= 0) finish(null, all.subarray(0, end).toString("utf8"));
    });
    // clamd may answer and close before it has read everything (a stream over its
    // StreamMaxLength): writing then fails, but the answer already read is what counts.
    socket.on("error", (error) => {
      const partial = Buffer.concat(chunks).toString("utf8").trim();
      if (partial) finish(null, partial);
      else finish(new ScannerUnavailable(`clamd could not be reached: ${error.message}`));
    });
    socket.on("end", () => {
      const partial = Buffer.concat(chunks).toString("utf8").trim();
      if (partial) finish(null, partial);
      else finish(new ScannerUnavailable("clamd closed the connection without answering"));
    });
  });
}

/** Writes the bytes as INSTREAM chunks, waiting whenever the socket asks to. */
async function writeStream(socket: net.Socket, bytes: Uint8Array) {
  const write = (data: Uint8Array) =>
    new Promise<void>((resolve) => {
      if (socket.destroyed || socket.write(data)) resolve();
      else {
        // Either the buffer drains or the socket goes away; the reply handlers decide what that means.
        const done = () => {
          socket.off("drain", done);
          socket.off("close", done);
          resolve();
        };
        socket.once("drain", done);
        socket.once("close", done);
      }
    });
  await write(Buffer.from("zINSTREAM\0", "latin1"));
  for (let offset = 0; offset < bytes.length && !socket.destroyed; offset += CHUNK) {
    const chunk = bytes.subarray(offset, Math.min(offset + CHUNK, bytes.length));
    const length = Buffer.alloc(4);
    length.writeUInt32BE(chunk.length);
    await write(length);
    await write(chunk);
  }
  // A zero length ends the stream.
  if (!socket.destroyed) await write(Buffer.alloc(4));
}

/** What clamd's answer to INSTREAM means. */
export function verdictOf(reply: string): ScanVerdict {
  const text = reply.replace(/\0/g, "").trim();
  if (/^stream: OK$/.test(text)) return { clean: true };
  const found = /^stream: (.+) FOUND$/.exec(text);
  if (found) return { clean: false, signature: found[1]! };
  // "INSTREAM size limit exceeded. ERROR", "... ERROR" from a failing scan, or anything
  // else: not a verdict, so the file was not checked.
  throw new ScannerUnavailable(`clamd answered without a verdict: ${text.slice(0, 200)}`);
}

/** A scanner that streams each file to clamd at `url` (a CLAMD_URL). */
export function clamdScanner(url: string, options: ClamdOptions = {}): VirusScanner & { ping(): Promise<boolean> } {
  const address = addressOf(url);
  return {
    async scan(bytes) {
      const reply = await exchange(
        address,
        (socket) => {
          writeStream(socket, bytes).catch(() => {
            // A failed write shows up as the socket's error or end, handled in exchange.
          });
        },
        options,
      );
      return verdictOf(reply);
    },
    async ping() {
      try {
        return (await exchange(address, (socket) => socket.write("zPING\0"), options)).trim() === "PONG";
      } catch {
        return false;
      }
    },
  };
}

let current: VirusScanner | null | undefined;

/** The configured scanner, or null where CLAMD_URL is unset (uploads are then not scanned). */
export function virusScanner(): VirusScanner | null {
  if (current === undefined) {
    const url = env().CLAMD_URL;
    current = url ? clamdScanner(url) : null;
  }
  return current;
}

/** For tests: a scanner of their own, null for none, or undefined to read CLAMD_URL again. */
export function setVirusScanner(value: VirusScanner | null | undefined) {
  current = value;
}

/**
 * Said once as a process starts: without a scanner in production, uploads go unchecked,
 * which operators should know; with one that does not answer, uploads will be refused
 * until it does. Neither stops the service, which has much to do besides uploads.
 */
export async function announceVirusScanning(): Promise<void> {
  const config = env();
  if (!config.CLAMD_URL) {
    if (config.NODE_ENV === "production") {
      logger().warn(
        { event: "virus_scanning_off" },
        "CLAMD_URL is not set, so uploaded files are not checked for viruses. Set it to a clamd address (see the README, Operations).",
      );
    }
    return;
  }
  const answered = await clamdScanner(config.CLAMD_URL).ping();
  if (answered) logger().info({ event: "virus_scanning_on" }, "Uploaded files are checked for viruses by clamd.");
  else logger().warn({ event: "virus_scanner_unavailable" }, "clamd at CLAMD_URL does not answer: uploads will be refused until it does.");
}
