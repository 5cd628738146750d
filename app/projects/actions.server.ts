import { redirect } from "@remix-run/node";
import { z } from "zod";
import type { SignedInUser } from "~/auth/session.server.ts";
import { parseNumber } from "~/bid-form/sections.ts";
import { choice, govukDate, money, optionalText, planningHorizon, requiredText } from "~/forms/fields.ts";
import { intentOf, parseForm, refused, refusedForm, type FormErrors } from "~/forms/parse.server.ts";
import { MAX_FORM_ROWS } from "~/forms/limits.ts";
import { londonToday } from "~/utils/dates.ts";
import { capitalise, formatDate } from "~/utils/format.ts";
import { takeEvidenceUpload, uploadRefused } from "~/storage/evidence-upload.server.ts";
import { atDayBoxes, milestoneStatuses } from "./forms.ts";
import {
  addActual,
  addMetric,
  addMilestone,
  addProjectDocument,
  canEditProject,
  removeProjectDocument,
  setPublicDocuments,
  setMilestoneStatus,
  type loadProjectFor,
} from "./projects.server.ts";
import { forbidden, notFound } from "~/http/errors.server.ts";

/**
 * The project team's records (milestones, metrics, evidence): each page's forms, one schema
 * per intent, and what each intent does. The routes authorise, hand the form here, and render.
 */

type Loaded = Awaited<ReturnType<typeof loadProjectFor>>;

/** A number as typed (42, 12.5, -3, 1,200), for metrics' baselines, targets and actuals. */
export function decimal(what: string) {
  const capitalised = capitalise(what);
  return z.string({ error: `Enter ${what}` }).transform((typed, ctx) => {
    const n = parseNumber(typed);
    if (n === null) {
      ctx.addIssue({ code: "custom", message: `${capitalised} must be a number, like 42 or 12.5` });
      return z.NEVER;
    }
    return n;
  });
}

/** The day a project started (its funding was decided), which its dates are measured from. */
export const startedOn = (project: { createdAt: Date }) => londonToday(project.createdAt);

/**
 * A date something in the project happened (spend reported to, an actual measured): a real
 * date, not after today, and not before the project started.
 */
const pastDate = (what: string, today: string, started: string) =>
  govukDate(what, {
    required: true,
    notBefore: started,
    notBeforeText: `${formatDate(started)}, when the project started`,
    notAfter: today,
    notAfterText: `today (${formatDate(today)})`,
  });

// ---------------------------------------------------------------- spend and evaluation

export const spendForm = (today: string, started: string) =>
  z.object({
    amount: money("the amount spent"),
    periodEnd: pastDate("the date", today, started),
    note: optionalText({ max: 1000, label: "the note" }),
  });

export const EVALUATION_LIMIT = 20_000;

export const evaluationForm = z.object({
  // An empty box clears the evaluation, and an empty box and a missing field read the same
  // (both undefined): the form says it is the form, so a request without the box at all
  // (not something a browser sends) is refused rather than taken as "clear it".
  intent: z.literal("save-evaluation", { error: "Save the evaluation from its page, with the Save evaluation button" }),
  // Browsers send a textarea's line breaks as CRLF: counted as one character, as the person sees them.
  evaluation: z.preprocess(
    (text) => (typeof text === "string" ? text.replace(/\r\n/g, "\n") : text),
    optionalText({ max: EVALUATION_LIMIT, label: "the evaluation" }),
  ),
});

// ---------------------------------------------------------------- milestones

const milestoneForms = {
  // Due no earlier than the project started, and not further ahead than anything is planned.
  add: (today: string, started: string) =>
    z.object({
      title: requiredText({ missing: "Enter what the milestone is", max: 200, label: "the milestone" }),
      dueOn: govukDate("the due date", {
        required: true,
        notBefore: started,
        notBeforeText: `${formatDate(started)}, when the project started`,
        ...planningHorizon(today),
      }),
    }),
  status: z.object({
    milestoneId: z.string({ error: "Select the milestone" }).max(100),
    status: choice(milestoneStatuses.map((s) => s.value) as ["notStarted", "inProgress", "done"], "Select the milestone's status"),
  }),
};

export async function milestoneAction(loaded: Loaded, form: FormData) {
  const { project, stage } = loaded;
  const intent = intentOf(form, ["add", "status"], "add");
  if (intent === "status") {
    const parsed = parseForm(form, milestoneForms.status);
    if (!parsed.ok) return refused(parsed);
    if (!(await setMilestoneStatus(project, parsed.value.milestoneId, parsed.value.status))) throw notFound();
    return redirect(`/projects/${project.id}/milestones`);
  }
  const parsed = parseForm(form, milestoneForms.add(londonToday(), startedOn(project)));
  if (!parsed.ok) return refused(atDayBoxes(parsed, ["dueOn"]));
  await addMilestone(project, stage, parsed.value.title, parsed.value.dueOn!);
  return redirect(`/projects/${project.id}?notice=milestone`);
}

// ---------------------------------------------------------------- metrics

const metricForms = {
  metric: z.object({
    name: requiredText({ missing: "Enter the name of the metric", max: 200, label: "the name" }),
    unit: optionalText({ max: 50, label: "the unit" }),
    baseline: decimal("the baseline"),
    target: decimal("the target"),
  }),
  actual: (today: string, started: string) =>
    z.object({
      metricId: z.string({ error: "Select the metric" }).max(100, "Select the metric"),
      value: decimal("the actual"),
      recordedOn: pastDate("the date", today, started),
      note: optionalText({ max: 1000, label: "the note" }),
    }),
};

export async function metricAction(loaded: Loaded, form: FormData) {
  const { project } = loaded;
  const intent = intentOf(form, ["metric", "actual"], "metric");
  if (intent === "actual") {
    const parsed = parseForm(form, metricForms.actual(londonToday(), startedOn(project)));
    if (!parsed.ok) return refusedForm("actual", atDayBoxes(parsed, ["recordedOn"]));
    const { metricId, value, recordedOn, note } = parsed.value;
    // The metric must be one of this project's: the select offers no others.
    if (!(await addActual(project, loaded.stage, metricId, value, recordedOn!, note)))
      return refusedForm("actual", { errors: { metricId: "Select the metric" }, values: parsed.values });
    return redirect(`/projects/${project.id}?notice=actual`);
  }
  const parsed = parseForm(form, metricForms.metric);
  if (!parsed.ok) return refusedForm("metric", parsed);
  await addMetric(project, parsed.value);
  return redirect(`/projects/${project.id}?notice=metric`);
}

// ---------------------------------------------------------------- evidence

const evidenceForms = {
  remove: z.object({ documentId: z.string().max(100).default("") }),
  // Checkboxes: one value per document ticked; none ticked sends none (Conform gives []).
  public: z.object({ isPublic: z.array(z.string().max(100)).max(MAX_FORM_ROWS).default([]) }),
};

/** The evidence page's forms: remove a document, or upload one (a multipart body, read by readUpload). */
export async function evidenceAction(user: SignedInUser, loaded: Loaded, form: FormData) {
  const { project, stage, rules } = loaded;
  const intent = intentOf(form, ["remove", "upload", "public"], "upload");
  if (intent === "public") {
    // Which documents the case study shows: chosen while delivering and after finishing alike.
    const parsed = parseForm(form, evidenceForms.public);
    if (!parsed.ok) return refused(parsed);
    await setPublicDocuments(project.id, parsed.value.isPublic);
    return redirect(`/projects/${project.id}/evidence?notice=public`);
  }
  // Uploads and removals are the evidence of the stage under way: none once the project has finished.
  if (!canEditProject(loaded.relation, project.state)) throw forbidden();
  if (intent === "remove") {
    const parsed = parseForm(form, evidenceForms.remove);
    if (parsed.ok) await removeProjectDocument(project, stage, parsed.value.documentId);
    return redirect(`/projects/${project.id}/evidence`);
  }
  const taken = await takeEvidenceUpload(user.id, form);
  if (!taken.ok) return taken.refusal;
  const result = await addProjectDocument(user, project, stage, rules, taken.type, taken.upload);
  if ("errors" in result) return uploadRefused(result.errors as FormErrors, taken.type, 400);
  return redirect(`/projects/${project.id}?notice=evidence`);
}
