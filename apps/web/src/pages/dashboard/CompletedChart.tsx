interface Day {
  date: string;
  count: number;
}

const WIDTH = 640;
const HEIGHT = 200;
const AXIS = 24;

function shortDate(iso: string) {
  const [, m, d] = iso.split("-");
  return `${Number(d)}/${Number(m)}`;
}

/**
 * Completed tasks per day as an SVG bar chart. Presentation attributes, not
 * inline styles, so it renders under a CSP without 'unsafe-inline'. The table
 * next to it carries the same numbers for screen readers.
 */
export function CompletedChart({ days }: { days: Day[] }) {
  const max = Math.max(1, ...days.map((d) => d.count));
  const slot = days.length > 0 ? WIDTH / days.length : WIDTH;
  const barWidth = Math.max(4, slot * 0.6);
  const plotHeight = HEIGHT - AXIS;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby="completed-chart-caption">
        <title>Completed tasks per day</title>
        <line x1={0} x2={WIDTH} y1={plotHeight} y2={plotHeight} className="chart-axis" />
        {days.map((day, i) => {
          const h = (day.count / max) * (plotHeight - 16);
          const x = i * slot + (slot - barWidth) / 2;
          return (
            <g key={day.date}>
              <rect x={x} y={plotHeight - h} width={barWidth} height={h} className="chart-bar" rx={2} />
              {day.count > 0 && (
                <text x={x + barWidth / 2} y={plotHeight - h - 4} className="chart-value" textAnchor="middle">
                  {day.count}
                </text>
              )}
              <text x={x + barWidth / 2} y={HEIGHT - 6} className="chart-label" textAnchor="middle">
                {shortDate(day.date)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption id="completed-chart-caption">
        {days.reduce((sum, d) => sum + d.count, 0)} tasks completed in the last {days.length} days
      </figcaption>
      <table className="visually-hidden">
        <caption>Completed tasks per day</caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Completed</th>
          </tr>
        </thead>
        <tbody>
          {days.map((d) => (
            <tr key={d.date}>
              <td>{d.date}</td>
              <td>{d.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
