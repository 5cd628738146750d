import pino, { type Logger } from "pino";
import pretty from "pino-pretty";

/**
 * The one logger. One JSON line per event in production, for whatever collects the
 * process's output; readable lines in development. Log ids and figures, never an email
 * address, a form value or a token: the paths below are removed if a caller slips.
 *
 * The Remix build and the server entry are separate module graphs: the logger lives on
 * globalThis so that both write through the same one.
 */
const holder = globalThis as unknown as { __springboardLogger?: Logger };

const redact = {
  paths: ["email", "*.email", "toEmail", "*.toEmail", "to", "token", "*.token", "password", "cookie", "*.cookie", "authorization", "*.authorization"],
  censor: "[removed]",
};

function level() {
  if (process.env.LOG_LEVEL) return process.env.LOG_LEVEL;
  // Tests read what they need from the database and their own captured streams.
  return process.env.VITEST ? "silent" : "info";
}

function create(): Logger {
  const options = { level: level(), redact, base: { pid: process.pid } };
  if (process.env.NODE_ENV === "production" || process.env.LOG_FORMAT === "json") return pino(options);
  return pino(options, pretty({ colorize: process.stdout.isTTY, translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname", sync: true }));
}

export function logger(): Logger {
  holder.__springboardLogger ??= create();
  return holder.__springboardLogger;
}

/** For tests that read the log lines: every later line goes to `destination`. */
export function setLogger(value: Logger | undefined) {
  holder.__springboardLogger = value;
}
