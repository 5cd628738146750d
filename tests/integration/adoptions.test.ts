import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db/database.server.ts";
import { londonToday } from "~/utils/dates.ts";
import { action as adoptionAction, loader as adoptionLoader } from "~/routes/projects.$id_.adoptions_.$adoptionId.tsx";
import { loader as documentLoader } from "~/routes/projects.$id_.adoptions_.documents.$documentId.tsx";
import { action as adoptionsAction, loader as adoptionsLoader } from "~/routes/projects.$id_.adoptions.tsx";
import { localDiskStorage, setStorage, storage } from "~/storage/storage.server.ts";
import { formatDate } from "~/utils/format.ts";
import { useTestDatabase } from "../support/database.ts";
import { createFundedProject, createOrganisation } from "../../bench/support/fixtures.ts";
import { stoppedPilot } from "../support/project-journeys.ts";
import { context, createUser, get, post, run, signedInBrowser } from "../../bench/support/requests.ts";

useTestDatabase();

beforeAll(() => setStorage(localDiskStorage(mkdtempSync(path.join(tmpdir(), "springboard-adoptions-")))));
afterAll(() => setStorage(undefined));

const call = <T>(fn: (args: any) => Promise<T>, request: Request, params: Record<string, string>) => run(() => fn({ request, context: context(), params }));

async function scaleProjectWithAdopter() {
  const funded = await createFundedProject({ stage: "scale", title: "Shared waste booking" });
  const adopterCouncil = await createOrganisation({ name: "Adopting Borough" });
  const adopter = await createUser("councilOfficer", adopterCouncil.id);
  return { ...funded, adopterCouncil, adopter };
}

describe("registering to adopt a product in scale", () => {
  it("offers other councils' officers the button, and registers them, telling the lead council's officers", async () => {
    const f = await scaleProjectWithAdopter();
    const browser = await signedInBrowser(f.adopter.id);
    const page = await call(adoptionsLoader, get(`/projects/${f.project.id}/adoptions`, browser), { id: f.project.id });
    expect(page.status).toBe(200);
    expect(page.data.canRegister).toBe(true);
    expect(page.data.adoptions).toEqual([]);

    const registered = await call(adoptionsAction, post(`/projects/${f.project.id}/adoptions`, browser, { intent: "register" }), { id: f.project.id });
    expect(registered.status).toBe(302);
    const adoption = await db().adoption.findUniqueOrThrow({
      where: { projectId_organisationId: { projectId: f.project.id, organisationId: f.adopterCouncil.id } },
    });
    expect(adoption.status).toBe("registered");
    expect(registered.location).toBe(`/projects/${f.project.id}/adoptions/${adoption.id}?notice=registered`);

    const emails = await db().notification.findMany({ where: { template: "adoption-registered" } });
    // The lead council's officers and the fund team hear of it; the adopting council does not.
    const recipients = await db().user.findMany({
      where: { email: { in: emails.map((e) => e.toEmail) } },
      select: { email: true, role: true, organisationId: true },
    });
    expect(recipients.map((r) => r.email)).toContain(f.officer.email);
    expect(recipients.every((r) => r.role === "fundTeam" || r.organisationId === f.officer.organisationId)).toBe(true);
    expect(emails[0]!.subject).toContain("Adopting Borough");

    const again = await call(adoptionsLoader, get(`/projects/${f.project.id}/adoptions`, browser), { id: f.project.id });
    expect(again.data.canRegister).toBe(false);
    expect(again.data.ownAdoptionId).toBe(adoption.id);
    // Registering twice is harmless: still one adoption, one email.
    await call(adoptionsAction, post(`/projects/${f.project.id}/adoptions`, browser, { intent: "register" }), { id: f.project.id });
    expect(await db().adoption.count({ where: { projectId: f.project.id } })).toBe(1);
    expect(await db().notification.count({ where: { template: "adoption-registered" } })).toBe(emails.length);
  });

  it("does not offer it to the lead council, and refuses the lead's registration", async () => {
    const f = await scaleProjectWithAdopter();
    const lead = await signedInBrowser(f.officer.id);
    const page = await call(adoptionsLoader, get(`/projects/${f.project.id}/adoptions`, lead), { id: f.project.id });
    expect(page.data.canRegister).toBe(false);
    const refused = await call(adoptionsAction, post(`/projects/${f.project.id}/adoptions`, lead, { intent: "register" }), { id: f.project.id });
    expect(refused.status).toBe(400);
    expect(refused.data.errors.register).toContain("leads this project");
  });

  it("refuses registration before scale, and hides the page from other councils then", async () => {
    const f = await createFundedProject({ stage: "pilot" });
    const other = await createUser("councilOfficer", (await createOrganisation()).id);
    const browser = await signedInBrowser(other.id);
    const page = await call(adoptionsLoader, get(`/projects/${f.project.id}/adoptions`, browser), { id: f.project.id });
    expect(page.status).toBe(404);
    const refused = await call(adoptionsAction, post(`/projects/${f.project.id}/adoptions`, browser, { intent: "register" }), { id: f.project.id });
    expect(refused.status).toBe(404);
    expect(await db().adoption.count({ where: { projectId: f.project.id } })).toBe(0);
  });

  it("keeps a stopped project closed to new adopters", async () => {
    const f = await stoppedPilot();
    const other = await createUser("councilOfficer", (await createOrganisation()).id);
    const page = await call(adoptionsLoader, get(`/projects/${f.project.id}/adoptions`, await signedInBrowser(other.id)), { id: f.project.id });
    expect(page.status).toBe(404);
  });
});

describe("updating an adoption", () => {
  async function registered() {
    const f = await scaleProjectWithAdopter();
    const browser = await signedInBrowser(f.adopter.id);
    await call(adoptionsAction, post(`/projects/${f.project.id}/adoptions`, browser, { intent: "register" }), { id: f.project.id });
    const adoption = await db().adoption.findFirstOrThrow({ where: { projectId: f.project.id } });
    return { ...f, browser, adoption };
  }

  it("lets the adopting council record status, go-live date, savings and a note", async () => {
    const f = await registered();
    const url = `/projects/${f.project.id}/adoptions/${f.adoption.id}`;
    const params = { id: f.project.id, adoptionId: f.adoption.id };
    const form = await call(adoptionLoader, get(url, f.browser), params);
    expect(form.data.canEdit).toBe(true);
    const saved = await call(
      adoptionAction,
      post(url, f.browser, {
        updatedAt: form.data.adoption.updatedAt,
        status: "live",
        "goLiveOn-day": "3",
        "goLiveOn-month": "2",
        "goLiveOn-year": "2027",
        savings: "£12,500.50",
        note: "Live in two depots.",
      }),
      params,
    );
    expect(saved.status).toBe(302);
    const stored = await db().adoption.findUniqueOrThrow({ where: { id: f.adoption.id } });
    expect(stored).toMatchObject({ status: "live", savingsPence: 1_250_050, note: "Live in two depots." });
    expect(stored.goLiveOn?.toISOString().slice(0, 10)).toBe("2027-02-03");

    // A page opened before that save is refused rather than overwriting it.
    const stale = await call(adoptionAction, post(url, f.browser, { updatedAt: form.data.adoption.updatedAt, status: "planning", savings: "0" }), params);
    expect(stale.status).toBe(409);
    expect((await db().adoption.findUniqueOrThrow({ where: { id: f.adoption.id } })).status).toBe("live");
  });

  it("gives every error back with what was typed", async () => {
    const f = await registered();
    const url = `/projects/${f.project.id}/adoptions/${f.adoption.id}`;
    const params = { id: f.project.id, adoptionId: f.adoption.id };
    const result = await call(adoptionAction, post(url, f.browser, { status: "live", savings: "lots", note: "x" }), params);
    expect(result.status).toBe(400);
    expect(result.data.errors).toEqual({
      "goLiveOn-day": "Enter the date your council went live",
      savings: "The savings must be an amount of money, like 12,500 or 12,500.50",
    });
    expect(result.data.values).toMatchObject({ status: "live", savings: "lots", note: "x" });

    // The adoption began when the council registered: a go-live date before it is refused, naming that date.
    const registeredOn = londonToday(f.adoption.createdAt);
    const before = await call(
      adoptionAction,
      post(url, f.browser, { status: "live", "goLiveOn-day": "1", "goLiveOn-month": "1", "goLiveOn-year": "2020", savings: "0" }),
      params,
    );
    expect(before.status).toBe(400);
    expect(before.data.errors).toEqual({
      "goLiveOn-day": `The go-live date must be on or after ${formatDate(registeredOn)}, when your council registered to adopt`,
    });
    expect(before.data.values["goLiveOn-year"]).toBe("2020");
  });

  it("lets the lead and the fund team see every adoption but not change it, and hides it from other councils", async () => {
    const f = await registered();
    const url = `/projects/${f.project.id}/adoptions/${f.adoption.id}`;
    const params = { id: f.project.id, adoptionId: f.adoption.id };
    const lead = await signedInBrowser(f.officer.id);
    const leadView = await call(adoptionLoader, get(url, lead), params);
    expect(leadView.status).toBe(200);
    expect(leadView.data.canEdit).toBe(false);
    const leadSave = await call(adoptionAction, post(url, lead, { status: "stopped", savings: "0" }), params);
    expect(leadSave.status).toBe(403);

    const fundTeam = await signedInBrowser(f.fundTeam.id);
    const list = await call(adoptionsLoader, get(`/projects/${f.project.id}/adoptions`, fundTeam), { id: f.project.id });
    expect(list.data.adoptions.map((a: { council: string }) => a.council)).toEqual(["Adopting Borough"]);

    // Another prospective adopter sees the product but not other councils' adoptions.
    const stranger = await createUser("councilOfficer", (await createOrganisation()).id);
    const strangerBrowser = await signedInBrowser(stranger.id);
    const strangerList = await call(adoptionsLoader, get(`/projects/${f.project.id}/adoptions`, strangerBrowser), { id: f.project.id });
    expect(strangerList.status).toBe(200);
    expect(strangerList.data.adoptions).toEqual([]);
    expect(strangerList.data.canRegister).toBe(true);
    const strangerView = await call(adoptionLoader, get(url, strangerBrowser), params);
    expect(strangerView.status).toBe(404);
  });
});

describe("reusable documents", () => {
  it("lists only documents marked reusable, and lets a prospective adopter download them", async () => {
    const f = await scaleProjectWithAdopter();
    const bytes = new TextEncoder().encode("%PDF-1.4 playbook");
    const { key } = await storage().put(bytes);
    const base = {
      projectId: f.project.id,
      stage: "scale" as const,
      type: "other",
      size: bytes.length,
      mimeType: "application/pdf",
      sha256: "x",
      storageKey: key,
      uploadedById: f.officer.id,
    };
    const reusable = await db().projectDocument.create({ data: { ...base, fileName: "playbook.pdf" } });
    const internal = await db().projectDocument.create({ data: { ...base, fileName: "internal.pdf", reusable: false } });
    // The lead council chooses what adopters may reuse; nobody else can.
    const lead = await signedInBrowser(f.officer.id);
    const leadPage = await call(adoptionsLoader, get(`/projects/${f.project.id}/adoptions`, lead), { id: f.project.id });
    expect(leadPage.data.allDocuments.map((d: { fileName: string }) => d.fileName)).toEqual(["playbook.pdf", "internal.pdf"]);
    const marked = await call(adoptionsAction, post(`/projects/${f.project.id}/adoptions`, lead, { intent: "reusable", reusable: [reusable.id] }), {
      id: f.project.id,
    });
    expect(marked.status).toBe(302);
    const browser = await signedInBrowser(f.adopter.id);
    const notLead = await call(adoptionsAction, post(`/projects/${f.project.id}/adoptions`, browser, { intent: "reusable", reusable: [internal.id] }), {
      id: f.project.id,
    });
    expect(notLead.status).toBe(403);
    const page = await call(adoptionsLoader, get(`/projects/${f.project.id}/adoptions`, browser), { id: f.project.id });
    expect(page.data.allDocuments).toEqual([]);
    expect(page.data.documents.map((d: { fileName: string }) => d.fileName)).toEqual(["playbook.pdf"]);
    const download = await call(documentLoader, get(`/projects/${f.project.id}/adoptions/documents/${reusable.id}`, browser), {
      id: f.project.id,
      documentId: reusable.id,
    });
    expect(download.status).toBe(200);
    expect(download.response!.headers.get("Content-Disposition")).toContain("playbook.pdf");
    const hidden = await call(documentLoader, get(`/projects/${f.project.id}/adoptions/documents/${internal.id}`, browser), {
      id: f.project.id,
      documentId: internal.id,
    });
    expect(hidden.status).toBe(404);
  });
});
