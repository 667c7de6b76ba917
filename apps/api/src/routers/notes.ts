import { randomUUID } from "node:crypto";
import { notes } from "@taskmaster/db/schema";
import { noteCreateInput, noteUpdateInput, uuid } from "@taskmaster/security/schemas";
import { and, desc, eq, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { FieldCipher } from "../deps";
import { audit } from "../lib/audit";
import { olderThan, pageInput, toPage } from "../lib/cursor";
import { isoRequired } from "../lib/dates";
import { notFound } from "../lib/errors";
import { protectedProcedure, router } from "../trpc";

// The body is bound to its row: a ciphertext copied to another note or column fails to decrypt.
const bodyAad = (id: string) => ({ table: "notes", column: "body", rowId: id });

const summaryColumns = { id: notes.id, title: notes.title, projectId: notes.projectId, updatedAt: notes.updatedAt };
const fullColumns = { ...summaryColumns, body: notes.body, createdAt: notes.createdAt };

function toNote(
  row: { id: string; title: string; projectId: string | null; body: string; createdAt: Date; updatedAt: Date },
  cipher: FieldCipher,
) {
  return {
    id: row.id,
    title: row.title,
    projectId: row.projectId,
    body: cipher.decrypt(row.body, bodyAad(row.id)),
    createdAt: isoRequired(row.createdAt),
    updatedAt: isoRequired(row.updatedAt),
  };
}

export const notesRouter = router({
  list: protectedProcedure
    .input(
      z
        .object({
          projectId: uuid.nullish(),
          ...pageInput,
        })
        .strict()
        .optional(),
    )
    .query(async ({ ctx, input }) => {
      const limit = input?.limit ?? 50;
      // The owner predicate is the access path; the policy is the guarantee.
      const filters: (SQL | undefined)[] = [eq(notes.ownerId, ctx.userId)];
      if (input?.projectId) filters.push(eq(notes.projectId, input.projectId));
      if (input?.cursor) filters.push(olderThan(notes.updatedAt, notes.id, input.cursor));
      const rows = await ctx.db
        .select(summaryColumns)
        .from(notes)
        .where(and(...filters))
        .orderBy(desc(notes.updatedAt), desc(notes.id))
        .limit(limit + 1);
      return toPage(
        rows,
        limit,
        (r) => ({ ...r, updatedAt: isoRequired(r.updatedAt) }),
        (n) => [n.updatedAt, n.id],
      );
    }),

  get: protectedProcedure.input(z.object({ id: uuid }).strict()).query(async ({ ctx, input }) => {
    const [row] = await ctx.db.select(fullColumns).from(notes).where(eq(notes.id, input.id));
    if (!row) throw notFound("Note");
    return toNote(row, ctx.deps.cipher);
  }),

  create: protectedProcedure.input(noteCreateInput).mutation(async ({ ctx, input }) => {
    const id = randomUUID();
    const [row] = await ctx.db
      .insert(notes)
      .values({
        id,
        ownerId: ctx.userId,
        projectId: input.projectId ?? null,
        title: input.title,
        body: ctx.deps.cipher.encrypt(input.body, bodyAad(id)),
      })
      .returning(fullColumns);
    if (!row) throw new Error("insert returned no row");
    await audit(ctx.db, { actorId: ctx.userId, action: "note.create", entity: "note", entityId: id, ip: ctx.ip });
    return toNote(row, ctx.deps.cipher);
  }),

  update: protectedProcedure.input(noteUpdateInput).mutation(async ({ ctx, input }) => {
    const { id, body, ...rest } = input;
    const [row] = await ctx.db
      .update(notes)
      .set({
        ...rest,
        ...(body !== undefined ? { body: ctx.deps.cipher.encrypt(body, bodyAad(id)) } : {}),
        updatedAt: sql`now()`,
      })
      .where(eq(notes.id, id))
      .returning(fullColumns);
    if (!row) throw notFound("Note");
    await audit(ctx.db, {
      actorId: ctx.userId,
      action: "note.update",
      entity: "note",
      entityId: id,
      ip: ctx.ip,
      metadata: { fields: [...Object.keys(rest), ...(body !== undefined ? ["body"] : [])] },
    });
    return toNote(row, ctx.deps.cipher);
  }),

  delete: protectedProcedure.input(z.object({ id: uuid }).strict()).mutation(async ({ ctx, input }) => {
    const deleted = await ctx.db.delete(notes).where(eq(notes.id, input.id)).returning({ id: notes.id });
    if (deleted.length === 0) throw notFound("Note");
    await audit(ctx.db, { actorId: ctx.userId, action: "note.delete", entity: "note", entityId: input.id, ip: ctx.ip });
    return { ok: true as const };
  }),
});
