import { randomUUID } from "node:crypto";
import { sql as drizzleSql, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createDatabase, type Database, withServiceContext, withUserContext } from "../src/context";
import { auditLog, focusSessions, notes, projectMembers, projects, sessions, tasks, users } from "../src/schema";
import { createTestDatabase, type TestDatabase } from "../src/testing";
import { expectForbidden, type Owned, signUp, userWithData } from "./fixtures";

// Everything here runs as the API's login role (app_api) through the context
// functions; the admin URL is never used.
let testDb: TestDatabase;
let db: Database;
let a: Owned;
let b: Owned;

const TABLES = ["users", "sessions", "projects", "project_members", "tasks", "notes", "focus_sessions", "audit_log"];

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = createDatabase(testDb.appUrl, { max: 4 });
  a = await userWithData(db, "alice");
  b = await userWithData(db, "bob");
  // A member row on A's project, for a third user B has nothing to do with.
  const carol = await signUp(db, "carol");
  await withUserContext(db, a.user.id, (tx) =>
    tx.insert(projectMembers).values({ projectId: a.projectId, userId: carol.id, role: "viewer" }),
  );
});

afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

const asB = <T>(fn: Parameters<typeof withUserContext<T>>[2]) => withUserContext(db, b.user.id, fn);
const asA = <T>(fn: Parameters<typeof withUserContext<T>>[2]) => withUserContext(db, a.user.id, fn);

describe("users", () => {
  test("A sees its own row, B sees none of A's", async () => {
    expect(await asA((tx) => tx.select().from(users).where(eq(users.id, a.user.id)))).toHaveLength(1);
    expect(await asB((tx) => tx.select().from(users).where(eq(users.id, a.user.id)))).toHaveLength(0);
    expect((await asB((tx) => tx.select({ id: users.id }).from(users))).map((r) => r.id)).toEqual([b.user.id]);
  });
  test("B's update of A's row changes 0 rows; delete and insert are refused", async () => {
    const updated = await asB((tx) =>
      tx.update(users).set({ displayName: "hacked" }).where(eq(users.id, a.user.id)).returning(),
    );
    expect(updated).toHaveLength(0);
    await expectForbidden(asB((tx) => tx.delete(users).where(eq(users.id, a.user.id))));
    await expectForbidden(
      asB((tx) =>
        tx.insert(users).values({ id: randomUUID(), email: "x@example.test", displayName: "x", passwordHash: "x" }),
      ),
    );
  });
  test("a user cannot change their own email (column not granted)", async () => {
    await expectForbidden(
      asA((tx) => tx.update(users).set({ email: "other@example.test" }).where(eq(users.id, a.user.id))),
    );
  });
  test("the service cannot sign up an email other than the one in its context", async () => {
    await expectForbidden(
      withServiceContext(db, { email: "mallory@example.test" }, (tx) =>
        tx.insert(users).values({ email: "victim@example.test", displayName: "v", passwordHash: "x" }),
      ),
    );
  });
  test("the service finds a user by email case-insensitively, and only that user", async () => {
    const rows = await withServiceContext(db, { email: a.user.email.toUpperCase() }, (tx) =>
      tx.select({ id: users.id }).from(users),
    );
    expect(rows.map((r) => r.id)).toEqual([a.user.id]);
  });
});

describe("sessions", () => {
  test("app_user has no access to sessions at all, not even its own", async () => {
    await expectForbidden(asA((tx) => tx.select().from(sessions)));
  });
  test("the service in B's context sees B's sessions only", async () => {
    const asServiceB = await withServiceContext(db, { userId: b.user.id }, (tx) => tx.select().from(sessions));
    expect(asServiceB.map((s) => s.id)).toEqual([b.sessionId]);
  });
  test("in B's context, updating A's session changes 0 rows; deleting or inserting one for A is refused", async () => {
    const updated = await withServiceContext(db, { userId: b.user.id }, (tx) =>
      tx.update(sessions).set({ revoked: true }).where(eq(sessions.id, a.sessionId)).returning(),
    );
    expect(updated).toHaveLength(0);
    await expectForbidden(
      withServiceContext(db, { userId: b.user.id }, (tx) => tx.delete(sessions).where(eq(sessions.id, a.sessionId))),
    );
    await expectForbidden(
      withServiceContext(db, { userId: b.user.id }, (tx) =>
        tx.insert(sessions).values({
          familyId: randomUUID(),
          userId: a.user.id,
          tokenHash: "forged",
          expiresAt: new Date(),
          idleExpiresAt: new Date(),
        }),
      ),
    );
  });
  test("a presented token hash reaches exactly its own session", async () => {
    const rows = await withServiceContext(db, { tokenHash: a.tokenHash }, (tx) => tx.select().from(sessions));
    expect(rows.map((s) => s.id)).toEqual([a.sessionId]);
  });
});

describe("projects", () => {
  test("B reads, updates and deletes none of A's projects", async () => {
    expect(await asA((tx) => tx.select().from(projects).where(eq(projects.id, a.projectId)))).toHaveLength(1);
    expect(await asB((tx) => tx.select().from(projects).where(eq(projects.id, a.projectId)))).toHaveLength(0);
    expect(
      await asB((tx) => tx.update(projects).set({ name: "x" }).where(eq(projects.id, a.projectId)).returning()),
    ).toHaveLength(0);
    expect(await asB((tx) => tx.delete(projects).where(eq(projects.id, a.projectId)).returning())).toHaveLength(0);
  });
  test("B cannot create a project owned by A", async () => {
    await expectForbidden(asB((tx) => tx.insert(projects).values({ ownerId: a.user.id, name: "planted" })));
  });
});

describe("project_members", () => {
  test("B sees none of A's project's members and cannot change them", async () => {
    expect(
      await asA((tx) => tx.select().from(projectMembers).where(eq(projectMembers.projectId, a.projectId))),
    ).toHaveLength(1);
    expect(
      await asB((tx) => tx.select().from(projectMembers).where(eq(projectMembers.projectId, a.projectId))),
    ).toHaveLength(0);
    expect(
      await asB((tx) =>
        tx.update(projectMembers).set({ role: "editor" }).where(eq(projectMembers.projectId, a.projectId)).returning(),
      ),
    ).toHaveLength(0);
    expect(
      await asB((tx) => tx.delete(projectMembers).where(eq(projectMembers.projectId, a.projectId)).returning()),
    ).toHaveLength(0);
  });
  test("B cannot add itself to A's project", async () => {
    await expectForbidden(
      asB((tx) => tx.insert(projectMembers).values({ projectId: a.projectId, userId: b.user.id, role: "editor" })),
    );
  });
});

describe("tasks", () => {
  test("B reads, updates and deletes none of A's tasks", async () => {
    expect(await asA((tx) => tx.select().from(tasks).where(eq(tasks.id, a.taskId)))).toHaveLength(1);
    expect(await asB((tx) => tx.select().from(tasks).where(eq(tasks.id, a.taskId)))).toHaveLength(0);
    expect(
      await asB((tx) => tx.update(tasks).set({ title: "x" }).where(eq(tasks.id, a.taskId)).returning()),
    ).toHaveLength(0);
    expect(await asB((tx) => tx.delete(tasks).where(eq(tasks.id, a.taskId)).returning())).toHaveLength(0);
  });
  test("B cannot insert into A's project, nor write a task as A into its own", async () => {
    await expectForbidden(
      asB((tx) => tx.insert(tasks).values({ projectId: a.projectId, creatorId: b.user.id, title: "x", position: 1 })),
    );
    await expectForbidden(
      asB((tx) => tx.insert(tasks).values({ projectId: b.projectId, creatorId: a.user.id, title: "x", position: 1 })),
    );
  });
  test("B cannot move its own task into A's project", async () => {
    await expectForbidden(asB((tx) => tx.update(tasks).set({ projectId: a.projectId }).where(eq(tasks.id, b.taskId))));
  });
});

describe("notes", () => {
  test("B reads, updates and deletes none of A's notes", async () => {
    expect(await asA((tx) => tx.select().from(notes).where(eq(notes.id, a.noteId)))).toHaveLength(1);
    expect(await asB((tx) => tx.select().from(notes).where(eq(notes.id, a.noteId)))).toHaveLength(0);
    expect(
      await asB((tx) => tx.update(notes).set({ title: "x" }).where(eq(notes.id, a.noteId)).returning()),
    ).toHaveLength(0);
    expect(await asB((tx) => tx.delete(notes).where(eq(notes.id, a.noteId)).returning())).toHaveLength(0);
  });
  test("B cannot write a note owned by A, nor attach its note to A's project", async () => {
    await expectForbidden(asB((tx) => tx.insert(notes).values({ ownerId: a.user.id, title: "x", body: "x" })));
    await expectForbidden(
      asB((tx) => tx.insert(notes).values({ ownerId: b.user.id, projectId: a.projectId, title: "x", body: "x" })),
    );
  });
});

describe("focus_sessions", () => {
  test("B reads, updates and deletes none of A's focus sessions", async () => {
    expect(await asA((tx) => tx.select().from(focusSessions).where(eq(focusSessions.id, a.focusId)))).toHaveLength(1);
    expect(await asB((tx) => tx.select().from(focusSessions).where(eq(focusSessions.id, a.focusId)))).toHaveLength(0);
    expect(
      await asB((tx) =>
        tx.update(focusSessions).set({ state: "cancelled" }).where(eq(focusSessions.id, a.focusId)).returning(),
      ),
    ).toHaveLength(0);
    expect(await asB((tx) => tx.delete(focusSessions).where(eq(focusSessions.id, a.focusId)).returning())).toHaveLength(
      0,
    );
  });
  test("B cannot start a focus session as A, nor on A's task", async () => {
    await expectForbidden(asB((tx) => tx.insert(focusSessions).values({ ownerId: a.user.id, plannedMinutes: 25 })));
    await expectForbidden(
      asB((tx) => tx.insert(focusSessions).values({ ownerId: b.user.id, taskId: a.taskId, plannedMinutes: 25 })),
    );
  });
});

describe("audit_log", () => {
  test("B reads none of A's entries", async () => {
    expect(await asA((tx) => tx.select().from(auditLog).where(eq(auditLog.id, a.auditId)))).toHaveLength(1);
    expect(await asB((tx) => tx.select().from(auditLog).where(eq(auditLog.id, a.auditId)))).toHaveLength(0);
  });
  test("entries cannot be updated or deleted, not even one's own", async () => {
    await expectForbidden(asA((tx) => tx.update(auditLog).set({ action: "x" }).where(eq(auditLog.id, a.auditId))));
    await expectForbidden(asA((tx) => tx.delete(auditLog).where(eq(auditLog.id, a.auditId))));
  });
  test("B cannot write entries in A's name; the service can log an anonymous failure", async () => {
    await expectForbidden(asB((tx) => tx.insert(auditLog).values({ actorId: a.user.id, action: "x", entity: "x" })));
    await expectForbidden(
      withServiceContext(db, { userId: b.user.id }, (tx) =>
        tx.insert(auditLog).values({ actorId: a.user.id, action: "x", entity: "x" }),
      ),
    );
    await withServiceContext(db, { email: "nobody@example.test" }, (tx) =>
      tx.insert(auditLog).values({ actorId: null, action: "auth.sign_in_failed", entity: "user" }),
    );
  });
});

describe("without a user context", () => {
  test("as app_user with no user id, every table reads empty", async () => {
    const counts = await db.sql.begin(async (sql) => {
      await sql`select set_config('role', 'app_user', true)`;
      const out: Record<string, number> = {};
      for (const table of TABLES.filter((t) => t !== "sessions")) {
        const [row] = await sql.unsafe(`select count(*)::int as n from ${table}`);
        out[table] = row?.n as number;
      }
      return out;
    });
    expect(counts).toEqual({
      users: 0,
      projects: 0,
      project_members: 0,
      tasks: 0,
      notes: 0,
      focus_sessions: 0,
      audit_log: 0,
    });
  });
  test("as app_service with an empty context, users and sessions read empty", async () => {
    const counts = await withServiceContext(db, {}, async (tx) => ({
      users: (await tx.select().from(users)).length,
      sessions: (await tx.select().from(sessions)).length,
    }));
    expect(counts).toEqual({ users: 0, sessions: 0 });
  });
  test("the bare login role is refused on every table", async () => {
    for (const table of TABLES) {
      await expectForbidden(db.sql.unsafe(`select count(*) from ${table}`).then((r) => r));
    }
  });
  test("the views app_user can read also return nothing without a user", async () => {
    const rows = await db.sql.begin(async (sql) => {
      await sql`select set_config('role', 'app_user', true)`;
      return sql`select * from app.project_member_profiles`;
    });
    expect(rows).toHaveLength(0);
    // and with A's context the view shows A's project (sanity check that it can return rows)
    const own = await asA((tx) => tx.execute(drizzleSql`select user_id from app.project_member_profiles`));
    expect(own.length).toBeGreaterThan(0);
  });
});
