import { describe, expect, it } from "vitest";
import { bidConfirmation } from "../../emails/bid-confirmation.ts";
import { templates } from "../../emails/index.ts";
import { notificationMatrix } from "../../workflows/notification-matrix.ts";

describe("email templates", () => {
  it("has a template for every template the notification matrix names", () => {
    const missing = [...new Set(notificationMatrix.map((row) => row.template))].filter((name) => !templates[name]);
    expect(missing).toEqual([]);
  });

  it.each(Object.values(templates).map((t) => [t.name, t] as const))("%s renders its sample as text and HTML", (_name, template) => {
    const email = template.render(template.sample);
    expect(email.subject.length).toBeGreaterThan(5);
    expect(email.text).toContain("Dear ");
    expect(email.html).toMatch(/^<!DOCTYPE html>/);
    expect(email.html).toContain("<h1");
  });

  it("escapes what people typed in the HTML version", () => {
    const template = templates["bid-certification-declined"]!;
    const email = template.render({ ...template.sample, reason: `<script>alert("x")</script> & more` });
    expect(email.html).not.toContain("<script>");
    expect(email.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more");
    expect(email.text).toContain(`> <script>alert("x")</script> & more`);
  });
});

describe("the bid confirmation's copy of the answers", () => {
  const template = bidConfirmation;
  const email = template.render({
    ...template.sample,
    sections: [
      {
        title: "The problem",
        rows: [
          { label: "What is the problem?", value: "Residents wait weeks.\nCarers ring three teams." },
          { label: "Who has the problem?", value: "" },
        ],
      },
    ],
    partners: ["Manchester", "Leeds"],
    documents: [
      { fileName: "support <signed>.pdf", type: "Letter of support" },
      { fileName: "costs.xlsx", type: "Cost breakdown" },
    ],
  });
  const lines = email.text.split("\n");

  it("puts each question on its own line in the text version, its answer on the lines below, under the section's heading", () => {
    expect(email.text).not.toContain("What is the problem?:");
    const question = lines.indexOf("What is the problem?");
    expect(question).toBeGreaterThan(lines.indexOf("The problem"));
    expect(lines[lines.indexOf("The problem") + 1]).toMatch(/^-+$/);
    expect(lines.slice(question + 1, question + 3)).toEqual(["Residents wait weeks.", "Carers ring three teams."]);
    expect(lines[lines.indexOf("Who has the problem?") + 1]).toBe("Not answered");
  });

  it("names the partner councils and each document, with its type, in both versions", () => {
    const partners = lines.indexOf("Partner councils");
    expect(lines.slice(partners + 3, partners + 5)).toEqual(["* Manchester", "* Leeds"]);
    const evidence = lines.indexOf("Evidence");
    expect(evidence).toBeGreaterThan(partners);
    expect(lines.slice(evidence + 2, evidence + 7)).toEqual(["", "Letter of support", "support <signed>.pdf", "", "Cost breakdown"]);
    expect(lines[evidence + 7]).toBe("costs.xlsx");
    expect(email.html).toMatch(/<h2[^>]*>Evidence<\/h2>\s*<h3[^>]*>Letter of support<\/h3>\s*<p[^>]*>support &lt;signed&gt;\.pdf<\/p>/);
    expect(email.html).toMatch(/<h3[^>]*>What is the problem\?<\/h3>\s*<p[^>]*>Residents wait weeks\.<br>Carers ring three teams\.<\/p>/);
    expect(email.html).toMatch(/<h2[^>]*>Partner councils<\/h2>\s*<ul[^>]*><li>Manchester<\/li><li>Leeds<\/li><\/ul>/);
  });

  it("says so when there are no partners or documents", () => {
    const bare = template.render({ ...template.sample, partners: [], documents: [] });
    expect(bare.text).toContain("Partner councils\n----------------\n\nNone");
    expect(bare.text).toContain("Evidence\n--------\n\nNo documents were uploaded.");
  });
});
