import { calendarDate } from "~/utils/dates.ts";
import { formatDate, formatNumber, plural } from "~/utils/format.ts";

export interface ChartMetric {
  id: string;
  name: string;
  unit: string;
  baseline: number;
  target: number;
  actuals: { value: number; recordedOn: string; note?: string }[];
}

export interface ChartGeometry {
  width: number;
  height: number;
  plot: { left: number; right: number; top: number; bottom: number };
  /** The value at the bottom and top of the plot area. */
  min: number;
  max: number;
  baselineY: number;
  targetY: number;
  points: { x: number; y: number; value: number; recordedOn: string }[];
  ticks: { y: number; value: number }[];
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * Where everything goes on the chart: values scale linearly between a little below the
 * lowest and a little above the highest of baseline, target and actuals; dates scale by
 * time between the first and last actual (one actual sits in the middle).
 */
export function chartGeometry(metric: Pick<ChartMetric, "baseline" | "target" | "actuals">, width = 480, height = 240): ChartGeometry {
  const plot = { left: 56, right: width - 16, top: 16, bottom: height - 32 };
  const actuals = [...metric.actuals].sort((a, b) => a.recordedOn.localeCompare(b.recordedOn));
  const values = [metric.baseline, metric.target, ...actuals.map((a) => a.value)];
  let min = Math.min(...values);
  let max = Math.max(...values);
  const pad = max === min ? Math.max(1, Math.abs(max) * 0.1) : (max - min) * 0.1;
  min -= pad;
  max += pad;
  const y = (value: number) => round1(plot.bottom - ((value - min) / (max - min)) * (plot.bottom - plot.top));
  const times = actuals.map((a) => calendarDate(a.recordedOn).getTime());
  const first = Math.min(...times);
  const last = Math.max(...times);
  const x = (time: number) => round1(last === first ? (plot.left + plot.right) / 2 : plot.left + ((time - first) / (last - first)) * (plot.right - plot.left));
  const ticks = [0, 1, 2, 3, 4].map((i) => {
    const value = min + ((max - min) * i) / 4;
    return { value: Number(value.toPrecision(3)), y: y(value) };
  });
  return {
    width,
    height,
    plot,
    min,
    max,
    baselineY: y(metric.baseline),
    targetY: y(metric.target),
    points: actuals.map((a, i) => ({ x: x(times[i]!), y: y(a.value), value: a.value, recordedOn: a.recordedOn })),
    ticks,
  };
}

/** A sentence saying what the chart shows, for screen readers and as the chart's description. */
export function chartSummary(metric: ChartMetric): string {
  const unit = metric.unit ? ` ${metric.unit}` : "";
  const start = `Baseline ${formatNumber(metric.baseline)}${unit}, target ${formatNumber(metric.target)}${unit}.`;
  if (!metric.actuals.length) return `${start} No actuals recorded yet.`;
  const latest = [...metric.actuals].sort((a, b) => a.recordedOn.localeCompare(b.recordedOn)).at(-1)!;
  return `${start} ${plural(metric.actuals.length, "actual")} recorded; the latest is ${formatNumber(latest.value)}${unit} on ${formatDate(latest.recordedOn)}.`;
}

/**
 * One metric over time, drawn on the server as SVG (no JavaScript), with the same numbers in
 * a table beside it so nobody depends on seeing the line.
 */
export function MetricChart({ metric }: { metric: ChartMetric }) {
  const g = chartGeometry(metric);
  const titleId = `metric-${metric.id}-title`;
  const descId = `metric-${metric.id}-desc`;
  const line = g.points.map((p, i) => `${i === 0 ? "M" : "L"}${p.x} ${p.y}`).join(" ");
  const actuals = [...metric.actuals].sort((a, b) => a.recordedOn.localeCompare(b.recordedOn));
  return (
    <div className="govuk-grid-row app-metric">
      <div className="govuk-grid-column-one-half">
        <svg
          role="img"
          aria-labelledby={`${titleId} ${descId}`}
          viewBox={`0 0 ${g.width} ${g.height}`}
          width="100%"
          className="app-metric-chart"
          focusable="false"
        >
          <title id={titleId}>{`${metric.name}${metric.unit ? ` (${metric.unit})` : ""}`}</title>
          <desc id={descId}>{chartSummary(metric)}</desc>
          <line x1={g.plot.left} y1={g.plot.bottom} x2={g.plot.right} y2={g.plot.bottom} stroke="#0b0c0c" />
          <line x1={g.plot.left} y1={g.plot.top} x2={g.plot.left} y2={g.plot.bottom} stroke="#0b0c0c" />
          {g.ticks.map((t) => (
            <g key={t.y}>
              <line x1={g.plot.left - 4} y1={t.y} x2={g.plot.left} y2={t.y} stroke="#0b0c0c" />
              <text x={g.plot.left - 6} y={t.y + 4} textAnchor="end" fontSize="12" fill="#0b0c0c">
                {formatNumber(t.value)}
              </text>
            </g>
          ))}
          <line x1={g.plot.left} y1={g.baselineY} x2={g.plot.right} y2={g.baselineY} stroke="#505a5f" strokeDasharray="6 4" />
          <text x={g.plot.right} y={g.baselineY - 4} textAnchor="end" fontSize="12" fill="#505a5f">
            Baseline
          </text>
          <line x1={g.plot.left} y1={g.targetY} x2={g.plot.right} y2={g.targetY} stroke="#00703c" strokeDasharray="2 3" strokeWidth="2" />
          <text x={g.plot.right} y={g.targetY - 4} textAnchor="end" fontSize="12" fill="#00703c">
            Target
          </text>
          {g.points.length > 1 ? <path d={line} fill="none" stroke="#1d70b8" strokeWidth="3" /> : null}
          {g.points.map((p) => (
            <circle key={`${p.recordedOn}-${p.x}-${p.value}`} cx={p.x} cy={p.y} r="4" fill="#1d70b8" />
          ))}
          {g.points.length ? (
            <>
              <text x={g.plot.left} y={g.height - 10} fontSize="12" fill="#0b0c0c">
                {formatDate(g.points[0]!.recordedOn)}
              </text>
              {g.points.length > 1 ? (
                <text x={g.plot.right} y={g.height - 10} textAnchor="end" fontSize="12" fill="#0b0c0c">
                  {formatDate(g.points.at(-1)!.recordedOn)}
                </text>
              ) : null}
            </>
          ) : null}
        </svg>
      </div>
      <div className="govuk-grid-column-one-half">
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-table__caption--s">{`${metric.name}: the figures`}</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">
                Date
              </th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                {metric.unit ? `Value (${metric.unit})` : "Value"}
              </th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            <tr className="govuk-table__row">
              <th scope="row" className="govuk-table__header">
                Baseline
              </th>
              <td className="govuk-table__cell govuk-table__cell--numeric">{formatNumber(metric.baseline)}</td>
            </tr>
            {actuals.map((a) => (
              <tr className="govuk-table__row" key={`${a.recordedOn}-${a.value}`}>
                <td className="govuk-table__cell">{formatDate(a.recordedOn)}</td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{formatNumber(a.value)}</td>
              </tr>
            ))}
            <tr className="govuk-table__row">
              <th scope="row" className="govuk-table__header">
                Target
              </th>
              <td className="govuk-table__cell govuk-table__cell--numeric">{formatNumber(metric.target)}</td>
            </tr>
          </tbody>
        </table>
      </div>
    </div>
  );
}
