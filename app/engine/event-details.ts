/**
 * What an event carried besides who, when and why, as lines a person can read: for the
 * emails a transition sends and for the timeline that shows it later (whose history
 * payload holds the same fields).
 */
export function eventDetails(fields: Record<string, unknown>): string[] {
  const lines: string[] = [];
  if (Array.isArray(fields.sections) && fields.sections.length) lines.push(`Sections reopened: ${fields.sections.join(", ")}`);
  const changed = (fields.facts as { changedSections?: unknown } | undefined)?.changedSections;
  if (Array.isArray(changed)) lines.push(changed.length ? `Sections changed: ${changed.join(", ")}` : "No section's answers changed");
  if (typeof fields.message === "string" && fields.message.trim()) lines.push(fields.message.trim());
  if (Array.isArray(fields.feedback)) lines.push(...fields.feedback.filter((line): line is string => typeof line === "string" && line.trim() !== ""));
  if (typeof fields.outcome === "string") lines.push(`Vote: ${fields.outcome}`);
  if (typeof fields.lessons === "string" && fields.lessons.trim()) lines.push(`Lessons: ${fields.lessons.trim()}`);
  return lines;
}
