import { layout, type Block } from "./layout.ts";
import { defineTemplate, type EmailTemplate } from "./template.ts";

/**
 * The emails the notification matrix (workflows/notification-matrix.ts) sends on
 * transitions. Each is its own template, with its own words; they share one data shape
 * so that the workflow engine can fill any of them from the record and the event.
 */
export interface WorkflowEmailData {
  /** The recipient's name. */
  name: string;
  /** The record's title: the bid's or project's name. */
  title: string;
  /** The record's reference, e.g. LDF-2026-0042. */
  reference: string;
  /** Where the recipient can see the record. */
  link: string;
  /** Who acted. */
  actor: string;
  /** The reason given, where the transition takes one. */
  reason?: string | null;
  /** Anything else worth saying: sections reopened, a vote's outcome, a message. */
  details?: string[];
}

interface Words {
  subject: (d: WorkflowEmailData) => string;
  heading: string;
  body: (d: WorkflowEmailData) => string[];
  reasonLabel?: string;
  essential: boolean;
  description: string;
}

const defs: Record<string, Words> = {
  "bid-certification-requested": {
    essential: true,
    description: "Asks the lead council's certifier to sign off a bid.",
    subject: (d) => `Sign-off needed: ${d.title} (${d.reference})`,
    heading: "A bid needs your sign-off",
    body: (d) => [
      `${d.actor} has asked you to sign off the bid "${d.title}" before it is submitted to the fund.`,
      "Check the answers and the costs, then approve or decline it with a reason.",
    ],
  },
  "bid-certification-declined": {
    essential: true,
    description: "Tells the lead officers the certifier declined the bid; it is back in draft.",
    subject: (d) => `Sign-off declined: ${d.title} (${d.reference})`,
    heading: "Your certifier declined the bid",
    body: (d) => [`${d.actor} did not sign off "${d.title}". The bid is back in draft so you can change it and ask again.`],
    reasonLabel: "Their reason",
  },
  "bid-submitted": {
    essential: true,
    description: "Confirms a bid was submitted to the fund.",
    subject: (d) => `Bid submitted: ${d.title} (${d.reference})`,
    heading: "Bid submitted",
    body: (d) => [
      `"${d.title}" has been signed off by ${d.actor} and submitted to the fund. Your reference is ${d.reference}.`,
      "The fund team will check it is eligible. We will email you at each step.",
    ],
  },
  "bid-eligible": {
    essential: false,
    description: "Tells the lead officers the bid passed the eligibility check.",
    subject: (d) => `Bid eligible: ${d.title} (${d.reference})`,
    heading: "Your bid is eligible",
    body: (d) => [`The fund team has confirmed "${d.title}" is eligible. It will now be assessed.`],
  },
  "bid-ineligible": {
    essential: true,
    description: "Tells the partnership the bid was found ineligible, with the reason.",
    subject: (d) => `Bid not eligible: ${d.title} (${d.reference})`,
    heading: "Your bid is not eligible",
    body: (d) => [
      `The fund team has found "${d.title}" is not eligible for this round.`,
      "If you think this is wrong, reply to the fund team with the evidence; an ineligible bid can be reinstated.",
    ],
    reasonLabel: "The reason",
  },
  "bid-reinstated": {
    essential: true,
    description: "Tells the partnership an ineligible bid was reinstated.",
    subject: (d) => `Bid reinstated: ${d.title} (${d.reference})`,
    heading: "Your bid has been reinstated",
    body: (d) => [`The fund team has reinstated "${d.title}". It is eligible and will be assessed.`],
    reasonLabel: "The reason",
  },
  "bid-changes-requested": {
    essential: true,
    description: "Asks the bidders to change named sections and resubmit.",
    subject: (d) => `Changes requested: ${d.title} (${d.reference})`,
    heading: "The fund team has asked for changes",
    body: (d) => [`The fund team has reopened parts of "${d.title}" for you to change. Make the changes and resubmit the bid.`],
    reasonLabel: "What they asked for",
  },
  "bid-resubmitted": {
    essential: true,
    description: "Tells the fund team a bid came back after changes.",
    subject: (d) => `Bid resubmitted: ${d.title} (${d.reference})`,
    heading: "A bid has been resubmitted",
    body: (d) => [`${d.actor} has resubmitted "${d.title}" after the changes you asked for.`],
  },
  "bid-withdrawn": {
    essential: true,
    description: "Tells the fund team and partners the lead withdrew the bid.",
    subject: (d) => `Bid withdrawn: ${d.title} (${d.reference})`,
    heading: "A bid has been withdrawn",
    body: (d) => [`${d.actor} has withdrawn "${d.title}". Nothing more will happen to it.`],
    reasonLabel: "Their reason",
  },
  "bid-withdrawn-assessor": {
    essential: true,
    description: "Tells a bid's assessors to stop: the bid was withdrawn during assessment.",
    subject: (d) => `No need to assess: ${d.title} (${d.reference})`,
    heading: "A bid you are assessing has been withdrawn",
    body: (d) => [`"${d.title}" has been withdrawn by the council, so you do not need to finish assessing it. Thank you for your time.`],
  },
  "bid-decision-funded": {
    essential: true,
    description: "The decision: funded. Carries the fund team's message and the assessors' feedback.",
    subject: (d) => `Funding decision: ${d.title} (${d.reference}) will be funded`,
    heading: "Your bid will be funded",
    body: (d) => [
      `We are pleased to tell you that "${d.title}" will be funded.`,
      "The fund team will be in touch about the grant agreement and how the project will report its evidence at each gate.",
      "The fund team's message and the assessors' feedback are below.",
    ],
  },
  "bid-decision-not-funded": {
    essential: true,
    description: "The decision: not funded. Carries the fund team's message and the assessors' feedback.",
    subject: (d) => `Funding decision: ${d.title} (${d.reference})`,
    heading: "Your bid has not been funded",
    body: (d) => [
      `We are sorry to tell you that "${d.title}" has not been funded in this round.`,
      "The fund team's message and the assessors' feedback are below. We hope they help with a future bid.",
    ],
  },
  "assessment-invited": {
    essential: true,
    description: "Invites an assessor to assess a bid.",
    subject: (d) => `Invitation to assess: ${d.title} (${d.reference})`,
    heading: "You are invited to assess a bid",
    body: (d) => [
      `The fund team has invited you to assess "${d.title}".`,
      "Accept or decline the invitation. Before you see the bid you will be asked to declare any interests.",
    ],
  },
  "assessment-accepted": {
    essential: false,
    description: "Tells the fund team an assessor accepted.",
    subject: (d) => `Assessment accepted: ${d.title} (${d.reference})`,
    heading: "An assessor has accepted",
    body: (d) => [`${d.actor} has accepted the invitation to assess "${d.title}".`],
  },
  "assessment-declined": {
    essential: true,
    description: "Tells the fund team an assessor declined, so the bid needs someone else.",
    subject: (d) => `Assessment declined: ${d.title} (${d.reference})`,
    heading: "An assessor has declined",
    body: (d) => [`${d.actor} has declined to assess "${d.title}". The bid needs another assessor.`],
    reasonLabel: "Their reason",
  },
  "assessment-interests-declared": {
    essential: false,
    description: "Tells the fund team an assessor declared their interests.",
    subject: (d) => `Interests declared: ${d.title} (${d.reference})`,
    heading: "An assessor has declared their interests",
    body: (d) => [`${d.actor} has declared their interests for "${d.title}".`],
  },
  "assessment-submitted": {
    essential: false,
    description: "Confirms an assessment was submitted.",
    subject: (d) => `Assessment submitted: ${d.title} (${d.reference})`,
    heading: "Assessment submitted",
    body: (d) => [`${d.actor} has submitted an assessment of "${d.title}".`],
  },
  "assessment-returned": {
    essential: true,
    description: "Returns an assessment to its assessor for rework, with the moderator's reason.",
    subject: (d) => `Assessment returned: ${d.title} (${d.reference})`,
    heading: "Your assessment has been returned",
    body: (d) => [`The moderator has returned your assessment of "${d.title}" for you to look at again.`],
    reasonLabel: "What they asked for",
  },
  "assessment-resubmitted": {
    essential: false,
    description: "Tells the fund team a returned assessment was resubmitted.",
    subject: (d) => `Assessment resubmitted: ${d.title} (${d.reference})`,
    heading: "An assessment has been resubmitted",
    body: (d) => [`${d.actor} has resubmitted their assessment of "${d.title}".`],
  },
  "assessment-confirmed": {
    essential: false,
    description: "Tells an assessor their scores were confirmed.",
    subject: (d) => `Assessment confirmed: ${d.title} (${d.reference})`,
    heading: "Your assessment is confirmed",
    body: (d) => [`The fund team has confirmed your assessment of "${d.title}". Thank you.`],
  },
  "assessment-unassigned": {
    essential: true,
    description: "Tells an assessor they no longer need to assess a bid.",
    subject: (d) => `No longer assessing: ${d.title} (${d.reference})`,
    heading: "You no longer need to assess this bid",
    body: (d) => [`The fund team has taken "${d.title}" off your list.`],
    reasonLabel: "The reason",
  },
  "assessment-paused": {
    essential: true,
    description: "Tells an assessor to stop scoring: the bid has gone back to the council for changes.",
    subject: (d) => `Paused for changes: ${d.title} (${d.reference})`,
    heading: "A bid you are assessing is paused",
    body: (d) => [
      `The fund team has asked the council to change "${d.title}", so your assessment is paused until the council resubmits it.`,
      "Your scores and comments so far are kept. We will email you when the bid is back, with the sections that changed.",
    ],
    reasonLabel: "What the council was asked to change",
  },
  "assessment-reopened": {
    essential: true,
    description: "Tells an assessor a paused bid is back after the council's changes, with the sections that changed.",
    subject: (d) => `Back for assessment: ${d.title} (${d.reference})`,
    heading: "A bid you are assessing is back",
    body: (d) => [
      `The council has resubmitted "${d.title}" after the changes the fund team asked for, and your assessment is open again.`,
      "Your earlier scores and comments are kept: look at the changed sections, update your scores if you need to, and submit them.",
    ],
  },
  "project-started": {
    essential: true,
    description: "Tells the partnership their funded project has started.",
    subject: (d) => `Project started: ${d.title} (${d.reference})`,
    heading: "Your project has started",
    body: (d) => [`"${d.title}" is now a funded project. Record your milestones, metrics and evidence as you go: you will need them at the gate review.`],
  },
  "project-gate-review-requested": {
    essential: true,
    description: "Tells the fund team a project asked for a gate review.",
    subject: (d) => `Gate review requested: ${d.title} (${d.reference})`,
    heading: "A project has asked for a gate review",
    body: (d) => [`${d.actor} has asked for a gate review of "${d.title}". The evidence its tier requires is attached.`],
  },
  "project-gate-request-returned": {
    essential: true,
    description: "Returns a gate review request to the project team, with the reason.",
    subject: (d) => `Gate review request returned: ${d.title} (${d.reference})`,
    heading: "Your gate review request has been returned",
    body: (d) => [`The fund team has returned your request for a gate review of "${d.title}".`],
    reasonLabel: "The reason",
  },
  "project-gate-review-opened": {
    essential: true,
    description: "Asks the gate approvers to vote.",
    subject: (d) => `Your vote is needed: ${d.title} (${d.reference})`,
    heading: "A gate review is open for your vote",
    body: (d) => [
      `The fund team has opened the gate review of "${d.title}". Read the evidence and vote go, conditional go, hold, recycle or stop, with a reason.`,
    ],
  },
  "project-gate-vote-recorded": {
    essential: false,
    description: "Tells the fund team an approver voted.",
    subject: (d) => `Gate vote recorded: ${d.title} (${d.reference})`,
    heading: "A gate vote has been recorded",
    body: (d) => [`${d.actor} has voted on the gate review of "${d.title}".`],
    reasonLabel: "Their reason",
  },
  "project-gate-finance-signed-off": {
    essential: false,
    description: "Records the finance sign-off a tier 3 gate needs.",
    subject: (d) => `Finance sign-off recorded: ${d.title} (${d.reference})`,
    heading: "Finance sign-off recorded",
    body: (d) => [`${d.actor} has recorded the finance sign-off for the gate review of "${d.title}".`],
  },
  "project-gate-decision": {
    essential: true,
    description: "The gate decision, with the approvers' reasons.",
    subject: (d) => `Gate decision: ${d.title} (${d.reference})`,
    heading: "The gate review has decided",
    body: (d) => [`The gate review of "${d.title}" has reached a decision.`],
    reasonLabel: "The reasons",
  },
  "project-completed": {
    essential: false,
    description: "Tells the fund team a project completed its scale stage.",
    subject: (d) => `Project completed: ${d.title} (${d.reference})`,
    heading: "A project has completed",
    body: (d) => [`"${d.title}" has passed its final gate and is complete. Consider publishing its case study.`],
  },
  "project-condition-met": {
    essential: false,
    description: "Tells the project team a gate condition was recorded as met.",
    subject: (d) => `Condition met: ${d.title} (${d.reference})`,
    heading: "A gate condition has been met",
    body: (d) => [`${d.actor} has recorded a condition of the gate decision for "${d.title}" as met.`],
  },
  "project-closed": {
    essential: false,
    description: "Tells the fund team a stopped project recorded its lessons and closed.",
    subject: (d) => `Project closed: ${d.title} (${d.reference})`,
    heading: "A stopped project has recorded its lessons",
    body: (d) => [`"${d.title}" has recorded what it learned and is closed. Its lessons can now go into a case study.`],
  },
};

const sample: WorkflowEmailData = {
  name: "Priya Shah",
  title: "Shared digital front door for adult social care",
  reference: "LDF-2026-0042",
  link: "http://localhost:3000/bids/sample",
  actor: "David Clarke",
  reason: "The cost breakdown leaves out the partners' staff time.",
  details: ["Sections reopened: costs, risks"],
};

export const workflowTemplates: EmailTemplate<WorkflowEmailData>[] = Object.entries(defs).map(([name, words]) =>
  defineTemplate<WorkflowEmailData>({
    name,
    description: words.description,
    essential: words.essential,
    sample,
    render(d, options) {
      const blocks: Block[] = [{ kind: "p", text: `Dear ${d.name},` }, ...words.body(d).map((text) => ({ kind: "p" as const, text }))];
      if (d.reason) blocks.push({ kind: "p", text: `${words.reasonLabel ?? "Reason"}:` }, { kind: "inset", text: d.reason });
      if (d.details?.length) blocks.push({ kind: "list", items: d.details });
      blocks.push({ kind: "link", text: `See ${d.reference} in Springboard`, href: d.link });
      return layout(words.subject(d), words.heading, blocks, "You are getting this email because of your role in Springboard.", options);
    },
  }),
);
