import { layout } from "./layout.ts";
import { defineTemplate } from "./template.ts";

export interface RoundDeadlineData {
  name: string;
  title: string;
  reference: string;
  round: string;
  /** The closing time, already formatted, e.g. "midday on 30 November 2026". */
  closes: string;
  days: number;
  link: string;
}

/** Sent once per draft bid per round, in the 7 days before the round closes (app/jobs/round-deadline.server.ts). */
export const roundDeadlineApproaching = defineTemplate<RoundDeadlineData>({
  name: "round-deadline-approaching",
  description: "Reminds the lead council's officers that a round closes within 7 days while their bid is still a draft.",
  essential: true,
  sample: {
    name: "Priya Shah",
    title: "Shared digital front door for adult social care",
    reference: "LDF-2026-0042",
    round: "Pilot round 3",
    closes: "midday on 30 November 2026",
    days: 7,
    link: "http://localhost:3000/bids/sample",
  },
  render: (d, options) =>
    layout(
      `${d.round} closes ${d.days <= 1 ? "tomorrow" : `in ${d.days} days`}: ${d.title} (${d.reference}) is still a draft`,
      "The round closes soon",
      [
        { kind: "p", text: `Dear ${d.name},` },
        { kind: "p", text: `${d.round} closes at ${d.closes}. Your bid "${d.title}" is still a draft.` },
        { kind: "p", text: "To be considered, your certifier must sign it off and it must be submitted before the round closes." },
        { kind: "link", text: `See ${d.reference} in Springboard`, href: d.link },
      ],
      "You are getting this email because you are an officer of the bid's lead council.",
      options,
    ),
});
