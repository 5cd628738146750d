import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * A private ClamAV daemon for tests: Debian's real clamd (package clamav-daemon), listening
 * on loopback and on a unix socket of its own, with a signature database that holds only
 * the EICAR test signature, so it starts in seconds and needs no download.
 */

export const CLAMD_PATH = process.env.CLAMD_PATH ?? "/usr/sbin/clamd";

/** The name clamd gives what it finds; it adds ".UNOFFICIAL" to signatures that are not ClamAV's own. */
export const EICAR_SIGNATURE = "Eicar-Test-Signature";

/**
 * The EICAR anti-virus test file: harmless, and detected by every scanner by agreement. Put
 * together when a test runs, so that no file in the repository holds it whole and scanners
 * on developers' machines leave the repository alone.
 */
export function eicar(): string {
  const parts = ["X5O!P%@AP[4\\PZX54(P^)7CC)7}$", "EICAR-STANDARD-", "ANTIVIRUS-TEST-", "FILE!$H+H*"];
  return parts.join("");
}

export interface Clamd {
  /** tcp://127.0.0.1:port */
  url: string;
  /** unix:///…/clamd.sock */
  socketUrl: string;
  port: number;
  /** Stops the daemon and removes its folder. */
  stop(): Promise<void>;
}

/** A port nothing listens on at the moment of asking. */
export async function freeLoopbackPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Whether clamd at this address answers PING with PONG. */
export function pings(address: { port: number; host?: string } | { path: string }): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(address as net.NetConnectOpts);
    let reply = "";
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.on("connect", () => socket.write("zPING\0"));
    socket.on("data", (chunk) => {
      reply += chunk.toString("latin1");
      if (reply.includes("\0")) done(reply.startsWith("PONG"));
    });
    socket.on("error", () => done(false));
    socket.on("end", () => done(false));
  });
}

/** Starts a private clamd; resolves once it answers PING. */
export async function startClamd(options: { port?: number } = {}): Promise<Clamd> {
  if (!existsSync(CLAMD_PATH)) {
    throw new Error(`clamd is not at ${CLAMD_PATH}. Install it with: sudo apt-get install -y clamav-daemon (or set CLAMD_PATH).`);
  }
  const dir = mkdtempSync(path.join(tmpdir(), "springboard-clamd-"));
  const port = options.port ?? (await freeLoopbackPort());
  const socketPath = path.join(dir, "clamd.sock");
  // An extended signature (.ndb): any file type (0), anywhere in the file (*), these bytes.
  writeFileSync(path.join(dir, "eicar.ndb"), `${EICAR_SIGNATURE}:0:*:${Buffer.from(eicar(), "latin1").toString("hex")}\n`);
  const logFile = path.join(dir, "clamd.log");
  writeFileSync(
    path.join(dir, "clamd.conf"),
    [
      "Foreground yes",
      `DatabaseDirectory ${dir}`,
      `TemporaryDirectory ${dir}`,
      `LogFile ${logFile}`,
      `PidFile ${path.join(dir, "clamd.pid")}`,
      "TCPAddr 127.0.0.1",
      `TCPSocket ${port}`,
      `LocalSocket ${socketPath}`,
      // Above the service's 10 MB upload limit, so a large clean file is scanned, not cut off.
      "StreamMaxLength 20M",
      // No User line: clamd then keeps the user it was started as (root included) rather
      // than switching to a clamav user that may not exist.
      "",
    ].join("\n"),
  );
  const child: ChildProcess = spawn(CLAMD_PATH, ["--config-file", path.join(dir, "clamd.conf")], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let running = true;
  void exited.then(() => (running = false));

  const stop = async () => {
    if (running) {
      child.kill("SIGTERM");
      const killed = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(killed);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  // A few seconds with this database; the limit is for a slow, busy machine.
  const deadline = Date.now() + 60_000;
  while (!(await pings({ port, host: "127.0.0.1" }))) {
    if (!running || Date.now() > deadline) {
      const log = existsSync(logFile) ? readFileSync(logFile, "utf8") : "";
      await stop();
      throw new Error(`clamd did not start:\n${stderr}\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url: `tcp://127.0.0.1:${port}`, socketUrl: `unix://${socketPath}`, port, stop };
}
