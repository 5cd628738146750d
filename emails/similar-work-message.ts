import { layout } from "./layout.ts";
import { defineTemplate } from "./template.ts";

/**
 * A council drafting a bid writes to the lead council of funded work like theirs, from the
 * similar-work panel (app/reuse/contact.server.ts). Sent to the lead council's officers.
 */
export interface SimilarWorkMessageData {
  name: string;
  title: string;
  reference: string;
  /** Who wrote, their council and the address to reply to. */
  sender: string;
  council: string;
  replyTo: string;
  message: string;
  link: string;
}

export const similarWorkMessage = defineTemplate<SimilarWorkMessageData>({
  name: "similar-work-message",
  description: "Passes on a message to a funded project's lead council from another council that is drafting a bid about similar work.",
  // Someone is waiting for an answer: it goes at once, never into a digest.
  essential: true,
  sample: {
    name: "Priya Shah",
    title: "Housing repairs reporting",
    reference: "LDF-2025-0007",
    sender: "Sam Okafor",
    council: "Leeds",
    replyTo: "sam.okafor@leeds.example",
    message: "We are planning a repairs service like yours. Could we talk about what you built and what you would do differently?",
    link: "http://localhost:3000/projects/example",
  },
  render: (d) =>
    layout(
      `${d.council} would like to talk about ${d.title} (${d.reference})`,
      `A message from ${d.council} about ${d.title}`,
      [
        { kind: "p", text: `Dear ${d.name},` },
        {
          kind: "p",
          text: `${d.sender} of ${d.council} is drafting a bid for work like "${d.title}", which your council leads. They saw it among the similar work Springboard showed them, and sent you this message:`,
        },
        { kind: "inset", text: d.message },
        { kind: "p", text: `To answer, reply to ${d.sender} at ${d.replyTo}. Springboard does not pass on replies.` },
        { kind: "link", text: "See your project", href: d.link },
      ],
      "You are getting this email because you are an officer of the council that leads this project.",
    ),
});
