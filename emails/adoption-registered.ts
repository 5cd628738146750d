import { layout } from "./layout.ts";
import { defineTemplate } from "./template.ts";

/** Tells the lead council's officers that another council has registered to adopt their product. */
export interface AdoptionRegisteredData {
  name: string;
  title: string;
  reference: string;
  council: string;
  registeredBy: string;
  link: string;
}

export const adoptionRegistered = defineTemplate({
  name: "adoption-registered",
  description: "Tells the lead council's officers that another council has registered to adopt their product in scale.",
  essential: false,
  sample: {
    name: "Priya Shah",
    title: "Shared digital front door",
    reference: "LDF-2026-0042",
    council: "Leeds",
    registeredBy: "Sam Okafor",
    link: "http://localhost:3000/projects/example/adoptions",
  } satisfies AdoptionRegisteredData,
  render: (d: AdoptionRegisteredData, options) =>
    layout(
      `${d.council} has registered to adopt ${d.title} (${d.reference})`,
      "A council has registered to adopt your product",
      [
        { kind: "p", text: `Dear ${d.name},` },
        { kind: "p", text: `${d.registeredBy} of ${d.council} has registered the council to adopt "${d.title}".` },
        {
          kind: "p",
          text: `${d.council} will record its progress, go-live date and savings as it adopts the product. You can see every adoption on the project's adoptions page.`,
        },
        { kind: "link", text: "See the councils adopting this product", href: d.link },
      ],
      undefined,
      options,
    ),
});
