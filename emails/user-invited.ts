import { layout } from "./layout.ts";
import { defineTemplate } from "./template.ts";

export const userInvited = defineTemplate({
  name: "user-invited",
  description: "Tells a person they have been given access to Springboard and how to sign in.",
  essential: true,
  sample: {
    name: "Sam Okafor",
    organisation: "Leeds City Council",
    role: "council officer",
    invitedBy: "Alex Morgan",
    signInUrl: "http://localhost:3000/sign-in",
  },
  render: (data: { name: string; organisation: string; role: string; invitedBy: string; signInUrl: string }) =>
    layout("You have been invited to Springboard", "You have been invited to Springboard", [
      { kind: "p", text: `Dear ${data.name},` },
      {
        kind: "p",
        text: `${data.invitedBy} has given you access to Springboard as ${/^[aeiou]/i.test(data.role) ? "an" : "a"} ${data.role} for ${data.organisation}.`,
      },
      { kind: "p", text: "Springboard is where councils bid to the innovation fund and funded projects report their progress." },
      { kind: "link", text: "Sign in with this email address", href: data.signInUrl },
      { kind: "p", text: "We will email you a link each time you sign in; there is no password to remember." },
    ]),
});
