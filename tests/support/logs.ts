import pino, { type Level } from "pino";
import { loggerOptions, setLogger } from "~/log/log.server.ts";

/**
 * The service's log lines, captured as the objects they would be written as, for tests that
 * read them. Until `restore`, every line at `level` or above goes to `lines` (and `text`,
 * the JSON as written) instead of the process's logger.
 */
export function captureLogs(level: Level = "info") {
  const lines: Record<string, unknown>[] = [];
  const text: string[] = [];
  const capture = pino(
    { ...loggerOptions(), level },
    {
      write(line: string) {
        text.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  );
  const previous = setLogger(capture);
  return { lines, text, restore: () => void setLogger(previous) };
}
