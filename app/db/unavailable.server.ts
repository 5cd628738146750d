// What a restart, failover or cut connection looks like from here, through pg, Prisma and
// its driver adapter: the database is away for now, as opposed to a query that is wrong.
// Such an error is answered with "try again" (503) and waited out, never a reason to stop.

const codes = new Set([
  // Sockets: refused while the server is down, reset or timed out when it went.
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  // PostgreSQL: shutting down, crashed, starting up; the connection classes; too many connections.
  "57P01",
  "57P02",
  "57P03",
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
  "53300",
  // Prisma: cannot reach the server, timed out reaching it, the server closed the connection.
  "P1001",
  "P1002",
  "P1017",
]);

const kinds = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);

const messages =
  /Connection terminated|not queryable|Can't reach database server|Server has closed the connection|terminating connection due to administrator command|the database system is (starting up|shutting down)|is not currently accepting connections/i;

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 4) return false;
  const e = error as { code?: unknown; originalCode?: unknown; kind?: unknown; message?: unknown; cause?: unknown };
  if (typeof e.code === "string" && codes.has(e.code)) return true;
  if (typeof e.originalCode === "string" && codes.has(e.originalCode)) return true;
  if (typeof e.kind === "string" && kinds.has(e.kind)) return true;
  if (typeof e.message === "string" && messages.test(e.message)) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}
