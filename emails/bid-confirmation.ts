import type { Block } from "./layout.ts";
import { layout } from "./layout.ts";
import { defineTemplate } from "./template.ts";

/**
 * The confirmation a lead council's officers receive when their bid is submitted, with a copy
 * of the answers laid out as check-your-answers (each question on its own line, its answer
 * below), the partner councils and the evidence by name.
 */
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
  /** The evidence uploaded with the bid: its file name and its type of document. */
  documents: { fileName: string; type: string }[];
}

export const bidConfirmation = defineTemplate({
  name: "bid-confirmation",
  description: "Confirms a submitted bid to the lead council's officers, with its reference, a copy of the answers, the partner councils and the evidence.",
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
    sections: [
      { title: "Summary", rows: [{ label: "Name of the bid", value: "Shared digital front door" }] },
      {
        title: "The problem",
        rows: [
          { label: "What is the problem?", value: "Residents wait weeks for a first answer.\nCarers ring three teams before reaching the right one." },
          { label: "Who has the problem?", value: "" },
        ],
      },
    ],
    documents: [
      { fileName: "letter-of-support.pdf", type: "Letter of support" },
      { fileName: "costs.xlsx", type: "Cost breakdown" },
    ],
  } satisfies BidConfirmationData,
  render: (d: BidConfirmationData) => {
    const blocks: Block[] = [
      { kind: "p", text: `Dear ${d.name},` },
      { kind: "p", text: `"${d.title}" was signed off by ${d.certifiedBy} and submitted to ${d.round} at ${d.submittedAt}.` },
      { kind: "inset", text: `Your reference number\n${d.reference}` },
      { kind: "p", text: "The fund team will check the bid is eligible. We will email you at each step." },
      { kind: "link", text: "See your bid", href: d.link },
      { kind: "p", text: "Below is a copy of what was submitted." },
    ];
    for (const section of d.sections) {
      blocks.push({ kind: "heading", text: section.title });
      blocks.push({ kind: "answers", rows: section.rows.map((r) => ({ question: r.label, answer: r.value || "Not answered" })) });
    }
    blocks.push({ kind: "heading", text: "Partner councils" });
    blocks.push(d.partners.length ? { kind: "list", items: d.partners } : { kind: "p", text: "None" });
    blocks.push({ kind: "heading", text: "Evidence" });
    // Data kept from before the copy named the evidence has no documents.
    const documents = d.documents ?? [];
    blocks.push(
      documents.length
        ? { kind: "answers", rows: documents.map((doc) => ({ question: doc.type, answer: doc.fileName })) }
        : { kind: "p", text: "No documents were uploaded." },
    );
    return layout(`Confirmation of your bid: ${d.title} (${d.reference})`, "Bid submitted", blocks);
  },
});
