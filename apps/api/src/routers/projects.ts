import { type Tx, withUserContext } from "@taskmaster/db";
import { projectMembers, projects, users } from "@taskmaster/db/schema";
import { memberAddInput, projectCreateInput, projectUpdateInput, uuid } from "@taskmaster/security/schemas";
import { TRPCError } from "@trpc/server";
import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { audit } from "../lib/audit";
import { isoRequired } from "../lib/dates";
import { forbidden, notFound } from "../lib/errors";
import { authedProcedure, protectedProcedure, router, serviceTransaction } from "../trpc";

export type ProjectRole = "owner" | "editor" | "viewer";

// Written as plain SQL with explicit aliases: inside a select list drizzle renders columns
// unqualified, and an unqualified "id" in a correlated subquery binds to the inner table.
const memberRoleOf = (userId: string) =>
  sql<"editor" | "viewer" | null>`(select m.role from project_members m
    where m.project_id = "projects"."id" and m.user_id = ${userId})`;

const taskCountsOf = sql<{ todo: number; in_progress: number; done: number }>`(
  select json_build_object(
    'todo', count(*) filter (where t.status = 'todo'),
    'in_progress', count(*) filter (where t.status = 'in_progress'),
    'done', count(*) filter (where t.status = 'done'))
  from tasks t where t.project_id = "projects"."id")`;

function projectColumns(userId: string) {
  return {
    id: projects.id,
    name: projects.name,
    color: projects.color,
    archived: projects.archived,
    ownerId: projects.ownerId,
    createdAt: projects.createdAt,
    updatedAt: projects.updatedAt,
    memberRole: memberRoleOf(userId),
    taskCounts: taskCountsOf,
  };
}

type ProjectRow = {
  id: string;
  name: string;
  color: string;
  archived: boolean;
  ownerId: string;
  createdAt: Date;
  updatedAt: Date;
  memberRole: "editor" | "viewer" | null;
  taskCounts: { todo: number; in_progress: number; done: number } | null;
};

function toProject(row: ProjectRow, userId: string) {
  const role: ProjectRole = row.ownerId === userId ? "owner" : (row.memberRole ?? "viewer");
  return {
    id: row.id,
    name: row.name,
    color: row.color,
    archived: row.archived,
    ownerId: row.ownerId,
    role,
    createdAt: isoRequired(row.createdAt),
    updatedAt: isoRequired(row.updatedAt),
    taskCounts: row.taskCounts ?? { todo: 0, in_progress: 0, done: 0 },
  };
}

export async function loadProject(tx: Tx, userId: string, id: string) {
  const [row] = await tx.select(projectColumns(userId)).from(projects).where(eq(projects.id, id));
  if (!row) throw notFound("Project");
  return toProject(row, userId);
}

/** Runs an owner-only change; a member gets FORBIDDEN, anyone else NOT_FOUND (RLS hides the row). */
async function requireOwner(tx: Tx, userId: string, projectId: string) {
  const project = await loadProject(tx, userId, projectId);
  if (project.role !== "owner") throw forbidden("Only the project owner can do this.");
  return project;
}

const membersRouter = router({
  list: protectedProcedure.input(z.object({ projectId: uuid }).strict()).query(async ({ ctx, input }) => {
    const rows = await ctx.db.execute<{ user_id: string; email: string; display_name: string; role: ProjectRole }>(
      sql`select user_id, email, display_name, role from app.project_member_profiles
          where project_id = ${input.projectId} order by (role = 'owner') desc, display_name, user_id`,
    );
    if (rows.length === 0) throw notFound("Project");
    return rows.map((r) => ({ userId: r.user_id, email: r.email, displayName: r.display_name, role: r.role }));
  }),

  // Not a protectedProcedure: the email lookup is a service transaction, and nesting it inside
  // the user's open transaction would hold two pooled connections at once (pool starvation).
  add: authedProcedure.input(memberAddInput).mutation(async ({ ctx, input }) => {
    const userId = ctx.auth.userId;
    // Users are invisible to each other under RLS; finding one by email is a service operation.
    const target = await serviceTransaction(ctx.deps.db, { email: input.email }, async (tx) => {
      const [u] = await tx
        .select({ id: users.id, email: users.email, displayName: users.displayName })
        .from(users)
        .where(sql`lower(${users.email}) = ${input.email}`);
      return u;
    });
    return withUserContext(
      ctx.deps.db,
      userId,
      async (tx) => {
        const project = await requireOwner(tx, userId, input.projectId);
        if (!target) throw notFound("No account with that email");
        if (target.id === project.ownerId) {
          throw new TRPCError({ code: "BAD_REQUEST", message: "The owner is already part of the project." });
        }
        await tx
          .insert(projectMembers)
          .values({ projectId: input.projectId, userId: target.id, role: input.role })
          .onConflictDoUpdate({ target: [projectMembers.projectId, projectMembers.userId], set: { role: input.role } });
        await audit(tx, {
          actorId: userId,
          action: "project.member_add",
          entity: "project",
          entityId: input.projectId,
          ip: ctx.ip,
          metadata: { memberId: target.id, role: input.role },
        });
        return { userId: target.id, email: target.email, displayName: target.displayName, role: input.role };
      },
      { sessionId: ctx.auth.sessionId },
    );
  }),

  remove: protectedProcedure
    .input(z.object({ projectId: uuid, userId: uuid }).strict())
    .mutation(async ({ ctx, input }) => {
      // A member may leave on their own; removing others is the owner's call.
      if (input.userId !== ctx.userId) await requireOwner(ctx.db, ctx.userId, input.projectId);
      const removed = await ctx.db
        .delete(projectMembers)
        .where(and(eq(projectMembers.projectId, input.projectId), eq(projectMembers.userId, input.userId)))
        .returning({ userId: projectMembers.userId });
      if (removed.length === 0) throw notFound("Member");
      await audit(ctx.db, {
        actorId: ctx.userId,
        action: "project.member_remove",
        entity: "project",
        entityId: input.projectId,
        ip: ctx.ip,
        metadata: { memberId: input.userId },
      });
      return { ok: true as const };
    }),
});

export const projectsRouter = router({
  list: protectedProcedure
    .input(z.object({ includeArchived: z.boolean().optional() }).strict().optional())
    .query(async ({ ctx, input }) => {
      const rows = await ctx.db
        .select(projectColumns(ctx.userId))
        .from(projects)
        .where(input?.includeArchived ? undefined : eq(projects.archived, false))
        .orderBy(asc(projects.archived), asc(projects.name), asc(projects.id))
        .limit(500);
      return rows.map((r) => toProject(r, ctx.userId));
    }),

  get: protectedProcedure
    .input(z.object({ id: uuid }).strict())
    .query(({ ctx, input }) => loadProject(ctx.db, ctx.userId, input.id)),

  create: protectedProcedure.input(projectCreateInput).mutation(async ({ ctx, input }) => {
    const [row] = await ctx.db
      .insert(projects)
      .values({ ownerId: ctx.userId, name: input.name, ...(input.color ? { color: input.color } : {}) })
      .returning({ id: projects.id });
    if (!row) throw new Error("insert returned no row");
    await audit(ctx.db, {
      actorId: ctx.userId,
      action: "project.create",
      entity: "project",
      entityId: row.id,
      ip: ctx.ip,
    });
    return loadProject(ctx.db, ctx.userId, row.id);
  }),

  update: protectedProcedure.input(projectUpdateInput).mutation(async ({ ctx, input }) => {
    await requireOwner(ctx.db, ctx.userId, input.id);
    const { id, ...patch } = input;
    if (Object.keys(patch).length > 0) {
      await ctx.db.update(projects).set(patch).where(eq(projects.id, id));
      await audit(ctx.db, {
        actorId: ctx.userId,
        action: "project.update",
        entity: "project",
        entityId: id,
        ip: ctx.ip,
        metadata: { fields: Object.keys(patch) },
      });
    }
    return loadProject(ctx.db, ctx.userId, id);
  }),

  archive: protectedProcedure
    .input(z.object({ id: uuid, archived: z.boolean() }).strict())
    .mutation(async ({ ctx, input }) => {
      await requireOwner(ctx.db, ctx.userId, input.id);
      await ctx.db.update(projects).set({ archived: input.archived }).where(eq(projects.id, input.id));
      await audit(ctx.db, {
        actorId: ctx.userId,
        action: input.archived ? "project.archive" : "project.unarchive",
        entity: "project",
        entityId: input.id,
        ip: ctx.ip,
      });
      return loadProject(ctx.db, ctx.userId, input.id);
    }),

  delete: protectedProcedure.input(z.object({ id: uuid }).strict()).mutation(async ({ ctx, input }) => {
    await requireOwner(ctx.db, ctx.userId, input.id);
    await ctx.db.delete(projects).where(eq(projects.id, input.id));
    await audit(ctx.db, {
      actorId: ctx.userId,
      action: "project.delete",
      entity: "project",
      entityId: input.id,
      ip: ctx.ip,
    });
    return { ok: true as const };
  }),

  members: membersRouter,
});
