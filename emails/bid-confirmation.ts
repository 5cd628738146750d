import type { Block } from "./layout.ts";
import { layout } from "./layout.ts";
import { defineTemplate } from "./template.ts";

/** The confirmation a lead council's officers receive when their bid is submitted, with a copy of the answers. */
export interface BidConfirmationData {
  name: string;
  title: string;
  reference: string;
  round: string;
  submittedAt: string;
  certifiedBy: string;
  link: string;
  partners: string[];
  sections: { title: string; rows: { label: string; value: string }[] }[];
}

export const bidConfirmation = defineTemplate({
  name: "bid-confirmation",
  description: "Confirms a submitted bid to the lead council's officers, with its reference and a copy of the answers.",
  essential: true,
  sample: {
    name: "Priya Shah",
    title: "Shared digital front door",
    reference: "LDF-2026-0042",
    round: "Pilot round 2026 to 2027",
    submittedAt: "3pm on 1 December 2026",
    certifiedBy: "David Clarke",
    link: "http://localhost:3000/bids/example",
    partners: ["Manchester", "Leeds"],
    sections: [{ title: "Summary", rows: [{ label: "Name of the bid", value: "Shared digital front door" }] }],
  } satisfies BidConfirmationData,
  render: (d: BidConfirmationData) => {
    const blocks: Block[] = [
      { kind: "p", text: `Dear ${d.name},` },
      { kind: "p", text: `"${d.title}" was signed off by ${d.certifiedBy} and submitted to ${d.round} at ${d.submittedAt}.` },
      { kind: "inset", text: `Your reference number\n${d.reference}` },
      { kind: "p", text: "The fund team will check the bid is eligible. We will email you at each step." },
      { kind: "link", text: "See your bid", href: d.link },
      { kind: "p", text: "A copy of your answers" },
    ];
    if (d.partners.length) blocks.push({ kind: "list", items: [`Partner councils: ${d.partners.join(", ")}`] });
    for (const section of d.sections) {
      blocks.push({ kind: "p", text: section.title });
      blocks.push({ kind: "list", items: section.rows.map((r) => `${r.label}: ${r.value || "Not answered"}`) });
    }
    return layout(`Confirmation of your bid: ${d.title} (${d.reference})`, "Bid submitted", blocks);
  },
});
