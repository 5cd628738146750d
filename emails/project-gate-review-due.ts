import { layout } from "./layout.ts";
import { defineTemplate } from "./template.ts";

export interface ProjectGateReviewDueData {
  name: string;
  title: string;
  reference: string;
  stage: string;
  /** The date the team set, already formatted, e.g. "30 November 2026". */
  dueOn: string;
  /** Whole days until the date: 0 on the day, negative once it has passed. */
  days: number;
  link: string;
}

/** Sent once 14 days before the date a project team set for its next gate review, and once if it passes (app/jobs/project-reminders.server.ts). */
export const projectGateReviewDue = defineTemplate<ProjectGateReviewDueData>({
  name: "project-gate-review-due",
  description: "Reminds the lead council's officers that the gate review they planned is due within 14 days, or has passed.",
  essential: true,
  sample: {
    name: "Priya Shah",
    title: "Shared digital front door for adult social care",
    reference: "LDF-2026-0042",
    stage: "pilot",
    dueOn: "30 November 2026",
    days: 14,
    link: "http://localhost:3000/projects/sample/gate",
  },
  render: (d, options) => {
    const passed = d.days < 0;
    return layout(
      passed
        ? `The ${d.stage} gate review for ${d.title} (${d.reference}) was due on ${d.dueOn}`
        : `The ${d.stage} gate review for ${d.title} (${d.reference}) is due ${d.days === 0 ? "today" : d.days === 1 ? "tomorrow" : `in ${d.days} days`}`,
      passed ? "Your gate review is overdue" : "Your gate review is due soon",
      [
        { kind: "p", text: `Dear ${d.name},` },
        {
          kind: "p",
          text: passed
            ? `Your project team planned to ask for the ${d.stage} gate review of "${d.title}" by ${d.dueOn}, and it has not been asked for yet.`
            : `Your project team planned to ask for the ${d.stage} gate review of "${d.title}" by ${d.dueOn}.`,
        },
        {
          kind: "p",
          text: "Check the evidence the gate needs is attached, then ask for the review. If the date has changed, set the new one on the gate page.",
        },
        { kind: "link", text: `Go to the gate review for ${d.reference}`, href: d.link },
      ],
      "You are getting this email because you are an officer of the project's lead council.",
      options,
    );
  },
});
