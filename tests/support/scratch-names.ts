/**
 * Databases made for tests on PostgreSQL are named with this prefix and the id of the
 * Vitest run, so the run's global teardown (global-setup.ts) drops every one of them, even
 * those of a worker that was killed.
 */
export const scratchPrefix = (runId: string) => `springboard_test_${runId}_`;
