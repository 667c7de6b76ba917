import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import {
  createDatabase,
  type Database,
  isRlsViolation,
  isUniqueViolation,
  ping,
  withServiceContext,
  withUserContext,
} from "../src/context";
import { projects, users } from "../src/schema";
import { createTestDatabase, type TestDatabase } from "../src/testing";
import { withCredentials } from "../src/urls";
import { signUp } from "./fixtures";

let testDb: TestDatabase;
let db: Database;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = createDatabase(testDb.appUrl, { max: 2 });
});

afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

test("a context with a non-uuid user id or an empty email is rejected and its transaction never runs", async () => {
  let called = false;
  await expect(
    withUserContext(db, "1' or '1'='1", async () => {
      called = true;
    }),
  ).rejects.toThrow(/userId must be a uuid/);
  await expect(withServiceContext(db, { userId: "nope" }, async () => {})).rejects.toThrow(/userId must be a uuid/);
  await expect(withServiceContext(db, { email: "" }, async () => {})).rejects.toThrow(
    /email must be a non-empty string/,
  );
  expect(called).toBe(false);
});

test("the context is set as the role and settings the policies read", async () => {
  const user = await signUp(db, "ctx");
  const [row] = await withUserContext(db, user.id, (tx) =>
    tx.execute<{ role: string; uid: string }>(sql`select current_user as role, app.current_user_id()::text as uid`),
  );
  expect(row).toEqual({ role: "app_user", uid: user.id });
  const [svc] = await withServiceContext(db, { email: "Mixed@Example.TEST", tokenHash: "abc" }, (tx) =>
    tx.execute<{ role: string; email: string; token: string; uid: string | null }>(
      sql`select current_user as role, app.current_email() as email, app.current_token_hash() as token,
        app.current_user_id() as uid`,
    ),
  );
  expect(svc).toEqual({ role: "app_service", email: "mixed@example.test", token: "abc", uid: null });
});

test("isUniqueViolation recognises a duplicate sign-up, isRlsViolation a refused write", async () => {
  const user = await signUp(db, "dup");
  const duplicate = await withServiceContext(db, { email: user.email }, (tx) =>
    tx.insert(users).values({ email: user.email.toUpperCase(), displayName: "again", passwordHash: "x" }),
  ).catch((e: unknown) => e);
  expect(isUniqueViolation(duplicate)).toBe(true);
  expect(isRlsViolation(duplicate)).toBe(false);

  const refused = await withUserContext(db, user.id, (tx) =>
    tx.insert(users).values({ email: "x@example.test", displayName: "x", passwordHash: "x" }),
  ).catch((e: unknown) => e);
  expect(isRlsViolation(refused)).toBe(true);
  expect(isUniqueViolation(refused)).toBe(false);
  expect(isRlsViolation(new Error("plain"))).toBe(false);
  expect(isRlsViolation(undefined)).toBe(false);
});

test("ping reports a live database with its latency", async () => {
  const result = await ping(db, 2_000);
  expect(result.ok).toBe(true);
  expect(result.latencyMs).toBeGreaterThan(0);
  expect(result.error).toBeUndefined();
});

test("ping reports an unreachable database as not ok with the reason, without throwing", async () => {
  const broken = createDatabase(withCredentials(testDb.appUrl, "no_such_role_for_ping"), { max: 1 });
  try {
    const result = await ping(broken, 2_000);
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/no_such_role_for_ping|authentication|does not exist/);
  } finally {
    await broken.close();
  }
});

test("ping gives up after its deadline", async () => {
  const slow = createDatabase(testDb.appUrl, { max: 1 });
  try {
    // Hold the only connection so the ping has to wait for it.
    const held = slow.sql`select pg_sleep(1)`.execute();
    const result = await ping(slow, 100);
    expect(result).toMatchObject({ ok: false, error: "database did not answer within 100 ms" });
    expect(result.latencyMs).toBeLessThan(900);
    await held;
  } finally {
    await slow.close();
  }
});

test("drizzle's parameterised statements run as prepared statements, planned once per connection", async () => {
  const user = await signUp(db, "prep");
  const db1 = createDatabase(testDb.appUrl, { max: 1 });
  try {
    for (let i = 0; i < 3; i++) {
      await withUserContext(db1, user.id, (tx) => tx.select().from(projects).where(eq(projects.ownerId, user.id)));
    }
    const statements = await withUserContext(db1, user.id, (tx) =>
      tx.execute<{ statement: string; calls: string }>(
        sql`select statement, (generic_plans + custom_plans)::text as calls from pg_prepared_statements`,
      ),
    );
    // drizzle asks for unprepared statements; unnamed ones never show up here and are planned on every call.
    const select = statements.find((s) => s.statement.includes('from "projects"'));
    expect(select, JSON.stringify(statements)).toBeDefined();
    expect(Number(select?.calls)).toBe(3);
  } finally {
    await db1.close();
  }
});
