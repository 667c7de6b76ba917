import { BarChart } from "../../components/BarChart";
import { formatMinutes } from "../../lib/format";

/** Minutes focused per day, on the shared (lazy) bar chart. */
export function FocusChart({ perDay }: { perDay: { date: string; minutes: number }[] }) {
  const total = perDay.reduce((sum, d) => sum + d.minutes, 0);
  return (
    <BarChart
      bars={perDay.map((d) => ({ date: d.date, value: d.minutes }))}
      title="Minutes focused per day"
      summary={`${formatMinutes(total)} focused in the last ${perDay.length} days`}
      valueHeading="Focused"
      format={formatMinutes}
    />
  );
}
