import { describe, expect, it } from "vitest";
import { db } from "~/db/database.server.ts";
import { createTransport } from "~/mail/delivery.server.ts";
import { enqueueEmail } from "~/mail/outbox.server.ts";
import { action as logAction, loader as logLoader, PAGE_SIZE } from "~/routes/notifications._index.tsx";
import { loader as previewLoader } from "~/routes/notifications.templates.$name.preview.tsx";
import { loader as templatesLoader } from "~/routes/notifications.templates.tsx";
import { templates } from "../../emails/index.ts";
import { notificationMatrix } from "../../workflows/notification-matrix.ts";
import { useTestDatabase } from "../support/database.ts";
import { drain } from "../support/delivery.ts";
import { context, createUser, get, post, run, signedInBrowser } from "../../bench/support/requests.ts";
import { startSmtpSink } from "../support/smtp.ts";

useTestDatabase();

const sample = templates["bid-submitted"]!;

describe("the fund team's delivery log and template pages", () => {
  it("are for the fund team only", async () => {
    for (const role of ["councilOfficer", "certifier", "assessor", "gateApprover", "admin"] as const) {
      const browser = await signedInBrowser((await createUser(role)).id);
      expect((await run(() => logLoader({ request: get("/notifications", browser), context: context(), params: {} }))).status).toBe(403);
      expect((await run(() => templatesLoader({ request: get("/notifications/templates", browser), context: context(), params: {} }))).status).toBe(403);
      expect((await run(() => logAction({ request: post("/notifications", browser, { id: "x" }), context: context(), params: {} }))).status).toBe(403);
    }
    const signedOut = await run(() => logLoader({ request: get("/notifications"), context: context(), params: {} }));
    expect(signedOut.status).toBe(302);
    expect(signedOut.location).toBe("/sign-in?returnTo=%2Fnotifications");
  });

  it("previews every template with its sample and shows the notification matrix", async () => {
    const browser = await signedInBrowser((await createUser("fundTeam")).id);
    const page = await run(() => templatesLoader({ request: get("/notifications/templates", browser), context: context(), params: {} }));
    expect(page.status).toBe(200);
    expect(page.data.previews).toHaveLength(Object.keys(templates).length);
    const digest = page.data.previews.find((p: { name: string }) => p.name === "daily-digest");
    expect(digest.essential).toBe(false);
    expect(digest.text).toContain("/unsubscribe?token=sample");
    expect(page.data.matrix).toHaveLength(notificationMatrix.length);
  });

  it("previews a template's HTML by its name, and finds no template under a name every object has", async () => {
    const browser = await signedInBrowser((await createUser("fundTeam")).id);
    const preview = (name: string) =>
      run(() => previewLoader({ request: get(`/notifications/templates/${encodeURIComponent(name)}/preview`, browser), context: context(), params: { name } }));
    const shown = await preview("sign-in-link");
    expect(shown.status).toBe(200);
    const html = await shown.response!.text();
    expect(html).toContain("/sign-in/verify?token=sample");
    // The email as sent is titled by its subject; the preview says it is one, in the service.
    expect(html.match(/<title>[^<]*<\/title>/g)).toEqual(["<title>Email preview: Your Springboard sign-in link – Springboard</title>"]);
    for (const name of ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "no-such-template"]) {
      expect((await preview(name)).status, name).toBe(404);
    }
    // The delivery log's template filter ignores such a name rather than filtering by it.
    const filtered = await run(() => logLoader({ request: get("/notifications?template=constructor", browser), context: context(), params: {} }));
    expect(filtered.data.filters.template).toBeUndefined();
  });

  it("lists messages with counts and filters, and retries a failed one", async () => {
    const browser = await signedInBrowser((await createUser("fundTeam")).id);
    for (let i = 0; i < PAGE_SIZE + 5; i++) await enqueueEmail(db(), { template: sample.name, to: `many-${i}@example.test`, data: sample.sample });
    const failed = await enqueueEmail(db(), { template: "sign-in-link", to: "bounced@example.test", data: templates["sign-in-link"]!.sample });
    await db().notification.update({ where: { id: failed.id }, data: { status: "failed", attempts: 8, lastError: "connect ECONNREFUSED 127.0.0.1:25" } });

    const all = await run(() => logLoader({ request: get("/notifications", browser), context: context(), params: {} }));
    expect(all.data.total).toBe(PAGE_SIZE + 6);
    expect(all.data.messages).toHaveLength(PAGE_SIZE);
    expect(all.data.pageCount).toBe(2);
    expect(all.data.counts.find((c: { status: string }) => c.status === "failed").count).toBe(1);
    const page2 = await run(() => logLoader({ request: get("/notifications?page=2", browser), context: context(), params: {} }));
    expect(page2.data.messages).toHaveLength(6);

    const onlyFailed = await run(() => logLoader({ request: get("/notifications?status=failed", browser), context: context(), params: {} }));
    expect(onlyFailed.data.messages.map((m: { id: string }) => m.id)).toEqual([failed.id]);
    expect(onlyFailed.data.messages[0]).toMatchObject({ attempts: 8, lastError: "connect ECONNREFUSED 127.0.0.1:25", messageId: failed.messageId });
    const byRecipient = await run(() => logLoader({ request: get("/notifications?to=MANY-1", browser), context: context(), params: {} }));
    expect(byRecipient.data.total).toBe(1 + 10 + (PAGE_SIZE + 5 > 100 ? 100 : 0));
    const byTemplate = await run(() =>
      logLoader({ request: get("/notifications?template=sign-in-link&status=nonsense", browser), context: context(), params: {} }),
    );
    expect(byTemplate.data.total).toBe(1);

    const notFailed = all.data.messages.find((m: { status: string }) => m.status === "pending");
    expect((await run(() => logAction({ request: post("/notifications", browser, { id: notFailed.id }), context: context(), params: {} }))).status).toBe(409);
    expect((await run(() => logAction({ request: post("/notifications", browser, { id: failed.id }, false), context: context(), params: {} }))).status).toBe(
      403,
    );
    const retried = await run(() => logAction({ request: post("/notifications?status=failed", browser, { id: failed.id }), context: context(), params: {} }));
    expect(retried).toMatchObject({ status: 302, location: "/notifications?status=failed&retried=1" });
    expect(await db().notification.findUniqueOrThrow({ where: { id: failed.id } })).toMatchObject({ status: "pending", attempts: 8 });

    const sink = await startSmtpSink();
    const transport = createTransport(sink.url);
    try {
      await drain(db(), transport);
      const row = await db().notification.findUniqueOrThrow({ where: { id: failed.id } });
      expect(row).toMatchObject({ status: "sent", attempts: 9, lastError: null });
      expect(sink.messages.filter((m) => m.messageId === failed.messageId)).toHaveLength(1);
    } finally {
      transport.close();
      await sink.close();
    }
  });
});
