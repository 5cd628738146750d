/**
 * The pieces of observability that run inside any process, on both engines: request ids,
 * the outbox row and delivery line that carry them, the metrics answer and the settings
 * that guard it, readiness against the migrations. tests/faults/observability.test.ts reads
 * the same from the built service's real processes.
 */
import { afterEach, describe, expect, it } from "vitest";
import { db } from "~/db/database.server.ts";
import { readMigrations } from "~/db/migrate.server.ts";
import { env, resetEnvCache } from "~/env.server.ts";
import { createTransport, deliverDue } from "~/mail/delivery.server.ts";
import { enqueueEmail } from "~/mail/outbox.server.ts";
import { currentRequestId, requestIdFrom, runWithContext } from "~/log/context.server.ts";
import { describeError } from "~/log/log.server.ts";
import { metricsResponse, startMetrics } from "~/observability/metrics.server.ts";
import { checkReadiness } from "~/observability/readiness.server.ts";
import { templates } from "../../emails/index.ts";
import { useTestDatabase } from "../support/database.ts";
import { fastOptions } from "../support/delivery.ts";
import { captureLogs } from "../support/logs.ts";

const database = useTestDatabase();
const TOKEN = "a-metrics-token-that-is-long-enough-0123456789";

const saved = { ...process.env };
afterEach(() => {
  for (const key of ["NODE_ENV", "SMTP_URL", "METRICS_TOKEN", "SHUTDOWN_DRAIN_SECONDS"]) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
  resetEnvCache();
});

describe("request ids", () => {
  it("keeps a short safe id from a proxy and makes a new one for anything else", () => {
    expect(requestIdFrom("9f86d081-884c-4d63-a8f0-6c5e2a1b7f3e")).toBe("9f86d081-884c-4d63-a8f0-6c5e2a1b7f3e");
    expect(requestIdFrom(["abc123def456", "second"])).toBe("abc123def456");
    for (const unsafe of [undefined, "", "short", "has spaces in it", "<script>x</script>", "a".repeat(65), "line\nbreak-123456"]) {
      expect(requestIdFrom(unsafe)).toMatch(/^[0-9a-f]{16}$/);
    }
  });

  it("is written on the outbox row by the request that enqueues an email, and named on that email's delivery line", async () => {
    const template = templates["bid-submitted"]!;
    const row = await runWithContext({ requestId: "request-under-test-1" }, async () => {
      expect(currentRequestId()).toBe("request-under-test-1");
      return enqueueEmail(db(), { template: template.name, to: "recipient@example.test", data: template.sample });
    });
    const outside = await enqueueEmail(db(), { template: template.name, to: "other@example.test", data: template.sample });
    expect((await db().notification.findUniqueOrThrow({ where: { id: row.id } })).requestId).toBe("request-under-test-1");
    expect((await db().notification.findUniqueOrThrow({ where: { id: outside.id } })).requestId).toBeNull();

    const logs = captureLogs();
    try {
      await deliverDue(db(), createTransport(undefined), fastOptions);
    } finally {
      logs.restore();
    }
    expect(logs.lines.filter((l) => l.msg === "email attempt")).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ notificationId: row.id, template: template.name, attempt: 1, outcome: "sent", requestId: "request-under-test-1" }),
        expect.objectContaining({ notificationId: outside.id, outcome: "sent", requestId: null }),
      ]),
    );
    expect(logs.text.join("")).not.toContain("@example.test");
  });

  it("describes an error for a log line without the addresses it quotes", () => {
    expect(describeError(new Error("550 5.1.1 <jo.bloggs@leeds.gov.uk>: Recipient address rejected"))).toBe(
      "550 5.1.1 <[address]>: Recipient address rejected",
    );
    expect(describeError(new Error("at file:///srv/node_modules/@prisma/client/runtime.js"))).toBe("at file:///srv/node_modules/@prisma/client/runtime.js");
  });
});

describe("metrics", () => {
  it("has no page without a token, refuses a missing or wrong one, and answers the right one with the outbox as it stands", async () => {
    startMetrics();
    expect(await metricsResponse(`Bearer ${TOKEN}`, undefined)).toBeNull();
    expect((await metricsResponse(undefined, TOKEN))?.status).toBe(401);
    expect((await metricsResponse(`Bearer ${TOKEN}x`, TOKEN))?.status).toBe(401);
    expect((await metricsResponse(TOKEN, TOKEN))?.status).toBe(401);

    const template = templates["bid-submitted"]!;
    await enqueueEmail(db(), { template: template.name, to: "waiting@example.test", data: template.sample });
    await db().notification.updateMany({ where: { status: "pending" }, data: { createdAt: new Date(Date.now() - 600_000) } });
    const answer = await metricsResponse(`Bearer ${TOKEN}`, TOKEN);
    expect(answer?.status).toBe(200);
    expect(answer!.body).toMatch(/^springboard_outbox_messages\{status="pending"\} [1-9]\d*$/m);
    const age = Number(/^springboard_outbox_oldest_unsent_age_seconds (\S+)$/m.exec(answer!.body)?.[1]);
    expect(age).toBeGreaterThanOrEqual(600);
  });

  it("refuses to start in production with a metrics token short enough to guess", () => {
    process.env.NODE_ENV = "production";
    process.env.SMTP_URL = "smtp://127.0.0.1:9";
    process.env.METRICS_TOKEN = "short-token";
    resetEnvCache();
    expect(() => env()).toThrow("METRICS_TOKEN: must be at least 32 characters in production");
    process.env.METRICS_TOKEN = TOKEN;
    resetEnvCache();
    expect(env().METRICS_TOKEN).toBe(TOKEN);
    // A stopping process drains for 5 seconds in production unless told otherwise, and not at all elsewhere.
    expect(env().SHUTDOWN_DRAIN_SECONDS).toBe(5);
    process.env.NODE_ENV = "development";
    resetEnvCache();
    expect(env().SHUTDOWN_DRAIN_SECONDS).toBe(0);
  });
});

describe("readiness", () => {
  it("is ready when every migration is applied, and names the ones that are not", async () => {
    const names = (await readMigrations()).map((m) => m.name);
    expect(await checkReadiness(database(), names)).toEqual({ ready: true, reason: "ready" });
    expect(await checkReadiness(database(), [...names, "20991231000000_not_yet"])).toEqual({
      ready: false,
      reason: "migration not applied: 20991231000000_not_yet",
    });
    expect((await checkReadiness(database(), [...names, "20991231000000_a", "20991231000001_b"])).reason).toBe(
      "2 migrations not applied: 20991231000000_a, 20991231000001_b",
    );
  });
});
