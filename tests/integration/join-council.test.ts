import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerFloor, limitPerAddress, SIGN_IN_ANSWER_MS } from "~/auth/sign-in.server.ts";
import { db } from "~/db/database.server.ts";
import { waitingFor } from "~/home/waiting.server.ts";
import { loader as listLoader } from "~/routes/access-requests._index.tsx";
import { action as answerAction, loader as requestLoader } from "~/routes/access-requests.$id.tsx";
import { action as organisationAction, loader as organisationLoader } from "~/routes/organisations.$code.tsx";
import { action as requestAction } from "~/routes/request-access._index.tsx";
import { action as confirmAction, loader as confirmLoader } from "~/routes/request-access.confirm.tsx";
import { getUser } from "~/auth/session.server.ts";
import { sha256 } from "~/security/tokens.server.ts";
import { useTestDatabase } from "../support/database.ts";
import { createOrganisation } from "../../bench/support/fixtures.ts";
import { anonymousBrowser, context, createUser, get, post, run, signedInBrowser, type Browser } from "../../bench/support/requests.ts";

useTestDatabase();

// Every answer to a request waits out a minimum time; here each wait is recorded instead.
const floors: number[] = [];
const realWait = answerFloor.wait;
beforeAll(() => {
  answerFloor.wait = async (ms) => {
    floors.push(ms);
  };
});
afterAll(() => {
  answerFloor.wait = realWait;
});

let clients = 0;
/** Each call comes from its own client address unless one is given, so only the per-address limit is in play. */
async function ask(fields: { name?: string; email: string; role?: string; note?: string }, clientIp = `198.51.100.${++clients % 250}`) {
  const browser = anonymousBrowser();
  return run(() =>
    requestAction({
      request: post("/request-access", browser, {
        name: fields.name ?? "Jo Bloggs",
        email: fields.email,
        role: fields.role ?? "councilOfficer",
        note: fields.note ?? "",
      }),
      context: context(clientIp),
      params: {},
    }),
  );
}

async function emailsTo(address: string, template?: string) {
  return db().notification.findMany({ where: { toEmail: address, ...(template ? { template } : {}) }, orderBy: { createdAt: "asc" } });
}

async function confirmationLinkTo(address: string) {
  const [message] = (await emailsTo(address, "access-request-confirm")).slice(-1);
  return new URL(/http:\/\/\S+/.exec(message!.text)![0]);
}

async function confirm(link: URL) {
  return run(() =>
    confirmAction({
      request: post("/request-access/confirm", anonymousBrowser(), { token: link.searchParams.get("token") ?? "" }),
      context: context(),
      params: {},
    }),
  );
}

/** Asks for access and confirms it, returning the request's id. */
async function pendingRequest(address: string, role = "councilOfficer", name = "Jo Bloggs") {
  expect((await ask({ email: address, role, name })).status).toBe(302);
  expect((await confirm(await confirmationLinkTo(address))).data).toMatchObject({ outcome: "confirmed" });
  return (await db().accessRequest.findFirstOrThrow({ where: { email: address, status: "pending" } })).id;
}

async function answer(browser: Browser, id: string, fields: Record<string, string>) {
  return run(() => answerAction({ request: post(`/access-requests/${id}`, browser, fields), context: context(), params: { id } }));
}

let domains = 0;
/** A council with its own domain, and the officers asked for. */
async function council(staff: { officers?: number; certifiers?: number } = {}) {
  const organisation = await createOrganisation({ name: `Joinable Council ${++domains}` });
  const domain = `joinable${domains}-${organisation.code.toLowerCase()}.gov.uk`;
  await db().organisationDomain.create({ data: { domain, organisationId: organisation.id } });
  const officers = [];
  for (let i = 0; i < (staff.officers ?? 0); i++) officers.push(await createUser("councilOfficer", organisation.id));
  const certifiers = [];
  for (let i = 0; i < (staff.certifiers ?? 0); i++) certifiers.push(await createUser("certifier", organisation.id));
  return { organisation, domain, officers, certifiers };
}

async function changeDomains(browser: Browser, code: string, fields: Record<string, string>) {
  return run(() => organisationAction({ request: post(`/organisations/${code}`, browser, fields), context: context(), params: { code } }));
}

describe("an organisation's email domains", () => {
  it("are set by the fund team and administrators on the organisation page, and shown there", async () => {
    const organisation = await createOrganisation({ name: "Domain Council" });
    const fundTeam = await signedInBrowser((await createUser("fundTeam")).id);
    const added = await changeDomains(fundTeam, organisation.code, { intent: "add-domain", domain: "  @Domain-Council.GOV.uk " });
    expect(added.status).toBe(302);
    expect(added.location).toBe(`/organisations/${organisation.code}?domain=added&value=domain-council.gov.uk#domains`);
    const admin = await signedInBrowser((await createUser("admin")).id);
    expect((await changeDomains(admin, organisation.code, { intent: "add-domain", domain: "staff.domain-council.gov.uk" })).status).toBe(302);

    const page = await run(() =>
      organisationLoader({ request: get(`/organisations/${organisation.code}`, fundTeam), context: context(), params: { code: organisation.code } }),
    );
    expect(page.data.domains.map((d: { domain: string }) => d.domain)).toEqual(["domain-council.gov.uk", "staff.domain-council.gov.uk"]);

    const removed = await changeDomains(fundTeam, organisation.code, { intent: "remove-domain", domainId: page.data.domains[1].id });
    expect(removed.location).toBe(`/organisations/${organisation.code}?domain=removed&value=staff.domain-council.gov.uk#domains`);
    expect(await db().organisationDomain.count({ where: { organisationId: organisation.id } })).toBe(1);
    const again = await changeDomains(fundTeam, organisation.code, { intent: "remove-domain", domainId: page.data.domains[1].id });
    expect(again.data.errors).toEqual({ domain: "That domain has already been removed" });
  });

  it("refuses what is not a real domain, a public email service, a shared suffix and a domain another organisation has, saying which", async () => {
    const organisation = await createOrganisation({ name: "Careful Council" });
    const other = await createOrganisation({ name: "First Claim Council" });
    await db().organisationDomain.create({ data: { domain: "first-claim.gov.uk", organisationId: other.id } });
    await db().organisationDomain.create({ data: { domain: "careful.gov.uk", organisationId: organisation.id } });
    const fundTeam = await signedInBrowser((await createUser("fundTeam")).id);
    const refusal = async (domain: string) => {
      const result = await changeDomains(fundTeam, organisation.code, { intent: "add-domain", domain });
      expect(result.status, domain).toBe(400);
      expect(result.data.values.domain, domain).toBe(domain);
      return result.data.errors.domain as string;
    };
    expect(await refusal("")).toBe("Enter an email domain, like leeds.gov.uk");
    expect(await refusal("not a domain")).toMatch(/^Enter a real email domain/);
    expect(await refusal("localhost")).toMatch(/^Enter a real email domain/);
    expect(await refusal("jo@careful.gov.uk")).toBe("Enter only the part of the address after the @, like leeds.gov.uk");
    for (const webmail of ["gmail.com", "Outlook.com", "hotmail.com", "hotmail.co.uk", "yahoo.co.uk"]) {
      expect(await refusal(webmail)).toBe(
        `${webmail.toLowerCase()} is a public email service that anyone can sign up to, so it cannot be an organisation's domain. Enter a domain only its staff have, like leeds.gov.uk`,
      );
    }
    expect(await refusal("gov.uk")).toBe("gov.uk is shared by many organisations. Enter the organisation's own domain, like leeds.gov.uk");
    expect(await refusal("first-claim.gov.uk")).toBe("first-claim.gov.uk already belongs to First Claim Council. A domain can belong to only one organisation");
    expect(await refusal("careful.gov.uk")).toBe("careful.gov.uk is already one of Careful Council's domains");
    expect(await db().organisationDomain.count({ where: { organisationId: organisation.id } })).toBe(1);
  });

  it("belong only to organisations whose staff can join (not an assessor body), and only the fund team and administrators change them", async () => {
    const assessors = await createOrganisation({ name: "Assessing Body", kind: "assessorBody" });
    const fundTeam = await signedInBrowser((await createUser("fundTeam")).id);
    const refused = await changeDomains(fundTeam, assessors.code, { intent: "add-domain", domain: "assessing.example" });
    expect(refused.data.errors.domain).toBe(
      "Only councils, combined authorities and fire authorities have email domains, since only their staff can ask to join",
    );
    const page = await run(() =>
      organisationLoader({ request: get(`/organisations/${assessors.code}`, fundTeam), context: context(), params: { code: assessors.code } }),
    );
    expect(page.data.domains).toBeNull();

    const { organisation, officers } = await council({ officers: 1 });
    const officer = await signedInBrowser(officers[0]!.id);
    const byOfficer = await changeDomains(officer, organisation.code, { intent: "add-domain", domain: "sneaky.gov.uk" });
    expect(byOfficer.status).toBe(403);
    expect(await db().organisationDomain.count({ where: { domain: "sneaky.gov.uk" } })).toBe(0);
  });
});

describe("asking for access", () => {
  it("answers exactly the same for an address with an account, one on a council's domain, one on no council's domain and a public email address", async () => {
    const { domain, officers } = await council({ officers: 1 });
    const addresses = {
      hasAccount: officers[0]!.email,
      onDomain: `new.person@${domain}`,
      onNoDomain: "someone@unknown-council.example",
      webmail: "someone@gmail.com",
    };
    // The existing officer's address is on no domain: make one that is, so only the account differs.
    const known = await db().user.update({ where: { id: officers[0]!.id }, data: { email: `known.person@${domain}` } });
    addresses.hasAccount = known.email;
    floors.length = 0;
    const answers = [];
    for (const address of Object.values(addresses)) {
      const result = await ask({ email: address });
      const hide = (text: string | null | undefined) => text?.replace(encodeURIComponent(address), "ADDRESS");
      answers.push({ status: result.status, location: hide(result.location), headers: [...result.response!.headers].map(([k, v]) => [k, hide(v)]) });
    }
    expect(answers[0]).toEqual({ status: 302, location: "/request-access/check-email?email=ADDRESS", headers: answers[0]!.headers });
    for (const other of answers.slice(1)) expect(other).toEqual(answers[0]);
    expect(floors).toEqual([SIGN_IN_ANSWER_MS, SIGN_IN_ANSWER_MS, SIGN_IN_ANSWER_MS, SIGN_IN_ANSWER_MS]);

    // Behind the same answer: a sign-in link, a confirmation link, and nothing at all.
    expect((await emailsTo(addresses.hasAccount)).map((e) => e.template)).toEqual(["sign-in-link"]);
    expect((await emailsTo(addresses.onDomain)).map((e) => e.template)).toEqual(["access-request-confirm"]);
    expect(await emailsTo(addresses.onNoDomain)).toEqual([]);
    expect(await emailsTo(addresses.webmail)).toEqual([]);
    expect(await db().accessRequest.count({ where: { email: { in: [addresses.hasAccount, addresses.onNoDomain, addresses.webmail] } } })).toBe(0);
    // Asking never made an account or told the council anything.
    expect(await db().user.count({ where: { email: addresses.onDomain } })).toBe(0);
    expect(await emailsTo(officers[0]!.email)).toEqual([]);
  });

  it("matches an address on a part of the council's domain, but not a look-alike", async () => {
    const { domain } = await council();
    await ask({ email: `jo@housing.${domain}` });
    await ask({ email: `jo@not${domain}` });
    expect(await db().accessRequest.count({ where: { email: `jo@housing.${domain}` } })).toBe(1);
    expect(await db().accessRequest.count({ where: { email: `jo@not${domain}` } })).toBe(0);
  });

  it("keeps what was typed and says what is wrong with each answer", async () => {
    const result = await run(() =>
      requestAction({
        request: post("/request-access", anonymousBrowser(), { name: " ", email: "jo at leeds", note: "x".repeat(1001) }),
        context: context(),
        params: {},
      }),
    );
    expect(result.status).toBe(400);
    expect(result.data.errors).toEqual({
      name: "Enter your full name",
      email: "Enter an email address in the correct format, like name@council.gov.uk",
      role: "Select the role you need",
      note: "Your note must be 1,000 characters or fewer",
    });
    expect(result.data.values).toMatchObject({ email: "jo at leeds" });
  });

  it("limits how often one address, and one client, may ask, with a clear message and the same wait", async () => {
    const { domain } = await council();
    const address = `eager@${domain}`;
    floors.length = 0;
    for (let i = 0; i < limitPerAddress(); i++) expect((await ask({ email: address }, `192.0.2.${i + 1}`)).status).toBe(302);
    const refused = await ask({ email: address }, "192.0.2.100");
    expect(refused.status).toBe(429);
    expect(refused.data.errors.email).toMatch(/^You have asked too many times\. Wait \d+ minutes? and try again\.$/);
    expect(refused.data.values.email).toBe(address);
    expect(floors).toHaveLength(limitPerAddress() + 1);
    expect(new Set(floors)).toEqual(new Set([SIGN_IN_ANSWER_MS]));
    // The same limit for an address on no council's domain: the refusal says nothing either.
    for (let i = 0; i < limitPerAddress(); i++) await ask({ email: "eager@nowhere.example" }, `192.0.2.${i + 1}`);
    expect((await ask({ email: "eager@nowhere.example" }, "192.0.2.101")).status).toBe(429);

    let last = await ask({ email: "c0@nowhere.example" }, "192.0.2.250");
    for (let i = 1; i <= 40 && last.status === 302; i++) last = await ask({ email: `c${i}@nowhere.example` }, "192.0.2.250");
    expect(last.status).toBe(429);
  });
});

describe("confirming the address", () => {
  it("sends the request to the council's officers and certifiers only once the emailed link is used, once", async () => {
    const { domain, officers, certifiers } = await council({ officers: 2, certifiers: 1 });
    const address = `confirming@${domain}`;
    await ask({ email: address, name: "Casey Confirm" });
    const request = await db().accessRequest.findFirstOrThrow({ where: { email: address } });
    expect(request.status).toBe("unconfirmed");
    const link = await confirmationLinkTo(address);
    expect(link.pathname).toBe("/request-access/confirm");
    expect(request.tokenHash).toBe(sha256(link.searchParams.get("token")!));
    // Not yet the officers' business.
    expect(await waitingFor((await getUser(get("/home", await signedInBrowser(officers[0]!.id))))!)).toEqual([]);

    const opened = await run(() =>
      confirmLoader({ request: get(`/request-access/confirm?token=${link.searchParams.get("token")}`), context: context(), params: {} }),
    );
    expect(opened.data).toMatchObject({ name: "Casey Confirm" });
    // Opening the link (as a mail scanner would) uses nothing.
    expect((await db().accessRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("unconfirmed");

    const confirmed = await confirm(link);
    expect(confirmed.data).toMatchObject({ outcome: "confirmed" });
    expect((await db().accessRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("pending");
    const told = await db().notification.findMany({ where: { template: "access-request-waiting" }, select: { toEmail: true, text: true } });
    const toldHere = told.filter((t) => t.text.includes(address));
    expect(toldHere.map((t) => t.toEmail).sort()).toEqual([...officers, ...certifiers].map((u) => u.email).sort());
    expect(toldHere[0]!.text).toContain(`/access-requests/${request.id}`);

    expect((await confirm(link)).location).toBe("/request-access?problem=used");
  });

  it("refuses an expired or forged link, each with a way to ask again", async () => {
    const { domain } = await council({ officers: 1 });
    const address = `late@${domain}`;
    await ask({ email: address });
    const link = await confirmationLinkTo(address);
    await db().accessRequest.updateMany({ where: { email: address }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await confirm(link)).location).toBe("/request-access?problem=expired");
    const forged = new URL(link);
    forged.searchParams.set("token", "forged");
    expect((await confirm(forged)).location).toBe("/request-access?problem=invalid");
    const opened = await run(() => confirmLoader({ request: get("/request-access/confirm?token=forged"), context: context(), params: {} }));
    expect(opened.location).toBe("/request-access?problem=invalid");
  });

  it("asks the certifiers for a certifier, and the fund team where the council has nobody who can answer", async () => {
    const fundTeam = await createUser("fundTeam");
    const withCertifier = await council({ officers: 1, certifiers: 1 });
    await pendingRequest(`wants.sign-off@${withCertifier.domain}`, "certifier");
    const empty = await council();
    await pendingRequest(`first@${empty.domain}`);
    const officersOnly = await council({ officers: 1 });
    await pendingRequest(`signer@${officersOnly.domain}`, "certifier");
    const recipients = async (address: string) =>
      (await db().notification.findMany({ where: { template: "access-request-waiting" }, select: { toEmail: true, text: true } }))
        .filter((n) => n.text.includes(address))
        .map((n) => n.toEmail);
    expect(await recipients(`wants.sign-off@${withCertifier.domain}`)).toEqual([withCertifier.certifiers[0]!.email]);
    expect(await recipients(`first@${empty.domain}`)).toContain(fundTeam.email);
    expect(await recipients(`signer@${officersOnly.domain}`)).toContain(fundTeam.email);
    expect(await recipients(`signer@${officersOnly.domain}`)).not.toContain(officersOnly.officers[0]!.email);
  });
});

describe("answering a request", () => {
  it("lets a council officer approve a new council officer, who is created in the council, emailed, and can sign in", async () => {
    const { organisation, domain, officers } = await council({ officers: 1 });
    const id = await pendingRequest(`new.officer@${domain}`, "councilOfficer", "Nia New");
    const officer = await signedInBrowser(officers[0]!.id);

    const waiting = await waitingFor((await getUser(get("/home", officer)))!);
    expect(waiting).toEqual([
      expect.objectContaining({ href: `/access-requests/${id}`, action: `Approve or decline Nia New's request to join ${organisation.name}` }),
    ]);
    const list = await run(() => listLoader({ request: get("/access-requests", officer), context: context(), params: {} }));
    expect(list.data.requests).toEqual([
      expect.objectContaining({ id, name: "Nia New", email: `new.officer@${domain}`, role: "Council officer", canAnswer: true }),
    ]);
    const page = await run(() => requestLoader({ request: get(`/access-requests/${id}`, officer), context: context(), params: { id } }));
    expect(page.data.request.grantable.map((g: { value: string }) => g.value)).toEqual(["councilOfficer"]);
    // A view model: no token hash or internal ids.
    expect(JSON.stringify(page.data)).not.toMatch(/tokenHash|organisationId/);

    const approved = await answer(officer, id, { intent: "approve", role: "councilOfficer" });
    expect(approved.location).toBe(`/access-requests/${id}?answered=approved`);
    const user = await db().user.findUniqueOrThrow({ where: { email: `new.officer@${domain}` } });
    expect(user).toMatchObject({ name: "Nia New", role: "councilOfficer", organisationId: organisation.id, invitedById: officers[0]!.id });
    const [email] = await emailsTo(user.email, "access-request-approved");
    expect(email!.toUserId).toBe(user.id);
    expect(email!.text).toContain(`${officers[0]!.name} approved your request`);
    expect(email!.text).toContain("/sign-in");
    expect(await waitingFor((await getUser(get("/home", officer)))!)).toEqual([]);
    // The new officer asks for a sign-in link like anyone else: the same page now sends one.
    await ask({ email: user.email });
    expect((await emailsTo(user.email, "sign-in-link")).length).toBe(1);
  });

  it("gives the certifier role only through a certifier of the council or the fund team, saying so to an officer", async () => {
    const { domain, officers, certifiers } = await council({ officers: 1, certifiers: 1 });
    const id = await pendingRequest(`new.certifier@${domain}`, "certifier");
    const officer = await signedInBrowser(officers[0]!.id);
    // Not the officer's to answer, so not in their list of things waiting, though they may see it.
    expect(await waitingFor((await getUser(get("/home", officer)))!)).toEqual([]);
    const refused = await answer(officer, id, { intent: "approve", role: "certifier" });
    expect(refused.status).toBe(400);
    expect(refused.data.errors.role).toMatch(
      /^Only a certifier of Joinable Council \d+ or the fund team can give the certifier role\. You can give the council officer role, or decline\.$/,
    );
    expect(refused.data.values.role).toBe("certifier");
    expect(await db().user.count({ where: { email: `new.certifier@${domain}` } })).toBe(0);

    const certifier = await signedInBrowser(certifiers[0]!.id);
    expect((await waitingFor((await getUser(get("/home", certifier)))!)).map((w) => w.href)).toEqual([`/access-requests/${id}`]);
    expect((await answer(certifier, id, { intent: "approve", role: "certifier" })).status).toBe(302);
    expect((await db().user.findUniqueOrThrow({ where: { email: `new.certifier@${domain}` } })).role).toBe("certifier");
  });

  it("leaves a council's officer requests to its officers, and lets the fund team answer where there are none, and give the certifier role", async () => {
    const fundTeamUser = await createUser("fundTeam");
    const fundTeam = await signedInBrowser(fundTeamUser.id);
    const staffed = await council({ officers: 1 });
    const staffedRequest = await pendingRequest(`officer.here@${staffed.domain}`);
    const refused = await answer(fundTeam, staffedRequest, { intent: "approve", role: "councilOfficer" });
    expect(refused.status).toBe(400);
    expect(refused.data.errors.role).toMatch(/has officers of its own, so they answer requests to join it as a council officer/);
    // Nor may it answer by giving another role, or by declining.
    expect((await answer(fundTeam, staffedRequest, { intent: "approve", role: "certifier" })).status).toBe(400);
    const declineRefused = await answer(fundTeam, staffedRequest, { intent: "decline", reason: "Not ours" });
    expect(declineRefused.status).toBe(400);
    expect(declineRefused.data.errors.reason).toMatch(/has officers of its own/);

    const empty = await council();
    const emptyRequest = await pendingRequest(`first.officer@${empty.domain}`);
    const signer = await pendingRequest(`signer@${staffed.domain}`, "certifier");
    const waiting = (await waitingFor((await getUser(get("/home", fundTeam)))!)).map((w) => w.href);
    expect(waiting).toContain(`/access-requests/${emptyRequest}`);
    expect(waiting).toContain(`/access-requests/${signer}`);
    expect(waiting).not.toContain(`/access-requests/${staffedRequest}`);

    expect((await answer(fundTeam, emptyRequest, { intent: "approve", role: "councilOfficer" })).status).toBe(302);
    expect((await answer(fundTeam, signer, { intent: "approve", role: "certifier" })).status).toBe(302);
    expect((await db().user.findUniqueOrThrow({ where: { email: `signer@${staffed.domain}` } })).role).toBe("certifier");
  });

  it("hides a council's requests from other councils' officers and from assessors and gate approvers", async () => {
    const { domain } = await council({ officers: 1 });
    const id = await pendingRequest(`private@${domain}`);
    const outsider = await signedInBrowser((await createUser("councilOfficer")).id);
    expect((await run(() => requestLoader({ request: get(`/access-requests/${id}`, outsider), context: context(), params: { id } }))).status).toBe(404);
    expect((await answer(outsider, id, { intent: "approve", role: "councilOfficer" })).status).toBe(404);
    const list = await run(() => listLoader({ request: get("/access-requests", outsider), context: context(), params: {} }));
    expect(list.data.requests).toEqual([]);
    for (const role of ["assessor", "gateApprover"] as const) {
      const browser = await signedInBrowser((await createUser(role)).id);
      expect((await run(() => requestLoader({ request: get(`/access-requests/${id}`, browser), context: context(), params: { id } }))).status).toBe(403);
    }
  });

  it("declines with a reason, emailed to the person, and the request cannot then be approved", async () => {
    const { domain, officers } = await council({ officers: 1 });
    const address = `unknown.person@${domain}`;
    const id = await pendingRequest(address);
    const officer = await signedInBrowser(officers[0]!.id);
    const noReason = await answer(officer, id, { intent: "decline", reason: "" });
    expect(noReason.data.errors).toEqual({ reason: "Enter why you are declining the request" });
    const declined = await answer(officer, id, { intent: "decline", reason: "We cannot find you in the staff directory." });
    expect(declined.location).toBe(`/access-requests/${id}?answered=declined`);
    const [email] = await emailsTo(address, "access-request-declined");
    expect(email!.text).toContain("We cannot find you in the staff directory.");
    expect(email!.text).toContain(`${officers[0]!.name} declined your request`);
    const late = await answer(officer, id, { intent: "approve", role: "councilOfficer" });
    expect(late.status).toBe(400);
    expect(late.data.errors.role).toBe(`This request has already been answered: ${officers[0]!.name} declined it. A request is answered once.`);
    expect(await db().user.count({ where: { email: address } })).toBe(0);
  });

  it("takes one answer when two officers answer at the same moment", async () => {
    const { domain, officers } = await council({ officers: 2 });
    const id = await pendingRequest(`popular@${domain}`);
    const [first, second] = await Promise.all(officers.map((o) => signedInBrowser(o.id)));
    const results = await Promise.all([
      answer(first!, id, { intent: "approve", role: "councilOfficer" }),
      answer(second!, id, { intent: "decline", reason: "Not known to us" }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([302, 400]);
    const loser = results.find((r) => r.status === 400)!;
    expect(Object.values(loser.data.errors as Record<string, string>)[0]).toMatch(
      /^This request has already been answered: .+ (approved|declined) it.*\. A request is answered once\.$/,
    );
    const emails = await db().notification.count({
      where: { toEmail: `popular@${domain}`, template: { in: ["access-request-approved", "access-request-declined"] } },
    });
    expect(emails).toBe(1);
    const stored = await db().accessRequest.findUniqueOrThrow({ where: { id } });
    expect(await db().user.count({ where: { email: `popular@${domain}` } })).toBe(stored.status === "approved" ? 1 : 0);
  });

  it("tells someone who confirms after getting an account, or who asked twice, instead of asking the council again", async () => {
    const { domain, officers } = await council({ officers: 1 });
    const twice = `twice@${domain}`;
    await pendingRequest(twice);
    await ask({ email: twice });
    expect((await confirm(await confirmationLinkTo(twice))).data).toMatchObject({ outcome: "already-asked" });
    expect(await db().accessRequest.count({ where: { email: twice, status: "pending" } })).toBe(1);

    const invited = `invited@${domain}`;
    await ask({ email: invited });
    await db().user.create({ data: { email: invited, name: "Invited Meanwhile", role: "councilOfficer", organisationId: officers[0]!.organisationId } });
    expect((await confirm(await confirmationLinkTo(invited))).data).toMatchObject({ outcome: "has-account" });
    expect(await db().accessRequest.count({ where: { email: invited, status: "pending" } })).toBe(0);
  });

  it("records every request, answer and domain change in the audit log", async () => {
    const { organisation, domain, officers } = await council({ officers: 1 });
    const id = await pendingRequest(`audited@${domain}`);
    await answer(await signedInBrowser(officers[0]!.id), id, { intent: "approve", role: "councilOfficer" });
    const entries = await db().auditEvent.findMany({ where: { tableName: "AccessRequest", rowId: id }, orderBy: { seq: "asc" } });
    expect(entries.map((e) => e.operation)).toEqual(["INSERT", "UPDATE", "UPDATE"]);
    expect((entries[2]!.after as { status: string; answeredById: string }).status).toBe("approved");
    expect((entries[2]!.after as { answeredById: string }).answeredById).toBe(officers[0]!.id);
    const domainEntries = await db().auditEvent.count({
      where: { tableName: "OrganisationDomain", after: { path: ["organisationId"], equals: organisation.id } },
    });
    expect(domainEntries).toBe(1);
  });
});
