import type { Database } from "~/db/database.server.ts";
import { appliedMigrations } from "~/db/schema-version.server.ts";

/**
 * Readiness, for load balancers and orchestrators (GET /readyz): whether this process
 * should be sent work. Liveness (GET /healthz) is a separate question: a process that is
 * draining before it stops is alive but not ready.
 */
export interface Readiness {
  ready: boolean;
  /** A short plain-text reason, shown as the response body. */
  reason: string;
}

const holder = globalThis as unknown as { __springboardShuttingDown?: boolean };

/** From the first SIGTERM or SIGINT on, the process says it is not ready. */
export function markShuttingDown() {
  holder.__springboardShuttingDown = true;
}

export function isShuttingDown(): boolean {
  return holder.__springboardShuttingDown === true;
}

// A probe gives up after a second or so; an answer that late is a failure anyway, and
// probes must not pile up behind a database that does not answer.
const DATABASE_ANSWER_MS = 2000;

/**
 * Ready when not shutting down, the database answers, and every migration this code was
 * built with (`expected`, the folder names in prisma/migrations) is recorded as applied.
 * A database that is ahead (a newer release migrated it) is fine: migrations only add.
 */
export async function checkReadiness(database: Database, expected: readonly string[]): Promise<Readiness> {
  if (isShuttingDown()) return { ready: false, reason: "shutting down" };
  let applied: Set<string>;
  try {
    const query = appliedMigrations(database.sql, "readyz_migrations");
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("late")), DATABASE_ANSWER_MS);
    });
    const rows = await Promise.race([query, late]).finally(() => clearTimeout(timer));
    applied = new Set(rows.map((row) => row.migration_name));
  } catch {
    return { ready: false, reason: "database unavailable" };
  }
  const missing = expected.filter((name) => !applied.has(name));
  if (missing.length) {
    return { ready: false, reason: `${missing.length === 1 ? "migration" : `${missing.length} migrations`} not applied: ${missing.join(", ")}` };
  }
  return { ready: true, reason: "ready" };
}
