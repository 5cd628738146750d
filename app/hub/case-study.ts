// What a case study holds, how its forms are checked and how its statuses read: shared by the server and the pages.

import { z } from "zod";
import { optionalText, requiredText } from "~/forms/fields.ts";

export const caseStudyFields = [
  { name: "title", label: "Title", hint: "What someone searching would call this work", long: false },
  { name: "serviceArea", label: "Service area", hint: "For example, adult social care, waste, housing", long: false },
  { name: "problem", label: "The problem", hint: "What was wrong, and for whom", long: true },
  { name: "approach", label: "The approach", hint: "What you built or changed, and how", long: true },
  { name: "evidence", label: "The evidence", hint: "What you measured, against what baseline", long: true },
  { name: "outcome", label: "The outcome", hint: "What happened in the end, including if the project stopped", long: true },
  { name: "lessons", label: "Lessons", hint: "What another council should know before trying this", long: true },
  { name: "reusableOutputs", label: "Reusable outputs", hint: "Code, designs, documents or contracts others can reuse, and where to find them", long: true },
] as const;
export type CaseStudyFieldName = (typeof caseStudyFields)[number]["name"];
export type CaseStudyFields = Record<CaseStudyFieldName, string>;

export const caseStudyStatusLabels: Record<string, { text: string; tag: string }> = {
  draft: { text: "Draft", tag: "grey" },
  inReview: { text: "In review", tag: "yellow" },
  returned: { text: "Returned", tag: "orange" },
  published: { text: "Published", tag: "green" },
};

/** Projects that have finished: completed, or stopped (lessons to record, or closed). */
export const finishedStates = ["completed", "stopped", "closed"] as const;
export const isFinished = (state: string) => (finishedStates as readonly string[]).includes(state);
export const isStoppedState = (state: string) => state === "stopped" || state === "closed";

/** The tag colour of each gate outcome, wherever a decision is shown. */
export const outcomeTags: Record<string, string> = { go: "green", conditionalGo: "turquoise", hold: "yellow", recycle: "orange", stop: "red" };

const MAX = { short: 200, long: 10_000 };

const missingMessages: Record<CaseStudyFieldName, string> = {
  title: "Enter a title",
  serviceArea: "Enter the service area",
  problem: "Describe the problem",
  approach: "Describe the approach",
  evidence: "Describe the evidence",
  outcome: "Describe the outcome",
  lessons: "Enter the lessons learned",
  reusableOutputs: "List the reusable outputs, or say there are none",
};

/**
 * A case study's fields: sent for review, every one is needed; a draft needs only its title.
 * Each is within its length (200 characters for a short answer, 10,000 for a long one).
 */
export function caseStudyForm(complete: boolean) {
  const shape = Object.fromEntries(
    caseStudyFields.map((f) => {
      const max = f.long ? MAX.long : MAX.short;
      const field =
        complete || f.name === "title" ? requiredText({ missing: missingMessages[f.name], max, label: f.label }) : optionalText({ max, label: f.label });
      return [f.name, field];
    }),
  ) as unknown as Record<CaseStudyFieldName, z.ZodType<string, string | undefined>>;
  return z.object({ ...shape, updatedAt: z.string().max(40).optional() });
}

/** The fund team's review: a return says what to change; a publish may say nothing. */
export const caseStudyReviewForm = {
  publish: z.object({ reviewNote: optionalText({ max: 5000, label: "the note" }), updatedAt: z.string().max(40).optional() }),
  return: z.object({
    reviewNote: requiredText({ missing: "Say what the project team needs to change", max: 5000, label: "the note" }),
    updatedAt: z.string().max(40).optional(),
  }),
};
