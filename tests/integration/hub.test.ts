import { describe, expect, it } from "vitest";
import { db } from "~/db/database.server.ts";
import { loader as caseStudyPublicLoader } from "~/routes/hub.$slug.tsx";
import { loader as hubLoader } from "~/routes/hub._index.tsx";
import { loader as reviewLoader } from "~/routes/hub.review.tsx";
import { action as caseStudyAction, loader as caseStudyLoader } from "~/routes/projects.$id_.case-study.tsx";
import { useTestDatabase } from "../support/database.ts";
import { createFundedProject, createOrganisation } from "../../bench/support/fixtures.ts";
import { completedProject, stoppedPilot } from "../support/project-journeys.ts";
import { anonymousBrowser, context, createUser, get, post, run, signedInBrowser, type Browser } from "../../bench/support/requests.ts";

useTestDatabase();

const call = (fn: (args: any) => Promise<unknown>, request: Request, params: Record<string, string> = {}) =>
  run(() => fn({ request, context: context(), params }));

const fields = (overrides: Record<string, string> = {}) => ({
  title: "Booking bulky waste collections online",
  serviceArea: "Waste",
  problem: "Residents phoned to book collections and waited on hold.",
  approach: "A shared booking service with the partner councils.",
  evidence: "Calls fell by a third against the baseline.",
  outcome: "Every partner now books collections online.",
  lessons: "Start with the contact centre data; the depots' rounds mattered more than the form.",
  reusableOutputs: "The booking service's code and the data model.",
  ...overrides,
});

async function write(browser: Browser, projectId: string, intent: "save" | "review", values: Record<string, string>, updatedAt?: string) {
  return call(caseStudyAction, post(`/projects/${projectId}/case-study`, browser, { intent, ...values, ...(updatedAt ? { updatedAt } : {}) }), {
    id: projectId,
  });
}

async function review(browser: Browser, projectId: string, intent: "publish" | "return", reviewNote = "") {
  const page = await call(caseStudyLoader, get(`/projects/${projectId}/case-study`, browser), { id: projectId });
  return call(caseStudyAction, post(`/projects/${projectId}/case-study`, browser, { intent, reviewNote, updatedAt: page.data.caseStudy.updatedAt }), {
    id: projectId,
  });
}

const search = (query: string) => call(hubLoader, get(`/hub${query}`, anonymousBrowser()));

describe("writing and reviewing a case study", () => {
  it("takes a draft through review, a return with a note, and publication", async () => {
    const f = await completedProject({ title: "Bulky waste booking" });
    const lead = await signedInBrowser(f.officer.id);
    const fundTeam = await signedInBrowser(f.fundTeam.id);

    const start = await call(caseStudyLoader, get(`/projects/${f.project.id}/case-study`, lead), { id: f.project.id });
    expect(start.data.canWrite).toBe(true);
    expect(start.data.values.title).toBe("Bulky waste booking");

    const draft = await write(lead, f.project.id, "save", fields({ approach: "", outcome: "" }));
    expect(draft.status).toBe(302);
    const saved = await db().caseStudy.findUniqueOrThrow({ where: { projectId: f.project.id } });
    expect(saved.status).toBe("draft");
    expect(saved.stage).toBe("scale");

    // Drafts are not public.
    expect((await call(caseStudyPublicLoader, get(`/hub/${saved.slug}`, anonymousBrowser()), { slug: saved.slug })).status).toBe(404);
    expect((await search("?q=depots")).data.total).toBe(0);

    const incomplete = await write(lead, f.project.id, "review", fields({ approach: "" }), saved.updatedAt.toISOString());
    expect(incomplete.status).toBe(400);
    expect(incomplete.data.errors).toEqual({ approach: "Describe the approach" });
    expect(incomplete.data.values.lessons).toBe(fields().lessons);

    const sent = await write(lead, f.project.id, "review", fields(), saved.updatedAt.toISOString());
    expect(sent.status).toBe(302);
    expect((await db().caseStudy.findUniqueOrThrow({ where: { projectId: f.project.id } })).status).toBe("inReview");
    const queue = await call(reviewLoader, get("/hub/review", fundTeam));
    expect(queue.data.rows.map((r: { projectId: string }) => r.projectId)).toContain(f.project.id);

    // While it is in review the lead cannot change it.
    expect((await write(lead, f.project.id, "save", fields())).status).toBe(403);

    const noNote = await review(fundTeam, f.project.id, "return");
    expect(noNote.status).toBe(400);
    expect(noNote.data.errors.reviewNote).toBe("Say what the project team needs to change");
    const returned = await review(fundTeam, f.project.id, "return", "Add the cost per booking.");
    expect(returned.status).toBe(302);
    const back = await call(caseStudyLoader, get(`/projects/${f.project.id}/case-study`, lead), { id: f.project.id });
    expect(back.data.caseStudy.status).toBe("returned");
    expect(back.data.caseStudy.reviewNote).toBe("Add the cost per booking.");
    expect(back.data.canWrite).toBe(true);

    await write(lead, f.project.id, "review", fields({ evidence: "Calls fell by a third; each booking cost £2." }), back.data.caseStudy.updatedAt);
    const published = await review(fundTeam, f.project.id, "publish");
    expect(published.status).toBe(302);
    const stored = await db().caseStudy.findUniqueOrThrow({ where: { projectId: f.project.id } });
    expect(stored.status).toBe("published");
    expect(stored.publishedAt).not.toBeNull();

    const publicPage = await call(caseStudyPublicLoader, get(`/hub/${stored.slug}`, anonymousBrowser()), { slug: stored.slug });
    expect(publicPage.status).toBe(200);
    expect(publicPage.data.caseStudy.evidence).toContain("£2");
  });

  it("is only for finished projects, and only the lead council writes it", async () => {
    const delivering = await createFundedProject({ stage: "pilot" });
    const lead = await signedInBrowser(delivering.officer.id);
    const page = await call(caseStudyLoader, get(`/projects/${delivering.project.id}/case-study`, lead), { id: delivering.project.id });
    expect(page.data.canWrite).toBe(false);
    expect((await write(lead, delivering.project.id, "save", fields())).status).toBe(403);

    const finished = await completedProject();
    const partner = await signedInBrowser(finished.partnerOfficer.id);
    expect((await write(partner, finished.project.id, "save", fields())).status).toBe(403);
    const stranger = await signedInBrowser((await createUser("councilOfficer", (await createOrganisation()).id)).id);
    expect((await call(caseStudyLoader, get(`/projects/${finished.project.id}/case-study`, stranger), { id: finished.project.id })).status).toBe(404);
    // The fund team reviews but does not write.
    const fundTeam = await signedInBrowser(finished.fundTeam.id);
    expect((await write(fundTeam, finished.project.id, "save", fields())).status).toBe(403);
  });
});

describe("the public hub", () => {
  it("finds published case studies by a word in their lessons, ranked, with stopped pilots' lessons shown", async () => {
    const stopped = await stoppedPilot({ title: "Chatbot for council tax" });
    const lead = await signedInBrowser(stopped.officer.id);
    const fundTeam = await signedInBrowser(stopped.fundTeam.id);
    await write(
      lead,
      stopped.project.id,
      "review",
      fields({
        title: "A council tax chatbot that residents did not use",
        serviceArea: "Revenues and benefits",
        outcome: "Stopped at the pilot gate.",
        lessons: "Residents with arrears wanted to speak to a person; automated answers increased complaints.",
      }),
    );
    await review(fundTeam, stopped.project.id, "publish");

    // Stemmed full-text search: "complaint" finds "complaints" in the lessons.
    const found = await search("?q=complaint");
    expect(found.status).toBe(200);
    expect(found.data.rows.map((r: { title: string }) => r.title)).toEqual(["A council tax chatbot that residents did not use"]);
    expect(found.data.rows[0].stopped).toBe(true);
    expect(found.data.rows[0].lessons).toContain("speak to a person");

    // A word only in the earlier case study's lessons finds that one, not this one.
    const depots = await search("?q=depots");
    expect(depots.data.rows.map((r: { title: string }) => r.title)).toEqual(["Booking bulky waste collections online"]);

    // Web search syntax: either word.
    const both = await search("?q=depots OR chatbot");
    expect(both.data.total).toBe(2);

    const stoppedOnly = await search("?outcome=stopped");
    expect(stoppedOnly.data.rows.map((r: { title: string }) => r.title)).toEqual(["A council tax chatbot that residents did not use"]);
    const byArea = await search("?serviceArea=Waste");
    expect(byArea.data.rows.map((r: { title: string }) => r.title)).toEqual(["Booking bulky waste collections online"]);
    expect(byArea.data.serviceAreas).toEqual(["Revenues and benefits", "Waste"]);
    const byStage = await search("?stage=pilot");
    expect(byStage.data.rows.map((r: { title: string }) => r.title)).toEqual(["A council tax chatbot that residents did not use"]);

    const slug = (await db().caseStudy.findUniqueOrThrow({ where: { projectId: stopped.project.id } })).slug;
    const page = await call(caseStudyPublicLoader, get(`/hub/${slug}`, anonymousBrowser()), { slug });
    expect(page.data.project.stopped).toBe(true);
  });

  it("ranks a case study whose title matches above one that mentions the word in passing", async () => {
    // Both problems mention collections; only the waste case study has it in its title.
    const ranked = await search("?q=collections");
    expect(ranked.data.rows.map((r: { title: string }) => r.title)).toEqual([
      "Booking bulky waste collections online",
      "A council tax chatbot that residents did not use",
    ]);
    const garbage = await search(`?q=${encodeURIComponent('"unclosed -- OR ((')}`);
    expect(garbage.status).toBe(200);
  });
});
