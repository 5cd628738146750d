import { layout, type Block } from "./layout.ts";
import { defineTemplate } from "./template.ts";

/** Tells each member of the fund team that someone gave feedback (app/feedback/feedback.server.ts). */
export interface FeedbackReceivedData {
  name: string;
  doing: string;
  details: string;
  /** The address the person asked to be replied to, or null. */
  replyTo: string | null;
  /** "Name, role at organisation" when they were signed in, or null. */
  sender: string | null;
  /** The page they came from, or null. */
  fromPath: string | null;
  link: string;
}

export const feedbackReceived = defineTemplate<FeedbackReceivedData>({
  name: "feedback-received",
  description: "Tells the fund team that someone gave feedback on the service, with what they said.",
  essential: false,
  sample: {
    name: "Alex Morgan",
    doing: "Adding a partner council to our bid.",
    details: "I could not find Leeds in the list until I typed 'City of Leeds'.",
    replyTo: "priya.shah@birmingham.example",
    sender: null,
    fromPath: "/bids/sample/partners",
    link: "http://localhost:3000/feedback/received",
  },
  render: (d, options) => {
    const blocks: Block[] = [
      { kind: "p", text: `Dear ${d.name},` },
      {
        kind: "p",
        text: `${d.sender ? `${d.sender} has` : "Someone who was not signed in has"} given feedback on Springboard${d.fromPath ? `, from the page ${d.fromPath}` : ""}.`,
      },
    ];
    if (d.doing) blocks.push({ kind: "p", text: "What they were doing:" }, { kind: "inset", text: d.doing });
    blocks.push({ kind: "p", text: "What went wrong or could be better:" }, { kind: "inset", text: d.details });
    blocks.push({ kind: "p", text: d.replyTo ? `They would like a reply at ${d.replyTo}.` : "They did not ask for a reply." });
    blocks.push({ kind: "link", text: "See all feedback", href: d.link });
    return layout("Feedback on Springboard", "Someone has given feedback", blocks, "You are getting this email because you are in the fund team.", options);
  },
});
