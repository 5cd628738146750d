import { describe, expect, it } from "vitest";
import { database } from "~/db/database.server.ts";
import { maintainEmbeddedDatabase } from "~/db/maintenance.server.ts";
import { embeddedMaintenanceJob } from "~/jobs/embedded-maintenance.server.ts";
import { scheduledJobs } from "~/jobs/index.server.ts";
import { composeEmail } from "~/mail/outbox.server.ts";
import { insertEmails } from "~/mail/sql.server.ts";
import { templates } from "../../emails/index.ts";
import { useTestDatabase } from "../support/database.ts";

useTestDatabase();

const plan = async (sql: string) => (await database().sql<{ "QUERY PLAN": string }>(`EXPLAIN ${sql}`)).rows.map((r) => r["QUERY PLAN"]).join("\n");
const claimPlan = () =>
  plan(`SELECT id FROM "Notification" WHERE status = 'pending' AND "nextAttemptAt" <= now() ORDER BY "nextAttemptAt" LIMIT 20 FOR UPDATE SKIP LOCKED`);

async function fillOutbox(count: number) {
  const template = Object.values(templates).find((t) => t.essential)!;
  for (let i = 0; i < count; i += 100) {
    const rows = Array.from({ length: Math.min(100, count - i) }, (_, k) =>
      composeEmail({ template: template.name, to: `reader-${i + k}@example.test`, data: template.sample as Record<string, unknown> }, null),
    );
    await database().sqlTransaction((sql) => insertEmails(sql, rows));
  }
}

describe("the embedded database's maintenance", () => {
  it("runs every minute with the other scheduled jobs", () => {
    expect(scheduledJobs()).toContain(embeddedMaintenanceJob);
    const now = new Date("2026-12-07T09:00:00Z");
    expect(embeddedMaintenanceJob.nextRunAfter(now).getTime() - now.getTime()).toBe(60_000);
  });

  it("analyses the embedded tables that grew, so the outbox's claim reads an index instead of every pending email; PostgreSQL has its autovacuum", async () => {
    if (database().engine === "postgres") {
      await fillOutbox(200);
      expect(await maintainEmbeddedDatabase(database())).toEqual([]);
      return;
    }
    await fillOutbox(3000);
    // Never analysed, the table looks small to the planner: every pending row is read and sorted.
    expect(await claimPlan()).toMatch(/Sort/);

    const maintained = await maintainEmbeddedDatabase(database());
    expect(maintained).toContain("Notification");
    const { rows } = await database().sql<{ reltuples: number }>(`SELECT reltuples FROM pg_class WHERE relname = 'Notification'`);
    expect(Number(rows[0]!.reltuples)).toBe(3000);
    expect(await claimPlan()).not.toMatch(/Sort/);
    // The claim reads the index of waiting and sending emails alone (…_outbox_lean_writes).
    expect(await claimPlan()).toMatch(/Notification_waiting_idx/);

    // Nothing has grown since: nothing to do until it does.
    expect(await maintainEmbeddedDatabase(database())).not.toContain("Notification");
    await fillOutbox(1000);
    expect(await maintainEmbeddedDatabase(database())).toContain("Notification");
  });
});
