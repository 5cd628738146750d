import { data, redirect } from "@remix-run/node";
import type { SignedInUser } from "~/auth/session.server.ts";
import { parseForm, refused } from "~/forms/parse.server.ts";
import { intentOf } from "~/forms/parse.server.ts";
import { caseStudyFields, caseStudyForm, caseStudyReviewForm, type CaseStudyFields } from "./case-study.ts";
import { canWrite, reviewCaseStudy, saveCaseStudy, type loadCaseStudyFor } from "./hub.server.ts";
import { forbidden } from "~/http/errors.server.ts";

/**
 * The case study page's forms: the lead council saves a draft or sends it for review; the
 * fund team publishes it or returns it with a note. `updatedAt` (the version the page showed)
 * refuses a change made over someone else's.
 */
export async function caseStudyAction(user: SignedInUser, loaded: Awaited<ReturnType<typeof loadCaseStudyFor>>, form: FormData) {
  const { project, relation, caseStudy } = loaded;
  const intent = intentOf(form, ["save", "review", "publish", "return"], "save");
  const back = (notice: string) => redirect(`/projects/${project.id}/case-study?notice=${notice}`);

  if (intent === "publish" || intent === "return") {
    if (relation !== "fundTeam" || !caseStudy) throw forbidden();
    const parsed = parseForm(form, caseStudyReviewForm[intent]);
    if (!parsed.ok) return refused(parsed);
    const result = await reviewCaseStudy(caseStudy.id, intent, parsed.value.reviewNote, parsed.value.updatedAt || null, user);
    if (!result.ok) return data({ errors: { reviewNote: result.reason } as Record<string, string>, values: parsed.values }, { status: 409 });
    return back(intent === "publish" ? "published" : "returned");
  }

  if (!canWrite(relation, project.state, caseStudy?.status)) throw forbidden();
  const send = intent === "review";
  const parsed = parseForm(form, caseStudyForm(send));
  if (!parsed.ok) return refused(parsed);
  const fields = Object.fromEntries(caseStudyFields.map((f) => [f.name, parsed.value[f.name]])) as CaseStudyFields;
  const result = await saveCaseStudy(project.id, fields, { send, expectedUpdatedAt: parsed.value.updatedAt || null }, user);
  if (!result.ok) return data({ errors: { title: result.reason } as Record<string, string>, values: parsed.values }, { status: 409 });
  return back(send ? "sent" : "saved");
}
