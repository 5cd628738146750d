import pino, { type Logger } from "pino";
import pretty from "pino-pretty";
import { currentRequestId } from "./context.server.ts";

/**
 * The one logger. One JSON line per event in production, for whatever collects the
 * process's output; readable lines in development. Log ids and figures, never an email
 * address, a form value or a token: the paths below are removed if a caller slips.
 *
 * Lines at level error and above go to stderr, the rest to stdout, so that a platform that
 * treats the two differently (and a person reading a terminal) sees failures apart.
 *
 * The Remix build and the server entry are separate module graphs: the logger lives on
 * globalThis so that both write through the same one.
 */
const holder = globalThis as unknown as { __springboardLogger?: Logger };

const redact = {
  paths: ["email", "*.email", "toEmail", "*.toEmail", "to", "token", "*.token", "password", "cookie", "*.cookie", "authorization", "*.authorization"],
  censor: "[removed]",
};

const LEVELS = new Set(["trace", "debug", "info", "warn", "error", "fatal", "silent"]);

function level() {
  // An unknown level is reported by the configuration check (app/env.server.ts), through
  // this logger: so it must not stop the logger being made.
  if (process.env.LOG_LEVEL && LEVELS.has(process.env.LOG_LEVEL)) return process.env.LOG_LEVEL;
  // Tests read what they need from the database and their own captured streams.
  return process.env.VITEST ? "silent" : "info";
}

/**
 * Every line written while a request (or a scheduled job's run) is being handled carries
 * its request id, without each caller passing it. A line that names its own requestId
 * (an email attempt names the request that enqueued the email) keeps that one.
 */
function withRequestId() {
  const requestId = currentRequestId();
  return requestId ? { requestId } : {};
}

/**
 * An error as a log line holds it: its kind, message, code and stack, with anything shaped
 * like an address removed. Not its other properties: a database error's `detail` quotes the
 * row it refused ("Key (email)=(…) already exists").
 */
function serializeError(error: unknown) {
  if (!(error instanceof Error)) return { message: describeError(error) };
  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    message: describeError(error),
    ...(typeof code === "string" || typeof code === "number" ? { code } : {}),
    stack: error.stack?.replace(ADDRESS, "[address]"),
  };
}

export function loggerOptions(): pino.LoggerOptions {
  return {
    level: level(),
    redact,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: withRequestId,
    serializers: { err: serializeError },
    // "level":"info" rather than pino's 30: what log search tools and people read.
    formatters: { level: (label) => ({ level: label }) },
  };
}

/**
 * Where production's lines below error go: written without blocking (a write in flight
 * gathers the lines logged meanwhile into the next one), so a request or a transition does
 * not wait for its log line's system call; Node flushes what is left when the process exits.
 * Only a process killed outright can lose the lines of its last moment. Error lines go to
 * stderr as they are logged, so none is ever lost. The benchmarks log through the same.
 */
export function linesDestination(dest: number | string) {
  return pino.destination({ dest, sync: false });
}

function create(): Logger {
  const options = loggerOptions();
  if (process.env.NODE_ENV === "production" || process.env.LOG_FORMAT === "json") {
    return pino(
      options,
      pino.multistream(
        [
          { level: "trace", stream: linesDestination(1) },
          { level: "error", stream: pino.destination(2) },
        ],
        { dedupe: true },
      ),
    );
  }
  const readable = (destination: number) =>
    pretty({ colorize: process.stdout.isTTY, translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname", sync: true, destination });
  return pino(
    options,
    pino.multistream(
      [
        { level: "trace", stream: readable(1) },
        { level: "error", stream: readable(2) },
      ],
      { dedupe: true },
    ),
  );
}

export function logger(): Logger {
  holder.__springboardLogger ??= create();
  return holder.__springboardLogger;
}

/**
 * For tests that read the log lines: every later line goes to the logger given (undefined:
 * the process's own again). Returns the one it replaces, to put back afterwards.
 */
export function setLogger(value: Logger | undefined): Logger | undefined {
  const previous = holder.__springboardLogger;
  holder.__springboardLogger = value;
  return previous;
}

/**
 * A reason the process cannot start (a setting to fix): said whatever LOG_LEVEL is, since
 * it is the last thing the process says, and then the process ends with exit code 1.
 */
export function refuseToStart(message: string): never {
  const log = logger();
  if (log.isLevelEnabled("fatal")) log.fatal(message);
  else process.stderr.write(`${message}\n`);
  process.exit(1);
}

// Anything shaped like an address (SMTP errors quote the recipient: "550 <x@y>: no such user").
// Not a path: node_modules/@prisma/… has no local part before its @.
const ADDRESS = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;

/** An error's message for a log line: one line, addresses removed, bounded. */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(ADDRESS, "[address]").replace(/\s+/g, " ").slice(0, 1000);
}
