import nodemailer from "nodemailer";
import { beforeEach, describe, expect, it } from "vitest";
import { openPostgres } from "~/db/open.server.ts";
import { db } from "~/db/database.server.ts";
import { claimDue, createTransport, deliverDue } from "~/mail/delivery.server.ts";
import { enqueueEmail } from "~/mail/outbox.server.ts";
import { templates } from "../../emails/index.ts";
import { engine, useTestDatabase } from "../support/database.ts";
import { drain, fastOptions } from "../support/delivery.ts";
import { freePort, startSmtpSink } from "../support/smtp.ts";

const database = useTestDatabase();

beforeEach(async () => {
  await db().notification.deleteMany();
});

async function enqueueMany(count: number, prefix: string) {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const template = templates["bid-submitted"]!;
    const row = await enqueueEmail(db(), { template: template.name, to: `${prefix}-${i}@example.test`, data: template.sample });
    ids.push(row.id);
  }
  return ids;
}

describe("delivering the outbox over SMTP", () => {
  it("delivers every template, with its subject, both bodies and its fixed Message-ID", async () => {
    const sink = await startSmtpSink();
    const transport = createTransport(sink.url);
    try {
      for (const template of Object.values(templates)) {
        await enqueueEmail(db(), { template: template.name, to: `${template.name}@example.test`, data: template.sample });
      }
      await drain(db(), transport);
      const rows = await db().notification.findMany();
      expect(rows).toHaveLength(Object.keys(templates).length);
      expect(rows.every((r) => r.status === "sent" && r.attempts === 1 && r.sentAt)).toBe(true);
      expect(sink.messages).toHaveLength(rows.length);
      for (const row of rows) {
        const mail = sink.messages.find((m) => m.messageId === row.messageId);
        expect(mail, row.template).toBeDefined();
        expect(mail!.subject).toBe(templates[row.template]!.render(templates[row.template]!.sample).subject);
        expect(mail!.to && "text" in mail!.to ? mail!.to.text : "").toBe(`${row.template}@example.test`);
        expect(mail!.text?.trim()).toBe(row.text.trim());
        expect(mail!.html).toContain("<h1");
      }
    } finally {
      transport.close();
      await sink.close();
    }
  });

  it("keeps retrying while the SMTP server is down, then delivers everything exactly once", async () => {
    const port = await freePort();
    const transport = createTransport(`smtp://127.0.0.1:${port}`);
    const ids = await enqueueMany(25, "down");
    // Down: several rounds of attempts all fail and are put back with a back-off.
    for (let i = 0; i < 3; i++) {
      await deliverDue(db(), transport, { ...fastOptions, batchSize: 50 });
      await new Promise((r) => setTimeout(r, 120));
    }
    const waiting = await db().notification.findMany({ where: { id: { in: ids } } });
    expect(waiting.every((r) => r.status === "pending" && r.attempts >= 2 && /ECONNREFUSED|connect/i.test(r.lastError ?? ""))).toBe(true);
    expect(waiting.every((r) => r.nextAttemptAt.getTime() > r.createdAt.getTime())).toBe(true);

    const sink = await startSmtpSink(port);
    try {
      await drain(db(), transport);
      const rows = await db().notification.findMany({ where: { id: { in: ids } } });
      expect(rows.every((r) => r.status === "sent" && r.lastError === null)).toBe(true);
      expect(sink.messages).toHaveLength(25);
      expect(new Set(sink.messages.map((m) => m.messageId)).size).toBe(25);
      expect(new Set(sink.messages.map((m) => m.messageId))).toEqual(new Set(rows.map((r) => r.messageId)));
    } finally {
      transport.close();
      await sink.close();
    }
  });

  it("marks a message failed after the last attempt", async () => {
    const port = await freePort();
    const transport = createTransport(`smtp://127.0.0.1:${port}`);
    const [id] = await enqueueMany(1, "fail");
    const options = { ...fastOptions, maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 };
    try {
      for (let i = 0; i < 3; i++) {
        await deliverDue(db(), transport, options);
        await new Promise((r) => setTimeout(r, 10));
      }
      const row = await db().notification.findUniqueOrThrow({ where: { id } });
      expect(row.status).toBe("failed");
      expect(row.attempts).toBe(3);
      expect(row.lastError).toMatch(/ECONNREFUSED|connect/i);
      expect((await deliverDue(db(), transport, options)).claimed).toBe(0);
    } finally {
      transport.close();
    }
  });

  it("gives up at once on a permanent rejection (5xx), keeping the server's reply", async () => {
    const sink = await startSmtpSink(0, { reject: (address) => address.startsWith("nobody") });
    const transport = createTransport(sink.url);
    try {
      const template = templates["bid-submitted"]!;
      const bad = await enqueueEmail(db(), { template: template.name, to: "nobody@example.test", data: template.sample });
      const good = await enqueueEmail(db(), { template: template.name, to: "somebody@example.test", data: template.sample });
      await drain(db(), transport);
      expect(await db().notification.findUniqueOrThrow({ where: { id: bad.id } })).toMatchObject({ status: "failed", attempts: 1 });
      expect((await db().notification.findUniqueOrThrow({ where: { id: bad.id } })).lastError).toMatch(/550/);
      expect(await db().notification.findUniqueOrThrow({ where: { id: good.id } })).toMatchObject({ status: "sent" });
      expect(sink.messages.map((m) => m.messageId)).toEqual([good.messageId]);
    } finally {
      transport.close();
      await sink.close();
    }
  });

  it("never gives the same message to two workers on one database", async () => {
    const sink = await startSmtpSink();
    // On PostgreSQL the second worker has its own connection pool, like a separate process.
    const other = engine === "postgres" ? await openPostgres((database() as { url?: string }).url!) : database();
    const transports = [createTransport(sink.url), createTransport(sink.url)];
    try {
      const ids = await enqueueMany(300, "pair");
      const options = { ...fastOptions, batchSize: 7 };
      const counts = await Promise.all([
        drainCounting(db(), transports[0]!, options),
        drainCounting(other.prisma, transports[1]!, options),
      ]);
      expect(counts[0]! + counts[1]!).toBe(300);
      if (engine === "postgres") expect(counts.every((c) => c > 0)).toBe(true);
      expect(sink.messages).toHaveLength(300);
      expect(new Set(sink.messages.map((m) => m.messageId)).size).toBe(300);
      const rows = await db().notification.findMany({ where: { id: { in: ids } } });
      expect(rows.every((r) => r.status === "sent" && r.attempts === 1)).toBe(true);
    } finally {
      for (const t of transports) t.close();
      if (other !== database()) await other.close();
      await sink.close();
    }
  });

  it("after a crash between sending and marking, sends once more with the same Message-ID (the documented bound)", async () => {
    const sink = await startSmtpSink();
    const transport = createTransport(sink.url);
    try {
      const [id] = await enqueueMany(1, "crash");
      // Worker A claims the message and the SMTP server accepts it, then A dies before marking it sent.
      const [claimed] = await claimDue(db(), { ...fastOptions, leaseMs: 60_000 });
      expect(claimed!.id).toBe(id);
      await transport.sendMail({ from: fastOptions.from, to: claimed!.toEmail, subject: claimed!.subject, text: claimed!.text, html: claimed!.html, messageId: claimed!.messageId });
      // While A's lease lasts, nobody else takes it.
      expect((await deliverDue(db(), transport, fastOptions)).claimed).toBe(0);
      // The lease expires; worker B takes it over and sends it again.
      await db().notification.update({ where: { id }, data: { lockedUntil: new Date(Date.now() - 1000) } });
      const result = await deliverDue(db(), transport, fastOptions);
      expect(result).toMatchObject({ claimed: 1, sent: 1 });
      const row = await db().notification.findUniqueOrThrow({ where: { id } });
      expect(row.status).toBe("sent");
      expect(row.attempts).toBe(2);
      // Exactly one duplicate for one crash, recognisable by its Message-ID.
      expect(sink.messages).toHaveLength(2);
      expect(sink.messages.map((m) => m.messageId)).toEqual([row.messageId, row.messageId]);
      // And nothing more afterwards.
      expect((await deliverDue(db(), transport, fastOptions)).claimed).toBe(0);
    } finally {
      transport.close();
      await sink.close();
    }
  });

  it("uses a pooled SMTP connection", () => {
    const transport = createTransport("smtp://127.0.0.1:2525");
    expect((transport as unknown as { transporter: { name: string } }).transporter.name).toBe("SMTP (pool)");
    transport.close();
    expect(nodemailer).toBeDefined();
  });
});

async function drainCounting(prisma: Parameters<typeof deliverDue>[0], transport: Parameters<typeof deliverDue>[1], options: typeof fastOptions) {
  let sent = 0;
  for (;;) {
    const result = await deliverDue(prisma, transport, options);
    sent += result.sent;
    if (result.claimed === 0) {
      const left = await prisma.notification.count({ where: { status: { in: ["pending", "sending"] } } });
      if (left === 0) return sent;
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}
