import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { appendFile, chown, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { freePort } from "../../bench/support/service.ts";

const run = promisify(execFile);

/**
 * A PostgreSQL server of a test's own, on a free loopback port, that the test may stop and
 * restart as it likes: the machine's shared server (TEST_DATABASE_URL) carries every other
 * test's databases and must never be restarted. Built from the installed server binaries
 * (Debian's postgresql package), trust auth, listening on 127.0.0.1 only, its data in a
 * temporary folder that is removed on close.
 */
export interface PrivatePostgres {
  /** The `postgres` database on this server. */
  url: string;
  port: number;
  /** `pg_ctl restart -m fast`: every session is ended, open transactions rolled back. */
  restart(): Promise<void>;
  /** `pg_ctl stop -m fast`: the server goes away until start(). */
  stop(): Promise<void>;
  /** Starts it again after stop(); does nothing if it is running. */
  start(): Promise<void>;
  close(): Promise<void>;
}

function binDir(): string {
  const candidates = readdirSync("/usr/lib/postgresql", { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^\d+$/.test(entry.name))
    .map((entry) => Number(entry.name))
    .sort((a, b) => b - a)
    .map((version) => `/usr/lib/postgresql/${version}/bin`)
    .filter((dir) => existsSync(path.join(dir, "pg_ctl")));
  if (!candidates.length) throw new Error("No PostgreSQL server binaries in /usr/lib/postgresql/*/bin: install the postgresql package.");
  return candidates[0]!;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = binDir();
  const root = await mkdtemp(path.join(tmpdir(), "springboard-private-pg-"));
  const data = path.join(root, "data");
  const log = path.join(root, "server.log");
  // initdb and postgres refuse to run as root: run them as the postgres user, who must own the folder.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: group } = await run("id", ["-g", "postgres"]);
    await chown(root, Number(stdout.trim()), Number(group.trim()));
  }
  const pg = (tool: string, args: string[]) =>
    asRoot ? run("runuser", ["-u", "postgres", "--", path.join(bin, tool), ...args]) : run(path.join(bin, tool), args);

  await pg("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale", "--no-sync"]);
  const port = await freePort();
  // The settings live in the configuration file, so a restart keeps them. The socket goes in
  // the test's own folder, not /var/run/postgresql, which the shared server uses.
  const settings = [
    "listen_addresses = '127.0.0.1'",
    `port = ${port}`,
    `unix_socket_directories = '${root}'`,
    // Throwaway data: durability costs time and buys nothing here.
    "fsync = off",
    "synchronous_commit = off",
    "full_page_writes = off",
  ];
  await appendFile(path.join(data, "postgresql.conf"), `\n${settings.join("\n")}\n`);
  const ctl = (...args: string[]) => pg("pg_ctl", ["-D", data, "-l", log, "-w", "-t", "60", ...args]);
  await ctl("start");
  let stopped = false;

  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    port,
    restart: () => ctl("restart", "-m", "fast").then(() => undefined),
    async stop() {
      stopped = true;
      await ctl("stop", "-m", "fast");
    },
    async start() {
      if (!stopped) return;
      await ctl("start");
      stopped = false;
    },
    async close() {
      await ctl("stop", "-m", "immediate").catch(() => undefined);
      await rm(root, { recursive: true, force: true });
    },
  };
}
