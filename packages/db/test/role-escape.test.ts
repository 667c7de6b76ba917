import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createDatabase, type Database, withUserContext } from "../src/context";
import { createTestDatabase, type TestDatabase } from "../src/testing";
import { expectForbidden, type Owned, userWithData } from "./fixtures";

let testDb: TestDatabase;
let db: Database;
let a: Owned;
let b: Owned;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = createDatabase(testDb.appUrl, { max: 2 });
  a = await userWithData(db, "alice");
  b = await userWithData(db, "bob");
});

afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

test("the login role cannot SET ROLE to the superuser", async () => {
  await expectForbidden(db.sql`set role postgres`.then((r) => r));
  await expectForbidden(withUserContext(db, b.user.id, (tx) => tx.execute(sql`set local role postgres`)));
});

test("the login role cannot become the table owner via set_config either", async () => {
  await expectForbidden(
    withUserContext(db, b.user.id, (tx) => tx.execute(sql`select set_config('role', 'postgres', true)`)),
  );
});

test("turning row_security off does not reveal other users' rows: the query is refused", async () => {
  const err = await withUserContext(db, b.user.id, async (tx) => {
    await tx.execute(sql`set local row_security = off`);
    return tx.execute(sql`select id from tasks where id = ${a.taskId}`);
  }).then(
    (rows) => ({ rows }),
    (e: unknown) => e as Error & { cause?: { code?: string; message?: string } },
  );
  // PostgreSQL refuses with 42501 "query would be affected by row-level security policy".
  expect("rows" in err ? `returned ${JSON.stringify(err.rows)}` : err.cause?.code).toBe("42501");
  expect("cause" in err ? err.cause?.message : "").toMatch(/row-level security/);
});

test("the login role holds no privilege of its own on the tables", async () => {
  const [row] = await db.sql<{ any: boolean }[]>`
    select bool_or(has_table_privilege(current_user, c.oid, 'SELECT,INSERT,UPDATE,DELETE')) as any
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r'`;
  expect(row?.any).toBe(false);
});
