import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * The embedded database is a folder that one process at a time may open: two processes
 * writing it at once would corrupt it, and PGlite does not stop them. So the process that
 * opens it leaves its process id beside it, and another (a second `npm start`, a backup
 * taken while the service runs) is refused with a sentence saying which process has it.
 * A file left by a process that died is taken over.
 */
export function lockEmbeddedDatabase(dataDir: string): () => void {
  const file = `${dataDir}.lock`;
  mkdirSync(path.dirname(file), { recursive: true });
  for (;;) {
    try {
      writeFileSync(file, identity(process.pid) ?? String(process.pid), { flag: "wx" });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const recorded = readFileSync(file, "utf8").trim();
    const holder = Number.parseInt(recorded, 10);
    if (holder && holder !== process.pid && isRunning(holder, recorded)) {
      throw new EmbeddedDatabaseInUse(dataDir, holder);
    }
    // Its process is gone: the lock is stale.
    rmSync(file, { force: true });
  }
}

export class EmbeddedDatabaseInUse extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `The embedded database in ${dataDir} is open in another process (process ${pid}). ` +
        "Only one process can use it at a time: stop that one first (or, to run several, use PostgreSQL: set DATABASE_URL).",
    );
  }
}

/**
 * A process id and, on Linux, when that process started: after a restart (a container's
 * especially) the same id often belongs to another process, which must not count as the
 * holder.
 */
function identity(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 22, counted after the command name (which may hold spaces) in parentheses.
    const startedAt = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
    return startedAt ? `${pid} ${startedAt}` : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number, recorded: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  // Where start times can be read, the process must be the very one that wrote the file.
  const now = identity(pid);
  return !recorded.includes(" ") || now === undefined || now === recorded;
}
