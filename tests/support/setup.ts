import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, vi } from "vitest";
import { captureLogs } from "./logs.ts";

// Configuration every test can rely on; nothing is read from a developer's shell.
process.env.SESSION_SECRET ??= "test-secret-that-is-long-enough-for-hmac-0123456789";
process.env.APP_URL = "http://localhost:3000";
process.env.DATA_DIR ??= path.join(tmpdir(), "springboard-test-data");
delete process.env.SMTP_URL;

// An unexpected error, printed or logged, is a failure: it usually means a swallowed
// problem. A test that expects one captures the log itself (tests/support/logs.ts), which
// takes the lines from this check for as long as it holds them.
let errorSpy: ReturnType<typeof vi.spyOn>;
let errorLines: ReturnType<typeof captureLogs>;
beforeEach(() => {
  errorSpy = vi.spyOn(console, "error");
  errorLines = captureLogs("error");
});
afterEach(() => {
  const calls = errorSpy.mock.calls;
  errorSpy.mockRestore();
  errorLines.restore();
  expect(calls, `console.error was called: ${calls.map((c: unknown[]) => c.join(" ")).join("\n")}`).toEqual([]);
  expect(errorLines.text, `an error was logged: ${errorLines.text.join("")}`).toEqual([]);
});
