import { layout } from "./layout.ts";
import { defineTemplate } from "./template.ts";

export interface ProjectConditionDueData {
  name: string;
  title: string;
  reference: string;
  condition: string;
  /** Already formatted, e.g. "30 November 2026". */
  dueOn: string;
  /** Whole days until the due date: 0 on the day, negative once it has passed. */
  days: number;
  link: string;
}

/** Sent once 7 days before a gate condition is due, and once if it passes unmet (app/jobs/project-reminders.server.ts). */
export const projectConditionDue = defineTemplate<ProjectConditionDueData>({
  name: "project-condition-due",
  description: "Reminds the lead council's officers that a condition set at a gate is due within 7 days, or has passed unmet.",
  essential: true,
  sample: {
    name: "Priya Shah",
    title: "Shared digital front door for adult social care",
    reference: "LDF-2026-0042",
    condition: "Publish the data protection impact assessment",
    dueOn: "30 November 2026",
    days: 7,
    link: "http://localhost:3000/projects/sample/gate",
  },
  render: (d, options) => {
    const passed = d.days < 0;
    return layout(
      passed
        ? `A gate condition for ${d.title} (${d.reference}) is overdue`
        : `A gate condition for ${d.title} (${d.reference}) is due ${d.days === 0 ? "today" : d.days === 1 ? "tomorrow" : `in ${d.days} days`}`,
      passed ? "A gate condition is overdue" : "A gate condition is due soon",
      [
        { kind: "p", text: `Dear ${d.name},` },
        { kind: "p", text: `The gate set this condition for "${d.title}", due on ${d.dueOn}:` },
        { kind: "inset", text: d.condition },
        {
          kind: "p",
          text: "The next gate review cannot be asked for until every condition is met. Tell the fund team when it is, so they can mark it as met.",
        },
        { kind: "link", text: `See the conditions for ${d.reference}`, href: d.link },
      ],
      "You are getting this email because you are an officer of the project's lead council.",
      options,
    );
  },
});
