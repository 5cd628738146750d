/**
 * Emails per second through the outbox (enqueue: render + insert, as the workflow engine
 * writes them; then the delivery
 * worker: claim with SKIP LOCKED, send over pooled SMTP, mark sent) against plain
 * nodemailer sending the same rendered messages over the same kind of pooled transport,
 * to the same in-process SMTP sink, in the same run.
 *
 *   npm run bench:notifications                  # 10,000 messages a side
 *   BENCH_SIZE=1000 npm run bench:notifications
 *   BENCH_DATABASE_URL=postgresql://... npm run bench:notifications   # else TEST_DATABASE_URL, else embedded PGlite
 *
 * The last line is the ratio outbox/plain; the exit code is 1 below 0.8, on either engine. bench/README.md
 * explains the method.
 */
import { tmpdir } from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { setDatabase } from "~/db/database.server.ts";
import { createScratchDatabase } from "./support/scratch.ts";
import { createTransport, defaultDeliveryOptions, startDeliveryLoop, type DeliveryOptions } from "~/mail/delivery.server.ts";
import { composeEmail } from "~/mail/outbox.server.ts";
import { insertEmails } from "~/mail/sql.server.ts";
import { templates } from "../emails/index.ts";
import pino from "pino";
import { linesDestination, loggerOptions, setLogger } from "~/log/log.server.ts";

// Each transition and email writes a log line: measured as production writes it (JSON), and
// thrown away so that the results stay readable.
setLogger(pino({ ...loggerOptions(), level: "info" }, linesDestination("/dev/null")));

process.env.SESSION_SECRET ??= "bench-secret-long-enough-for-signing-0123456789";
process.env.DATA_DIR ??= path.join(tmpdir(), "springboard-bench");

const size = Number(process.env.BENCH_SIZE ?? 10_000);
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
const target = 0.8;
// What `npm start` and `npm run worker` use (the worker polls every second when idle and goes
// again at once after a full batch either way); BENCH_BATCH and BENCH_LANES try others.
const options: DeliveryOptions = {
  ...defaultDeliveryOptions,
  batchSize: Number(process.env.BENCH_BATCH ?? defaultDeliveryOptions.batchSize),
  parallelBatches: Number(process.env.BENCH_LANES ?? defaultDeliveryOptions.parallelBatches),
};
const ENQUEUE_CHUNK = 50; // emails written per transaction, as a busy app would

// The sink: a real SMTP server that reads each message to the end and throws it away.
let received = 0;
const sink = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS", "AUTH"],
  logger: false,
  onData(stream, _session, callback) {
    stream.on("data", () => undefined);
    stream.on("end", () => {
      received++;
      callback();
    });
  },
});
await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", () => resolve()));
const smtpUrl = `smtp://127.0.0.1:${(sink.server.address() as AddressInfo).port}`;

// On the embedded database, in a data folder as `npm start` keeps it (in memory, PGlite grows
// its files by copying them, which the service never does).
const database = await createScratchDatabase(serverUrl, { onDisk: true });
setDatabase(database);
const prisma = database.prisma;

// The same messages for both sides: the essential templates in turn (nothing is held).
const chosen = Object.values(templates).filter((t) => t.essential);
const messages = Array.from({ length: size }, (_, i) => {
  const template = chosen[i % chosen.length]!;
  return { template: template.name, to: `bench-${i}@example.test`, data: template.sample as Record<string, unknown> };
});

async function plainNodemailer(list: typeof messages) {
  const transport = createTransport(smtpUrl);
  const start = performance.now();
  await Promise.all(
    list.map((m, i) => {
      const content = templates[m.template]!.render(m.data);
      return transport.sendMail({
        from: options.from,
        to: m.to,
        subject: content.subject,
        text: content.text,
        html: content.html,
        messageId: `<plain-${i}@springboard>`,
      });
    }),
  );
  const ms = performance.now() - start;
  transport.close();
  return ms;
}

async function outbox(list: typeof messages) {
  const transport = createTransport(smtpUrl);
  const start = performance.now();
  // The app writes emails (in the transactions of the changes they report) while the
  // worker delivers: both run at once, as in production.
  let enqueued = false;
  let enqueueMs = 0;
  const writer = (async () => {
    for (let i = 0; i < list.length; i += ENQUEUE_CHUNK) {
      // The workflow engine's path: render each email, then one multi-row INSERT in the
      // transaction (app/engine/apply-event.server.ts).
      const rows = list.slice(i, i + ENQUEUE_CHUNK).map((m) => composeEmail(m, null));
      await database.sqlTransaction((sql) => insertEmails(sql, rows));
    }
    enqueueMs = performance.now() - start;
    enqueued = true;
  })();
  // The worker loop the service runs (server/index.ts, server/worker.ts); when it finds
  // nothing due it polls again after 10 ms here (1 s in the service).
  const worker = startDeliveryLoop(prisma, transport, options, 10);
  // Done when the sink has every message and every row is marked sent. The database is asked
  // only once the sink has them all: counting the rows every 100 ms from the start put the
  // bench's own queries on the outbox's side (on PGlite, on the same thread as the worker).
  const before = received;
  const delivered = () => received - before;
  let seen = delivered();
  let progressAt = performance.now();
  for (;;) {
    await new Promise((r) => setTimeout(r, delivered() < list.length ? 10 : 100));
    if (delivered() !== seen) [seen, progressAt] = [delivered(), performance.now()];
    // A message that failed never reaches the sink: when nothing has arrived for 5 s, look.
    const stalled = performance.now() - progressAt > 5000;
    if (!stalled && (!enqueued || delivered() < list.length)) continue;
    const left = await prisma.notification.count({ where: { status: { not: "sent" } } });
    if (left === 0) break;
    const failed = await prisma.notification.count({ where: { OR: [{ status: "failed" }, { attempts: { gt: 1 } }] } });
    if (failed) throw new Error(`${failed} messages failed or were retried in the bench`);
  }
  await worker.stop();
  await writer;
  const ms = performance.now() - start;
  transport.close();
  const notSent = await prisma.notification.count({ where: { status: { not: "sent" } } });
  if (notSent) throw new Error(`${notSent} messages were not marked sent`);
  const retried = await prisma.notification.count({ where: { attempts: { not: 1 } } });
  if (retried) throw new Error(`${retried} messages needed more than one attempt`);
  return { ms, enqueueMs };
}

const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);
let exitCode = 0;
try {
  // Warm-up: connections, JIT, prepared statements.
  const warm = messages.slice(0, Math.min(200, size));
  await plainNodemailer(warm);
  await outbox(warm);
  await prisma.notification.deleteMany();
  received = 0;

  const plainMs = await plainNodemailer(messages);
  if (received !== size) throw new Error(`The sink got ${received} of ${size} plain messages`);
  received = 0;
  const { ms: outboxMs, enqueueMs } = await outbox(messages);
  if (received !== size) throw new Error(`The sink got ${received} of ${size} outbox messages (expected exactly once each)`);

  const plain = rate(size, plainMs);
  const ours = rate(size, outboxMs);
  const ratio = ours / plain;
  console.log(`database           ${database.engine === "pglite" ? "embedded PGlite" : "PostgreSQL"}`);
  console.log(
    `messages           ${size.toLocaleString("en-GB")} a side, ${chosen.length} templates, batch ${options.batchSize} x ${options.parallelBatches} in flight`,
  );
  console.log(`plain nodemailer   ${(plainMs / 1000).toFixed(2)} s   ${plain.toLocaleString("en-GB")} msg/s`);
  console.log(
    `outbox             ${(outboxMs / 1000).toFixed(2)} s   ${ours.toLocaleString("en-GB")} msg/s (all written after ${(enqueueMs / 1000).toFixed(2)} s)`,
  );
  console.log(`delivered          exactly once each (sink count ${received.toLocaleString("en-GB")}, all rows sent)`);
  console.log(`ratio ${ratio.toFixed(2)}`);
  if (ratio < target) {
    console.error(`Below the target of ${target}.`);
    exitCode = 1;
  }
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await database.close();
  await new Promise<void>((resolve) => sink.close(() => resolve()));
}
process.exit(exitCode);
