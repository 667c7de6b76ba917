import type { Tx } from "@taskmaster/db";
import { projects, tasks } from "@taskmaster/db/schema";
import { serverTaskCreateInput, serverTaskUpdateInput } from "@taskmaster/security";
import { calendarRangeInput, isoDate, TASK_PRIORITIES, TASK_STATUSES, tag, uuid } from "@taskmaster/security/schemas";
import { TRPCError } from "@trpc/server";
import { and, asc, between, desc, eq, gte, inArray, lte, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { audit } from "../lib/audit";
import { decodeCursor, pageInput, toPage } from "../lib/cursor";
import { iso, isoRequired } from "../lib/dates";
import { forbidden, notFound } from "../lib/errors";
import { protectedProcedure, router } from "../trpc";
import { loadProject } from "./projects";

type TaskRow = typeof tasks.$inferSelect;

const taskColumns = {
  id: tasks.id,
  projectId: tasks.projectId,
  creatorId: tasks.creatorId,
  title: tasks.title,
  description: tasks.description,
  status: tasks.status,
  priority: tasks.priority,
  tags: tasks.tags,
  dueDate: tasks.dueDate,
  position: tasks.position,
  completedAt: tasks.completedAt,
  createdAt: tasks.createdAt,
  updatedAt: tasks.updatedAt,
};

export function toTask(row: Omit<TaskRow, "search">) {
  return {
    id: row.id,
    projectId: row.projectId,
    creatorId: row.creatorId,
    title: row.title,
    description: row.description,
    status: row.status,
    priority: row.priority,
    tags: row.tags,
    dueDate: row.dueDate,
    position: row.position,
    completedAt: iso(row.completedAt),
    createdAt: isoRequired(row.createdAt),
    updatedAt: isoRequired(row.updatedAt),
  };
}
export type Task = ReturnType<typeof toTask>;

const SORTS = ["position", "created", "due", "priority"] as const;
type Sort = (typeof SORTS)[number];

const listInput = z
  .object({
    projectId: uuid,
    status: z.array(z.enum(TASK_STATUSES)).max(3).optional(),
    priority: z.array(z.enum(TASK_PRIORITIES)).max(3).optional(),
    tag: tag.optional(),
    dueFrom: isoDate.optional(),
    dueTo: isoDate.optional(),
    search: z.string().trim().max(200).optional(),
    sort: z.enum(SORTS).default("position"),
    ...pageInput,
  })
  .strict()
  .refine((v) => !v.dueFrom || !v.dueTo || v.dueFrom <= v.dueTo, {
    message: "dueFrom must not be after dueTo",
    path: ["dueTo"],
  });

/** Words → a prefix tsquery (`mee` finds "meeting"); everything but letters and digits is dropped. */
export function toPrefixQuery(search: string): string | null {
  const words = search
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, 8);
  return words.length ? words.map((w) => `${w}:*`).join(" & ") : null;
}

// Priority sorts high → low; the enum is declared low, medium, high.
const priorityRank = sql<number>`(case ${tasks.priority} when 'high' then 0 when 'medium' then 1 else 2 end)`;
const dueKey = sql<string>`coalesce(${tasks.dueDate}, 'infinity'::date)`;

function sortSpec(sort: Sort): { order: SQL[]; keyOf: (t: Task) => (string | number)[]; after: (c: unknown[]) => SQL } {
  switch (sort) {
    case "position":
      return {
        order: [asc(tasks.position), asc(tasks.id)],
        keyOf: (t) => [t.position, t.id],
        after: ([p, id]) => sql`(${tasks.position}, ${tasks.id}) > (${Number(p)}, ${String(id)}::uuid)`,
      };
    case "created":
      return {
        order: [desc(tasks.createdAt), desc(tasks.id)],
        keyOf: (t) => [t.createdAt, t.id],
        after: ([c, id]) => sql`(${tasks.createdAt}, ${tasks.id}) < (${String(c)}::timestamptz, ${String(id)}::uuid)`,
      };
    case "due":
      return {
        order: [asc(dueKey), asc(tasks.id)],
        keyOf: (t) => [t.dueDate ?? "infinity", t.id],
        after: ([d, id]) => sql`(${dueKey}, ${tasks.id}) > (${String(d)}::date, ${String(id)}::uuid)`,
      };
    case "priority":
      return {
        order: [asc(priorityRank), asc(tasks.position), asc(tasks.id)],
        keyOf: (t) => [t.priority === "high" ? 0 : t.priority === "medium" ? 1 : 2, t.position, t.id],
        after: ([r, p, id]) =>
          sql`(${priorityRank}, ${tasks.position}, ${tasks.id}) > (${Number(r)}, ${Number(p)}, ${String(id)}::uuid)`,
      };
  }
}

async function loadTask(tx: Tx, id: string): Promise<Task> {
  const [row] = await tx.select(taskColumns).from(tasks).where(eq(tasks.id, id));
  if (!row) throw notFound("Task");
  return toTask(row);
}

/**
 * After a write matched no row: NOT_FOUND if the caller cannot even see the
 * task, FORBIDDEN if they can see it but their role does not allow the write.
 */
async function explainMissedWrite(tx: Tx, id: string): Promise<never> {
  const [row] = await tx.select({ id: tasks.id }).from(tasks).where(eq(tasks.id, id));
  throw row ? forbidden("Viewers cannot change tasks in this project.") : notFound("Task");
}

async function requireWritableProject(tx: Tx, userId: string, projectId: string) {
  const project = await loadProject(tx, userId, projectId);
  if (project.role === "viewer") throw forbidden("Viewers cannot change tasks in this project.");
  return project;
}

const completedAtFor = (status: string | undefined) =>
  status === undefined ? undefined : status === "done" ? sql`coalesce(${tasks.completedAt}, now())` : null;

/** The most tasks one `tasks.calendar` answer carries; beyond it the answer says `truncated`. */
export const CALENDAR_ROW_CAP = 500;

/**
 * The statement behind `tasks.calendar` (exported for its plan test). RLS decides which tasks
 * are visible, but a policy is a filter, not an access path: with only the date range, Postgres
 * read every task in the table and filtered (a sequential scan, 140 ms over 300k tasks for a user
 * with 13k of them). Naming the readable projects explicitly, as an array so the planner does
 * not turn it back into a semi-join, lets each project's range come from
 * tasks_project_due_idx (27 ms for the same user, and it no longer grows with other users' data).
 */
export function calendarQuery(tx: Tx, range: { from: string; to: string }) {
  // The projects RLS lets the caller read, minus archived ones (left off, as on the dashboard).
  const readableProjects = sql`array(select ${projects.id} from ${projects} where not ${projects.archived})`;
  return tx
    .select({
      id: tasks.id,
      title: tasks.title,
      status: tasks.status,
      priority: tasks.priority,
      dueDate: tasks.dueDate,
      projectId: tasks.projectId,
      projectName: projects.name,
      projectColor: projects.color,
    })
    .from(tasks)
    .innerJoin(projects, eq(projects.id, tasks.projectId))
    .where(and(sql`${tasks.projectId} = any(${readableProjects})`, between(tasks.dueDate, range.from, range.to)))
    .orderBy(asc(tasks.dueDate), asc(priorityRank), asc(tasks.id))
    .limit(CALENDAR_ROW_CAP + 1);
}

export const tasksRouter = router({
  /**
   * Tasks due in `from..to` (inclusive, at most 42 days) across every project
   * the caller can read, by due date (then high priority first). Visibility is RLS's alone;
   * archived projects are left off, as the dashboard does, and the join to projects only adds
   * the name and colour. Per readable project the range is one scan of
   * tasks_project_due_idx (project_id, due_date, id): see calendarQuery.
   */
  calendar: protectedProcedure.input(calendarRangeInput).query(async ({ ctx, input }) => {
    const rows = await calendarQuery(ctx.db, input);
    const truncated = rows.length > CALENDAR_ROW_CAP;
    const items = (truncated ? rows.slice(0, CALENDAR_ROW_CAP) : rows).map((r) => ({
      ...r,
      // The range predicate excludes nulls; the type does not know that.
      dueDate: r.dueDate as string,
    }));
    return { from: input.from, to: input.to, items, truncated };
  }),

  list: protectedProcedure.input(listInput).query(async ({ ctx, input }) => {
    const spec = sortSpec(input.sort);
    const filters: (SQL | undefined)[] = [eq(tasks.projectId, input.projectId)];
    if (input.status?.length) filters.push(inArray(tasks.status, input.status));
    if (input.priority?.length) filters.push(inArray(tasks.priority, input.priority));
    if (input.tag) filters.push(sql`${tasks.tags} @> array[${input.tag}]::text[]`);
    if (input.dueFrom) filters.push(gte(tasks.dueDate, input.dueFrom));
    if (input.dueTo) filters.push(lte(tasks.dueDate, input.dueTo));
    const query = input.search ? toPrefixQuery(input.search) : null;
    if (query) filters.push(sql`${tasks.search} @@ to_tsquery('simple', ${query})`);
    if (input.cursor) filters.push(spec.after(decodeCursor(input.cursor, spec.order.length)));
    const rows = await ctx.db
      .select(taskColumns)
      .from(tasks)
      .where(and(...filters))
      .orderBy(...spec.order)
      .limit(input.limit + 1);
    // An empty first page costs one more query, to tell "no tasks" from "no such project".
    if (rows.length === 0 && !input.cursor) await loadProject(ctx.db, ctx.userId, input.projectId);
    return toPage(rows, input.limit, toTask, spec.keyOf);
  }),

  get: protectedProcedure.input(z.object({ id: uuid }).strict()).query(({ ctx, input }) => loadTask(ctx.db, input.id)),

  create: protectedProcedure.input(serverTaskCreateInput).mutation(async ({ ctx, input }) => {
    await requireWritableProject(ctx.db, ctx.userId, input.projectId);
    const [row] = await ctx.db
      .insert(tasks)
      .values({
        projectId: input.projectId,
        creatorId: ctx.userId,
        title: input.title,
        description: input.description ?? "",
        status: input.status ?? "todo",
        priority: input.priority ?? "medium",
        tags: input.tags ?? [],
        dueDate: input.dueDate ?? null,
        position: sql`coalesce((select max(${tasks.position}) from ${tasks} where ${tasks.projectId} = ${input.projectId}), 0) + 1`,
        completedAt: input.status === "done" ? sql`now()` : null,
      })
      .returning(taskColumns);
    if (!row) throw new Error("insert returned no row");
    await audit(ctx.db, { actorId: ctx.userId, action: "task.create", entity: "task", entityId: row.id, ip: ctx.ip });
    return toTask(row);
  }),

  update: protectedProcedure.input(serverTaskUpdateInput).mutation(async ({ ctx, input }) => {
    const { id, ...patch } = input;
    if (Object.keys(patch).length === 0) return loadTask(ctx.db, id);
    const completedAt = completedAtFor(patch.status);
    const [row] = await ctx.db
      .update(tasks)
      .set({ ...patch, ...(completedAt !== undefined ? { completedAt } : {}) })
      .where(eq(tasks.id, id))
      .returning(taskColumns);
    if (!row) return explainMissedWrite(ctx.db, id);
    await audit(ctx.db, {
      actorId: ctx.userId,
      action: "task.update",
      entity: "task",
      entityId: id,
      ip: ctx.ip,
      metadata: { fields: Object.keys(patch) },
    });
    return toTask(row);
  }),

  /** Places the task right after `afterId` (null: first). Rewrites one row unless the gap is exhausted. */
  move: protectedProcedure
    .input(z.object({ id: uuid, afterId: uuid.nullable() }).strict())
    .mutation(async ({ ctx, input }) => {
      const task = await loadTask(ctx.db, input.id);
      if (input.afterId === input.id)
        throw new TRPCError({ code: "BAD_REQUEST", message: "A task cannot follow itself." });
      const inProject = eq(tasks.projectId, task.projectId);
      let before: number | null = null;
      let after: number | null;
      if (input.afterId) {
        const anchor = await loadTask(ctx.db, input.afterId);
        if (anchor.projectId !== task.projectId) {
          throw new TRPCError({ code: "BAD_REQUEST", message: "Both tasks must be in the same project." });
        }
        before = anchor.position;
        const [next] = await ctx.db
          .select({ position: tasks.position })
          .from(tasks)
          .where(
            and(
              inProject,
              sql`(${tasks.position}, ${tasks.id}) > (${anchor.position}, ${anchor.id}::uuid)`,
              sql`${tasks.id} <> ${task.id}::uuid`,
            ),
          )
          .orderBy(asc(tasks.position), asc(tasks.id))
          .limit(1);
        after = next?.position ?? null;
      } else {
        const [first] = await ctx.db
          .select({ position: tasks.position })
          .from(tasks)
          .where(and(inProject, sql`${tasks.id} <> ${task.id}::uuid`))
          .orderBy(asc(tasks.position), asc(tasks.id))
          .limit(1);
        after = first?.position ?? null;
      }
      let position =
        before === null ? (after === null ? 1 : after - 1) : after === null ? before + 1 : (before + after) / 2;
      if (before !== null && after !== null && !(position > before && position < after)) {
        // Floating-point gap exhausted: renumber the project once, then place the task.
        await ctx.db.execute(sql`update ${tasks} t set position = r.n from (
            select id, row_number() over (order by position, id) * 1024 as n from ${tasks} where project_id = ${task.projectId}
          ) r where t.id = r.id`);
        return movedTaskRenumbered(ctx.db, task, input.afterId);
      }
      if (!Number.isFinite(position)) position = 1;
      const [row] = await ctx.db.update(tasks).set({ position }).where(eq(tasks.id, task.id)).returning(taskColumns);
      if (!row) return explainMissedWrite(ctx.db, task.id);
      await audit(ctx.db, { actorId: ctx.userId, action: "task.move", entity: "task", entityId: task.id, ip: ctx.ip });
      return toTask(row);
    }),

  bulkStatus: protectedProcedure
    .input(z.object({ ids: z.array(uuid).min(1).max(500), status: z.enum(TASK_STATUSES) }).strict())
    .mutation(async ({ ctx, input }) => {
      await ctx.deps.limits.heavy(ctx, `user:${ctx.userId}`);
      const ids = [...new Set(input.ids)];
      const updated = await ctx.db
        .update(tasks)
        .set({ status: input.status, completedAt: completedAtFor(input.status) ?? null })
        .where(inArray(tasks.id, ids))
        .returning({ id: tasks.id });
      await audit(ctx.db, {
        actorId: ctx.userId,
        action: "task.bulk_status",
        entity: "task",
        ip: ctx.ip,
        metadata: { status: input.status, requested: ids.length, updated: updated.length },
      });
      return { updated: updated.length };
    }),

  delete: protectedProcedure.input(z.object({ id: uuid }).strict()).mutation(async ({ ctx, input }) => {
    const deleted = await ctx.db.delete(tasks).where(eq(tasks.id, input.id)).returning({ id: tasks.id });
    if (deleted.length === 0) return explainMissedWrite(ctx.db, input.id);
    await audit(ctx.db, { actorId: ctx.userId, action: "task.delete", entity: "task", entityId: input.id, ip: ctx.ip });
    return { ok: true as const };
  }),
});

async function movedTaskRenumbered(tx: Tx, task: Task, afterId: string | null): Promise<Task> {
  const anchor = afterId ? await loadTask(tx, afterId) : null;
  const position = anchor ? anchor.position + 512 : 0;
  const [row] = await tx.update(tasks).set({ position }).where(eq(tasks.id, task.id)).returning(taskColumns);
  if (!row) return explainMissedWrite(tx, task.id);
  return toTask(row);
}
