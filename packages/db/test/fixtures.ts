import { randomBytes, randomUUID } from "node:crypto";
import { expect } from "vitest";
import { type Database, isRlsViolation, withServiceContext, withUserContext } from "../src/context";
import { auditLog, focusSessions, notes, projects, sessions, tasks, users } from "../src/schema";

/** Signs a user up the way the API does: app_service with the email in the context. */
export async function signUp(db: Database, name: string): Promise<{ id: string; email: string }> {
  const email = `${name}-${randomBytes(4).toString("hex")}@example.test`;
  const [row] = await withServiceContext(db, { email }, (tx) =>
    tx
      .insert(users)
      .values({ email, displayName: name, passwordHash: "argon2-hash-placeholder" })
      .returning({ id: users.id }),
  );
  if (!row) throw new Error("sign-up returned no row");
  return { id: row.id, email };
}

export interface Owned {
  user: { id: string; email: string };
  projectId: string;
  taskId: string;
  noteId: string;
  focusId: string;
  auditId: string;
  sessionId: string;
  tokenHash: string;
}

/** A user owning one row in every table, each created through the app roles. */
export async function userWithData(db: Database, name: string): Promise<Owned> {
  const user = await signUp(db, name);
  const tokenHash = randomBytes(32).toString("hex");
  const [session] = await withServiceContext(db, { userId: user.id }, (tx) =>
    tx
      .insert(sessions)
      .values({
        familyId: randomUUID(),
        userId: user.id,
        tokenHash,
        expiresAt: new Date(Date.now() + 86_400_000),
        idleExpiresAt: new Date(Date.now() + 3_600_000),
      })
      .returning({ id: sessions.id }),
  );
  const owned = await withUserContext(db, user.id, async (tx) => {
    const [project] = await tx
      .insert(projects)
      .values({ ownerId: user.id, name: `${name}'s project` })
      .returning();
    if (!project) throw new Error("no project");
    const [task] = await tx
      .insert(tasks)
      .values({ projectId: project.id, creatorId: user.id, title: `${name}'s task`, position: 1 })
      .returning();
    const [note] = await tx
      .insert(notes)
      .values({ ownerId: user.id, projectId: project.id, title: "note", body: "ciphertext" })
      .returning();
    const [focus] = await tx
      .insert(focusSessions)
      .values({ ownerId: user.id, taskId: task?.id, plannedMinutes: 25 })
      .returning();
    const [audit] = await tx
      .insert(auditLog)
      .values({ actorId: user.id, action: "project.create", entity: "project", entityId: project.id })
      .returning();
    return { projectId: project.id, taskId: task?.id, noteId: note?.id, focusId: focus?.id, auditId: audit?.id };
  });
  if (!session || !owned.taskId || !owned.noteId || !owned.focusId || !owned.auditId) throw new Error("fixture failed");
  return {
    user,
    tokenHash,
    sessionId: session.id,
    projectId: owned.projectId,
    taskId: owned.taskId,
    noteId: owned.noteId,
    focusId: owned.focusId,
    auditId: owned.auditId,
  };
}

/** Asserts the promise fails with SQLSTATE 42501 (policy or privilege refusal). */
export async function expectForbidden(promise: Promise<unknown>): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, "expected a 42501 refusal, but the statement succeeded").toBeDefined();
  expect(isRlsViolation(err), `expected SQLSTATE 42501, got: ${(err as Error).message}`).toBe(true);
}
