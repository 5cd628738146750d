import { describe, expect, it } from "vitest";
import { db } from "~/db/database.server.ts";
import { londonToday } from "~/utils/dates.ts";
import { action as organisationAction, loader as organisationLoader } from "~/routes/organisations.$code.tsx";
import { loader as listLoader } from "~/routes/organisations._index.tsx";
import { useTestDatabase } from "../support/database.ts";
import { anonymousBrowser, context, createUser, get, post, run, signedInBrowser, type Browser } from "../../bench/support/requests.ts";

useTestDatabase({ referenceData: true });

async function browserFor(role: Parameters<typeof createUser>[0]) {
  return signedInBrowser((await createUser(role)).id);
}

const list = (query: string, browser: Browser) => run(() => listLoader({ request: get(`/organisations${query}`, browser), context: context(), params: {} }));

const show = (code: string, browser: Browser, query = "") =>
  run(() => organisationLoader({ request: get(`/organisations/${code}${query}`, browser), context: context(), params: { code } }));

const record = (code: string, browser: Browser, fields: Record<string, string>, withCsrf = true) =>
  run(() => organisationAction({ request: post(`/organisations/${code}`, browser, fields, withCsrf), context: context(), params: { code } }));

const date = (day: string, month: string, year: string) => ({ intent: "save", "declaration-day": day, "declaration-month": month, "declaration-year": year });

async function allPages(query: string, browser: Browser) {
  const first = await list(query, browser);
  const codes: string[] = first.data.organisations.map((o: { code: string }) => o.code);
  for (let page = 2; page <= first.data.pageCount; page++) {
    const next = await list(`${query}${query ? "&" : "?"}page=${page}`, browser);
    codes.push(...next.data.organisations.map((o: { code: string }) => o.code));
  }
  return { codes, total: first.data.total as number };
}

describe("the list of organisations", () => {
  it("sends someone who is not signed in to sign in, and back here afterwards", async () => {
    const result = await list("?q=leeds", anonymousBrowser());
    expect(result.status).toBe(302);
    expect(result.location).toBe(`/sign-in?returnTo=${encodeURIComponent("/organisations?q=leeds")}`);
  });

  it("is open to every signed-in role", async () => {
    for (const role of ["councilOfficer", "certifier", "assessor", "fundTeam", "gateApprover", "admin"] as const) {
      expect((await list("", await browserFor(role))).status).toBe(200);
    }
  });

  it("shows 50 organisations a page, in name order, with every organisation on exactly one page", async () => {
    const browser = await browserFor("councilOfficer");
    const current = await db().organisation.count({ where: { endDate: null } });
    const first = await list("", browser);
    expect(first.data.total).toBe(current);
    expect(first.data.organisations).toHaveLength(50);
    expect(first.data.pageCount).toBe(Math.ceil(current / 50));
    expect(first.data.first).toBe(1);
    // In name order, as the database sorts names.
    const firstFifty = await db().organisation.findMany({ where: { endDate: null }, orderBy: [{ name: "asc" }, { code: "asc" }], take: 50 });
    expect(first.data.organisations.map((o: { code: string }) => o.code)).toEqual(firstFifty.map((o) => o.code));

    const second = await list("?page=2", browser);
    expect(second.data.page).toBe(2);
    expect(second.data.first).toBe(51);
    expect(second.data.organisations[0].code).not.toBe(first.data.organisations[0].code);

    const { codes } = await allPages("", browser);
    expect(codes).toHaveLength(current);
    expect(new Set(codes).size).toBe(current);

    // A page beyond the end shows the last page; nonsense shows the first.
    expect((await list("?page=999", browser)).data.page).toBe(first.data.pageCount);
    expect((await list("?page=banana", browser)).data.page).toBe(1);
  });

  it("shows each organisation's code, council type (or kind) and declaration", async () => {
    const browser = await browserFor("certifier");
    const birmingham = (await list("?q=Birmingham", browser)).data.organisations.find((o: { code: string }) => o.code === "BIR");
    expect(birmingham).toEqual({ code: "BIR", name: "Birmingham", type: "Metropolitan district", retired: false, declarationSignedAt: null });
    const ministry = (await list("?q=mhclg", browser)).data.organisations.find((o: { code: string }) => o.code === "MHCLG");
    expect(ministry.type).toBe("Ministry");
    const gmca = (await list("?q=GMCA", browser)).data.organisations.find((o: { code: string }) => o.code === "GMCA");
    expect(gmca.declarationSignedAt).toBe("2019-02-01");
  });

  it("searches names, official names and codes, ignoring case", async () => {
    const browser = await browserFor("councilOfficer");
    const byName = await list("?q=leeds", browser);
    expect(byName.data.organisations.map((o: { code: string }) => o.code)).toContain("LDS");
    const byCode = await list("?q=lds", browser);
    expect(byCode.data.organisations.map((o: { code: string }) => o.code)).toEqual(["LDS"]);
    const byOfficialName = await list(`?q=${encodeURIComponent("Devon and Somerset Fire and Rescue")}`, browser);
    expect(byOfficialName.data.organisations.map((o: { code: string }) => o.code)).toEqual(["DSFRA"]);
    const nothing = await list("?q=zzzznotacouncil", browser);
    expect(nothing.data.organisations).toEqual([]);
    expect(nothing.data.total).toBe(0);
  });

  it("filters by kind, ignoring an unknown kind", async () => {
    const browser = await browserFor("councilOfficer");
    const fire = await allPages("?kind=fireAuthority", browser);
    expect(fire.codes.sort()).toEqual(["DSFRA", "EFRA"]);
    const combined = await allPages("?kind=combinedAuthority", browser);
    expect(combined.codes.sort()).toEqual(["GLA", "GMCA", "WMCA"]);
    const councils = await list("?kind=council", browser);
    expect(councils.data.total).toBe(await db().organisation.count({ where: { kind: "council", endDate: null } }));
    const unknown = await list("?kind=spaceship", browser);
    expect(unknown.data.filters.kind).toBe("");
    expect(unknown.data.total).toBe(await db().organisation.count({ where: { endDate: null } }));
  });

  it("filters by whether the Local Digital Declaration is signed", async () => {
    const browser = await browserFor("councilOfficer");
    await db().organisation.update({ where: { code: "LDS" }, data: { declarationSignedAt: new Date("2018-09-12T00:00:00Z") } });
    const signed = await allPages("?declaration=signed", browser);
    const expected = await db().organisation.findMany({ where: { declarationSignedAt: { not: null }, endDate: null }, select: { code: true } });
    expect(signed.codes.sort()).toEqual(expected.map((o) => o.code).sort());
    expect(signed.codes).toContain("LDS");
    const unsigned = await allPages("?declaration=unsigned&kind=fireAuthority", browser);
    expect(unsigned.codes).toEqual(["EFRA"]);
    await db().organisation.update({ where: { code: "LDS" }, data: { declarationSignedAt: null } });
  });

  it("hides councils that no longer exist unless asked to include them", async () => {
    const browser = await browserFor("councilOfficer");
    await db().organisation.update({ where: { code: "BAS" }, data: { endDate: new Date("2023-03-31T00:00:00Z") } });
    const hidden = await list("?q=Bath", browser);
    expect(hidden.data.organisations.map((o: { code: string }) => o.code)).not.toContain("BAS");
    const shown = await list("?q=Bath&retired=1", browser);
    const bath = shown.data.organisations.find((o: { code: string }) => o.code === "BAS");
    expect(bath.retired).toBe(true);
    // A council whose end date is still to come is still listed.
    await db().organisation.update({ where: { code: "BAS" }, data: { endDate: new Date("2099-03-31T00:00:00Z") } });
    expect((await list("?q=Bath", browser)).data.organisations.map((o: { code: string }) => o.code)).toContain("BAS");
    await db().organisation.update({ where: { code: "BAS" }, data: { endDate: null } });
  });
});

describe("an organisation's page", () => {
  it("summarises the organisation, and 404s for an unknown code", async () => {
    const browser = await browserFor("councilOfficer");
    const page = await show("BIR", browser);
    expect(page.status).toBe(200);
    expect(page.data.organisation).toEqual({
      code: "BIR",
      name: "Birmingham",
      officialName: "Birmingham City Council",
      kind: "Council",
      councilType: "Metropolitan district",
      website: null,
      startDate: "1986-07-01",
      endDate: null,
      retired: false,
      declarationSignedAt: null,
    });
    expect(page.data.canRecord).toBe(false);
    expect((await show("bir", browser)).data.organisation.code).toBe("BIR");
    expect((await show("NOPE", browser)).status).toBe(404);
  });

  it("offers the declaration form only to the fund team and administrators", async () => {
    expect((await show("BIR", await browserFor("fundTeam"))).data.canRecord).toBe(true);
    expect((await show("BIR", await browserFor("admin"))).data.canRecord).toBe(true);
    expect((await show("BIR", await browserFor("certifier"))).data.canRecord).toBe(false);
    expect((await show("BIR", await browserFor("gateApprover"))).data.canRecord).toBe(false);
  });

  it("refuses to record a declaration date for anyone else, or without the CSRF token", async () => {
    const officer = await browserFor("councilOfficer");
    expect((await record("MAN", officer, date("4", "7", "2018"))).status).toBe(403);
    const anonymous = await record("MAN", anonymousBrowser(), date("4", "7", "2018"));
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toMatch(/^\/sign-in/);
    expect((await record("MAN", await browserFor("fundTeam"), date("4", "7", "2018"), false)).status).toBe(403);
    expect((await db().organisation.findUniqueOrThrow({ where: { code: "MAN" } })).declarationSignedAt).toBeNull();
  });

  it("records and clears the date the declaration was signed", async () => {
    const fundTeam = await browserFor("fundTeam");
    const saved = await record("SHF", fundTeam, date("5", "3", "2019"));
    expect(saved.status).toBe(302);
    expect(saved.location).toBe("/organisations/SHF?declaration=saved");
    const stored = await db().organisation.findUniqueOrThrow({ where: { code: "SHF" } });
    expect(stored.declarationSignedAt?.toISOString()).toBe("2019-03-05T00:00:00.000Z");
    const page = await show("SHF", fundTeam, "?declaration=saved");
    expect(page.data.organisation.declarationSignedAt).toBe("2019-03-05");
    expect(page.data.updated).toBe("saved");

    // The first day is allowed, and so is today; month names are understood.
    expect((await record("SHF", fundTeam, date("4", "July", "2018"))).status).toBe(302);
    const [year, month, day] = londonToday().split("-");
    expect((await record("SHF", await browserFor("admin"), date(day!, month!, year!))).status).toBe(302);

    const cleared = await record("SHF", fundTeam, { intent: "clear" });
    expect(cleared.location).toBe("/organisations/SHF?declaration=cleared");
    expect((await db().organisation.findUniqueOrThrow({ where: { code: "SHF" } })).declarationSignedAt).toBeNull();
    expect((await record("NOPE", fundTeam, date("5", "3", "2019"))).status).toBe(404);
  });

  it("explains each kind of wrong date by the field, keeping what was typed", async () => {
    const fundTeam = await browserFor("fundTeam");
    const cases: [Record<string, string>, Record<string, string>, string[]][] = [
      [date("", "", ""), { "declaration-day": "Enter the date the Local Digital Declaration was signed" }, ["day", "month", "year"]],
      [date("12", "", "2019"), { "declaration-month": "Date signed must include a month" }, ["month"]],
      [date("", "", "2019"), { "declaration-day": "Date signed must include a day and month" }, ["day", "month"]],
      [date("31", "2", "2020"), { "declaration-day": "Date signed must be a real date" }, ["day", "month", "year"]],
      [date("12", "13", "2020"), { "declaration-month": "Date signed must be a real date" }, ["month"]],
      [date("xx", "3", "2020"), { "declaration-day": "Date signed must be a real date" }, ["day"]],
      [date("12", "3", "20"), { "declaration-year": "Year must include 4 numbers" }, ["year"]],
      [date("1", "1", "2099"), { "declaration-day": "Date signed must be today or in the past" }, ["day", "month", "year"]],
      [
        date("3", "7", "2018"),
        { "declaration-day": "Date signed must be on or after 4 July 2018, when the declaration was published" },
        ["day", "month", "year"],
      ],
    ];
    for (const [fields, errors, highlighted] of cases) {
      const result = await record("KEN", fundTeam, fields);
      expect(result.status, JSON.stringify(fields)).toBe(400);
      expect(result.data.errors).toEqual(errors);
      expect(result.data.fields).toEqual(highlighted);
      // What was typed comes back as typed, to fill the boxes again.
      expect(result.data.values).toEqual(fields);
    }
    expect((await db().organisation.findUniqueOrThrow({ where: { code: "KEN" } })).declarationSignedAt).toBeNull();
  });
});
