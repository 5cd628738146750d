import { layout } from "./layout.ts";
import { defineTemplate } from "./template.ts";

/** Asks a partner council's officers to accept or decline an invitation to join a bid. */
export interface BidPartnerInvitedData {
  name: string;
  title: string;
  reference: string;
  lead: string;
  invitedBy: string;
  council: string;
  link: string;
}

export const bidPartnerInvited = defineTemplate({
  name: "bid-partner-invited",
  description: "Asks a partner council's officers to accept or decline an invitation to join a bid.",
  essential: true,
  sample: {
    name: "Tom Hughes",
    title: "Shared digital front door",
    reference: "LDF-2026-0042",
    lead: "Birmingham",
    invitedBy: "Priya Shah",
    council: "Manchester",
    link: "http://localhost:3000/bids/example",
  } satisfies BidPartnerInvitedData,
  render: (d: BidPartnerInvitedData) =>
    layout(`Invitation to join a bid: ${d.title} (${d.reference})`, "Your council has been invited to join a bid", [
      { kind: "p", text: `Dear ${d.name},` },
      { kind: "p", text: `${d.invitedBy} of ${d.lead} has invited ${d.council} to be a partner in the bid "${d.title}".` },
      { kind: "p", text: `${d.council} only counts as a partner once an officer there accepts. Read the bid, then accept or decline.` },
      { kind: "link", text: "See the bid and answer the invitation", href: d.link },
    ]),
});
