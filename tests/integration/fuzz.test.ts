/**
 * Malformed input to every form action, as a person allowed to use it: property-based
 * (fast-check). Whatever arrives, the service must answer without a server error; a refusal
 * (4xx) must change nothing (the audit log, which records every change to a business table,
 * must not grow); and a form answered with errors must be a 400 whose errors are sentences.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { actionAccess, routeAccess, type Rule } from "~/auth/access.server.ts";
import type { Role } from "~/auth/roles.ts";
import { db } from "~/db/database.server.ts";
import { useTestDatabase } from "../support/database.ts";
import { createBidsInAssessment, createFundedProject, createPartnershipBid } from "../../bench/support/fixtures.ts";
import { anonymousBrowser, context, createUser, post, run, signedInBrowser, type Browser } from "../../bench/support/requests.ts";

const modules = import.meta.glob<Record<string, unknown>>("../../app/routes/*.tsx");
const routes = Object.keys(modules).map((file) => ({
  file,
  id: `routes/${file
    .split("/")
    .pop()!
    .replace(/\.tsx$/, "")}`,
}));

useTestDatabase({ referenceData: true });

// Field names the service's forms use, so that random input reaches validation rather than
// stopping at "no such field"; plus random names.
const fieldNames = [
  "intent",
  "version",
  "reason",
  "decision",
  "title",
  "summary",
  "name",
  "slug",
  "email",
  "role",
  "organisation",
  "userId",
  "assessorUserId",
  "assessmentId",
  "assignReason",
  "unassignReason",
  "interests",
  "conflict",
  "score",
  "rationale",
  "returnReason",
  "direction",
  "message",
  "sections",
  "changesReason",
  "ineligibleReason",
  "reinstateReason",
  "budget",
  "cap",
  "stage",
  "fund",
  "opensAt-day",
  "opensAt-month",
  "opensAt-year",
  "closesAt-day",
  "criterion-0-label",
  "criterion-0-weight",
  "scale-0-score",
  "outcome",
  "voteReason",
  "condition-1-text",
  "condition-1-due-day",
  "nextTranche",
  "lessons",
  "amount",
  "periodEnd-day",
  "metricId",
  "value",
  "recordedOn-day",
  "unit",
  "baseline",
  "target",
  "dueOn-day",
  "status",
  "milestoneId",
  "evaluation",
  "type",
  "file",
  "organisationId",
  "partner",
  "preference",
  "savings",
  "goLiveOn-year",
  "note",
  "reusable",
  "problem",
  "approach",
  "evidence",
  "outcome",
  "reviewNote",
  "line-0-description",
  "line-0-amount",
  "line-0-who",
  "complete",
  "score-strategicFit",
  "justification-strategicFit",
  "declarationSignedAt-day",
  "confirm",
  "restore",
  "documentId",
];
const nasty = fc.oneof(
  fc.string(),
  fc.string({ maxLength: 3 }),
  fc.constantFrom(
    "",
    " ",
    "0",
    "-1",
    "1e309",
    "99999999999999999999",
    "NaN",
    "£",
    "£-5",
    "31",
    "2026",
    "yes",
    "no",
    "approve",
    "decline",
    "include",
    "exclude",
    "go",
    "stop",
    "conditionalGo",
    "save",
    "submit",
    "draft",
    "publish",
    "draw",
    "register",
    "review",
    "return",
    '=HYPERLINK("http://x")',
    "<script>alert(1)</script>",
    '\'; DROP TABLE "Bid"; --',
    "\u0000",
    "\ud800",
    "../../etc/passwd",
  ),
  fc.string({ minLength: 5001, maxLength: 21000 }),
);
const form = fc.dictionary(
  fc.oneof(fc.constantFrom(...fieldNames), fc.string({ minLength: 1, maxLength: 12 })),
  fc.oneof(nasty, fc.array(nasty, { maxLength: 3 })),
  {
    maxKeys: 12,
  },
);

const auditCount = async () => db().auditEvent.count();

describe("every form action, given malformed input", () => {
  it("answers without a server error, refuses without writing, and explains errors by field", async () => {
    const draft = await createPartnershipBid();
    const assessing = await createBidsInAssessment(1, 2);
    const funded = await createFundedProject();
    const assessment = await db().assessment.findFirstOrThrow({ where: { bidId: assessing.bids[0]!.bid.id } });
    // A request to join the draft bid's lead council, for its officer to answer.
    const joining = await db().accessRequest.create({
      data: {
        email: "joining@lead.example",
        name: "Joining Person",
        roleWanted: "councilOfficer",
        organisationId: draft.lead.id,
        status: "pending",
        tokenHash: "fuzz-test",
        expiresAt: new Date(),
        confirmedAt: new Date(),
      },
    });
    const people: Record<Role, Browser> & { projectOfficer: Browser; anonymous: Browser } = {
      councilOfficer: await signedInBrowser(draft.officer.id),
      certifier: await signedInBrowser(draft.certifier.id),
      assessor: await signedInBrowser(assessment.assessorUserId),
      fundTeam: await signedInBrowser(draft.fundTeam.id),
      gateApprover: await signedInBrowser(funded.approver.id),
      admin: await signedInBrowser((await createUser("admin")).id),
      projectOfficer: await signedInBrowser(funded.officer.id),
      anonymous: anonymousBrowser(),
    };
    const { slug: fundSlug } = await db().fund.findFirstOrThrow({ where: { rounds: { some: { id: assessing.round.id } } }, select: { slug: true } });
    const paramFor = (routeId: string, name: string): string => {
      const family = routeId.replace(/^routes\//, "").split(".")[0];
      if (name === "id")
        return family === "projects" ? funded.project.id : family === "assessments" ? assessment.id : family === "access-requests" ? joining.id : draft.bid.id;
      if (name === "slug") return family === "funds" ? fundSlug : assessing.round.slug;
      if (name === "bidId") return assessing.bids[0]!.bid.id;
      if (name === "section") return "summary";
      if (name === "code") return draft.lead.code;
      if (name === "reference") return funded.project.reference;
      return "placeholder";
    };
    const preference: Role[] = ["councilOfficer", "certifier", "assessor", "fundTeam", "gateApprover", "admin"];

    const failures: string[] = [];
    const reached = new Map<string, Set<number>>();
    for (const route of routes) {
      const mod = await modules[route.file]!();
      if (typeof mod.action !== "function") continue;
      const key = route.id as keyof typeof routeAccess;
      const rule = (actionAccess[key] ?? routeAccess[key]) as Rule;
      const role = "public" in rule ? null : preference.find((r) => rule.roles.includes(r))!;
      const browser =
        role === null ? people.anonymous : role === "councilOfficer" && route.id.startsWith("routes/projects") ? people.projectOfficer : people[role];
      const names = [...route.id.matchAll(/\$([A-Za-z0-9]+)/g)].map((m) => m[1]!);
      const params = Object.fromEntries(names.map((n) => [n, paramFor(route.id, n)]));
      const path = `/${route.id
        .replace(/^routes\//, "")
        .split(".")
        .map((s) => (s.startsWith("$") ? params[s.slice(1).replace(/_$/, "")] : s.replace(/^_|_$/g, "")))
        .filter((s) => s && s !== "_index")
        .join("/")}`;
      await fc.assert(
        fc.asyncProperty(form, async (fields) => {
          const before = await auditCount();
          let outcome;
          try {
            outcome = await run(() =>
              (mod.action as (args: unknown) => Promise<unknown>)({ request: post(path, browser, fields), context: context(), params }),
            );
          } catch (error) {
            failures.push(`${route.id}: threw ${(error as Error).message} for ${JSON.stringify(fields).slice(0, 200)}`);
            return;
          }
          reached.set(route.id, (reached.get(route.id) ?? new Set()).add(outcome.status));
          if (outcome.status >= 500) failures.push(`${route.id}: ${outcome.status} for ${JSON.stringify(fields).slice(0, 200)}`);
          if (outcome.status >= 400 && (await auditCount()) !== before) failures.push(`${route.id}: refused with ${outcome.status} but wrote to the database`);
          const errors = outcome.data && typeof outcome.data === "object" ? (outcome.data as { errors?: unknown }).errors : undefined;
          if (errors && typeof errors === "object" && Object.keys(errors).length) {
            // 400, or the more precise 413 (file too big) and 429 (too many uploads).
            if (![400, 413, 429].includes(outcome.status)) failures.push(`${route.id}: errors answered with ${outcome.status}`);
            for (const [field, text] of Object.entries(errors)) {
              if (typeof text !== "string" || text.trim().length < 5)
                failures.push(`${route.id}: error for "${field}" is not a sentence: ${JSON.stringify(text)}`);
            }
          }
        }),
        { numRuns: Number(process.env.FUZZ_RUNS ?? 25), seed: Number(process.env.FUZZ_SEED ?? 20261123) },
      );
    }
    expect([...new Set(failures)]).toEqual([]);
    // The input must reach each action's validation, not stop at "no such record". The
    // three actions sent a placeholder record (a register import, an adoption and an
    // unsubscribe token that the test does not make) parse the form before looking the
    // record up, so malformed input is refused as such there too.
    const onlyNotFound = [...reached].filter(([, statuses]) => statuses.size === 1 && statuses.has(404)).map(([id]) => id);
    expect(onlyNotFound).toEqual([]);
    for (const id of ["routes/admin.register.$id", "routes/projects.$id_.adoptions_.$adoptionId", "routes/unsubscribe"]) {
      expect(reached.get(id), id).toContain(400);
    }
  }, 300_000);
});
