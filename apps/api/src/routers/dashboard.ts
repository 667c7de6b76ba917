import { sql } from "drizzle-orm";
import { z } from "zod";
import { timeZone } from "../lib/time-zone";
import { protectedProcedure, router } from "../trpc";

interface SummaryRow {
  counts: { todo: number; in_progress: number; done: number };
  due_today: number;
  overdue: number;
  completed_per_day: { date: string; count: number }[];
  focus_today: number;
  focus_week: number;
}

export const dashboardRouter = router({
  /** Everything the dashboard shows, in one statement over the projects the user can read. */
  summary: protectedProcedure
    .input(
      z
        .object({ timeZone: timeZone.default("UTC") })
        .strict()
        .optional(),
    )
    .query(async ({ ctx, input }) => {
      const tz = input?.timeZone ?? "UTC";
      const [row] = await ctx.db.execute<SummaryRow & Record<string, unknown>>(sql`
        with bounds as (select (now() at time zone ${tz})::date as today),
        readable as (select id from projects where not archived),
        t as (select status, due_date, completed_at from tasks where project_id in (select id from readable)),
        f as (
          select (started_at at time zone ${tz})::date as day,
                 extract(epoch from (coalesce(ended_at, now()) - started_at)) / 60 as minutes
          from focus_sessions
          where owner_id = ${ctx.userId} and started_at >= now() - interval '8 days'
        )
        select
          (select json_build_object(
              'todo', count(*) filter (where status = 'todo'),
              'in_progress', count(*) filter (where status = 'in_progress'),
              'done', count(*) filter (where status = 'done')) from t) as counts,
          (select count(*)::int from t, bounds where due_date = bounds.today and status <> 'done') as due_today,
          (select count(*)::int from t, bounds where due_date < bounds.today and status <> 'done') as overdue,
          (select json_agg(json_build_object('date', d.day::text, 'count', coalesce(c.n, 0)) order by d.day)
             from (select generate_series(bounds.today - 13, bounds.today, interval '1 day')::date as day from bounds) d
             left join (
               select (completed_at at time zone ${tz})::date as day, count(*)::int as n
               from t where status = 'done' and completed_at >= now() - interval '15 days' group by 1
             ) c on c.day = d.day) as completed_per_day,
          (select coalesce(round(sum(minutes)), 0)::int from f, bounds where f.day = bounds.today) as focus_today,
          (select coalesce(round(sum(minutes)), 0)::int from f, bounds where f.day > bounds.today - 7) as focus_week`);
      if (!row) throw new Error("summary returned no row");
      return {
        countsByStatus: row.counts,
        dueToday: row.due_today,
        overdue: row.overdue,
        completedPerDay: row.completed_per_day,
        focusMinutesToday: row.focus_today,
        focusMinutesWeek: row.focus_week,
      };
    }),
});
