import { layout } from "./layout.ts";
import { defineTemplate } from "./template.ts";

export interface ProjectMilestoneOverdueData {
  name: string;
  title: string;
  reference: string;
  milestone: string;
  /** Already formatted, e.g. "30 November 2026". */
  dueOn: string;
  link: string;
}

/** Sent once per milestone when its due date passes before it is marked done (app/jobs/project-reminders.server.ts). */
export const projectMilestoneOverdue = defineTemplate<ProjectMilestoneOverdueData>({
  name: "project-milestone-overdue",
  description: "Tells the lead council's officers that a project milestone has passed its due date without being marked done.",
  essential: true,
  sample: {
    name: "Priya Shah",
    title: "Shared digital front door for adult social care",
    reference: "LDF-2026-0042",
    milestone: "User research with 20 residents",
    dueOn: "30 November 2026",
    link: "http://localhost:3000/projects/sample/milestones",
  },
  render: (d, options) =>
    layout(
      `A milestone for ${d.title} (${d.reference}) is overdue`,
      "A milestone is overdue",
      [
        { kind: "p", text: `Dear ${d.name},` },
        { kind: "p", text: `The milestone "${d.milestone}" was due on ${d.dueOn} and has not been marked as done.` },
        { kind: "p", text: "If it is done, mark it as done. If it has slipped, say why in the project's evaluation so the gate approvers know." },
        { kind: "link", text: `Update the milestones for ${d.reference}`, href: d.link },
      ],
      "You are getting this email because you are an officer of the project's lead council.",
      options,
    ),
});
