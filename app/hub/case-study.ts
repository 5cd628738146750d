// What a case study holds and how its statuses read: shared by the server and the pages.
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
