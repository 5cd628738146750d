import { describe, expect, it } from "vitest";
import { MAX_SECTION_ROWS } from "~/bid-form/sections.ts";
import { db } from "~/db/database.server.ts";
import { action as withdrawAction, loader as withdrawLoader } from "~/routes/bids.$id_.withdraw.tsx";
import { action as sectionAction, loader as sectionLoader } from "~/routes/bids.$id_.sections.$section.tsx";
import { action as certifyAction, loader as certifyLoader } from "~/routes/bids.$id_.certify.tsx";
import { action as checkAction } from "~/routes/bids.$id_.check.tsx";
import { action as scoreAction, loader as scoreLoader } from "~/routes/assessments.$id_.score.tsx";
import { KEPT_FORM_BYTES, KEPT_FORM_HOURS, KEPT_PER_ADDRESS_PER_HOUR, KEPT_PER_BROWSER, KEPT_VALUE_CHARS } from "~/auth/kept-forms.server.ts";
import { sha256 } from "~/security/tokens.server.ts";
import { useTestDatabase } from "../support/database.ts";
import { browserToken, expiredBrowser, signedInAgain } from "../support/expired-sessions.ts";
import { createBidsInAssessment, createPartnershipBid } from "../../bench/support/fixtures.ts";
import { anonymousBrowser, context, createUser, get, post, run, signedInBrowser, type Browser } from "../../bench/support/requests.ts";

// Kept forms: what someone typed as their session ran out, handed back after sign-in to
// them alone (app/auth/kept-forms.server.ts).

useTestDatabase();

let addresses = 0;
/** Each test sends from its own client address, so the per-address allowance is its own. */
const newAddress = () => `198.51.100.${++addresses}`;

type Route = (args: any) => Promise<unknown>;
const call = (fn: Route, request: Request, params: Record<string, string>, ip = "203.0.113.7") => run(() => fn({ request, context: context(ip), params }));

const restoreOf = (location: string | null) => {
  const returnTo = decodeURIComponent((location ?? "").replace("/sign-in?returnTo=", ""));
  return { returnTo, id: new URL(returnTo, "http://localhost").searchParams.get("restore") };
};

const keptFor = (user: { id: string }) => db().formRescue.count({ where: { userId: user.id } });

async function costsPage(ip = newAddress()) {
  const { bid, officer, certifier } = await createPartnershipBid();
  const path = `/bids/${bid.id}/sections/costs`;
  const params = { id: bid.id, section: "costs" };
  const send = (browser: Browser, fields: Record<string, string>, withCsrf = true) => call(sectionAction, post(path, browser, fields, withCsrf), params, ip);
  const open = (browser: Browser, restore: string | null) => call(sectionLoader, get(`${path}${restore ? `?restore=${restore}` : ""}`, browser), params, ip);
  return { bid, officer, certifier, path, send, open };
}

describe("keeping a form sent after the session expired", () => {
  it("keeps nothing for a browser with no session, a session that does not exist, or no CSRF token", async () => {
    const { send } = await costsPage();
    const before = await db().formRescue.count();
    const typed = { "line-0-who": "lead", "line-0-description": "Project manager", "line-0-amount": "1000", complete: "no", version: "0" };

    const anonymous = await send(anonymousBrowser(), typed);
    expect(anonymous.status).toBe(302);
    expect(restoreOf(anonymous.location).id).toBeNull();

    // A well-signed session cookie (and its form token) naming a session that is not there.
    const ghost = await signedInBrowser((await createUser("councilOfficer")).id);
    await db().session.deleteMany({ where: { userId: ghost.userId } });
    const unknown = await send(ghost, typed);
    expect(unknown.status).toBe(302);
    expect(restoreOf(unknown.location).id).toBeNull();

    // A cross-site form: the cookie comes along, the token cannot.
    const expired = await expiredBrowser((await createUser("councilOfficer")).id);
    const noToken = await send(expired, typed, false);
    expect(noToken.status).toBe(403);

    expect(await db().formRescue.count()).toBe(before);
  });

  it("hands the form back only to the same browser, signed in as the same person", async () => {
    const { bid, officer, send, open } = await costsPage();
    const expired = await expiredBrowser(officer.id);
    const sent = await send(expired, { "line-0-who": "lead", "line-0-description": "Project manager", "line-0-amount": "1000", complete: "no", version: "0" });
    const { id } = restoreOf(sent.location);
    expect(id).toBeTruthy();

    const back = await open(await signedInAgain(expired, officer.id), id);
    expect(back.data.rescued).toBe(true);
    expect(back.data.values["line-0-description"]).toBe("Project manager");

    // The same person in another browser: their page as saved, nothing kept.
    const otherBrowser = await open(await signedInBrowser(officer.id), id);
    expect(otherBrowser.data.rescued).toBe(false);
    expect(otherBrowser.data.values["line-0-description"]).toBeUndefined();

    // Someone else, in the very same browser: nothing either.
    const colleague = await createUser("councilOfficer", officer.organisationId);
    const sameBrowser = await open(await signedInAgain(expired, colleague.id), id);
    expect(sameBrowser.data.rescued).toBe(false);
    expect(sameBrowser.data.values["line-0-description"]).toBeUndefined();

    // And on another page that takes kept forms, the id means nothing.
    const elsewhere = await call(withdrawLoader, get(`/bids/${bid.id}/withdraw?restore=${id}`, await signedInAgain(expired, officer.id)), { id: bid.id });
    expect(elsewhere.data.rescued).toBeNull();
  });

  it("keeps only the fields the form has: no other names, no rows beyond the form's", async () => {
    const { officer, send } = await costsPage();
    const sent = await send(await expiredBrowser(officer.id), {
      "line-0-who": "lead",
      "line-0-description": "Project manager",
      "line-0-amount": "1000",
      [`line-${MAX_SECTION_ROWS + 5}-description`]: "a row the form does not have",
      "line-1-colour": "a column the form does not have",
      summary: "a field of another section",
      isAdmin: "yes",
      complete: "no",
      version: "0",
    });
    const { id } = restoreOf(sent.location);
    const row = await db().formRescue.findUniqueOrThrow({ where: { id: id! } });
    expect(Object.keys(row.fields as object).sort()).toEqual(["complete", "line-0-amount", "line-0-description", "line-0-who", "version"]);
    expect(row.fields).not.toHaveProperty("csrf");
  });

  it("cuts each value and the whole form to their caps", async () => {
    const { officer, send } = await costsPage();
    const fields: Record<string, string> = { complete: "no", version: "0", "line-0-description": "x".repeat(KEPT_VALUE_CHARS + 500) };
    for (let i = 1; i < MAX_SECTION_ROWS; i++) fields[`line-${i}-description`] = "y".repeat(3000);
    const sent = await send(await expiredBrowser(officer.id), fields);
    const row = await db().formRescue.findUniqueOrThrow({ where: { id: restoreOf(sent.location).id! } });
    const kept = row.fields as Record<string, string>;
    expect(kept["line-0-description"]).toHaveLength(KEPT_VALUE_CHARS);
    const bytes = Object.entries(kept).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + Buffer.byteLength(value), 0);
    expect(bytes).toBeLessThanOrEqual(KEPT_FORM_BYTES);
    expect(Object.keys(kept).length).toBeLessThan(MAX_SECTION_ROWS);
  });

  it(`keeps the newest ${KEPT_PER_BROWSER} per browser`, async () => {
    const { officer, send, open } = await costsPage();
    const expired = await expiredBrowser(officer.id);
    const ids: string[] = [];
    for (let i = 0; i < KEPT_PER_BROWSER + 2; i++) {
      const sent = await send(expired, { "line-0-description": `Attempt ${i}`, "line-0-amount": "10", complete: "no", version: "0" });
      ids.push(restoreOf(sent.location).id!);
    }
    expect(await db().formRescue.count({ where: { csrfHash: sha256(browserToken(expired)) } })).toBe(KEPT_PER_BROWSER);
    const back = await signedInAgain(expired, officer.id);
    expect((await open(back, ids[0]!)).data.rescued).toBe(false);
    expect((await open(back, ids.at(-1)!)).data.values["line-0-description"]).toBe(`Attempt ${KEPT_PER_BROWSER + 1}`);
  });

  it(`keeps at most ${KEPT_PER_ADDRESS_PER_HOUR} an hour from one client address`, async () => {
    const { officer, send } = await costsPage();
    const typed = { "line-0-description": "Again", complete: "no", version: "0" };
    for (let i = 0; i < KEPT_PER_ADDRESS_PER_HOUR; i++) expect(restoreOf((await send(await expiredBrowser(officer.id), typed)).location).id).toBeTruthy();
    const over = await send(await expiredBrowser(officer.id), typed);
    // Still sent to sign in, back to the form as saved.
    expect(over.status).toBe(302);
    expect(restoreOf(over.location)).toMatchObject({ id: null, returnTo: expect.stringMatching(/\/sections\/costs$/) });
    expect(await keptFor(officer)).toBe(KEPT_PER_ADDRESS_PER_HOUR);
  });

  it("never lets a kept name size the costs table", async () => {
    const { officer, path, send, open } = await costsPage();
    const expired = await expiredBrowser(officer.id);
    // Sent: a row number no form has is refused before anything is kept.
    const huge = await send(expired, { "line-99999-description": "x", complete: "no", version: "0" });
    expect(huge.status).toBe(400);
    expect(await keptFor(officer)).toBe(0);

    // Kept before the rules (or put there by hand): the page still builds its own rows.
    const planted = await db().formRescue.create({
      data: {
        path,
        fields: { "line-99999-description": "x", "line-150-amount": "5", "line-7-description": "Typed on row 8", complete: "no", version: "0" },
        csrfHash: sha256(browserToken(expired)),
        userId: officer.id,
        expiresAt: new Date(Date.now() + 3600_000),
      },
    });
    const page = await open(await signedInAgain(expired, officer.id), planted.id);
    expect(page.data.rescued).toBe(true);
    expect(page.data.lineRows).toBe(8);
    expect(page.data.values["line-7-description"]).toBe("Typed on row 8");
  });

  it(`lasts ${KEPT_FORM_HOURS} hours, after which it is not handed back and is deleted`, async () => {
    const { officer, send, open } = await costsPage();
    const expired = await expiredBrowser(officer.id);
    const first = restoreOf((await send(expired, { "line-0-description": "First", complete: "no", version: "0" })).location).id!;
    const row = await db().formRescue.findUniqueOrThrow({ where: { id: first } });
    expect(row.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + KEPT_FORM_HOURS * 3600_000);
    expect(row.expiresAt.getTime()).toBeGreaterThan(Date.now() + (KEPT_FORM_HOURS - 1) * 3600_000);

    await db().formRescue.update({ where: { id: first }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await open(await signedInAgain(expired, officer.id), first)).data.rescued).toBe(false);
    // The next form kept clears out the expired ones.
    await send(await expiredBrowser(officer.id), { "line-0-description": "Second", complete: "no", version: "0" });
    expect(await db().formRescue.findUnique({ where: { id: first } })).toBeNull();
  });

  it("keeps the sign-off form's decision and reason for the certifier, and nothing undeclared", async () => {
    const { bid, certifier, officer } = await createPartnershipBid();
    const { version } = await db().bid.findUniqueOrThrow({ where: { id: bid.id } });
    const requested = await call(checkAction, post(`/bids/${bid.id}/check`, await signedInBrowser(officer.id), { version: String(version) }), { id: bid.id });
    expect(requested.status).toBe(302);
    const expired = await expiredBrowser(certifier.id);
    const sent = await call(
      certifyAction,
      post(`/bids/${bid.id}/certify`, expired, { decision: "decline", reason: "Costs need a second look.", extra: "no" }),
      { id: bid.id },
      newAddress(),
    );
    const { id, returnTo } = restoreOf(sent.location);
    expect((await db().formRescue.findUniqueOrThrow({ where: { id: id! } })).fields).toEqual({ decision: "decline", reason: "Costs need a second look." });
    const back = await call(certifyLoader, get(returnTo, await signedInAgain(expired, certifier.id)), { id: bid.id });
    expect(back.data.rescued).toEqual({ decision: "decline", reason: "Costs need a second look." });
  });

  it("keeps the withdrawal reason, cut to the form's one field", async () => {
    const { bid, officer } = await createPartnershipBid();
    const expired = await expiredBrowser(officer.id);
    const sent = await call(
      withdrawAction,
      post(`/bids/${bid.id}/withdraw`, expired, { reason: "Budget cut.", version: "1", note: "undeclared" }),
      { id: bid.id },
      newAddress(),
    );
    const row = await db().formRescue.findUniqueOrThrow({ where: { id: restoreOf(sent.location).id! } });
    expect(row.fields).toEqual({ reason: "Budget cut.", version: "1" });
    expect(row.userId).toBe(officer.id);
    expect(row.csrfHash).toBe(sha256(browserToken(expired)));
  });

  it("hands an assessor's scores back on the score page after they sign in again", async () => {
    const setup = await createBidsInAssessment(1, 2);
    const assessment = await db().assessment.findFirstOrThrow({ where: { bidId: setup.bids[0]!.bid.id }, orderBy: { id: "asc" } });
    const path = `/assessments/${assessment.id}/score`;
    const expired = await expiredBrowser(assessment.assessorUserId);
    const fields = {
      intent: "draft",
      version: String(assessment.version),
      "score-strategicFit": "4",
      "justification-strategicFit": "Fits the fund's aims.",
      note: "undeclared",
    };
    const sent = await call(scoreAction, post(path, expired, fields), { id: assessment.id }, newAddress());
    const { returnTo } = restoreOf(sent.location);
    const back = await call(scoreLoader, get(returnTo, await signedInAgain(expired, assessment.assessorUserId)), { id: assessment.id });
    expect(back.data.rescued).toEqual({
      intent: "draft",
      version: String(assessment.version),
      "score-strategicFit": "4",
      "justification-strategicFit": "Fits the fund's aims.",
    });
    const someoneElse = await call(scoreLoader, get(returnTo, await signedInBrowser(assessment.assessorUserId)), { id: assessment.id });
    expect(someoneElse.data.rescued).toBeNull();
  });
});
