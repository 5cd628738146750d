import { useId } from "react";

export interface Bar {
  label: string;
  value: number;
  /** What the value reads as, e.g. "£350,000" or "12 projects". */
  display: string;
}

/** The colours a chart's bars may take, each readable against white (GOV.UK's blue and green). */
const tones = { blue: "#1d70b8", green: "#00703c" } as const;
export type ChartTone = keyof typeof tones;

/**
 * A horizontal bar chart drawn on the server as SVG, under a visible heading. The SVG has
 * role="img" with a title and a description that states every figure, so screen readers get
 * the data too; pages show the same figures in a table beside it. Charts shown side by side
 * in different colours each give a legend: what their colour stands for.
 */
export function BarChart({
  title,
  description,
  bars,
  tone = "blue",
  legend,
}: {
  title: string;
  description?: string;
  bars: Bar[];
  tone?: ChartTone;
  /** What the bars' colour stands for, shown beside a swatch of it. */
  legend?: string;
}) {
  const id = useId();
  const max = Math.max(1, ...bars.map((b) => b.value));
  const rowHeight = 32;
  const labelWidth = 110;
  const chartWidth = 300;
  const valueWidth = 130;
  const height = bars.length * rowHeight + 8;
  const summary = description ?? bars.map((b) => `${b.label}: ${b.display}`).join("; ");
  return (
    <div className="app-chart">
      <h3 className="govuk-heading-s">{title}</h3>
      {legend ? (
        <p className="govuk-body-s app-chart__legend">
          {/* The swatch is drawn, not styled: the content security policy allows no inline style. */}
          <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false" className="app-chart__swatch">
            <rect width="16" height="16" fill={tones[tone]} />
          </svg>
          {legend}
        </p>
      ) : null}
      <svg
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        viewBox={`0 0 ${labelWidth + chartWidth + valueWidth} ${height}`}
        width="100%"
        preserveAspectRatio="xMinYMin meet"
        className="app-bar-chart"
        focusable="false"
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{summary}</desc>
        {bars.map((bar, index) => {
          const y = index * rowHeight + 4;
          const width = bar.value > 0 ? Math.max(2, Math.round((bar.value / max) * chartWidth)) : 0;
          return (
            <g key={bar.label}>
              <text x={labelWidth - 8} y={y + rowHeight / 2} textAnchor="end" dominantBaseline="middle" fontSize="16" fill="#0b0c0c">
                {bar.label}
              </text>
              <rect x={labelWidth} y={y + 4} width={width} height={rowHeight - 10} fill={tones[tone]} />
              <text x={labelWidth + width + 6} y={y + rowHeight / 2} dominantBaseline="middle" fontSize="16" fill="#0b0c0c">
                {bar.display}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
