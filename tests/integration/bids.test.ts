import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eligibilityRules, nextReference } from "~/bids/bids.server.ts";
import { ruleFixes } from "~/bids/eligibility-fixes.ts";
import { db } from "~/db/database.server.ts";
import { env } from "~/env.server.ts";
import { action as bidAction, loader as bidLoader } from "~/routes/bids.$id.tsx";
import { action as certifyAction } from "~/routes/bids.$id_.certify.tsx";
import { action as checkAction, loader as checkLoader } from "~/routes/bids.$id_.check.tsx";
import { loader as confirmationLoader } from "~/routes/bids.$id_.confirmation.tsx";
import { loader as documentLoader } from "~/routes/bids.$id_.documents.$documentId.tsx";
import { action as evidenceAction } from "~/routes/bids.$id_.evidence.tsx";
import { action as partnersAction } from "~/routes/bids.$id_.partners.tsx";
import { action as sectionAction, loader as sectionLoader } from "~/routes/bids.$id_.sections.$section.tsx";
import { action as withdrawAction, loader as withdrawLoader } from "~/routes/bids.$id_.withdraw.tsx";
import { action as startAction, loader as startLoader } from "~/routes/rounds.$slug_.start.tsx";
import { loader as roundLoader } from "~/routes/rounds.$slug.tsx";
import { detectFileType } from "~/storage/file-type.server.ts";
import { localDiskStorage, setStorage } from "~/storage/storage.server.ts";
import { applyWorkflowEvent } from "~/engine/apply-event.server.ts";
import { bidSubmissionFacts } from "~/bids/facts.server.ts";
import { defaultFundRules } from "../../workflows/index.ts";
import { useTestDatabase } from "../support/database.ts";
import { docx, zip } from "../support/zip.ts";
import { expiredBrowser, signedInAgain } from "../support/expired-sessions.ts";
import { actor, createOrganisation, createPartnershipBid, createRound } from "../../bench/support/fixtures.ts";
import { anonymousBrowser, context, createUser, get, post, run, signedInBrowser, type Browser } from "../../bench/support/requests.ts";

useTestDatabase();

beforeAll(() => setStorage(localDiskStorage(mkdtempSync(path.join(tmpdir(), "springboard-uploads-")))));
afterAll(() => setStorage(undefined));

const params = (id: string, extra: Record<string, string> = {}) => ({ id, ...extra });
const call = <T>(fn: (args: any) => Promise<T>, request: Request, p: Record<string, string>) => run(() => fn({ request, context: context(), params: p }));
const as = async (user: { id: string }) => signedInBrowser(user.id);

async function openRoundWithOfficer(closesInDays = 20) {
  const round = await createRound({ closesInDays });
  const council = await createOrganisation();
  const officer = await createUser("councilOfficer", council.id);
  return { round, council, officer, browser: await as(officer) };
}

async function startBid(browser: Browser, slug: string, title = "Shared digital front door") {
  const form = await call(startLoader, get(`/rounds/${slug}/start`, browser), { slug });
  const started = await call(startAction, post(`/rounds/${slug}/start`, browser, { title, bidId: form.data.bidId }), { slug });
  expect(started.status).toBe(302);
  return { id: started.location!.split("/").pop()!, bidId: form.data.bidId as string };
}

const save = (browser: Browser, id: string, section: string, fields: Record<string, string>) =>
  call(sectionAction, post(`/bids/${id}/sections/${section}`, browser, fields), params(id, { section }));

describe("starting a bid", () => {
  it("offers the button to officers of a council that may lead, while the round is open", async () => {
    const { round, browser } = await openRoundWithOfficer();
    const page = await call(roundLoader, get(`/rounds/${round.slug}`, browser), { slug: round.slug });
    expect(page.data.canStart).toBe(true);
    const anonymous = await call(roundLoader, get(`/rounds/${round.slug}`, anonymousBrowser()), { slug: round.slug });
    expect(anonymous.data.canStart).toBe(false);
    const fire = await createOrganisation({ kind: "fireAuthority" });
    const fireOfficer = await createUser("councilOfficer", fire.id);
    const firePage = await call(roundLoader, get(`/rounds/${round.slug}`, await as(fireOfficer)), { slug: round.slug });
    expect(firePage.data.canStart).toBe(false);
    const refused = await call(startLoader, get(`/rounds/${round.slug}/start`, await as(fireOfficer)), { slug: round.slug });
    expect(refused.data.refusal).toBe("Fire authorities cannot lead a bid in this round, but can be invited to join one as a partner.");
  });

  it("starts a draft with a reference like LDF-2026-0042, once however often the button is pressed", async () => {
    const { round, council, officer, browser } = await openRoundWithOfficer();
    const { id, bidId } = await startBid(browser, round.slug);
    const again = await call(startAction, post(`/rounds/${round.slug}/start`, browser, { title: "Shared digital front door", bidId }), { slug: round.slug });
    expect(again.location).toBe(`/bids/${id}`);
    const bids = await db().bid.findMany({ where: { roundId: round.id } });
    expect(bids).toHaveLength(1);
    expect(bids[0]).toMatchObject({ state: "draft", leadOrganisationId: council.id, createdById: officer.id });
    expect(bids[0]!.reference).toMatch(/^LDF-\d{4}-\d{4}$/);
    const history = await db().transitionHistory.findMany({ where: { recordId: id } });
    expect(history.map((h) => h.event)).toEqual(["CREATE"]);
  });

  it("gives each bid the next reference, even when they are started at the same moment", async () => {
    const at = new Date("2026-06-01T12:00:00Z");
    const refs = await Promise.all(Array.from({ length: 5 }, () => db().$transaction((tx) => nextReference(tx, at))));
    const numbers = refs.map((r) => Number(r.split("-")[2])).sort((a, b) => a - b);
    expect(new Set(refs).size).toBe(5);
    expect(numbers[4]! - numbers[0]!).toBe(4);
    expect(refs[0]).toMatch(/^LDF-2026-\d{4}$/);
  });

  it("needs a name, and refuses closed rounds", async () => {
    const { round, browser } = await openRoundWithOfficer();
    const form = await call(startLoader, get(`/rounds/${round.slug}/start`, browser), { slug: round.slug });
    const blank = await call(startAction, post(`/rounds/${round.slug}/start`, browser, { title: " ", bidId: form.data.bidId }), { slug: round.slug });
    expect(blank.status).toBe(400);
    expect(blank.data.errors.title).toBe("Enter the name of the bid");
    const closed = await openRoundWithOfficer(-1);
    const late = await call(startAction, post(`/rounds/${closed.round.slug}/start`, closed.browser, { title: "Late", bidId: form.data.bidId }), {
      slug: closed.round.slug,
    });
    expect(late.status).toBe(400);
    expect(late.data.errors.title).toBe("This round has closed, so no more bids can be started.");
  });
});

describe("answering the sections", () => {
  it("saves partial answers to come back to, and checks every field when the section is marked complete", async () => {
    const { round, browser } = await openRoundWithOfficer();
    const { id } = await startBid(browser, round.slug);
    const partial = await save(browser, id, "problem", { problem: "Residents wait weeks.", users: "", complete: "no", version: "0" });
    expect(partial.status).toBe(302);
    expect(partial.location).toBe(`/bids/${id}`);
    const page = await call(sectionLoader, get(`/bids/${id}/sections/problem`, browser), params(id, { section: "problem" }));
    expect(page.data.values.problem).toBe("Residents wait weeks.");
    expect(page.data.complete).toBe(false);

    const incomplete = await save(browser, id, "problem", { problem: "Residents wait weeks.", users: " ", complete: "yes", version: "1" });
    expect(incomplete.status).toBe(400);
    expect(incomplete.data.errors).toEqual({ users: "Enter the users affected" });
    expect(incomplete.data.values.problem).toBe("Residents wait weeks.");

    const tooLong = await save(browser, id, "summary", { title: "x".repeat(121), summary: "", complete: "no", version: "0" });
    expect(tooLong.data.errors.title).toBe("Name of the bid must be 120 characters or fewer");

    const done = await save(browser, id, "problem", { problem: "Residents wait weeks.", users: "Carers", complete: "yes", version: "1" });
    expect(done.status).toBe(302);
    const bid = await db().bid.findUniqueOrThrow({ where: { id } });
    expect((bid.answers as { completed: string[] }).completed).toEqual(["problem"]);
  });

  it("computes the costs' totals by lead, partners and suppliers, and refuses malformed amounts and totals over the cap", async () => {
    const { round, browser } = await openRoundWithOfficer();
    const { id } = await startBid(browser, round.slug);
    const malformed = await save(browser, id, "costs", {
      "line-0-who": "lead",
      "line-0-description": "Project manager",
      "line-0-amount": "twelve",
      "line-1-who": "supplier",
      "line-1-description": "",
      "line-1-amount": "100",
      "line-2-who": "partner",
      "line-2-description": "Testing",
      "line-2-amount": "-5",
      complete: "no",
      version: "0",
    });
    expect(malformed.status).toBe(400);
    expect(malformed.data.errors).toEqual({
      "line-0-amount": "The amount on line 1 must be an amount of money in pounds, like 12500 or 12500.50",
      "line-1-description": "Enter what the money on line 2 is for",
      "line-2-amount": "The amount on line 3 must be an amount of money in pounds, like 12500 or 12500.50",
    });
    expect(malformed.data.values["line-0-amount"]).toBe("twelve");

    const over = await save(browser, id, "costs", {
      "line-0-who": "lead",
      "line-0-description": "Everything",
      "line-0-amount": "350,000.01",
      complete: "no",
      version: "0",
    });
    expect(over.data.errors["line-0-amount"]).toBe("The total, £350,000.01, is more than the most a bid can ask for in this round, £350,000");

    const ok = await save(browser, id, "costs", {
      "line-0-who": "lead",
      "line-0-description": "Project manager",
      "line-0-amount": "£50,000",
      "line-1-who": "partner",
      "line-1-description": "Partner time",
      "line-1-amount": "25000.50",
      "line-2-who": "supplier",
      "line-2-description": "Developers",
      "line-2-amount": "150000",
      "line-3-who": "lead",
      "line-3-description": "",
      "line-3-amount": "",
      complete: "yes",
      version: "0",
      intent: "more",
    });
    expect(ok.location).toBe(`/bids/${id}/sections/costs?saved=1`);
    const bid = await db().bid.findUniqueOrThrow({ where: { id } });
    expect(bid.amountRequestedPence).toBe(225_000_50);
    const page = await call(sectionLoader, get(`/bids/${id}/sections/costs`, browser), params(id, { section: "costs" }));
    expect(page.data.totals).toEqual({ lead: 50_000_00, partner: 25_000_50, supplier: 150_000_00, total: 225_000_50 });
    expect(page.data.lineRows).toBe(6);
  });

  it("checks each metric's name, unit, baseline and target", async () => {
    const { round, browser } = await openRoundWithOfficer();
    const { id } = await startBid(browser, round.slug);
    const bad = await save(browser, id, "evaluation", {
      evaluationPlan: "An independent evaluator.",
      "metric-0-name": "Time to resolve",
      "metric-0-unit": "days",
      "metric-0-baseline": "ten",
      "metric-0-target": "",
      complete: "yes",
      version: "0",
    });
    expect(bad.data.errors).toEqual({
      "metric-0-baseline": "The baseline of metric 1 must be a number, like 120 or 4.5",
      "metric-0-target": "Enter the target of metric 1",
    });
    const none = await save(browser, id, "evaluation", { evaluationPlan: "An independent evaluator.", complete: "yes", version: "0" });
    expect(none.data.errors).toEqual({ "metric-0-name": "Enter at least one metric, with its unit, baseline and target" });
    const good = await save(browser, id, "evaluation", {
      evaluationPlan: "An independent evaluator.",
      "metric-0-name": "Time to resolve",
      "metric-0-unit": "days",
      "metric-0-baseline": "10",
      "metric-0-target": "2.5",
      complete: "yes",
      version: "0",
    });
    expect(good.status).toBe(302);
  });

  it("tells the second of two officers editing one section at once, and keeps their text", async () => {
    const { round, council, browser } = await openRoundWithOfficer();
    const colleague = await createUser("councilOfficer", council.id);
    const { id } = await startBid(browser, round.slug);
    const first = await save(browser, id, "risks", { risks: "Supplier fails.", complete: "no", version: "0" });
    expect(first.status).toBe(302);
    // Sending the same form twice is harmless.
    const repeat = await save(browser, id, "risks", { risks: "Supplier fails.", complete: "no", version: "0" });
    expect(repeat.status).toBe(302);
    const second = await save(await as(colleague), id, "risks", { risks: "Staff leave.", complete: "no", version: "0" });
    expect(second.status).toBe(409);
    expect(second.data.values.risks).toBe("Staff leave.");
    expect(second.data.conflict.rows[0].value).toBe("Supplier fails.");
    expect(second.data.errors.conflict).toMatch(/Someone else saved this section/);
    const stored = await db().bid.findUniqueOrThrow({ where: { id } });
    expect((stored.answers as any).sections.risks.risks).toBe("Supplier fails.");
    // Saving again, having seen the other version, replaces it.
    const overwrite = await save(await as(colleague), id, "risks", { risks: "Staff leave.", complete: "no", version: String(second.data.version) });
    expect(overwrite.status).toBe(302);
  });

  it("keeps what was typed when the session expired mid-form, and brings it back after sign-in", async () => {
    const { round, officer, browser } = await openRoundWithOfficer();
    const { id } = await startBid(browser, round.slug);
    const expired = await expiredBrowser(officer.id);
    const sent = await save(expired, id, "approach", {
      approach: "Discovery first.",
      reuse: "Reuse GOV.UK Notify.",
      openness: "",
      complete: "no",
      version: "0",
    });
    expect(sent.status).toBe(302);
    const returnTo = decodeURIComponent(sent.location!.replace("/sign-in?returnTo=", ""));
    expect(returnTo).toMatch(new RegExp(`^/bids/${id}/sections/approach\\?restore=`));
    const back = await call(sectionLoader, get(returnTo, await signedInAgain(expired, officer.id)), params(id, { section: "approach" }));
    expect(back.data.rescued).toBe(true);
    expect(back.data.values).toMatchObject({ approach: "Discovery first.", reuse: "Reuse GOV.UK Notify." });
    const bid = await db().bid.findUniqueOrThrow({ where: { id } });
    expect((bid.answers as any).sections.approach).toBeUndefined();
  });

  it("does not let partners or other councils change the answers", async () => {
    const { bid, partnerOfficer } = await createPartnershipBid();
    const partner = await as(partnerOfficer);
    const page = await call(sectionLoader, get(`/bids/${bid.id}/sections/summary`, partner), params(bid.id, { section: "summary" }));
    expect(page.status).toBe(302);
    const other = await createUser("councilOfficer", (await createOrganisation()).id);
    const outsider = await call(bidLoader, get(`/bids/${bid.id}`, await as(other)), params(bid.id));
    expect(outsider.status).toBe(404);
    const saved = await save(partner, bid.id, "summary", { title: "Hijacked", summary: "", complete: "no", version: "0" });
    expect(saved.status).toBe(302);
    expect((await db().bid.findUniqueOrThrow({ where: { id: bid.id } })).title).not.toBe("Hijacked");
  });
});

describe("partnerships", () => {
  it("counts a partner only once an officer there accepts", async () => {
    const { round, browser } = await openRoundWithOfficer();
    const { id } = await startBid(browser, round.slug);
    const partnerCouncil = await createOrganisation();
    const partnerOfficer = await createUser("councilOfficer", partnerCouncil.id);
    const invited = await call(partnersAction, post(`/bids/${id}/partners`, browser, { partner: partnerCouncil.code }), params(id));
    expect(invited.status).toBe(302);
    // Inviting twice changes nothing, and says the council is already invited.
    const again = await call(partnersAction, post(`/bids/${id}/partners`, browser, { partner: partnerCouncil.name }), params(id));
    expect(again.status).toBe(400);
    expect(again.data.errors.partner).toBe(`${partnerCouncil.name} has already been invited. An officer there needs to accept before it counts as a partner`);
    expect(again.data.values.partner).toBe(partnerCouncil.name);
    expect(await db().bidPartner.count({ where: { bidId: id } })).toBe(1);
    const invitation = await db().notification.findMany({ where: { template: "bid-partner-invited", toEmail: partnerOfficer.email } });
    expect(invitation).toHaveLength(1);
    expect(invitation[0]!.text).toContain(`/bids/${id}`);
    expect((await bidSubmissionFacts(db(), id)).councils).toHaveLength(1);

    const page = await call(bidLoader, get(`/bids/${id}`, await as(partnerOfficer)), params(id));
    expect(page.data.relation).toBe("invitedOfficer");
    const accepted = await call(bidAction, post(`/bids/${id}`, await as(partnerOfficer), { intent: "accept" }), params(id));
    expect(accepted.location).toBe(`/bids/${id}?notice=accepted`);
    expect((await bidSubmissionFacts(db(), id)).councils.map((c) => c.role)).toEqual(["lead", "partner"]);
    const againAfter = await call(partnersAction, post(`/bids/${id}/partners`, browser, { partner: partnerCouncil.code }), params(id));
    expect(againAfter.data.errors.partner).toBe(`${partnerCouncil.name} is already a partner in this bid`);

    // An answered invitation is not answered again: to leave, the lead removes the council.
    const declined = await call(bidAction, post(`/bids/${id}`, await as(partnerOfficer), { intent: "decline" }), params(id));
    expect(declined.status).toBe(400);
    expect(declined.data.errors.respond).toMatch(
      new RegExp(`^Your council already accepted this invitation on .+\\. To change that, ask .+ to invite your council again\\.$`),
    );
    expect((await bidSubmissionFacts(db(), id)).councils).toHaveLength(2);
  });

  it("refuses the lead itself, organisations that cannot be partners, and names not in the register", async () => {
    const { round, council, browser } = await openRoundWithOfficer();
    const { id } = await startBid(browser, round.slug);
    const ministry = await createOrganisation({ kind: "ministry" });
    const invite = (partner: string) => call(partnersAction, post(`/bids/${id}/partners`, browser, { partner }), params(id));
    expect((await invite(council.code)).data.errors.partner).toBe(`${council.name} is the lead council, so cannot also be a partner`);
    expect((await invite(ministry.code)).data.errors.partner).toMatch(/only councils, combined authorities and fire authorities can be partners/);
    expect((await invite("Atlantis")).data.errors.partner).toBe("Enter the name of a council in the register");
    expect((await invite("")).data.errors.partner).toBe("Enter the name of a partner council");
  });

  it("lets only an officer of an invited council answer the invitation", async () => {
    const { bid } = await createPartnershipBid();
    const stranger = await createUser("councilOfficer", (await createOrganisation()).id);
    const result = await call(bidAction, post(`/bids/${bid.id}`, await as(stranger), { intent: "accept" }), params(bid.id));
    expect(result.status).toBe(404);
  });
});

// ---------------------------------------------------------------- evidence

describe("the type of a file, from its content", () => {
  it("recognises PDF, PNG, JPEG, Word, Excel, OpenDocument and text, and nothing else", () => {
    const bytes = (s: string | number[]) => (typeof s === "string" ? new TextEncoder().encode(s) : new Uint8Array(s));
    expect(detectFileType(bytes("%PDF-1.7\n..."))?.mimeType).toBe("application/pdf");
    expect(detectFileType(bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))?.mimeType).toBe("image/png");
    expect(detectFileType(bytes([0xff, 0xd8, 0xff, 0xe0]))?.mimeType).toBe("image/jpeg");
    expect(detectFileType(docx())?.label).toBe("Word document");
    const xlsx = zip([{ name: "[Content_Types].xml", text: "spreadsheetml.sheet.main+xml" }]);
    expect(detectFileType(xlsx)?.label).toBe("Excel spreadsheet");
    const odt = zip([{ name: "mimetype", text: "application/vnd.oasis.opendocument.text" }]);
    expect(detectFileType(odt)?.label).toBe("OpenDocument text");
    expect(detectFileType(zip([{ name: "evil.exe", text: "MZ" }]))).toBeNull();
    expect(detectFileType(bytes("name,count\nBirmingham,3\n"), "a.csv")?.mimeType).toBe("text/csv");
    expect(detectFileType(bytes([0x4d, 0x5a, 0x90, 0x00]), "report.pdf")).toBeNull();
    expect(detectFileType(bytes([0xc3, 0x28]), "notes.txt")).toBeNull();
  });
});

describe("uploading evidence", () => {
  const upload = (browser: Browser, id: string, type: string, file: { name: string; bytes: Uint8Array } | null) => {
    const form = new FormData();
    form.set("csrf", browser.csrf);
    form.set("type", type);
    if (file) form.set("file", new File([Buffer.from(file.bytes)], file.name));
    const request = new Request(`http://localhost:3000/bids/${id}/evidence`, { method: "POST", headers: { Cookie: browser.cookie }, body: form });
    return call(evidenceAction, request, params(id));
  };

  it("stores a typed document with its content hash, and refuses a file by its content with a clear reason", async () => {
    const { bid, officer, certifier } = await createPartnershipBid();
    const browser = await as(officer);
    const pdf = new TextEncoder().encode("%PDF-1.4\nletter of support\n%%EOF");
    const ok = await upload(browser, bid.id, "letterOfSupport", { name: "support.pdf", bytes: pdf });
    expect(ok.status).toBe(302);
    const again = await upload(browser, bid.id, "letterOfSupport", { name: "support.pdf", bytes: pdf });
    expect(again.status).toBe(302);
    const rows = await db().bidDocument.findMany({ where: { bidId: bid.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ type: "letterOfSupport", fileName: "support.pdf", mimeType: "application/pdf", size: pdf.length });
    expect(rows[0]!.sha256).toMatch(/^[a-f0-9]{64}$/);

    const word = await upload(browser, bid.id, "businessCase", { name: "case.docx", bytes: docx() });
    expect(word.status).toBe(302);
    expect((await db().bidDocument.findFirstOrThrow({ where: { bidId: bid.id, type: "businessCase" } })).mimeType).toMatch(/wordprocessingml/);

    const exe = await upload(browser, bid.id, "other", { name: "budget.pdf", bytes: new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0]) });
    expect(exe.status).toBe(400);
    expect(exe.data.errors.file).toMatch(/^The file must be a PDF, Word document.*\. The file you chose is a Windows program$/);
    const empty = await upload(browser, bid.id, "other", { name: "empty.pdf", bytes: new Uint8Array() });
    expect(empty.data.errors.file).toBe("The file you chose is empty");
    const noType = await upload(browser, bid.id, "", { name: "support.pdf", bytes: pdf });
    expect(noType.data.errors.type).toBe("Select the type of document");
    const noFile = await upload(browser, bid.id, "other", null);
    expect(noFile.data.errors.file).toBe("Select a file");
    const big = new Uint8Array(10 * 1024 * 1024 + 1).fill(0x41);
    const tooBig = await upload(browser, bid.id, "other", { name: "big.txt", bytes: big });
    expect(tooBig.status).toBe(413);
    expect(tooBig.data.errors.file).toBe("The file must be smaller than 10MB");
    // The type chosen beside it stays chosen: only the file has to be picked again.
    expect(tooBig.data.values.type).toBe("other");

    // The certifier may download it; the bytes are what was uploaded.
    const download = await call(
      documentLoader,
      get(`/bids/${bid.id}/documents/${rows[0]!.id}`, await as(certifier)),
      params(bid.id, { documentId: rows[0]!.id }),
    );
    expect(download.status).toBe(200);
    expect(new Uint8Array(await download.response!.arrayBuffer())).toEqual(pdf);
    expect(download.response!.headers.get("Content-Disposition")).toMatch(/^attachment/);
  });

  it("limits how many files one person uploads in an hour, saying when they can try again", async () => {
    const { bid, officer } = await createPartnershipBid();
    const browser = await as(officer);
    const limit = env().UPLOAD_LIMIT_PER_HOUR;
    const text = (i: number) => ({ name: `note-${i}.txt`, bytes: new TextEncoder().encode(`note ${i}\n`) });
    for (let i = 0; i < limit; i++) expect((await upload(browser, bid.id, "other", text(i))).status).toBe(302);
    const refused = await upload(browser, bid.id, "other", text(limit));
    expect(refused.status).toBe(429);
    expect(refused.data.errors.file).toMatch(/^You have uploaded a lot of files in the last hour\. Try again in \d+ minutes?$/);
    expect(await db().bidDocument.count({ where: { bidId: bid.id } })).toBe(limit);
  });
});

// ---------------------------------------------------------------- eligibility

describe("the live eligibility panel", () => {
  const rulesFor = async (bidId: string, leadId: string, now = new Date()) => {
    const rules = eligibilityRules(await bidSubmissionFacts(db(), bidId), leadId, [], now);
    return Object.fromEntries(rules.map((r) => [r.key, r]));
  };

  it("passes every rule for a complete partnership of signatories, within the cap, before the deadline", async () => {
    const { bid, lead, officer } = await createPartnershipBid();
    const rules = await rulesFor(bid.id, lead.id);
    expect(Object.values(rules).every((r) => r.passes)).toBe(true);
    const page = await call(bidLoader, get(`/bids/${bid.id}`, await as(officer)), params(bid.id));
    expect(page.data.eligibility.eligible).toBe(true);
  });

  it("fails the declaration rule, naming the council that has not signed", async () => {
    const { bid, lead, partnerA } = await createPartnershipBid({ partnerSigned: false });
    const rules = await rulesFor(bid.id, lead.id);
    expect(rules.declaration).toMatchObject({ passes: false, explanation: `${partnerA.name} has not signed the Local Digital Declaration.` });
    expect(rules.councils!.passes).toBe(true);
  });

  it("fails when there are too few councils, saying invitations waiting do not count", async () => {
    const { bid, lead, partnerB } = await createPartnershipBid();
    await db().bidPartner.update({ where: { bidId_organisationId: { bidId: bid.id, organisationId: partnerB.id } }, data: { status: "invited" } });
    const facts = await bidSubmissionFacts(db(), bid.id);
    const rules = eligibilityRules(facts, lead.id, [{ name: partnerB.name, signedDeclaration: true }]);
    const councils = rules.find((r) => r.key === "councils")!;
    expect(councils.passes).toBe(false);
    expect(councils.explanation).toBe(
      `The partnership has 2 councils and needs at least 3, including the lead. ${partnerB.name} has not accepted yet, and will count once it does.`,
    );
  });

  it("fails when the lead already leads 2 submitted bids in the round", async () => {
    const { bid, lead, round, officer } = await createPartnershipBid();
    for (const state of ["submitted", "eligible", "withdrawn", "draft"]) {
      await db().bid.create({
        data: {
          reference: `LDF-X-${state}-${bid.id.slice(0, 6)}`,
          roundId: round.id,
          leadOrganisationId: lead.id,
          createdById: officer.id,
          title: state,
          state,
          snapshot: {},
          machineVersion: 1,
        },
      });
    }
    const rules = await rulesFor(bid.id, lead.id);
    expect(rules.leadBids).toMatchObject({
      passes: false,
      explanation: `${lead.name} already leads 2 other bids in this round, and a council may lead at most 2.`,
    });
  });

  it("fails when an organisation may not take its role", async () => {
    const { bid, lead, partnerA } = await createPartnershipBid();
    await db().organisation.update({ where: { id: partnerA.id }, data: { kind: "ministry" } });
    const rules = await rulesFor(bid.id, lead.id);
    expect(rules.kinds).toMatchObject({
      passes: false,
      explanation: `${partnerA.name} is a government department, and government departments may not be partners.`,
    });
    await db().organisation.update({ where: { id: partnerA.id }, data: { kind: "council" } });
    await db().organisation.update({ where: { id: lead.id }, data: { kind: "fireAuthority" } });
    const again = await rulesFor(bid.id, lead.id);
    expect(again.kinds!.explanation).toBe(`${lead.name} is a fire authority, and fire authorities may only be partners.`);
  });

  it("fails when the amount is nothing, or above the cap", async () => {
    const { bid, lead } = await createPartnershipBid();
    await db().bid.update({ where: { id: bid.id }, data: { amountRequestedPence: 0 } });
    expect((await rulesFor(bid.id, lead.id)).amount).toMatchObject({ passes: false, explanation: "The amount asked for must be more than £0." });
    await db().bid.update({ where: { id: bid.id }, data: { amountRequestedPence: defaultFundRules.caps.pilot + 1 } });
    expect((await rulesFor(bid.id, lead.id)).amount!.explanation).toBe("The amount asked for, £350,000.01, is above the pilot stage cap of £350,000.");
  });

  it("fails after the deadline, giving the time in the UK", async () => {
    const { bid, lead, round } = await createPartnershipBid();
    const rules = await rulesFor(bid.id, lead.id, new Date(round.closesAt.getTime() + 1000));
    expect(rules.deadline!.passes).toBe(false);
    expect(rules.deadline!.explanation).toMatch(/^The round closed at (midday|12pm) on \d+ \w+ \d{4} \(UK time\)/);
  });

  it("fails while sections are incomplete, naming them", async () => {
    const { bid, lead } = await createPartnershipBid();
    await db().bid.update({ where: { id: bid.id }, data: { answers: { completed: ["summary", "problem", "partners", "approach", "costs"] } } });
    expect((await rulesFor(bid.id, lead.id)).sections).toMatchObject({
      passes: false,
      explanation: "These sections are not complete: Risks and Evaluation plan.",
    });
  });
});

// ---------------------------------------------------------------- certification and submission

describe("certification and submission", () => {
  const version = async (id: string) => String((await db().bid.findUniqueOrThrow({ where: { id } })).version);

  it("goes from check-your-answers to the certifier to a confirmation with the reference, emailing a copy of the answers", async () => {
    const { bid, officer, certifier, partnerOfficer } = await createPartnershipBid();
    await db().bid.update({
      where: { id: bid.id },
      data: {
        answers: {
          completed: ["summary", "problem", "partners", "approach", "costs", "risks", "evaluation"],
          sections: { problem: { problem: "Residents wait weeks.", users: "Carers" } },
        },
      },
    });
    const officerBrowser = await as(officer);
    const check = await call(checkLoader, get(`/bids/${bid.id}/check`, officerBrowser), params(bid.id));
    expect(check.status).toBe(200);
    expect(check.data.eligibility.eligible).toBe(true);
    const v = await version(bid.id);
    const sent = await call(checkAction, post(`/bids/${bid.id}/check`, officerBrowser, { version: v }), params(bid.id));
    expect(sent.location).toBe(`/bids/${bid.id}?notice=requested`);
    // Pressing the button twice is harmless.
    const twice = await call(checkAction, post(`/bids/${bid.id}/check`, officerBrowser, { version: v }), params(bid.id));
    expect(twice.status).toBe(302);

    const certifierBrowser = await as(certifier);
    const cv = await version(bid.id);
    const certified = await call(certifyAction, post(`/bids/${bid.id}/certify`, certifierBrowser, { decision: "approve", version: cv }), params(bid.id));
    expect(certified.location).toBe(`/bids/${bid.id}/confirmation`);
    const repeat = await call(certifyAction, post(`/bids/${bid.id}/certify`, certifierBrowser, { decision: "approve", version: cv }), params(bid.id));
    expect(repeat.status).toBe(302);
    const stored = await db().bid.findUniqueOrThrow({ where: { id: bid.id } });
    expect(stored.state).toBe("submitted");

    const confirmation = await call(confirmationLoader, get(`/bids/${bid.id}/confirmation`, officerBrowser), params(bid.id));
    expect(confirmation.data.bid.reference).toBe(bid.reference);

    const emails = await db().notification.findMany({ where: { template: "bid-confirmation", toEmail: officer.email } });
    expect(emails).toHaveLength(1);
    expect(emails[0]!.subject).toBe(`Confirmation of your bid: ${bid.title} (${bid.reference})`);
    expect(emails[0]!.text).toContain("Your reference number");
    // A copy of the answers, each question on its own line and its answer below it.
    expect(emails[0]!.text).toContain("What is the problem?\nResidents wait weeks.");
    const history = await db().transitionHistory.findFirstOrThrow({ where: { recordId: bid.id, event: "CERTIFY" } });
    expect(emails[0]!.transitionId).toBe(history.id);
    expect(await db().notification.count({ where: { template: "bid-confirmation", toEmail: partnerOfficer.email } })).toBe(0);

    // Read-only now: the sections cannot be opened for editing.
    const section = await call(sectionLoader, get(`/bids/${bid.id}/sections/summary`, officerBrowser), params(bid.id, { section: "summary" }));
    expect(section.status).toBe(302);
    const page = await call(bidLoader, get(`/bids/${bid.id}`, officerBrowser), params(bid.id));
    expect(page.data.timeline.map((t: { title: string }) => t.title)).toEqual(["Signed off and submitted", "Asked the certifier to sign off", "Created"]);
  });

  it("sends the bid back to draft when the certifier declines, with a reason, and tells the officers", async () => {
    const { bid, officer, certifier } = await createPartnershipBid();
    await call(checkAction, post(`/bids/${bid.id}/check`, await as(officer), { version: await version(bid.id) }), params(bid.id));
    const certifierBrowser = await as(certifier);
    const noReason = await call(certifyAction, post(`/bids/${bid.id}/certify`, certifierBrowser, { decision: "decline", reason: " " }), params(bid.id));
    expect(noReason.status).toBe(400);
    expect(noReason.data.errors.reason).toBe("Enter why you are declining to sign off the bid");
    const noChoice = await call(certifyAction, post(`/bids/${bid.id}/certify`, certifierBrowser, {}), params(bid.id));
    expect(noChoice.data.errors.decision).toBe("Select whether you sign off the bid");
    const declined = await call(
      certifyAction,
      post(`/bids/${bid.id}/certify`, certifierBrowser, { decision: "decline", reason: "The costs need a second look." }),
      params(bid.id),
    );
    expect(declined.status).toBe(302);
    expect((await db().bid.findUniqueOrThrow({ where: { id: bid.id } })).state).toBe("draft");
    const email = await db().notification.findFirstOrThrow({ where: { template: "bid-certification-declined", toEmail: officer.email } });
    expect(email.text).toContain("The costs need a second look.");
    const page = await call(bidLoader, get(`/bids/${bid.id}`, await as(officer)), params(bid.id));
    expect(page.data.bid.declined.reason).toBe("The costs need a second look.");
  });

  it("refuses a certifier from another council, and an officer trying to certify", async () => {
    const { bid, officer } = await createPartnershipBid();
    await call(checkAction, post(`/bids/${bid.id}/check`, await as(officer), {}), params(bid.id));
    const otherCertifier = await createUser("certifier", (await createOrganisation()).id);
    const other = await call(certifyAction, post(`/bids/${bid.id}/certify`, await as(otherCertifier), { decision: "approve" }), params(bid.id));
    expect(other.status).toBe(404);
    const byOfficer = await call(certifyAction, post(`/bids/${bid.id}/certify`, await as(officer), { decision: "approve" }), params(bid.id));
    expect(byOfficer.status).toBe(403);
  });

  it("refuses to send an ineligible bid, each broken rule its own error linked to where it is put right", async () => {
    const { bid, officer, partnerA } = await createPartnershipBid({ partnerSigned: false });
    await db().bid.update({ where: { id: bid.id }, data: { amountRequestedPence: 900_000_00 } });
    const officerBrowser = await as(officer);
    const sent = await call(checkAction, post(`/bids/${bid.id}/check`, officerBrowser, { version: await version(bid.id) }), params(bid.id));
    expect(sent.status).toBe(400);
    expect(sent.data.errors).toEqual({
      "fix-declaration": `Local Digital Declaration: ${partnerA.name} has not signed the Local Digital Declaration.`,
      "fix-amount": expect.stringMatching(/^Amount asked for: The amount asked for, £900,000, is above the pilot stage cap of £[\d,]+\.$/),
    });
    expect((await db().bid.findUniqueOrThrow({ where: { id: bid.id } })).state).toBe("draft");
    // Each error's link lands on its rule's fix link: the partners page, and the costs section.
    const page = await call(checkLoader, get(`/bids/${bid.id}/check`, officerBrowser), params(bid.id));
    const fixes = ruleFixes(bid.id, page.data.eligibility.rules, page.data.sections);
    expect(fixes.map((f) => [f.key, f.fix?.href])).toEqual([
      ["declaration", `/bids/${bid.id}/partners`],
      ["amount", `/bids/${bid.id}/sections/costs`],
    ]);
  });

  it("refuses submission after the deadline, checked on the server", async () => {
    const { bid, officer } = await createPartnershipBid({ closesInDays: -1 });
    const sent = await call(checkAction, post(`/bids/${bid.id}/check`, await as(officer), {}), params(bid.id));
    expect(sent.status).toBe(400);
    expect(sent.data.errors["fix-deadline"]).toMatch(/^Deadline: The round closed at (midday|12pm) on .+ \(UK time\), so the bid cannot be submitted\.$/);
    expect((await db().bid.findUniqueOrThrow({ where: { id: bid.id } })).state).toBe("draft");
  });

  it("refuses certification when the deadline passed while the certifier considered it", async () => {
    const { bid, officer, certifier, round } = await createPartnershipBid();
    await call(checkAction, post(`/bids/${bid.id}/check`, await as(officer), {}), params(bid.id));
    await db().round.update({ where: { id: round.id }, data: { closesAt: new Date(Date.now() - 60_000) } });
    const late = await call(certifyAction, post(`/bids/${bid.id}/certify`, await as(certifier), { decision: "approve" }), params(bid.id));
    expect(late.status).toBe(400);
    expect(late.data.errors.decision).toMatch(/round closed at/);
    expect(await db().notification.count({ where: { template: "bid-confirmation", data: { path: ["reference"], equals: bid.reference } } })).toBe(0);
  });
});

describe("after submission", () => {
  async function submitted() {
    const setup = await createPartnershipBid();
    const { bid, officer, certifier, fundTeam } = setup;
    await applyWorkflowEvent("bid", bid.id, {
      type: "REQUEST_CERTIFICATION",
      actor: actor(officer),
      at: new Date().toISOString(),
      facts: await bidSubmissionFacts(db(), bid.id),
    });
    await applyWorkflowEvent("bid", bid.id, {
      type: "CERTIFY",
      actor: actor(certifier),
      at: new Date().toISOString(),
      facts: await bidSubmissionFacts(db(), bid.id),
    });
    await applyWorkflowEvent("bid", bid.id, { type: "BEGIN_ELIGIBILITY_CHECK", actor: actor(fundTeam), at: new Date().toISOString() });
    return setup;
  }

  it("reopens only the named sections with the reason shown, and is resubmitted", async () => {
    const { bid, officer, fundTeam } = await submitted();
    const asked = await applyWorkflowEvent("bid", bid.id, {
      type: "REQUEST_CHANGES",
      actor: actor(fundTeam),
      at: new Date().toISOString(),
      reason: "Break the supplier costs down by role.",
      sections: ["costs"],
    });
    expect(asked.ok).toBe(true);
    const browser = await as(officer);
    const page = await call(bidLoader, get(`/bids/${bid.id}`, browser), params(bid.id));
    expect(page.data.bid.changeRequest).toMatchObject({ reason: "Break the supplier costs down by role.", sections: ["Costs"] });
    expect(page.data.sections.filter((s: { editable: boolean }) => s.editable).map((s: { key: string }) => s.key)).toEqual(["costs"]);
    const summary = await call(sectionLoader, get(`/bids/${bid.id}/sections/summary`, browser), params(bid.id, { section: "summary" }));
    expect(summary.status).toBe(302);
    const costs = await save(browser, bid.id, "costs", {
      "line-0-who": "supplier",
      "line-0-description": "Developer, 60 days",
      "line-0-amount": "30000",
      complete: "yes",
      version: "0",
    });
    expect(costs.status).toBe(302);
    const resubmitted = await call(checkAction, post(`/bids/${bid.id}/check`, browser, {}), params(bid.id));
    expect(resubmitted.location).toBe(`/bids/${bid.id}?notice=resubmitted`);
    expect((await db().bid.findUniqueOrThrow({ where: { id: bid.id } })).state).toBe("resubmitted");
  });

  it("keeps a withdrawal reason typed as the session expired", async () => {
    const { bid, officer } = await submitted();
    const expired = await expiredBrowser(officer.id);
    const sent = await call(withdrawAction, post(`/bids/${bid.id}/withdraw`, expired, { reason: "Budget cut." }), params(bid.id));
    const returnTo = decodeURIComponent(sent.location!.replace("/sign-in?returnTo=", ""));
    const back = await call(withdrawLoader, get(returnTo, await signedInAgain(expired, officer.id)), params(bid.id));
    expect(back.data.rescued).toEqual({ reason: "Budget cut." });
    expect((await db().bid.findUniqueOrThrow({ where: { id: bid.id } })).state).toBe("eligibilityCheck");
  });

  it("lets the lead withdraw with a reason, shown on the timeline", async () => {
    const { bid, officer, partnerOfficer } = await submitted();
    const browser = await as(officer);
    const blank = await call(withdrawAction, post(`/bids/${bid.id}/withdraw`, browser, { reason: "" }), params(bid.id));
    expect(blank.data.errors.reason).toBe("Enter why you are withdrawing the bid");
    const byPartner = await call(withdrawAction, post(`/bids/${bid.id}/withdraw`, await as(partnerOfficer), { reason: "No" }), params(bid.id));
    expect(byPartner.status).toBe(403);
    const done = await call(withdrawAction, post(`/bids/${bid.id}/withdraw`, browser, { reason: "Our partner pulled out." }), params(bid.id));
    expect(done.location).toBe(`/bids/${bid.id}?notice=withdrawn`);
    const page = await call(bidLoader, get(`/bids/${bid.id}`, browser), params(bid.id));
    expect(page.data.bid.stateLabel).toBe("Withdrawn");
    expect(page.data.timeline[0]).toMatchObject({ title: "Withdrawn", reason: "Our partner pulled out." });
  });
});
