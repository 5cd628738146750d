import { describe, expect, it } from "vitest";
import { db } from "~/db/database.server.ts";
import { londonToday } from "~/utils/dates.ts";
import { action as previewAction, loader as previewLoader } from "~/routes/admin.register.$id.tsx";
import { action as uploadAction, loader as uploadLoader } from "~/routes/admin.register._index.tsx";
import { useTestDatabase } from "../support/database.ts";
import { captureLogs } from "../support/logs.ts";
import { anonymousBrowser, context, createUser, get, post, run, signedInBrowser, type Browser } from "../../bench/support/requests.ts";

useTestDatabase({ referenceData: true });

const HEADER = ["local-authority-eng", "local-authority-type", "name", "official-name", "start-date", "end-date"];
type Line = string[];

/** The register as Springboard has it now, one line per council that still exists, in code order. */
async function currentRegister(): Promise<Line[]> {
  const councils = await db().organisation.findMany({
    where: { councilTypeCode: { not: null }, endDate: null },
    orderBy: { code: "asc" },
  });
  const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : "");
  return councils.map((c) => [c.code, c.councilTypeCode!, c.name, c.officialName, day(c.startDate), day(c.endDate)]);
}

const tsv = (lines: Line[], header = HEADER) => [header, ...lines].map((l) => l.join("\t")).join("\n") + "\n";

async function admin(): Promise<Browser> {
  const ministry = await db().organisation.findUniqueOrThrow({ where: { code: "MHCLG" } });
  return signedInBrowser((await createUser("admin", ministry.id)).id);
}

function uploadRequest(browser: Browser, file: { name: string; content: string | Uint8Array } | null, withCsrf = true) {
  const form = new FormData();
  if (withCsrf) form.set("csrf", browser.csrf);
  if (file) form.set("register", new File([file.content as BlobPart], file.name, { type: "text/tab-separated-values" }));
  return new Request("http://localhost:3000/admin/register", { method: "POST", headers: { Cookie: browser.cookie }, body: form });
}

const upload = (browser: Browser, file: { name: string; content: string | Uint8Array } | null, withCsrf = true) =>
  run(() => uploadAction({ request: uploadRequest(browser, file, withCsrf), context: context(), params: {} }));

const preview = (browser: Browser, id: string, query = "") =>
  run(() => previewLoader({ request: get(`/admin/register/${id}${query}`, browser), context: context(), params: { id } }));

const confirm = (browser: Browser, id: string, withCsrf = true) =>
  run(() => previewAction({ request: post(`/admin/register/${id}`, browser, {}, withCsrf), context: context(), params: { id } }));

const idFrom = (location: string | null) => {
  expect(location).toMatch(/^\/admin\/register\/[a-z0-9]+$/);
  return location!.split("/").pop()!;
};

const council = (code: string) => db().organisation.findUnique({ where: { code } });

describe("who may import the register", () => {
  it("lets the fund team and administrators in, refuses everyone else, and sends the signed-out to sign in", async () => {
    const fundTeam = await signedInBrowser((await createUser("fundTeam")).id);
    expect((await run(() => uploadLoader({ request: get("/admin/register", fundTeam), context: context(), params: {} }))).status).toBe(200);
    for (const role of ["councilOfficer", "certifier", "assessor", "gateApprover"] as const) {
      const browser = await signedInBrowser((await createUser(role)).id);
      expect((await run(() => uploadLoader({ request: get("/admin/register", browser), context: context(), params: {} }))).status).toBe(403);
      expect((await upload(browser, { name: "register.tsv", content: tsv(await currentRegister()) })).status).toBe(403);
      expect((await preview(browser, "anything")).status).toBe(403);
      expect((await confirm(browser, "anything")).status).toBe(403);
    }
    const anonymous = await run(() => uploadLoader({ request: get("/admin/register", anonymousBrowser()), context: context(), params: {} }));
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toBe("/sign-in?returnTo=%2Fadmin%2Fregister");
    expect(await db().registerImport.count()).toBe(0);
  });

  it("refuses an upload or a confirmation without the CSRF token", async () => {
    const browser = await admin();
    expect((await upload(browser, { name: "register.tsv", content: tsv(await currentRegister()) }, false)).status).toBe(403);
    expect(await db().registerImport.count()).toBe(0);
    const uploaded = await upload(browser, { name: "register.tsv", content: tsv((await currentRegister()).slice(1)) });
    const id = idFrom(uploaded.location);
    expect((await confirm(browser, id, false)).status).toBe(403);
    expect((await db().registerImport.findUniqueOrThrow({ where: { id } })).appliedAt).toBeNull();
    await db().registerImport.delete({ where: { id } });
  });
});

describe("uploading a register file", () => {
  it("explains what the file must contain", async () => {
    const browser = await admin();
    const shown = await run(() => uploadLoader({ request: get("/admin/register", browser), context: context(), params: {} }));
    expect(shown.status).toBe(200);
    expect(shown.data.councilTypes).toContainEqual({ code: "MD", name: "Metropolitan district" });
    expect(shown.data.councils).toBe((await currentRegister()).length);
    expect(shown.data.imports).toEqual([]);
  });

  it("refuses files that are missing, empty, too big or not text, by the field", async () => {
    const browser = await admin();
    const cases: [{ name: string; content: string | Uint8Array } | null, string, number][] = [
      [null, "Select a register file to upload", 400],
      [{ name: "empty.csv", content: "" }, "The file you chose is empty", 400],
      [{ name: "big.csv", content: "a".repeat(5_000_001) }, "The file must be smaller than 5MB", 413],
      [
        { name: "picture.csv", content: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x0d, 0x0a]) },
        "The file must be a CSV or TSV file saved as text (UTF-8). The file you chose is a PNG image",
        400,
      ],
      [
        { name: "latin1.csv", content: new Uint8Array([...new TextEncoder().encode("name,code\nGo"), 0xe9, 0xff]) },
        "The file must be a CSV or TSV file saved as text (UTF-8)",
        400,
      ],
    ];
    for (const [file, message, status] of cases) {
      const result = await upload(browser, file);
      expect(result.status, message).toBe(status);
      expect(result.data).toEqual({ errors: { register: message }, values: {} });
    }
    expect(await db().registerImport.count()).toBe(0);
  });

  it("stops reading a file that is far too big, and says so by the field", async () => {
    const browser = await admin();
    const result = await upload(browser, { name: "huge.csv", content: "a".repeat(20_000_001) });
    expect(result.status).toBe(413);
    expect(result.data).toEqual({ errors: { register: "The file must be smaller than 5MB" }, values: {} });
    expect(await db().registerImport.count()).toBe(0);
  });

  it("accepts a file of exactly 5MB", async () => {
    const browser = await admin();
    const body = tsv(await currentRegister());
    const padded = body + " ".repeat(5_000_000 - new TextEncoder().encode(body).length);
    const result = await upload(browser, { name: "padded.tsv", content: padded });
    expect(result.status).toBe(302);
    await db().registerImport.delete({ where: { id: idFrom(result.location) } });
  });

  it("shows a problem with the whole file by the field, storing nothing", async () => {
    const browser = await admin();
    const missing = await upload(browser, { name: "register.csv", content: "local-authority-eng,name\nBIR,Birmingham\n" });
    expect(missing.status).toBe(400);
    expect(missing.data.errors.register).toBe("The first row must name the columns. Missing: local-authority-type, official-name.");
    const headerOnly = await upload(browser, { name: "register.tsv", content: tsv([]) });
    expect(headerOnly.data.errors.register).toBe("The file has a header but no councils.");
    const blank = await upload(browser, { name: "register.tsv", content: "\n\n" });
    expect(blank.data.errors.register).toBe("The file is empty.");
    expect(await db().registerImport.count()).toBe(0);
  });

  it("reads an ordinary (not multipart) form as having no file", async () => {
    const browser = await admin();
    const result = await run(() => uploadAction({ request: post("/admin/register", browser, { register: "BIR" }), context: context(), params: {} }));
    expect(result.status).toBe(400);
    expect(result.data.errors.register).toBe("Select a register file to upload");
  });
});

describe("previewing and confirming an import", () => {
  it("previews additions, changes and retirements, changes nothing until confirmed, then applies them all", async () => {
    const browser = await admin();
    const lines = await currentRegister();
    const retiring = lines.find((l) => l[0] === "WOR")!;
    const edited = lines
      .filter((l) => l !== retiring)
      .map((l) => (l[0] === "BIR" ? ["BIR", "MD", "Birmingham", "Birmingham City Council (renamed)", l[4]!, ""] : l));
    edited.push(["NEWT", "UA", "Newtown", "Newtown Council", "2026-04-01", ""]);
    const uploaded = await upload(browser, { name: "register-2026.tsv", content: tsv(edited) });
    expect(uploaded.status).toBe(302);
    const id = idFrom(uploaded.location);

    const stored = await db().registerImport.findUniqueOrThrow({ where: { id } });
    expect(stored.fileName).toBe("register-2026.tsv");
    expect(stored.appliedAt).toBeNull();

    const page = await preview(browser, id);
    expect(page.status).toBe(200);
    expect(page.data.summary).toEqual({ rows: lines.length, add: 1, change: 1, retire: 1, unchanged: lines.length - 2, problems: 0 });
    expect(page.data.diff.add).toEqual([
      { code: "NEWT", type: "UA", name: "Newtown", officialName: "Newtown Council", startDate: "2026-04-01", endDate: null, declarationSigned: null },
    ]);
    expect(page.data.diff.change.map((c: { row: { code: string }; fields: string[] }) => [c.row.code, c.fields])).toEqual([["BIR", ["official name"]]]);
    expect(page.data.diff.retire).toEqual([{ code: "WOR", name: retiring[2], endDate: londonToday() }]);
    expect(page.data.problems).toEqual([]);
    expect(page.data.appliedAt).toBeNull();

    // Nothing has changed yet.
    expect(await council("NEWT")).toBeNull();
    expect((await council("BIR"))!.officialName).toBe("Birmingham City Council");
    expect((await council("WOR"))!.endDate).toBeNull();

    const recent = await run(() => uploadLoader({ request: get("/admin/register", browser), context: context(), params: {} }));
    expect(recent.data.imports[0]).toMatchObject({ id, fileName: "register-2026.tsv", appliedAt: null });

    const confirmed = await confirm(browser, id);
    expect(confirmed.status).toBe(302);
    expect(confirmed.location).toBe(`/admin/register/${id}?applied=1`);
    const added = (await council("NEWT"))!;
    expect(added).toMatchObject({ kind: "council", councilTypeCode: "UA", name: "Newtown", officialName: "Newtown Council" });
    expect(added.startDate!.toISOString()).toBe("2026-04-01T00:00:00.000Z");
    expect((await council("BIR"))!.officialName).toBe("Birmingham City Council (renamed)");
    expect((await council("WOR"))!.endDate!.toISOString().slice(0, 10)).toBe(londonToday());

    const after = await preview(browser, id, "?applied=1");
    expect(after.data.justApplied).toBe(true);
    expect(after.data.appliedAt).not.toBeNull();
    const listed = await run(() => uploadLoader({ request: get("/admin/register", browser), context: context(), params: {} }));
    expect(listed.data.imports[0].appliedAt).not.toBeNull();

    // The same import cannot be applied twice.
    const again = await confirm(browser, id);
    expect(again.status).toBe(409);
    expect(again.data.problem).toMatch(/^This import was applied on .+\. It cannot be applied again\.$/);
  });

  it("lists bad rows with their line and reason, and will not apply any of the file", async () => {
    const browser = await admin();
    const lines = await currentRegister();
    const bad = [
      ...lines,
      ["BAD1", "ZZ", "Bad", "Bad Council", "", ""],
      ["GOOD", "UA", "Good", "Good Council", "", ""],
      ["MHCLG", "UA", "Ministry", "Ministry", "", ""],
    ];
    bad[0] = [bad[0]![0]!, bad[0]![1]!, "Renamed", bad[0]![3]!, bad[0]![4]!, ""];
    const uploaded = await upload(browser, { name: "bad.tsv", content: tsv(bad) });
    const id = idFrom(uploaded.location);
    const page = await preview(browser, id);
    expect(page.data.summary.problems).toBe(2);
    expect(page.data.problems).toEqual([
      { line: lines.length + 2, code: "BAD1", reason: `Line ${lines.length + 2} type "ZZ" is not a known council type.` },
      {
        line: lines.length + 4,
        code: "MHCLG",
        reason: `Line ${lines.length + 4} uses register code MHCLG, which belongs to MHCLG, an organisation that is not a council.`,
      },
    ]);
    const refused = await confirm(browser, id);
    expect(refused.status).toBe(400);
    expect(refused.data.problem).toBe("This file has rows that need fixing. Fix these rows and upload the file again. Nothing has been changed.");
    expect(await council("GOOD")).toBeNull();
    expect((await council(bad[0]![0]!))!.name).not.toBe("Renamed");
    expect((await db().registerImport.findUniqueOrThrow({ where: { id } })).appliedAt).toBeNull();
  });

  it("leaves everything as it was when the import fails part of the way through", async () => {
    const browser = await admin();
    await db().councilType.create({ data: { code: "XYZ", name: "Short-lived type" } });
    const lines = await currentRegister();
    const last = lines[lines.length - 1]!;
    const retiring = lines.find((l) => l[0] === "LDS")!;
    const edited = lines
      .filter((l) => l !== retiring)
      .map((l) => {
        if (l[0] === "BIR") return [l[0], l[1]!, l[2]!, "Birmingham City Council (midway)", l[4]!, ""];
        if (l === last) return [l[0]!, "XYZ", l[2]!, l[3]!, l[4]!, ""];
        return l;
      });
    edited.push(["MIDW", "UA", "Midway", "Midway Council", "", ""]);
    const id = idFrom((await upload(browser, { name: "midway.tsv", content: tsv(edited) })).location);
    expect((await preview(browser, id)).data.summary).toMatchObject({ add: 1, change: 2, retire: 1, problems: 0 });

    // The type the last change needs disappears, so that change fails after the addition
    // and the Birmingham change have been written inside the transaction.
    await db().councilType.delete({ where: { code: "XYZ" } });
    const birminghamBefore = (await council("BIR"))!;
    const lastBefore = (await council(last[0]!))!;
    const logs = captureLogs("warn");
    const failed = await confirm(browser, id).finally(logs.restore);
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        msg: "Register import was not applied (rolled back)",
        registerImportId: id,
        error: expect.stringMatching(/Organisation_councilTypeCode_fkey/),
      }),
    );
    expect(failed.status).toBe(500);
    expect(failed.data.problem).toBe(
      "The import could not be finished, so nothing has been changed. Try again, and if it fails again, contact the Springboard team.",
    );
    expect(await council("MIDW")).toBeNull();
    expect((await council("BIR"))!.officialName).toBe(birminghamBefore.officialName);
    expect((await council(last[0]!))!.councilTypeCode).toBe(lastBefore.councilTypeCode);
    expect((await council("LDS"))!.endDate).toBeNull();
    expect((await db().registerImport.findUniqueOrThrow({ where: { id } })).appliedAt).toBeNull();

    // Once the cause is fixed, the same preview can be confirmed.
    await db().councilType.create({ data: { code: "XYZ", name: "Short-lived type" } });
    expect((await confirm(browser, id)).location).toBe(`/admin/register/${id}?applied=1`);
    expect((await council("MIDW"))!.name).toBe("Midway");
    expect((await council(last[0]!))!.councilTypeCode).toBe("XYZ");
    expect((await council("LDS"))!.endDate).not.toBeNull();
  });

  it("does not apply a preview that the data has overtaken, but brings it up to date to check again", async () => {
    const browser = await admin();
    const lines = await currentRegister();
    const edited = lines.map((l) => (l[0] === "MAN" ? [l[0], l[1]!, "Manchester (new)", l[3]!, l[4]!, ""] : l));
    edited.push(["STAL", "UA", "Stale", "Stale Council", "", ""]);
    const id = idFrom((await upload(browser, { name: "stale.tsv", content: tsv(edited) })).location);
    expect((await preview(browser, id)).data.summary).toMatchObject({ add: 1, change: 1, retire: 0 });

    // Meanwhile another import (or a person) makes part of the change already.
    await db().organisation.update({ where: { code: "MAN" }, data: { name: "Manchester (new)" } });
    const shf = (await council("SHF"))!;
    await db().organisation.update({ where: { code: "SHF" }, data: { officialName: "Sheffield changed meanwhile" } });

    const overtaken = await confirm(browser, id);
    expect(overtaken.status).toBe(302);
    expect(overtaken.location).toBe(`/admin/register/${id}?refreshed=1`);
    expect(await council("STAL")).toBeNull();
    const refreshed = await preview(browser, id, "?refreshed=1");
    expect(refreshed.data.refreshed).toBe(true);
    expect(refreshed.data.appliedAt).toBeNull();
    expect(refreshed.data.summary).toMatchObject({ add: 1, change: 1, retire: 0 });
    expect(refreshed.data.diff.change.map((c: { row: { code: string }; fields: string[] }) => [c.row.code, c.fields])).toEqual([["SHF", ["official name"]]]);

    // Confirming the refreshed preview puts Sheffield back as the file has it.
    expect((await confirm(browser, id)).location).toBe(`/admin/register/${id}?applied=1`);
    expect((await council("SHF"))!.officialName).toBe(shf.officialName);
    expect((await council("STAL"))!.name).toBe("Stale");
  });

  it("applies an import once when it is confirmed twice at the same moment", async () => {
    const browser = await admin();
    const lines = await currentRegister();
    const id = idFrom((await upload(browser, { name: "twice.tsv", content: tsv([...lines, ["TWCE", "UA", "Twice", "Twice Council", "", ""]]) })).location);
    const results = await Promise.all([confirm(browser, id), confirm(browser, id)]);
    expect(results.map((r) => r.status).sort()).toEqual([302, 409]);
    expect(await db().organisation.count({ where: { code: "TWCE" } })).toBe(1);
  });

  it("is 404 for an import that does not exist", async () => {
    const browser = await admin();
    expect((await preview(browser, "nope")).status).toBe(404);
    expect((await confirm(browser, "nope")).status).toBe(404);
  });
});
