import { describe, expect, it } from "vitest";
import { defaultDeliveryOptions, retryDelayMs } from "~/mail/delivery.server.ts";
import { templates } from "../../emails/index.ts";

describe("retry back-off", () => {
  const options = { ...defaultDeliveryOptions, baseDelayMs: 1000, maxDelayMs: 60_000 };

  it("doubles each attempt, with equal jitter: between half and all of the step", () => {
    for (const [attempt, step] of [
      [1, 1000],
      [2, 2000],
      [3, 4000],
      [6, 32_000],
    ] as const) {
      expect(retryDelayMs(attempt, options, () => 0)).toBe(step / 2);
      expect(retryDelayMs(attempt, options, () => 0.999999)).toBe(Math.round(step / 2 + (0.999999 * step) / 2));
    }
  });

  it("never waits longer than the cap", () => {
    expect(retryDelayMs(30, options, () => 1)).toBe(60_000);
    expect(retryDelayMs(30, options, () => 0)).toBe(30_000);
  });

  it("spreads retries out", () => {
    const delays = new Set(Array.from({ length: 50 }, () => retryDelayMs(4, options)));
    expect(delays.size).toBeGreaterThan(10);
  });
});

describe("the unsubscribe link in non-essential emails", () => {
  it("appears in both versions only when given", () => {
    const template = templates["bid-eligible"]!;
    const plain = template.render(template.sample);
    expect(plain.text).not.toContain("unsubscribe");
    const withLink = template.render(template.sample, { unsubscribeLink: "https://example.test/unsubscribe?token=a&b" });
    expect(withLink.text).toContain("To get these emails once a day, or to stop them, go to:\nhttps://example.test/unsubscribe?token=a&b");
    expect(withLink.html).toContain('href="https://example.test/unsubscribe?token=a&amp;b"');
  });

  it("every template that is not essential carries it", () => {
    for (const template of Object.values(templates).filter((t) => !t.essential)) {
      expect(template.render(template.sample, { unsubscribeLink: "https://example.test/u" }).text, template.name).toContain("https://example.test/u");
    }
  });
});
