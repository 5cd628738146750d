import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, vi } from "vitest";

// Configuration every test can rely on; nothing is read from a developer's shell.
process.env.SESSION_SECRET ??= "test-secret-that-is-long-enough-for-hmac-0123456789";
process.env.APP_URL = "http://localhost:3000";
process.env.DATA_DIR ??= path.join(tmpdir(), "springboard-test-data");
delete process.env.SMTP_URL;

// An unexpected console.error is a failure: it usually means a swallowed problem.
let errorSpy: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  errorSpy = vi.spyOn(console, "error");
});
afterEach(() => {
  const calls = errorSpy.mock.calls;
  errorSpy.mockRestore();
  expect(calls, `console.error was called: ${calls.map((c: unknown[]) => c.join(" ")).join("\n")}`).toEqual([]);
});
