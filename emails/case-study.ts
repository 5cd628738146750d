import { layout } from "./layout.ts";
import { defineTemplate } from "./template.ts";

/** A case study's review: sent to the fund team, then returned to or published for its author. */
export interface CaseStudyEmailData {
  name: string;
  /** The case study's title. */
  title: string;
  /** The project's reference. */
  reference: string;
  council: string;
  actor: string;
  /** The fund team's note, when returning or publishing with one. */
  note?: string | null;
  link: string;
}

const sample: CaseStudyEmailData = {
  name: "Priya Shah",
  title: "What a shared front door taught us",
  reference: "LDF-2026-0042",
  council: "Birmingham",
  actor: "David Clarke",
  note: "Say what the savings were measured against.",
  link: "http://localhost:3000/projects/example/case-study",
};

const footer = "You are getting this email because of your part in this case study.";

export const caseStudySubmitted = defineTemplate({
  name: "case-study-submitted",
  description: "Asks the fund team to review a case study the lead council has sent.",
  essential: true,
  sample,
  render: (d: CaseStudyEmailData) =>
    layout(
      `Case study to review: ${d.title} (${d.reference})`,
      "A case study is waiting for review",
      [
        { kind: "p", text: `Dear ${d.name},` },
        {
          kind: "p",
          text: `${d.actor} of ${d.council} has sent the case study "${d.title}" for review. Publish it to the knowledge hub, or return it with a note saying what to change.`,
        },
        { kind: "link", text: "Review the case study", href: d.link },
      ],
      footer,
    ),
});

export const caseStudyDraftedFromStop = defineTemplate({
  name: "case-study-drafted-from-stop",
  description:
    "Tells the fund team and the lead council that a stopped project's lessons case study was drafted from the stop decision and is waiting for review.",
  essential: true,
  sample: { ...sample, title: "Online council tax chatbot", actor: "Springboard", note: null },
  render: (d: CaseStudyEmailData) =>
    layout(
      `Lessons case study drafted: ${d.title} (${d.reference})`,
      "A stopped project's lessons are waiting for review",
      [
        { kind: "p", text: `Dear ${d.name},` },
        {
          kind: "p",
          text: `The project ${d.reference}, led by ${d.council}, was stopped at its gate review. A case study of what it taught has been drafted from the reasons the gate gave, so other councils can find it.`,
        },
        {
          kind: "p",
          text: "The fund team reviews it before anyone else can read it: they can publish it, or return it to the lead council to add to it.",
        },
        { kind: "link", text: "See the case study", href: d.link },
      ],
      footer,
    ),
});

export const caseStudyReturned = defineTemplate({
  name: "case-study-returned",
  description: "Returns a case study to its author with the fund team's note on what to change.",
  essential: true,
  sample,
  render: (d: CaseStudyEmailData) =>
    layout(
      `Case study returned: ${d.title} (${d.reference})`,
      "Your case study has been returned",
      [
        { kind: "p", text: `Dear ${d.name},` },
        { kind: "p", text: `${d.actor} of the fund team has returned your case study "${d.title}". Make the changes and send it again.` },
        ...(d.note
          ? [
              { kind: "p" as const, text: "What to change:" },
              { kind: "inset" as const, text: d.note },
            ]
          : []),
        { kind: "link", text: "Change the case study", href: d.link },
      ],
      footer,
    ),
});

export const caseStudyPublished = defineTemplate({
  name: "case-study-published",
  description: "Tells a case study's author it is published in the knowledge hub.",
  essential: false,
  sample: { ...sample, note: null },
  render: (d: CaseStudyEmailData, options) =>
    layout(
      `Case study published: ${d.title} (${d.reference})`,
      "Your case study is published",
      [
        { kind: "p", text: `Dear ${d.name},` },
        { kind: "p", text: `${d.actor} of the fund team has published your case study "${d.title}" in the knowledge hub, where any council can find it.` },
        ...(d.note ? [{ kind: "inset" as const, text: d.note }] : []),
        { kind: "link", text: "See the case study", href: d.link },
      ],
      footer,
      options,
    ),
});
