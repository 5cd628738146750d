// Where the browser tests' servers listen and keep their data: one server per Playwright
// worker, so that two workers never share a database. Read by playwright.config.ts and by
// the fixtures (which pick their worker's server).

/** Two workers by default: the machines this runs on have two cores. */
export function e2eWorkers(): number {
  return Math.max(1, Number(process.env.E2E_WORKERS ?? 2));
}

export interface E2eServer {
  port: number;
  url: string;
  dataDir: string;
}

export function e2eServers(): E2eServer[] {
  // E2E_PORT and E2E_DATA_DIR move a run out of another's way (two runs in one checkout).
  const firstPort = Number(process.env.E2E_PORT ?? 3100);
  const dataDir = process.env.E2E_DATA_DIR ?? ".e2e-data";
  return Array.from({ length: e2eWorkers() }, (_, i) => ({
    port: firstPort + i,
    url: `http://localhost:${firstPort + i}`,
    dataDir: `${dataDir}/${i}`,
  }));
}

/**
 * The private clamd the servers check uploads with (started by tests/e2e/global-setup.ts):
 * ten ports above the first server's, so that a run moved with E2E_PORT moves it too.
 * The servers only connect to it when a file is uploaded, so it may start after them.
 */
export function e2eClamdPort(): number {
  return Number(process.env.E2E_CLAMD_PORT ?? Number(process.env.E2E_PORT ?? 3100) + 10);
}
