import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db/database.server.ts";
import { digestJob, sendDigests } from "~/jobs/digest.server.ts";
import { roundDeadlineJob, sendRoundDeadlineReminders } from "~/jobs/round-deadline.server.ts";
import { runDueJobs, type Job } from "~/jobs/scheduler.server.ts";
import { createTransport } from "~/mail/delivery.server.ts";
import { enqueueEmail } from "~/mail/outbox.server.ts";
import { unsubscribeUrl } from "~/mail/unsubscribe.server.ts";
import { action as accountAction, loader as accountLoader } from "~/routes/account.notifications.tsx";
import { action as unsubscribeAction, loader as unsubscribeLoader } from "~/routes/unsubscribe.tsx";
import { templates } from "../../emails/index.ts";
import { useTestDatabase } from "../support/database.ts";
import { drain } from "../support/delivery.ts";
import { createOrganisation, createRound } from "../../bench/support/fixtures.ts";
import { anonymousBrowser, context, createUser, get, post, run, signedInBrowser } from "../../bench/support/requests.ts";
import { startSmtpSink } from "../support/smtp.ts";

useTestDatabase();

beforeEach(async () => {
  await db().notification.deleteMany();
  await db().scheduledJob.deleteMany();
});

const eligible = templates["bid-eligible"]!; // not essential
const submitted = templates["bid-submitted"]!; // essential

async function notify(user: { id: string; email: string }, template = eligible, title = "Digital front door") {
  return enqueueEmail(db(), { template: template.name, to: user.email, userId: user.id, data: { ...template.sample, title } });
}

describe("preferences and the daily digest", () => {
  it("holds non-essential messages for a digest user, sends essential ones at once, and batches the held ones into one email", async () => {
    const user = await createUser("councilOfficer");
    const other = await createUser("councilOfficer");
    await db().user.updateMany({ where: { id: { in: [user.id, other.id] } }, data: { emailPreference: "digest" } });
    const held = [await notify(user, eligible, "First"), await notify(user, eligible, "Second"), await notify(user, eligible, "Third")];
    const urgent = await notify(user, submitted);
    const otherHeld = await notify(other, eligible, "Other's");
    expect(held.map((h) => h.status)).toEqual(["held", "held", "held"]);
    expect(urgent.status).toBe("pending");
    // The matrix can make an essential template non-essential for a role, and the other way round.
    expect((await enqueueEmail(db(), { template: submitted.name, to: user.email, userId: user.id, data: submitted.sample, essential: false })).status).toBe(
      "held",
    );

    const sink = await startSmtpSink();
    const transport = createTransport(sink.url);
    try {
      await drain(db(), transport);
      expect(sink.messages.map((m) => m.messageId)).toEqual([urgent.messageId]);
      expect(sink.messages[0]!.text).not.toContain("/unsubscribe?token=");

      expect(await sendDigests(db())).toBe(2);
      const digests = await db().notification.findMany({ where: { template: "daily-digest" }, orderBy: { toEmail: "asc" } });
      expect(digests).toHaveLength(2);
      const mine = digests.find((d) => d.toUserId === user.id)!;
      expect(mine.status).toBe("pending");
      expect(mine.subject).toMatch(/: 4 updates$/);
      const included = await db().notification.findMany({ where: { digestId: mine.id } });
      expect(included).toHaveLength(4);
      expect(included.every((m) => m.status === "digested")).toBe(true);
      expect(await db().notification.count({ where: { digestId: digests.find((d) => d.toUserId === other.id)!.id } })).toBe(1);
      expect(await db().notification.findUniqueOrThrow({ where: { id: otherHeld.id } })).toMatchObject({ status: "digested" });

      // Nothing is held any more: a second run sends no second digest.
      expect(await sendDigests(db())).toBe(0);

      await drain(db(), transport);
      const mail = sink.messages.find((m) => m.messageId === mine.messageId)!;
      for (const title of ["First", "Second", "Third"]) expect(mail.text).toContain(`Bid eligible: ${title}`);
      expect(mail.text).toContain(unsubscribeUrl(user.id));
      expect(mail.headerLines.find((h) => h.key === "list-unsubscribe")?.line).toContain(unsubscribeUrl(user.id));
      expect(sink.messages).toHaveLength(3);
    } finally {
      transport.close();
      await sink.close();
    }
  });

  it("puts an unsubscribe link on non-essential emails only", async () => {
    const user = await createUser("councilOfficer");
    const plain = await db().notification.findUniqueOrThrow({ where: { id: (await notify(user)).id } });
    expect(plain.status).toBe("pending");
    expect(plain.text).toContain(unsubscribeUrl(user.id));
    expect(plain.html).toContain("/unsubscribe?token=");
    const essential = await db().notification.findUniqueOrThrow({ where: { id: (await notify(user, submitted)).id } });
    expect(essential.text).not.toContain("unsubscribe");
  });

  it("records but never sends non-essential messages to someone who turned them off", async () => {
    const user = await createUser("certifier");
    await db().user.update({ where: { id: user.id }, data: { emailPreference: "off" } });
    expect((await notify(user)).status).toBe("suppressed");
    expect((await notify(user, submitted)).status).toBe("pending");
  });

  it("runs the digest from a scheduled job once per day, whichever of several workers gets there first, and after a restart", async () => {
    const user = await createUser("councilOfficer");
    await db().user.update({ where: { id: user.id }, data: { emailPreference: "digest" } });
    await notify(user);
    const job = digestJob(8);
    const registeredAt = new Date("2026-11-23T10:00:00Z");
    expect(await runDueJobs(db(), [job], registeredAt)).toEqual([]);
    const row = await db().scheduledJob.findUniqueOrThrow({ where: { name: "daily-digest" } });
    expect(row.nextRunAt.toISOString()).toBe("2026-11-24T08:00:00.000Z");

    // The next morning (a "restarted" process: all it has is the row), three workers race.
    const morning = new Date("2026-11-24T08:00:30Z");
    const ran = await Promise.all([runDueJobs(db(), [job], morning), runDueJobs(db(), [job], morning), runDueJobs(db(), [job], morning)]);
    expect(ran.flat()).toEqual(["daily-digest"]);
    expect(await db().notification.count({ where: { template: "daily-digest" } })).toBe(1);
    const after = await db().scheduledJob.findUniqueOrThrow({ where: { name: "daily-digest" } });
    expect(after.nextRunAt.toISOString()).toBe("2026-11-25T08:00:00.000Z");
    expect(after.lastRunAt?.toISOString()).toBe(morning.toISOString());
    expect(after.lockedUntil).toBeNull();
  });

  it("claims each due run exactly once even when many workers ask at the same moment", async () => {
    let runs = 0;
    const job: Job = { name: "count", nextRunAfter: (now) => new Date(now.getTime() + 60_000), run: async () => void runs++ };
    const start = new Date("2026-01-01T00:00:00Z");
    await runDueJobs(db(), [job], start);
    const due = new Date(start.getTime() + 61_000);
    await Promise.all(Array.from({ length: 6 }, () => runDueJobs(db(), [job], due)));
    expect(runs).toBe(1);
  });
});

/** Just what the reminder reads: a draft bid, its round and its lead council's officers. */
async function draftBid(closesInDays: number) {
  const round = await createRound({ closesInDays });
  const lead = await createOrganisation();
  const officer = await createUser("councilOfficer", lead.id);
  await createUser("certifier", lead.id);
  const bid = await db().bid.create({
    data: {
      reference: `LDF-REM-${Math.random().toString(36).slice(2, 8).toUpperCase()}`,
      roundId: round.id,
      leadOrganisationId: lead.id,
      createdById: officer.id,
      title: "Shared digital front door",
      state: "draft",
      snapshot: {},
      machineVersion: 1,
    },
  });
  return { bid, officer };
}

describe("round deadline reminders", () => {
  it("emails the lead council's officers once per draft bid in a round closing within 7 days", async () => {
    const soon = await draftBid(5);
    const later = await draftBid(20);
    expect(await sendRoundDeadlineReminders(db())).toBe(1);
    expect(await sendRoundDeadlineReminders(db())).toBe(0);
    const sent = await db().notification.findMany({ where: { template: "round-deadline-approaching" } });
    expect(sent.map((n) => n.toEmail)).toEqual([soon.officer.email]);
    expect(sent[0]!.subject).toContain(soon.bid.reference);
    expect(sent.some((n) => n.toEmail === later.officer.email)).toBe(false);
    expect(roundDeadlineJob.nextRunAfter(new Date(0)).getTime()).toBe(3600_000);
  });
});

describe("choosing how to get emails", () => {
  it("lets a signed-in user choose a daily digest, and releases held messages when they switch back", async () => {
    const user = await createUser("assessor");
    const browser = await signedInBrowser(user.id);
    const page = await run(() => accountLoader({ request: get("/account/notifications", browser), context: context(), params: {} }));
    expect(page.data.preference).toBe("immediate");
    const saved = await run(() =>
      accountAction({ request: post("/account/notifications", browser, { preference: "digest" }), context: context(), params: {} }),
    );
    expect(saved).toMatchObject({ status: 302, location: "/account/notifications?saved=1" });
    const held = await notify(user);
    expect(held.status).toBe("held");
    await run(() => accountAction({ request: post("/account/notifications", browser, { preference: "immediate" }), context: context(), params: {} }));
    expect((await db().notification.findUniqueOrThrow({ where: { id: held.id } })).status).toBe("pending");
    const bad = await run(() => accountAction({ request: post("/account/notifications", browser, { preference: "weekly" }), context: context(), params: {} }));
    expect(bad.status).toBe(400);
    const noCsrf = await run(() =>
      accountAction({ request: post("/account/notifications", browser, { preference: "off" }, false), context: context(), params: {} }),
    );
    expect(noCsrf.status).toBe(403);
    expect((await run(() => accountLoader({ request: get("/account/notifications"), context: context(), params: {} }))).status).toBe(302);
  });

  it("lets the signed link in an email switch to a digest or off, only after confirming", async () => {
    const user = await createUser("councilOfficer");
    const link = new URL(unsubscribeUrl(user.id));
    const browser = anonymousBrowser();
    const shown = await run(() => unsubscribeLoader({ request: get(link.pathname + link.search), context: context(), params: {} }));
    expect(shown.status).toBe(200);
    expect(shown.data.email).toBe(user.email);
    // Opening the link changed nothing.
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).emailPreference).toBe("immediate");
    const token = link.searchParams.get("token")!;
    const done = await run(() => unsubscribeAction({ request: post("/unsubscribe", browser, { token, preference: "off" }), context: context(), params: {} }));
    expect(done.data.done).toBe(true);
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).emailPreference).toBe("off");

    const forged = token.replace(/.$/, (c) => (c === "A" ? "B" : "A"));
    expect(
      (await run(() => unsubscribeLoader({ request: get(`/unsubscribe?token=${encodeURIComponent(forged)}`), context: context(), params: {} }))).status,
    ).toBe(404);
    expect(
      (await run(() => unsubscribeAction({ request: post("/unsubscribe", browser, { token: forged, preference: "off" }), context: context(), params: {} })))
        .status,
    ).toBe(404);
    expect(
      (await run(() => unsubscribeAction({ request: post("/unsubscribe", browser, { token, preference: "immediate" }), context: context(), params: {} })))
        .status,
    ).toBe(400);
  });
});
