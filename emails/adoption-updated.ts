import { layout } from "./layout.ts";
import { defineTemplate } from "./template.ts";

/** Tells the product's lead council and the fund team what an adopting council changed. */
export interface AdoptionUpdatedData {
  name: string;
  title: string;
  reference: string;
  council: string;
  updatedBy: string;
  /** The adoption's status after the change, in words ("Live"). */
  status: string;
  /** Whether this change took the council live. */
  wentLive: boolean;
  /** One line per change: "Status: Planning to Live", "Go-live date: 1 May 2027 (was not set)". */
  changes: string[];
  link: string;
}

export const adoptionUpdated = defineTemplate({
  name: "adoption-updated",
  description: "Tells the lead council's officers and the fund team that an adopting council changed its status, go-live date or savings.",
  essential: false,
  sample: {
    name: "Priya Shah",
    title: "Shared digital front door",
    reference: "LDF-2026-0042",
    council: "Leeds",
    updatedBy: "Sam Okafor",
    status: "Live",
    wentLive: true,
    changes: ["Status: Planning to Live", "Go-live date: 1 May 2027 (was not set)", "Savings so far: £12,500 (was £0)"],
    link: "http://localhost:3000/projects/example/adoptions/example",
  } satisfies AdoptionUpdatedData,
  render: (d: AdoptionUpdatedData, options) =>
    layout(
      d.wentLive ? `${d.council} is live with ${d.title} (${d.reference})` : `${d.council} updated its adoption of ${d.title} (${d.reference})`,
      d.wentLive ? `${d.council} is live with your product` : `${d.council} updated its adoption`,
      [
        { kind: "p", text: `Dear ${d.name},` },
        { kind: "p", text: `${d.updatedBy} of ${d.council} changed the council's adoption of "${d.title}". Its status is now ${d.status.toLowerCase()}.` },
        { kind: "list", items: d.changes },
        { kind: "link", text: `See ${d.council}'s adoption`, href: d.link },
      ],
      "You are getting this email because you lead this product, or run the fund.",
      options,
    ),
});
