import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createDatabase, type Database, withUserContext } from "../src/context";
import { projectMembers, projects, tasks } from "../src/schema";
import { createTestDatabase, type TestDatabase } from "../src/testing";
import { expectForbidden, type Owned, signUp, userWithData } from "./fixtures";

let testDb: TestDatabase;
let db: Database;
let owner: Owned;
let viewer: { id: string; email: string };
let editor: { id: string; email: string };
let outsider: { id: string; email: string };

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = createDatabase(testDb.appUrl, { max: 4 });
  owner = await userWithData(db, "owner");
  viewer = await signUp(db, "viewer");
  editor = await signUp(db, "editor");
  outsider = await signUp(db, "outsider");
  await withUserContext(db, owner.user.id, (tx) =>
    tx.insert(projectMembers).values([
      { projectId: owner.projectId, userId: viewer.id, role: "viewer" },
      { projectId: owner.projectId, userId: editor.id, role: "editor" },
    ]),
  );
});

afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

const newTask = (creatorId: string) => ({ projectId: owner.projectId, creatorId, title: "shared work", position: 2 });

test("a viewer reads the project and its tasks but cannot create, change or delete tasks", async () => {
  const seen = await withUserContext(db, viewer.id, async (tx) => ({
    projects: await tx.select().from(projects).where(eq(projects.id, owner.projectId)),
    tasks: await tx.select().from(tasks).where(eq(tasks.projectId, owner.projectId)),
  }));
  expect(seen.projects).toHaveLength(1);
  expect(seen.tasks.map((t) => t.id)).toEqual([owner.taskId]);

  await expectForbidden(withUserContext(db, viewer.id, (tx) => tx.insert(tasks).values(newTask(viewer.id))));
  const updated = await withUserContext(db, viewer.id, (tx) =>
    tx.update(tasks).set({ status: "done" }).where(eq(tasks.id, owner.taskId)).returning(),
  );
  expect(updated).toHaveLength(0);
  const deleted = await withUserContext(db, viewer.id, (tx) =>
    tx.delete(tasks).where(eq(tasks.id, owner.taskId)).returning(),
  );
  expect(deleted).toHaveLength(0);
});

test("an editor creates, changes and deletes tasks in the shared project", async () => {
  const result = await withUserContext(db, editor.id, async (tx) => {
    const [created] = await tx.insert(tasks).values(newTask(editor.id)).returning();
    if (!created) throw new Error("no task");
    const updated = await tx.update(tasks).set({ status: "in_progress" }).where(eq(tasks.id, created.id)).returning();
    const deleted = await tx.delete(tasks).where(eq(tasks.id, created.id)).returning();
    return { updated: updated.length, deleted: deleted.length };
  });
  expect(result).toEqual({ updated: 1, deleted: 1 });
});

test("an editor cannot rename or delete the project, nor change its members", async () => {
  const renamed = await withUserContext(db, editor.id, (tx) =>
    tx.update(projects).set({ name: "mine now" }).where(eq(projects.id, owner.projectId)).returning(),
  );
  expect(renamed).toHaveLength(0);
  const deleted = await withUserContext(db, editor.id, (tx) =>
    tx.delete(projects).where(eq(projects.id, owner.projectId)).returning(),
  );
  expect(deleted).toHaveLength(0);
  await expectForbidden(
    withUserContext(db, editor.id, (tx) =>
      tx.insert(projectMembers).values({ projectId: owner.projectId, userId: outsider.id, role: "editor" }),
    ),
  );
  const promoted = await withUserContext(db, editor.id, (tx) =>
    tx.update(projectMembers).set({ role: "editor" }).where(eq(projectMembers.userId, viewer.id)).returning(),
  );
  expect(promoted).toHaveLength(0);
  const removed = await withUserContext(db, editor.id, (tx) =>
    tx.delete(projectMembers).where(eq(projectMembers.userId, viewer.id)).returning(),
  );
  expect(removed).toHaveLength(0);
});

test("members see each other's names through app.project_member_profiles; outsiders see nothing", async () => {
  const list = await withUserContext(db, viewer.id, (tx) =>
    tx.execute<{ user_id: string; email: string; role: string }>(
      sql`select user_id, email, role from app.project_member_profiles where project_id = ${owner.projectId} order by role`,
    ),
  );
  expect(list.map((r) => [r.email, r.role])).toEqual([
    [editor.email, "editor"],
    [owner.user.email, "owner"],
    [viewer.email, "viewer"],
  ]);
  const outsiderView = await withUserContext(db, outsider.id, (tx) =>
    tx.execute(sql`select * from app.project_member_profiles where project_id = ${owner.projectId}`),
  );
  expect(outsiderView).toHaveLength(0);
});

test("removing a member takes their access away at once", async () => {
  const before = await withUserContext(db, viewer.id, (tx) =>
    tx.select().from(tasks).where(eq(tasks.projectId, owner.projectId)),
  );
  expect(before).toHaveLength(1);
  const removed = await withUserContext(db, owner.user.id, (tx) =>
    tx.delete(projectMembers).where(eq(projectMembers.userId, viewer.id)).returning(),
  );
  expect(removed).toHaveLength(1);
  const after = await withUserContext(db, viewer.id, async (tx) => ({
    projects: (await tx.select().from(projects).where(eq(projects.id, owner.projectId))).length,
    tasks: (await tx.select().from(tasks).where(eq(tasks.projectId, owner.projectId))).length,
    members: (await tx.select().from(projectMembers).where(eq(projectMembers.projectId, owner.projectId))).length,
  }));
  expect(after).toEqual({ projects: 0, tasks: 0, members: 0 });
});

test("updated_at is maintained by the database on update", async () => {
  const [before] = await withUserContext(db, owner.user.id, (tx) =>
    tx.select({ updatedAt: projects.updatedAt }).from(projects).where(eq(projects.id, owner.projectId)),
  );
  const [after] = await withUserContext(db, owner.user.id, (tx) =>
    tx.update(projects).set({ color: "#000000" }).where(eq(projects.id, owner.projectId)).returning(),
  );
  expect(new Date(after?.updatedAt ?? 0).getTime()).toBeGreaterThan(new Date(before?.updatedAt ?? 0).getTime());
});
