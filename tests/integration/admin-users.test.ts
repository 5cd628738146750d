import { describe, expect, it, vi } from "vitest";
import { db } from "~/db/database.server.ts";
import * as outbox from "~/mail/outbox.server.ts";
import { loader as usersLoader } from "~/routes/admin.users._index.tsx";
import { action as inviteAction, loader as inviteLoader } from "~/routes/admin.users.new.tsx";
import { useTestDatabase } from "../support/database.ts";
import { anonymousBrowser, context, createUser, get, post, run, signedInBrowser, type Browser } from "../../bench/support/requests.ts";

// The real outbox, wrapped so that one test can make it fail.
vi.mock("~/mail/outbox.server.ts", async (importOriginal) => {
  const real = await importOriginal<typeof import("~/mail/outbox.server.ts")>();
  return { ...real, enqueueEmail: vi.fn(real.enqueueEmail) };
});

useTestDatabase({ referenceData: true });

async function adminBrowser() {
  const ministry = await db().organisation.findUniqueOrThrow({ where: { code: "MHCLG" } });
  const admin = await createUser("admin", ministry.id);
  return { browser: await signedInBrowser(admin.id), admin };
}

const invite = (browser: Browser, fields: Record<string, string>, withCsrf = true) =>
  run(() => inviteAction({ request: post("/admin/users/new", browser, fields, withCsrf), context: context(), params: {} }));

const users = (browser: Browser, query = "") => run(() => usersLoader({ request: get(`/admin/users${query}`, browser), context: context(), params: {} }));

const valid = (extra: Record<string, string> = {}) => ({
  name: "Sam Okafor",
  email: "Sam.Okafor@Leeds.example",
  role: "councilOfficer",
  organisation: "Leeds",
  ...extra,
});

describe("who may manage users", () => {
  it("refuses everyone but administrators, and sends the signed-out to sign in", async () => {
    for (const role of ["councilOfficer", "certifier", "assessor", "fundTeam", "gateApprover"] as const) {
      const browser = await signedInBrowser((await createUser(role)).id);
      expect((await users(browser)).status, role).toBe(403);
      expect((await run(() => inviteLoader({ request: get("/admin/users/new", browser), context: context(), params: {} }))).status).toBe(403);
      expect((await invite(browser, valid({ email: `${role}@example.test` }))).status).toBe(403);
    }
    const anonymous = await users(anonymousBrowser());
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toBe("/sign-in?returnTo=%2Fadmin%2Fusers");
    const attempted = ["councilOfficer", "certifier", "assessor", "fundTeam", "gateApprover"].map((r) => `${r.toLowerCase()}@example.test`);
    expect(await db().user.count({ where: { email: { in: attempted } } })).toBe(0);
  });

  it("refuses an invitation without the CSRF token", async () => {
    const { browser } = await adminBrowser();
    expect((await invite(browser, valid({ email: "nocsrf@leeds.example" }), false)).status).toBe(403);
    expect(await db().user.count({ where: { email: "nocsrf@leeds.example" } })).toBe(0);
  });
});

describe("the users list", () => {
  it("lists users with their role and organisation, and searches them", async () => {
    const { browser, admin } = await adminBrowser();
    const officer = await createUser("councilOfficer");
    await db().user.update({ where: { id: officer.id }, data: { lastSignInAt: new Date("2026-01-05T09:30:00Z") } });
    const all = await users(browser);
    expect(all.status).toBe(200);
    const row = all.data.users.find((u: { id: string }) => u.id === officer.id);
    expect(row).toMatchObject({ name: officer.name, email: officer.email, role: "councilOfficer", organisation: { name: expect.any(String) } });
    expect(row.lastSignInAt).toEqual(new Date("2026-01-05T09:30:00Z"));
    expect(all.data.total).toBe(await db().user.count());

    const byEmail = await users(browser, `?q=${encodeURIComponent(officer.email.toUpperCase())}`);
    expect(byEmail.data.users.map((u: { id: string }) => u.id)).toEqual([officer.id]);
    const byOrganisation = await users(browser, "?q=mhclg");
    expect(byOrganisation.data.users.map((u: { id: string }) => u.id)).toContain(admin.id);
    expect((await users(browser, "?q=nobody-at-all")).data.users).toEqual([]);
  });

  it("shows the success banner only for someone who really was invited", async () => {
    const { browser } = await adminBrowser();
    const officer = await createUser("councilOfficer");
    expect((await users(browser, `?invited=${encodeURIComponent(officer.email)}`)).data.invited).toEqual({ name: officer.name, email: officer.email });
    expect((await users(browser, "?invited=made-up%40example.test")).data.invited).toBeNull();
  });
});

describe("inviting a user", () => {
  it("offers the names of organisations that still exist", async () => {
    const { browser } = await adminBrowser();
    await db().organisation.update({ where: { code: "BAS" }, data: { endDate: new Date("2020-03-31T00:00:00Z") } });
    const page = await run(() => inviteLoader({ request: get("/admin/users/new", browser), context: context(), params: {} }));
    expect(page.data.organisations).toContain("Leeds");
    expect(page.data.organisations).toContain("MHCLG");
    expect(page.data.organisations).not.toContain("Bath and North East Somerset");
    expect(page.data.roles.map((r: { value: string }) => r.value)).toEqual(["councilOfficer", "certifier", "assessor", "fundTeam", "gateApprover", "admin"]);
    await db().organisation.update({ where: { code: "BAS" }, data: { endDate: null } });
  });

  it("creates the user and puts the invitation email in the outbox, then shows the list", async () => {
    const { browser, admin } = await adminBrowser();
    const result = await invite(browser, valid());
    expect(result.status).toBe(302);
    expect(result.location).toBe("/admin/users?invited=sam.okafor%40leeds.example");

    const user = await db().user.findUniqueOrThrow({ where: { email: "sam.okafor@leeds.example" }, include: { organisation: true } });
    expect(user).toMatchObject({ name: "Sam Okafor", role: "councilOfficer", senior: false, invitedById: admin.id });
    expect(user.organisation.code).toBe("LDS");

    const email = await db().notification.findFirstOrThrow({ where: { toUserId: user.id } });
    expect(email).toMatchObject({ template: "user-invited", toEmail: "sam.okafor@leeds.example", status: "pending" });
    expect(email.data).toEqual({
      name: "Sam Okafor",
      organisation: "Leeds",
      role: "council officer",
      invitedBy: admin.name,
      signInUrl: "http://localhost:3000/sign-in",
    });
    expect(email.text).toContain(`${admin.name} has given you access to Springboard as a council officer for Leeds.`);
  });

  it("writes neither the user nor the email when the email cannot be queued", async () => {
    const { browser } = await adminBrowser();
    vi.mocked(outbox.enqueueEmail).mockRejectedValueOnce(new Error("outbox unavailable"));
    await expect(invite(browser, valid({ email: "atomic@leeds.example" }))).rejects.toThrow("outbox unavailable");
    expect(await db().user.count({ where: { email: "atomic@leeds.example" } })).toBe(0);
    expect(await db().notification.count({ where: { toEmail: "atomic@leeds.example" } })).toBe(0);
  });

  it("finds the organisation by its code or official name, in any case", async () => {
    const { browser } = await adminBrowser();
    expect((await invite(browser, valid({ email: "by-code@bir.example", organisation: "bir" }))).status).toBe(302);
    expect((await db().user.findUniqueOrThrow({ where: { email: "by-code@bir.example" }, include: { organisation: true } })).organisation.code).toBe("BIR");
    expect((await invite(browser, valid({ email: "by-official@man.example", organisation: "  manchester city council " }))).status).toBe(302);
    expect((await db().user.findUniqueOrThrow({ where: { email: "by-official@man.example" }, include: { organisation: true } })).organisation.code).toBe("MAN");
  });

  it("marks a gate approver as senior only when asked, and never anyone else", async () => {
    const { browser } = await adminBrowser();
    await invite(browser, valid({ email: "senior@mhclg.example", role: "gateApprover", organisation: "MHCLG", senior: "yes" }));
    await invite(browser, valid({ email: "junior@mhclg.example", role: "gateApprover", organisation: "MHCLG" }));
    await invite(browser, valid({ email: "notapprover@mhclg.example", role: "fundTeam", organisation: "MHCLG", senior: "yes" }));
    expect((await db().user.findUniqueOrThrow({ where: { email: "senior@mhclg.example" } })).senior).toBe(true);
    expect((await db().user.findUniqueOrThrow({ where: { email: "junior@mhclg.example" } })).senior).toBe(false);
    expect((await db().user.findUniqueOrThrow({ where: { email: "notapprover@mhclg.example" } })).senior).toBe(false);
    const email = await db().notification.findFirstOrThrow({ where: { toEmail: "senior@mhclg.example" } });
    expect((email.data as { role: string }).role).toBe("gate approver");
  });

  it("asks for each missing answer, keeping what was typed", async () => {
    const { browser } = await adminBrowser();
    const result = await invite(browser, { name: " ", email: "", role: "", organisation: "" });
    expect(result.status).toBe(400);
    expect(result.data.errors).toEqual({
      name: "Enter the person's full name",
      email: "Enter the person's email address",
      role: "Select the person's role",
      organisation: "Enter the person's organisation",
    });
    const bad = await invite(browser, valid({ email: "not an email", role: "emperor" }));
    expect(bad.data.errors).toEqual({
      email: "Enter an email address in the correct format, like name@council.gov.uk",
      role: "Select the person's role",
    });
    expect(bad.data.values).toEqual({ name: "Sam Okafor", email: "not an email", role: "emperor", organisation: "Leeds" });
  });

  it("refuses an email address that already has a user, whatever its case", async () => {
    const { browser } = await adminBrowser();
    const existing = await createUser("councilOfficer");
    const result = await invite(browser, valid({ email: existing.email.toUpperCase() }));
    expect(result.status).toBe(400);
    expect(result.data.errors).toEqual({ email: "A user with this email address already exists" });
  });

  it("refuses an organisation that is not in the register, or no longer exists", async () => {
    const { browser } = await adminBrowser();
    const unknown = await invite(browser, valid({ email: "narnia@example.test", organisation: "Narnia" }));
    expect(unknown.status).toBe(400);
    expect(unknown.data.errors).toEqual({ organisation: "Enter the name of an organisation in the register" });
    await db().organisation.update({ where: { code: "KEN" }, data: { endDate: new Date("2020-03-31T00:00:00Z") } });
    const retired = await invite(browser, valid({ email: "kent@example.test", organisation: "Kent" }));
    expect(retired.data.errors.organisation).toBe("Kent no longer exists. Enter the name of an organisation in the register");
    await db().organisation.update({ where: { code: "KEN" }, data: { endDate: null } });
    expect(await db().user.count({ where: { email: { in: ["narnia@example.test", "kent@example.test"] } } })).toBe(0);
  });

  it("refuses a role that does not fit the organisation, saying why", async () => {
    const { browser } = await adminBrowser();
    const refusals: [string, string, string][] = [
      ["fundTeam", "Leeds", "Fund team members must belong to the ministry, and Leeds is a council. Choose a different role or organisation."],
      [
        "gateApprover",
        "GMCA",
        "Gate approvers must belong to the ministry, and Greater Manchester CA is a combined authority. Choose a different role or organisation.",
      ],
      [
        "admin",
        "Open Assessment Panel",
        "Administrators must belong to the ministry, and Open Assessment Panel is an assessor body. Choose a different role or organisation.",
      ],
      [
        "councilOfficer",
        "MHCLG",
        "Council officers must belong to a council, combined authority or fire authority, and MHCLG is a government department. Choose a different role or organisation.",
      ],
      [
        "certifier",
        "Open Assessment Panel",
        "Council certifiers must belong to a council, combined authority or fire authority, and Open Assessment Panel is an assessor body. Choose a different role or organisation.",
      ],
      [
        "assessor",
        "MHCLG",
        "Assessors must belong to an assessor body or a council, and MHCLG is a government department. Choose a different role or organisation.",
      ],
    ];
    for (const [role, organisation, message] of refusals) {
      const result = await invite(browser, valid({ email: `${role}-misfit@example.test`, role, organisation }));
      expect(result.status, role).toBe(400);
      expect(result.data.errors).toEqual({ role: message });
    }
    expect(await db().user.count({ where: { email: { endsWith: "-misfit@example.test" } } })).toBe(0);

    const fits: [string, string][] = [
      ["certifier", "Essex Fire"],
      ["councilOfficer", "West Midlands CA"],
      ["assessor", "Open Assessment Panel"],
      ["assessor", "Sheffield"],
      ["admin", "MHCLG"],
    ];
    for (const [role, organisation] of fits) {
      const result = await invite(browser, valid({ email: `${role}-${organisation.replace(/\W/g, "")}@example.test`, role, organisation }));
      expect(result.status, `${role} at ${organisation}`).toBe(302);
    }
  });
});
