import { randomBytes } from "node:crypto";
import pg from "pg";
import { scratchPrefix } from "./scratch-names.ts";

/**
 * Names this Vitest run, so the databases its workers make on PostgreSQL can be found and
 * dropped at the end, whether or not the worker that made one lived to drop it.
 */
export default function setup() {
  const runId = process.env.SPRINGBOARD_TEST_RUN ?? randomBytes(4).toString("hex");
  process.env.SPRINGBOARD_TEST_RUN = runId;
  return async function teardown() {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) return;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, [scratchPrefix(runId)]);
      for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  };
}
