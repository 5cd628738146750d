import { rmSync } from "node:fs";
import { startClamd } from "../support/clamd.ts";
import { axeCacheDir } from "./axe-cache.ts";
import { e2eClamdPort } from "./servers.ts";

/**
 * Each run checks every distinct page afresh: results from an earlier run are dropped.
 * Every server checks uploads for viruses with one private clamd (CLAMD_URL in
 * playwright.config.ts), stopped when the run ends.
 */
export default async function globalSetup() {
  rmSync(axeCacheDir, { recursive: true, force: true });
  const clamd = await startClamd({ port: e2eClamdPort() });
  return () => clamd.stop();
}
