import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { Link, useLocation, useSearch } from "wouter";
import { ColorDot } from "../../components/ColorDot";
import { QueryError } from "../../components/QueryError";
import { projectPath } from "../../lib/routes";
import { userTimeZone } from "../../lib/time-zone";
import { type RouterOutputs, useTRPC } from "../../lib/trpc";
import { usePageTitle } from "../../lib/use-page-title";
import {
  dayOfMonth,
  formatDay,
  formatMonth,
  formatWeekday,
  localeWeekStart,
  type Month,
  monthGrid,
  monthOf,
  parseMonth,
  shiftMonth,
  todayIn,
} from "./dates";

type CalendarTask = RouterOutputs["tasks"]["calendar"]["items"][number];

/** Tasks a day cell shows before "+N more". */
export const TASKS_PER_DAY = 3;

function TaskItem({ task }: { task: CalendarTask }) {
  const done = task.status === "done";
  return (
    <li className={done ? "calendar-task done" : "calendar-task"}>
      <Link
        className="calendar-task-link"
        href={projectPath(task.projectId)}
        title={`${task.title} · ${task.projectName}`}
      >
        <ColorDot color={task.projectColor} />
        <span className="calendar-task-title">
          {done && <span className="visually-hidden">Done: </span>}
          {task.title}
        </span>{" "}
        <span className="visually-hidden">({task.projectName})</span>
      </Link>
    </li>
  );
}

function DayCell({
  date,
  tasks,
  inMonth,
  isToday,
  expanded,
  onToggle,
}: {
  date: string;
  tasks: CalendarTask[];
  inMonth: boolean;
  isToday: boolean;
  expanded: boolean;
  onToggle: () => void;
}) {
  const hidden = tasks.length - TASKS_PER_DAY;
  const shown = expanded || hidden <= 0 ? tasks : tasks.slice(0, TASKS_PER_DAY);
  const label = formatDay(date);
  const className = ["calendar-day", inMonth ? "" : "outside", isToday ? "today" : ""].filter(Boolean).join(" ");
  return (
    <td className={className} aria-current={isToday ? "date" : undefined} data-date={date}>
      <time className="calendar-day-number" dateTime={date}>
        <span aria-hidden="true">{dayOfMonth(date)}</span>
        <span className="visually-hidden">
          {label}
          {isToday ? " (today)" : ""}
          {tasks.length > 0 ? `, ${tasks.length} ${tasks.length === 1 ? "task" : "tasks"}` : ""}
        </span>
      </time>
      {shown.length > 0 && (
        <ul className="calendar-tasks" aria-label={`Due ${label}`}>
          {shown.map((t) => (
            <TaskItem key={t.id} task={t} />
          ))}
        </ul>
      )}
      {hidden > 0 && (
        <button type="button" className="calendar-more" aria-expanded={expanded} onClick={onToggle}>
          {expanded ? (
            <>
              Show fewer <span className="visually-hidden">tasks on {label}</span>
            </>
          ) : (
            <>
              +{hidden} more <span className="visually-hidden">on {label}</span>
            </>
          )}
        </button>
      )}
    </td>
  );
}

/**
 * A month of the user's tasks by due date, across every project they can see.
 * The month lives in the URL (`?month=2026-03`); "today" is the user's today,
 * in their time zone.
 */
export function CalendarPage({
  weekStartsOn = localeWeekStart(),
  timeZone = userTimeZone(),
}: {
  weekStartsOn?: number;
  timeZone?: string;
}) {
  const trpc = useTRPC();
  const headingRef = usePageTitle("Calendar");
  const [location, navigate] = useLocation();
  const search = useSearch();
  const today = todayIn(timeZone);
  const month: Month = parseMonth(new URLSearchParams(search).get("month")) ?? monthOf(today);
  const weeks = useMemo(() => monthGrid(month, weekStartsOn), [month, weekStartsOn]);
  const from = weeks[0]?.[0] ?? `${month}-01`;
  const to = weeks.at(-1)?.[6] ?? `${month}-01`;
  const calendar = useQuery(trpc.tasks.calendar.queryOptions({ from, to }));
  const [expanded, setExpanded] = useState<string | null>(null);

  const byDay = useMemo(() => {
    const map = new Map<string, CalendarTask[]>();
    for (const task of calendar.data?.items ?? []) {
      const list = map.get(task.dueDate);
      if (list) list.push(task);
      else map.set(task.dueDate, [task]);
    }
    return map;
  }, [calendar.data]);

  const goTo = (next: Month) => {
    setExpanded(null);
    navigate(next === monthOf(today) ? location : `${location}?month=${next}`, { replace: true });
  };
  const monthLabel = formatMonth(month);

  return (
    <>
      <div className="page-header">
        <h1 ref={headingRef} tabIndex={-1}>
          Calendar
        </h1>
        <div className="header-actions calendar-nav">
          <button type="button" className="button" onClick={() => goTo(shiftMonth(month, -1))}>
            <span aria-hidden="true">‹</span> Previous month
          </button>
          <button type="button" className="button" onClick={() => goTo(monthOf(today))}>
            Today
          </button>
          <button type="button" className="button" onClick={() => goTo(shiftMonth(month, 1))}>
            Next month <span aria-hidden="true">›</span>
          </button>
        </div>
      </div>
      <h2 id="calendar-month" className="calendar-month" aria-live="polite">
        {monthLabel}
      </h2>
      {calendar.isError && <QueryError error={calendar.error} retry={() => void calendar.refetch()} />}
      {calendar.data?.truncated && (
        <p className="notice" role="status">
          This month has more tasks than the calendar can show; only the first {calendar.data.items.length} are listed.
        </p>
      )}
      <div className="calendar-frame">
        <table className="calendar" aria-labelledby="calendar-month" aria-busy={calendar.isPending}>
          <thead>
            <tr>
              {weeks[0]?.map((d) => (
                <th key={d} scope="col">
                  <abbr title={formatWeekday(d, "long")}>{formatWeekday(d, "short")}</abbr>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {weeks.map((week) => (
              <tr key={week[0]}>
                {week.map((d) => (
                  <DayCell
                    key={d}
                    date={d}
                    tasks={byDay.get(d) ?? []}
                    inMonth={monthOf(d) === month}
                    isToday={d === today}
                    expanded={expanded === d}
                    onToggle={() => setExpanded((e) => (e === d ? null : d))}
                  />
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {calendar.isSuccess && calendar.data.items.length === 0 && (
        <p className="muted">No tasks are due in the weeks shown.</p>
      )}
    </>
  );
}
