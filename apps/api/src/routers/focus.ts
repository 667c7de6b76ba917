import { focusSessions } from "@taskmaster/db/schema";
import { focusStartInput, uuid } from "@taskmaster/security/schemas";
import { TRPCError } from "@trpc/server";
import { and, desc, eq, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { audit } from "../lib/audit";
import { olderThan, pageInput, toPage } from "../lib/cursor";
import { iso, isoRequired } from "../lib/dates";
import { notFound } from "../lib/errors";
import { timeZone } from "../lib/time-zone";
import { protectedProcedure, router } from "../trpc";

type FocusRow = typeof focusSessions.$inferSelect;

function toFocus(row: FocusRow) {
  return {
    id: row.id,
    taskId: row.taskId,
    plannedMinutes: row.plannedMinutes,
    startedAt: isoRequired(row.startedAt),
    endedAt: iso(row.endedAt),
    state: row.state,
  };
}

export const focusRouter = router({
  start: protectedProcedure.input(focusStartInput).mutation(async ({ ctx, input }) => {
    const [running] = await ctx.db
      .select({ id: focusSessions.id })
      .from(focusSessions)
      .where(and(eq(focusSessions.ownerId, ctx.userId), eq(focusSessions.state, "running")));
    if (running)
      throw new TRPCError({ code: "CONFLICT", message: "A focus session is already running: stop it first." });
    const [row] = await ctx.db
      .insert(focusSessions)
      .values({ ownerId: ctx.userId, taskId: input.taskId ?? null, plannedMinutes: input.plannedMinutes })
      .returning();
    if (!row) throw new Error("insert returned no row");
    await audit(ctx.db, {
      actorId: ctx.userId,
      action: "focus.start",
      entity: "focus_session",
      entityId: row.id,
      ip: ctx.ip,
    });
    return toFocus(row);
  }),

  stop: protectedProcedure
    .input(z.object({ id: uuid, completed: z.boolean() }).strict())
    .mutation(async ({ ctx, input }) => {
      const [row] = await ctx.db
        .update(focusSessions)
        .set({ state: input.completed ? "completed" : "cancelled", endedAt: sql`now()` })
        .where(and(eq(focusSessions.id, input.id), eq(focusSessions.state, "running")))
        .returning();
      if (!row) {
        const [existing] = await ctx.db.select().from(focusSessions).where(eq(focusSessions.id, input.id));
        if (!existing) throw notFound("Focus session");
        throw new TRPCError({ code: "CONFLICT", message: "This focus session has already ended." });
      }
      await audit(ctx.db, {
        actorId: ctx.userId,
        action: input.completed ? "focus.complete" : "focus.cancel",
        entity: "focus_session",
        entityId: row.id,
        ip: ctx.ip,
      });
      return toFocus(row);
    }),

  current: protectedProcedure.query(async ({ ctx }) => {
    const [row] = await ctx.db
      .select()
      .from(focusSessions)
      .where(and(eq(focusSessions.ownerId, ctx.userId), eq(focusSessions.state, "running")))
      .orderBy(desc(focusSessions.startedAt))
      .limit(1);
    return row ? toFocus(row) : null;
  }),

  list: protectedProcedure
    .input(
      z
        .object({
          ...pageInput,
        })
        .strict()
        .optional(),
    )
    .query(async ({ ctx, input }) => {
      const limit = input?.limit ?? 50;
      const filters: (SQL | undefined)[] = [eq(focusSessions.ownerId, ctx.userId)];
      if (input?.cursor) filters.push(olderThan(focusSessions.startedAt, focusSessions.id, input.cursor));
      const rows = await ctx.db
        .select()
        .from(focusSessions)
        .where(and(...filters))
        .orderBy(desc(focusSessions.startedAt), desc(focusSessions.id))
        .limit(limit + 1);
      return toPage(rows, limit, toFocus, (f) => [f.startedAt, f.id]);
    }),

  stats: protectedProcedure
    .input(
      z
        .object({ days: z.number().int().min(1).max(90).default(7), timeZone: timeZone.default("UTC") })
        .strict()
        .optional(),
    )
    .query(async ({ ctx, input }) => {
      const days = input?.days ?? 7;
      const tz = input?.timeZone ?? "UTC";
      const span = Math.max(days, 7);
      // Minutes actually focused (until now for a running session), on the day the session started.
      const rows = await ctx.db.execute<{ date: string; minutes: number; completed: number }>(sql`
        with bounds as (select (now() at time zone ${tz})::date as today),
        days as (
          select d::date as day from bounds,
            generate_series(bounds.today - ${span - 1}::int, bounds.today, interval '1 day') d
        ),
        s as (
          select (started_at at time zone ${tz})::date as day,
                 extract(epoch from (coalesce(ended_at, now()) - started_at)) / 60 as minutes,
                 state
          from focus_sessions
          where owner_id = ${ctx.userId} and started_at >= now() - make_interval(days => ${span + 1}::int)
        )
        select days.day::text as date,
               coalesce(round(sum(s.minutes)), 0)::int as minutes,
               (count(*) filter (where s.state = 'completed'))::int as completed
        from days left join s on s.day = days.day
        group by days.day order by days.day`);
      const all = [...rows];
      const perDay = all.slice(-days).map((r) => ({ date: r.date, minutes: r.minutes }));
      const week = all.slice(-7);
      return {
        todayMinutes: all.at(-1)?.minutes ?? 0,
        weekMinutes: week.reduce((sum, r) => sum + r.minutes, 0),
        completedSessions: all.slice(-days).reduce((sum, r) => sum + r.completed, 0),
        perDay,
      };
    }),
});
