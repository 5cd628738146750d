import { renderToStaticMarkup } from "react-dom/server";
import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { chartGeometry, chartSummary, MetricChart } from "~/components/metric-chart.tsx";

const metric = {
  id: "m1",
  name: "Days to assess",
  unit: "days",
  baseline: 30,
  target: 10,
  actuals: [
    { value: 18, recordedOn: "2026-03-01" },
    { value: 24, recordedOn: "2026-01-01" },
  ],
};

describe("the metric chart", () => {
  it("scales values between a tenth below the lowest and a tenth above the highest, higher values higher up", () => {
    const g = chartGeometry(metric, 480, 240);
    // baseline 30 and target 10: range 20, padded by 2 each side.
    expect(g.min).toBe(8);
    expect(g.max).toBe(32);
    expect(g.plot).toEqual({ left: 56, right: 464, top: 16, bottom: 208 });
    expect(g.baselineY).toBe(32); // (32 - 30) / 24 of 192 below the top: 16 + 16
    expect(g.targetY).toBe(192);
    expect(g.targetY).toBeGreaterThan(g.baselineY);
    expect(g.ticks[0]).toEqual({ value: 8, y: 208 });
    expect(g.ticks[4]).toEqual({ value: 32, y: 16 });
  });

  it("orders actuals by date and spaces them by time", () => {
    const g = chartGeometry({ ...metric, actuals: [...metric.actuals, { value: 12, recordedOn: "2026-02-15" }] });
    expect(g.points.map((p) => p.recordedOn)).toEqual(["2026-01-01", "2026-02-15", "2026-03-01"]);
    expect(g.points[0]!.x).toBe(56);
    expect(g.points[2]!.x).toBe(464);
    // 45 of 59 days along the axis.
    expect(g.points[1]!.x).toBeCloseTo(56 + (45 / 59) * 408, 0);
  });

  it("copes with one actual and with every value the same", () => {
    const g = chartGeometry({ baseline: 5, target: 5, actuals: [{ value: 5, recordedOn: "2026-01-01" }] });
    expect(g.min).toBeLessThan(5);
    expect(g.max).toBeGreaterThan(5);
    expect(g.points[0]!.x).toBe((56 + 464) / 2);
    expect(Number.isFinite(g.points[0]!.y)).toBe(true);
    expect(chartGeometry({ baseline: 1, target: 2, actuals: [] }).points).toEqual([]);
  });

  it("renders an accessible SVG with the same figures in a table", () => {
    const html = renderToStaticMarkup(createElement(MetricChart, { metric }));
    expect(html).toContain('role="img"');
    expect(html).toContain('aria-labelledby="metric-m1-title metric-m1-desc"');
    expect(html).toContain('<title id="metric-m1-title">Days to assess (days)</title>');
    expect(chartSummary(metric)).toBe("Baseline 30 days, target 10 days. 2 actuals recorded; the latest is 18 days on 1 March 2026.");
    expect(html).toContain("<caption");
    const rows = [...html.matchAll(/<tr class="govuk-table__row">(.*?)<\/tr>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, "|").replace(/\|+/g, "|"));
    expect(rows).toEqual(["|Date|Value (days)|", "|Baseline|30|", "|1 January 2026|24|", "|1 March 2026|18|", "|Target|10|"]);
  });
});
