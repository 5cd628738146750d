import { rmSync } from "node:fs";
import { axeCacheDir } from "./axe-cache.ts";

/** Each run checks every distinct page afresh: results from an earlier run are dropped. */
export default function globalSetup() {
  rmSync(axeCacheDir, { recursive: true, force: true });
}
