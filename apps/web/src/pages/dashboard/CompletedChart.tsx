import { BarChart } from "../../components/BarChart";

interface Day {
  date: string;
  count: number;
}

/** Completed tasks per day: the shared bar chart with the dashboard's wording. */
export function CompletedChart({ days }: { days: Day[] }) {
  return (
    <BarChart
      bars={days.map((d) => ({ date: d.date, value: d.count }))}
      title="Completed tasks per day"
      summary={`${days.reduce((sum, d) => sum + d.count, 0)} tasks completed in the last ${days.length} days`}
      valueHeading="Completed"
    />
  );
}
