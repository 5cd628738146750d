/**
 * npm run audit:verify
 *
 * Seals any audit entries whose transactions have ended, then recomputes the whole hash
 * chain and compares it with what is stored. Exits 1 and names the first bad entry if any
 * entry was changed, removed or added after sealing. Uses DATABASE_URL, or the embedded
 * database in DATA_DIR (stop the app first: only one process can open that one).
 */
import path from "node:path";
import { sealAuditChain, verifyAuditChain } from "~/audit/chain.server.ts";
import { openDatabase } from "~/db/open.server.ts";
import { env } from "~/env.server.ts";

const config = env();
const database = await openDatabase({ url: config.DATABASE_URL, dataDir: path.resolve(config.DATA_DIR, "pglite") });
try {
  const sealed = await sealAuditChain(database);
  const result = await verifyAuditChain(database);
  if (result.ok) {
    console.log(
      `Audit chain verified: ${result.sealed} entries, none changed (${sealed} newly sealed, ${result.unsealed} waiting for their transactions to end).`,
    );
    console.log(`Last hash: ${result.lastHash}`);
    process.exitCode = 0;
  } else {
    console.error(`Audit chain BROKEN at entry ${result.brokenAt}: ${result.problem}`);
    console.error(`${result.sealed} entries before it verified.`);
    process.exitCode = 1;
  }
} finally {
  await database.close();
}
