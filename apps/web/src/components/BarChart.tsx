import { useId } from "react";

export interface Bar {
  /** ISO date (YYYY-MM-DD): the x axis is days. */
  date: string;
  value: number;
}

const WIDTH = 640;
const HEIGHT = 200;
const AXIS = 24;

function shortDate(iso: string) {
  const [, m, d] = iso.split("-");
  return `${Number(d)}/${Number(m)}`;
}

interface BarChartProps {
  bars: Bar[];
  /** The chart's name, e.g. "Completed tasks per day". */
  title: string;
  /** The visible one-line summary, also the chart's accessible name. */
  summary: string;
  /** Heading of the value column in the text alternative. */
  valueHeading: string;
  /** How a value reads in labels and the table (default: the number). */
  format?: (value: number) => string;
}

/**
 * A per-day SVG bar chart. Presentation attributes, not inline styles, so it
 * renders under a CSP without 'unsafe-inline'. A visually hidden table
 * carries the same numbers for screen readers. Loaded lazily by its users.
 */
export function BarChart({ bars, title, summary, valueHeading, format = String }: BarChartProps) {
  const captionId = useId();
  const max = Math.max(1, ...bars.map((d) => d.value));
  const slot = bars.length > 0 ? WIDTH / bars.length : WIDTH;
  const barWidth = Math.max(4, slot * 0.6);
  const plotHeight = HEIGHT - AXIS;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={captionId}>
        <title>{title}</title>
        <line x1={0} x2={WIDTH} y1={plotHeight} y2={plotHeight} className="chart-axis" />
        {bars.map((day, i) => {
          const h = (day.value / max) * (plotHeight - 16);
          const x = i * slot + (slot - barWidth) / 2;
          return (
            <g key={day.date}>
              <rect x={x} y={plotHeight - h} width={barWidth} height={h} className="chart-bar" rx={2} />
              {day.value > 0 && (
                <text x={x + barWidth / 2} y={plotHeight - h - 4} className="chart-value" textAnchor="middle">
                  {format(day.value)}
                </text>
              )}
              <text x={x + barWidth / 2} y={HEIGHT - 6} className="chart-label" textAnchor="middle">
                {shortDate(day.date)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption id={captionId}>{summary}</figcaption>
      <table className="visually-hidden">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">{valueHeading}</th>
          </tr>
        </thead>
        <tbody>
          {bars.map((d) => (
            <tr key={d.date}>
              <td>{d.date}</td>
              <td>{format(d.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
