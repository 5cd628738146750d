import { layout } from "./layout.ts";
import { defineTemplate } from "./template.ts";

export const signInLink = defineTemplate({
  name: "sign-in-link",
  description: "The link a person uses to sign in. Sent when they ask for one.",
  essential: true,
  sample: { name: "Priya Shah", link: "http://localhost:3000/sign-in/verify?token=sample", minutes: 15 },
  render: (data: { name: string; link: string; minutes: number }) =>
    layout("Your Springboard sign-in link", `Sign in to Springboard`, [
      { kind: "p", text: `Dear ${data.name},` },
      { kind: "link", text: "Use this link to sign in", href: data.link },
      { kind: "p", text: `The link works once and expires in ${data.minutes} minutes.` },
      {
        kind: "p",
        text: "If you did not ask to sign in, you can ignore this email. Nobody can sign in without the link.",
      },
    ]),
});
