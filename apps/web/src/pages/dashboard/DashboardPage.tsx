import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense } from "react";
import { QueryError } from "../../components/QueryError";
import { formatMinutes } from "../../lib/format";
import { userTimeZone } from "../../lib/time-zone";
import { useTRPC } from "../../lib/trpc";
import { usePageTitle } from "../../lib/use-page-title";

// The chart is the heaviest part of the dashboard and below the numbers: it loads after them.
const CompletedChart = lazy(() => import("./CompletedChart").then((m) => ({ default: m.CompletedChart })));

function Stat({ label, value, tone }: { label: string; value: string | number; tone?: "warn" }) {
  return (
    <div className={`stat ${tone ?? ""}`}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

export function DashboardPage() {
  const trpc = useTRPC();
  const headingRef = usePageTitle("Dashboard");
  // "Due today" and "overdue" are counted from the user's midnight, not UTC's.
  const summary = useQuery(trpc.dashboard.summary.queryOptions({ timeZone: userTimeZone() }));
  const data = summary.data;

  return (
    <>
      <h1 ref={headingRef} tabIndex={-1}>
        Dashboard
      </h1>
      {summary.isError && <QueryError error={summary.error} retry={() => void summary.refetch()} />}
      <section aria-labelledby="tasks-heading">
        <h2 id="tasks-heading">Tasks</h2>
        <dl className="stats" aria-busy={summary.isPending}>
          <Stat label="To do" value={data?.countsByStatus.todo ?? "–"} />
          <Stat label="In progress" value={data?.countsByStatus.in_progress ?? "–"} />
          <Stat label="Done" value={data?.countsByStatus.done ?? "–"} />
          <Stat label="Due today" value={data?.dueToday ?? "–"} />
          <Stat label="Overdue" value={data?.overdue ?? "–"} tone={data && data.overdue > 0 ? "warn" : undefined} />
        </dl>
      </section>
      <section aria-labelledby="focus-heading">
        <h2 id="focus-heading">Focus</h2>
        <dl className="stats">
          <Stat label="Focus today" value={data ? formatMinutes(data.focusMinutesToday) : "–"} />
          <Stat label="Focus this week" value={data ? formatMinutes(data.focusMinutesWeek) : "–"} />
        </dl>
      </section>
      <section aria-labelledby="completed-heading" className="chart-section">
        <h2 id="completed-heading">Completed per day (last 14 days)</h2>
        <div className="chart-frame">
          {data && (
            <Suspense fallback={<p className="loading">Loading chart…</p>}>
              <CompletedChart days={data.completedPerDay} />
            </Suspense>
          )}
        </div>
      </section>
    </>
  );
}
