import type { PrismaClient } from "~/generated/prisma/client.ts";
import { deliverDue, defaultDeliveryOptions, type DeliveryOptions } from "~/mail/delivery.server.ts";
import type { Transporter } from "nodemailer";

/** Small delays so retries happen within a test. */
export const fastOptions: DeliveryOptions = { ...defaultDeliveryOptions, baseDelayMs: 20, maxDelayMs: 100, maxAttempts: 50, batchSize: 10 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs deliverDue until nothing is pending or sending, or the deadline passes. */
export async function drain(prisma: PrismaClient, transport: Transporter, options = fastOptions, deadlineMs = 20_000) {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    const result = await deliverDue(prisma, transport, options);
    if (result.claimed === 0) {
      const left = await prisma.notification.count({ where: { status: { in: ["pending", "sending"] } } });
      if (left === 0) return;
      await sleep(10);
    }
  }
  throw new Error("The outbox did not drain in time");
}
