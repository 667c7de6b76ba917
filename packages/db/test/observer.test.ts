import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createDatabase, type Database, type DbObserver, withServiceContext, withUserContext } from "../src/context";
import { tasks, users } from "../src/schema";
import { createTestDatabase, type TestDatabase } from "../src/testing";
import { type Owned, userWithData } from "./fixtures";

let testDb: TestDatabase;
let setupDb: Database;
let owner: Owned;
const events: { type: "transaction" | "query"; kind?: string; text?: string; ok?: boolean }[] = [];

const recorder: DbObserver = {
  async transaction(kind, run) {
    events.push({ type: "transaction", kind });
    return run();
  },
  async query(text, run) {
    try {
      const out = await run();
      events.push({ type: "query", text, ok: true });
      return out;
    } catch (err) {
      events.push({ type: "query", text, ok: false });
      throw err;
    }
  },
};

beforeAll(async () => {
  testDb = await createTestDatabase();
  setupDb = createDatabase(testDb.appUrl, { max: 2 });
  owner = await userWithData(setupDb, "observed");
});

afterAll(async () => {
  await setupDb?.close();
  await testDb?.drop();
});

test("the observer sees each transaction and each drizzle statement as parameterised SQL without values", async () => {
  const db = createDatabase(testDb.appUrl, { max: 1, observer: recorder });
  const secretTitle = "title-that-must-not-leak-7f3a";
  try {
    events.length = 0;
    const rows = await withUserContext(db, owner.user.id, async (tx) => {
      await tx.update(tasks).set({ title: secretTitle }).where(eq(tasks.id, owner.taskId));
      return tx.select({ title: tasks.title }).from(tasks).where(eq(tasks.id, owner.taskId));
    });
    expect(rows).toEqual([{ title: secretTitle }]);
    await withServiceContext(db, { email: owner.user.email }, (tx) => tx.select({ id: users.id }).from(users));

    expect(events.map((e) => e.type)).toEqual(["transaction", "query", "query", "transaction", "query"]);
    expect(events.filter((e) => e.type === "transaction").map((e) => e.kind)).toEqual(["user", "service"]);
    const texts = events.flatMap((e) => (e.text ? [e.text] : []));
    expect(texts[0]).toMatch(/^update "tasks" set "title" = \$1/);
    expect(texts[1]).toMatch(/^select "title" from "tasks" where "tasks"\."id" = \$1/);
    for (const text of texts) {
      expect(text).not.toContain(secretTitle);
      expect(text).not.toContain(owner.taskId);
      expect(text).not.toContain(owner.user.email);
    }
  } finally {
    await db.close();
  }
});

test("a failing statement reaches the observer as a failure and the error still reaches the caller", async () => {
  const db = createDatabase(testDb.appUrl, { max: 1, observer: recorder });
  try {
    events.length = 0;
    await expect(
      withUserContext(db, owner.user.id, (tx) => tx.delete(users).where(eq(users.id, owner.user.id))),
    ).rejects.toThrow();
    expect(events).toEqual([
      { type: "transaction", kind: "user" },
      { type: "query", text: 'delete from "users" where "users"."id" = $1', ok: false },
    ]);
  } finally {
    await db.close();
  }
});

test("nested drizzle transactions become savepoints and stay observed", async () => {
  const db = createDatabase(testDb.appUrl, { max: 1, observer: recorder });
  try {
    events.length = 0;
    const title = await withUserContext(db, owner.user.id, async (tx) => {
      await tx
        .transaction(async (inner) => {
          await inner.update(tasks).set({ title: "rolled back" }).where(eq(tasks.id, owner.taskId));
          inner.rollback();
        })
        .catch(() => {});
      const [row] = await tx.select({ title: tasks.title }).from(tasks).where(eq(tasks.id, owner.taskId));
      return row?.title;
    });
    expect(title).not.toBe("rolled back");
    expect(events.filter((e) => e.type === "query").map((e) => e.text?.split(" ")[0])).toEqual(["update", "select"]);
  } finally {
    await db.close();
  }
});
