/**
 * The sections of a bid, in task-list order. A section counts as complete when the
 * officer has marked it so (Bid.answers.completed); the fund team can reopen named
 * sections by requesting changes.
 */
export const bidSections = [
  { key: "summary", title: "Summary" },
  { key: "problem", title: "Problem and the users affected" },
  { key: "partners", title: "Partners" },
  { key: "approach", title: "Approach, reuse and openness" },
  { key: "costs", title: "Costs" },
  { key: "risks", title: "Risks" },
  { key: "evaluation", title: "Evaluation plan" },
] as const;

export type BidSectionKey = (typeof bidSections)[number]["key"];

export function incompleteSections(answers: unknown): string[] {
  const completed = new Set(
    Array.isArray((answers as { completed?: unknown } | null)?.completed) ? ((answers as { completed: unknown[] }).completed as string[]) : [],
  );
  return bidSections.filter((s) => !completed.has(s.key)).map((s) => s.title);
}
