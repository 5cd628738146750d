import { layout } from "./layout.ts";
import { defineTemplate } from "./template.ts";

/** Tells the lead council's officers that a council they invited accepted or declined. */
export interface BidPartnerAnsweredData {
  name: string;
  title: string;
  reference: string;
  council: string;
  accepted: boolean;
  answeredBy: string;
  link: string;
}

export const bidPartnerAnswered = defineTemplate({
  name: "bid-partner-answered",
  description: "Tells the lead council's officers that a council they invited to their bid accepted or declined.",
  essential: false,
  sample: {
    name: "Priya Shah",
    title: "Shared digital front door",
    reference: "LDF-2026-0042",
    council: "Manchester",
    accepted: true,
    answeredBy: "Tom Hughes",
    link: "http://localhost:3000/bids/example",
  } satisfies BidPartnerAnsweredData,
  render: (d: BidPartnerAnsweredData, options) =>
    layout(
      `${d.council} ${d.accepted ? "accepted" : "declined"} your invitation: ${d.title} (${d.reference})`,
      d.accepted ? `${d.council} is now a partner` : `${d.council} declined your invitation`,
      [
        { kind: "p", text: `Dear ${d.name},` },
        {
          kind: "p",
          text: d.accepted
            ? `${d.answeredBy} of ${d.council} accepted your invitation to be a partner in "${d.title}". ${d.council} now counts towards the partnership.`
            : `${d.answeredBy} of ${d.council} declined your invitation to be a partner in "${d.title}". ${d.council} is not part of the bid and can no longer see it. You can invite it again, or another council, from the bid's partners page.`,
        },
        { kind: "link", text: "See the bid and its eligibility", href: d.link },
      ],
      "You are getting this email because you are an officer of the council leading this bid.",
      options,
    ),
});
