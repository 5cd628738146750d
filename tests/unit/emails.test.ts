import { describe, expect, it } from "vitest";
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
