import { layout } from "./layout.ts";
import { defineTemplate } from "./template.ts";

/** The emails of a person asking to join their council, and of its officers answering. */

const aOrAn = (words: string) => (/^[aeiou]/i.test(words) ? "an" : "a");

export const accessRequestConfirm = defineTemplate({
  name: "access-request-confirm",
  description: "Asks a person who requested access to confirm their address, before the request goes to their council's officers.",
  essential: true,
  sample: {
    name: "Jo Bloggs",
    organisation: "Leeds City Council",
    role: "council officer",
    link: "http://localhost:3000/request-access/confirm?token=sample",
    hours: 24,
  },
  render: (data: { name: string; organisation: string; role: string; link: string; hours: number }) =>
    layout("Confirm your request to join Springboard", "Confirm your request to join Springboard", [
      { kind: "p", text: `Dear ${data.name},` },
      { kind: "p", text: `You asked for access to Springboard as ${aOrAn(data.role)} ${data.role} for ${data.organisation}.` },
      { kind: "link", text: "Confirm this is your email address", href: data.link },
      {
        kind: "p",
        text: `The link works once and expires in ${data.hours} hours. Once you confirm, we send your request to ${data.organisation}'s Springboard users to approve.`,
      },
      { kind: "p", text: "If you did not ask for access, you can ignore this email. Nothing happens without the link." },
    ]),
});

export const accessRequestWaiting = defineTemplate({
  name: "access-request-waiting",
  description: "Tells a council's officers (or the fund team, where the council has none) that someone asked to join the council.",
  essential: true,
  sample: {
    name: "Hannah Wright",
    requester: "Jo Bloggs",
    requesterEmail: "jo.bloggs@leeds.gov.uk",
    organisation: "Leeds City Council",
    role: "council officer",
    link: "http://localhost:3000/access-requests/sample",
  },
  render: (data: { name: string; requester: string; requesterEmail: string; organisation: string; role: string; link: string }) =>
    layout(`${data.requester} asked to join ${data.organisation}`, `${data.requester} asked to join ${data.organisation}`, [
      { kind: "p", text: `Dear ${data.name},` },
      {
        kind: "p",
        text: `${data.requester} (${data.requesterEmail}) asked for access to Springboard as ${aOrAn(data.role)} ${data.role} for ${data.organisation}. They have confirmed the address is theirs.`,
      },
      { kind: "link", text: "Approve or decline the request", href: data.link },
      { kind: "p", text: "Only approve people you know work for the council. You choose the role they get." },
    ]),
});

export const accessRequestApproved = defineTemplate({
  name: "access-request-approved",
  description: "Tells a person their request to join their council was approved, and how to sign in.",
  essential: true,
  sample: {
    name: "Jo Bloggs",
    organisation: "Leeds City Council",
    role: "council officer",
    approvedBy: "Hannah Wright",
    signInUrl: "http://localhost:3000/sign-in",
  },
  render: (data: { name: string; organisation: string; role: string; approvedBy: string; signInUrl: string }) =>
    layout("You have access to Springboard", "You have access to Springboard", [
      { kind: "p", text: `Dear ${data.name},` },
      {
        kind: "p",
        text: `${data.approvedBy} approved your request. You now have access to Springboard as ${aOrAn(data.role)} ${data.role} for ${data.organisation}.`,
      },
      { kind: "link", text: "Sign in with this email address", href: data.signInUrl },
      { kind: "p", text: "We will email you a link each time you sign in; there is no password to remember." },
    ]),
});

export const accessRequestDeclined = defineTemplate({
  name: "access-request-declined",
  description: "Tells a person their request to join their council was declined, and why.",
  essential: true,
  sample: { name: "Jo Bloggs", organisation: "Leeds City Council", declinedBy: "Hannah Wright", reason: "We could not find you in the staff directory." },
  render: (data: { name: string; organisation: string; declinedBy: string; reason: string }) =>
    layout("Your request to join Springboard was declined", "Your request to join Springboard was declined", [
      { kind: "p", text: `Dear ${data.name},` },
      { kind: "p", text: `${data.declinedBy} declined your request for access to Springboard for ${data.organisation}. They said:` },
      { kind: "inset", text: data.reason },
      { kind: "p", text: "If you think this is wrong, speak to your council's Springboard contact." },
    ]),
});

export const accessRequestTemplates = [accessRequestConfirm, accessRequestWaiting, accessRequestApproved, accessRequestDeclined];
