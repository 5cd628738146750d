import { createServer, type Server, type Socket } from "node:net";
import nodemailer from "nodemailer";
import { beforeEach, describe, expect, it } from "vitest";
import { openPostgres } from "~/db/open.server.ts";
import { db } from "~/db/database.server.ts";
import { claimDue, createTransport, deliverDue, DeliveryLedger, isTransportFault, smtpTimeouts, startDeliveryLoop } from "~/mail/delivery.server.ts";
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

  it("while the SMTP server is down, says so and puts each message back untried, due at once, then delivers everything exactly once", async () => {
    const port = await freePort();
    const transport = createTransport(`smtp://127.0.0.1:${port}`);
    const ids = await enqueueMany(25, "down");
    // Down: the server's fault, not the messages': no attempt is counted and no back-off
    // pushes them later, however many times they are tried.
    for (let i = 0; i < 3; i++) {
      const result = await deliverDue(db(), transport, { ...fastOptions, batchSize: 50 });
      expect(result).toMatchObject({ claimed: 25, sent: 0, failed: 0, retrying: 0 });
      expect(result.transportFault).toMatch(/ECONNREFUSED|connect/i);
    }
    const waiting = await db().notification.findMany({ where: { id: { in: ids } } });
    expect(waiting.every((r) => r.status === "pending" && r.attempts === 0 && /ECONNREFUSED|connect/i.test(r.lastError ?? ""))).toBe(true);
    expect(waiting.every((r) => r.nextAttemptAt.getTime() <= Date.now() && r.claimToken === null && r.lockedUntil === null)).toBe(true);

    const sink = await startSmtpSink(port);
    try {
      await drain(db(), transport);
      const rows = await db().notification.findMany({ where: { id: { in: ids } } });
      expect(rows.every((r) => r.status === "sent" && r.lastError === null && r.attempts === 1)).toBe(true);
      expect(sink.messages).toHaveLength(25);
      expect(new Set(sink.messages.map((m) => m.messageId)).size).toBe(25);
      expect(new Set(sink.messages.map((m) => m.messageId))).toEqual(new Set(rows.map((r) => r.messageId)));
    } finally {
      transport.close();
      await sink.close();
    }
  });

  it("retries a message its server asks to try later (4xx), with a back-off, and marks it failed after the last attempt", async () => {
    const sink = await startSmtpSink(0, { reject: (address) => (address.startsWith("busy") ? 450 : false) });
    const transport = createTransport(sink.url);
    const [id] = await enqueueMany(1, "busy");
    const options = { ...fastOptions, maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 };
    try {
      const first = await deliverDue(db(), transport, options);
      expect(first).toMatchObject({ claimed: 1, retrying: 1 });
      expect(first.transportFault).toBeUndefined();
      const waiting = await db().notification.findUniqueOrThrow({ where: { id } });
      expect(waiting).toMatchObject({ status: "pending", attempts: 1 });
      expect(waiting.nextAttemptAt.getTime()).toBeGreaterThan(waiting.createdAt.getTime());
      for (let i = 0; i < 2; i++) {
        await new Promise((r) => setTimeout(r, 10));
        await deliverDue(db(), transport, options);
      }
      const row = await db().notification.findUniqueOrThrow({ where: { id } });
      expect(row.status).toBe("failed");
      expect(row.attempts).toBe(3);
      expect(row.lastError).toMatch(/450/);
      expect((await deliverDue(db(), transport, options)).claimed).toBe(0);
      expect(sink.messages).toEqual([]);
    } finally {
      transport.close();
      await sink.close();
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
      const counts = await Promise.all([drainCounting(db(), transports[0]!, options), drainCounting(other.prisma, transports[1]!, options)]);
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

  it("claims the longest-waiting first, an expired lease among them, leaving out what is not yet due or still leased", async () => {
    const ids = await enqueueMany(6, "order");
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
    const set = (id: string, data: Parameters<ReturnType<typeof db>["notification"]["update"]>[0]["data"]) => db().notification.update({ where: { id }, data });
    await set(ids[0]!, { nextAttemptAt: minutesAgo(1) });
    await set(ids[1]!, { nextAttemptAt: minutesAgo(30) });
    // Claimed 20 minutes ago by a worker that died: its lease ran out.
    await set(ids[2]!, { nextAttemptAt: minutesAgo(20), status: "sending", lockedUntil: minutesAgo(18), claimToken: "dead", attempts: 1 });
    // Still held by a live worker, though it waited longest.
    await set(ids[3]!, { nextAttemptAt: minutesAgo(60), status: "sending", lockedUntil: new Date(Date.now() + 60_000), claimToken: "alive", attempts: 1 });
    // A retry not due for another hour.
    await set(ids[4]!, { nextAttemptAt: new Date(Date.now() + 3_600_000) });
    await set(ids[5]!, { nextAttemptAt: minutesAgo(10) });

    const first = await claimDue(db(), { ...fastOptions, batchSize: 3 }, "first");
    expect(first.map((m) => m.id)).toEqual([ids[1], ids[2], ids[5]]);
    expect(first.map((m) => m.attempts)).toEqual([1, 2, 1]);
    const second = await claimDue(db(), { ...fastOptions, batchSize: 3 }, "second");
    expect(second.map((m) => m.id)).toEqual([ids[0]]);
    const rows = new Map((await db().notification.findMany({ where: { id: { in: ids } } })).map((r) => [r.id, r]));
    expect([ids[1], ids[2], ids[5]].map((id) => rows.get(id!)!.claimToken)).toEqual(["first", "first", "first"]);
    expect(rows.get(ids[3]!)!.claimToken).toBe("alive");
    expect(rows.get(ids[4]!)!.status).toBe("pending");
  });

  it("after a crash between sending and marking, sends once more with the same Message-ID (the documented bound)", async () => {
    const sink = await startSmtpSink();
    const transport = createTransport(sink.url);
    try {
      const [id] = await enqueueMany(1, "crash");
      // Worker A claims the message and the SMTP server accepts it, then A dies before marking it sent.
      const [claimed] = await claimDue(db(), { ...fastOptions, leaseMs: 60_000 });
      expect(claimed!.id).toBe(id);
      await transport.sendMail({
        from: fastOptions.from,
        to: claimed!.toEmail,
        subject: claimed!.subject,
        text: claimed!.text,
        html: claimed!.html,
        messageId: claimed!.messageId,
      });
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

/** An SMTP server that accepts connections and then says only `greeting` (or nothing at all). */
async function stalledServer(greeting?: string): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
    if (greeting) socket.write(`${greeting}\r\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe("when the SMTP server or the database goes away", () => {
  it("gives every SMTP connection and send a time limit, so a server that never answers cannot hold a worker", () => {
    const transport = createTransport("smtp://127.0.0.1:2525");
    const settings = (transport as unknown as { options: Record<string, unknown> }).options;
    expect(settings).toMatchObject(smtpTimeouts);
    // Each stage ends well inside the lease, so no other worker takes a message over while it is being tried.
    expect(Math.max(...Object.values(smtpTimeouts))).toBeLessThan(fastOptions.leaseMs / 2);
    transport.close();
    // SMTP_URL can set them.
    const tuned = createTransport("smtp://127.0.0.1:2525?greetingTimeout=2000");
    expect((tuned as unknown as { options: Record<string, unknown> }).options.greetingTimeout).toBe(2000);
    tuned.close();
  });

  it("gives up on a server that accepts the connection and never greets, or greets and then never answers, and keeps the message untried", async () => {
    for (const greeting of [undefined, "220 stalled.example ESMTP"]) {
      await db().notification.deleteMany();
      const stalled = await stalledServer(greeting);
      const transport = createTransport(`${stalled.url}?connectionTimeout=500&greetingTimeout=500&socketTimeout=500`);
      try {
        const [id] = await enqueueMany(1, "stalled");
        const result = await deliverDue(db(), transport, fastOptions);
        expect(result).toMatchObject({ claimed: 1, sent: 0, failed: 0, retrying: 0 });
        expect(result.transportFault).toMatch(/greeting never received|timeout/i);
        expect(await db().notification.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "pending", attempts: 0, lockedUntil: null });
      } finally {
        transport.close();
        await stalled.close();
      }
    }
  });

  it("treats a server that turns the session away (a 421 or 4xx greeting) as down, not each message as undeliverable", async () => {
    const busy = await stalledServer("421 busy.example Service not available, try again later");
    const transport = createTransport(busy.url);
    try {
      const [id] = await enqueueMany(1, "turned-away");
      const result = await deliverDue(db(), transport, fastOptions);
      expect(result.transportFault).toMatch(/421/);
      expect(await db().notification.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "pending", attempts: 0 });
    } finally {
      transport.close();
      await busy.close();
    }
    // What counts as the message's own fault stays so.
    expect(isTransportFault({ code: "EENVELOPE", responseCode: 550, command: "RCPT TO" })).toBe(false);
    expect(isTransportFault({ code: "EENVELOPE", responseCode: 450, command: "RCPT TO" })).toBe(false);
    expect(isTransportFault({ code: "EMESSAGE", responseCode: 552, command: "DATA" })).toBe(false);
    expect(isTransportFault({ code: "EPROTOCOL", responseCode: 554, command: "CONN" })).toBe(true);
  });

  it("pauses the loop while the SMTP server is down, asking it every few seconds, and drains as soon as it answers", async () => {
    const port = await freePort();
    const transport = createTransport(`smtp://127.0.0.1:${port}`);
    const ids = await enqueueMany(30, "paused");
    const loop = startDeliveryLoop(db(), transport, { ...fastOptions, transportProbeMs: 100 }, 20);
    let sink: Awaited<ReturnType<typeof startSmtpSink>> | undefined;
    try {
      // Every batch in flight when the server went away is handed back untried.
      await until(async () => {
        const rows = await db().notification.findMany({ where: { id: { in: ids } }, select: { status: true, lastError: true } });
        return rows.some((r) => r.lastError !== null) && rows.every((r) => r.status === "pending");
      });
      // Paused: the loop claims nothing while it waits (nothing is `sending`, no attempt is spent).
      await new Promise((r) => setTimeout(r, 300));
      const waiting = await db().notification.findMany({ where: { id: { in: ids } } });
      expect(waiting.every((r) => r.status === "pending" && r.attempts === 0)).toBe(true);
      sink = await startSmtpSink(port);
      await until(async () => (await db().notification.count({ where: { id: { in: ids }, status: "sent" } })) === 30);
      expect(new Set(sink.messages.map((m) => m.messageId)).size).toBe(30);
      expect(sink.messages).toHaveLength(30);
    } finally {
      await loop.stop();
      transport.close();
      await sink?.close();
    }
  });

  it("hands back at once, untried, the messages of a claim whose answer was lost", async () => {
    const ids = await enqueueMany(3, "lost");
    const ledger = new DeliveryLedger();
    // The claim committed but its answer never came back (the connection dropped).
    const token = "claim-whose-answer-was-lost";
    expect(await claimDue(db(), { ...fastOptions, leaseMs: 120_000 }, token)).toHaveLength(3);
    ledger.claimLost(token);
    expect(ledger.owing).toBe(true);
    const sink = await startSmtpSink();
    const transport = createTransport(sink.url);
    try {
      // The next batch writes that first, so the messages go now rather than after the lease.
      const result = await deliverDue(db(), transport, fastOptions, ledger);
      expect(result).toMatchObject({ claimed: 3, sent: 3 });
      expect(ledger.owing).toBe(false);
      const rows = await db().notification.findMany({ where: { id: { in: ids } } });
      expect(rows.every((r) => r.status === "sent" && r.attempts === 1)).toBe(true);
      expect(sink.messages).toHaveLength(3);
    } finally {
      transport.close();
      await sink.close();
    }
  });
});

async function until(check: () => Promise<boolean>, seconds = 20) {
  const deadline = Date.now() + seconds * 1000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("Gave up waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}

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
