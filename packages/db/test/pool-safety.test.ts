import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createDatabase, type Database, withUserContext } from "../src/context";
import { tasks } from "../src/schema";
import { createTestDatabase, type TestDatabase } from "../src/testing";
import { expectForbidden, type Owned, userWithData } from "./fixtures";

// One connection, so every transaction reuses the same backend session.
let testDb: TestDatabase;
let db: Database;
let a: Owned;
let b: Owned;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = createDatabase(testDb.appUrl, { max: 1 });
  a = await userWithData(db, "alice");
  b = await userWithData(db, "bob");
});

afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

async function leftoverContext() {
  const [row] = await db.sql<{ role: string; userId: string | null; pid: number }[]>`
    select current_user as role, current_setting('app.user_id', true) as "userId", pg_backend_pid() as pid`;
  return row;
}

test("B's transaction after A's on the same connection sees only B's context", async () => {
  const first = await withUserContext(db, a.user.id, async (tx) => {
    const rows = await tx.select({ id: tasks.id }).from(tasks);
    const [ctx] = await tx.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
    return { ids: rows.map((r) => r.id), pid: ctx?.pid };
  });
  const second = await withUserContext(db, b.user.id, async (tx) => {
    const rows = await tx.select({ id: tasks.id }).from(tasks);
    const [ctx] = await tx.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
    return { ids: rows.map((r) => r.id), pid: ctx?.pid };
  });
  expect(first.pid).toBe(second.pid);
  expect(first.ids).toEqual([a.taskId]);
  expect(second.ids).toEqual([b.taskId]);
});

test("after a committed transaction the connection is back to the bare login role", async () => {
  await withUserContext(db, a.user.id, (tx) => tx.select().from(tasks));
  const ctx = await leftoverContext();
  expect(ctx?.role).toBe("app_api");
  expect(ctx?.userId ?? "").toBe("");
});

test("a transaction that throws is rolled back and leaves no context behind", async () => {
  await expect(
    withUserContext(db, a.user.id, async (tx) => {
      await tx.update(tasks).set({ title: "half-done" }).where(eq(tasks.id, a.taskId));
      throw new Error("resolver failed");
    }),
  ).rejects.toThrow("resolver failed");
  const ctx = await leftoverContext();
  expect(ctx?.role).toBe("app_api");
  expect(ctx?.userId ?? "").toBe("");
  await expectForbidden(db.sql`select id from tasks`.then((r) => r));
  const [task] = await withUserContext(db, a.user.id, (tx) => tx.select().from(tasks).where(eq(tasks.id, a.taskId)));
  expect(task?.title).not.toBe("half-done");
});

test("a transaction failing inside PostgreSQL leaves no context behind", async () => {
  await expectForbidden(
    withUserContext(db, a.user.id, (tx) =>
      tx.insert(tasks).values({ projectId: b.projectId, creatorId: a.user.id, title: "x", position: 1 }),
    ),
  );
  const ctx = await leftoverContext();
  expect(ctx?.role).toBe("app_api");
  expect(ctx?.userId ?? "").toBe("");
  await expectForbidden(db.sql`select id from tasks`.then((r) => r));
  const bSees = await withUserContext(db, b.user.id, (tx) => tx.select({ id: tasks.id }).from(tasks));
  expect(bSees.map((r) => r.id)).toEqual([b.taskId]);
});
