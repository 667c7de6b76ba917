import postgres from "postgres";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createTestDatabase, type TestDatabase } from "../src/testing";

// Twin of harness.isolation-a.test.ts: both insert the same primary key at the
// same time. They only both succeed if each file really has its own database.
let db: TestDatabase;
let sql: postgres.Sql;

beforeAll(async () => {
  db = await createTestDatabase();
  sql = postgres(db.adminUrl, { max: 1, onnotice: () => {} });
});
afterAll(async () => {
  await sql.end();
  await db.drop();
});

test("a row with a fixed key inserts cleanly and is the only row in this file's database", async () => {
  await sql`create table isolation_probe (id int primary key, writer text not null)`;
  await sql`insert into isolation_probe values (1, 'b')`;
  await new Promise((r) => setTimeout(r, 200));
  const rows = await sql`select writer from isolation_probe`;
  expect(rows.map((r) => r.writer)).toEqual(["b"]);
});

test("the test database is migrated and dropped afterwards under a unique name", async () => {
  const [row] = await sql`select count(*)::int as n from schema_migrations`;
  expect(row?.n).toBeGreaterThan(0);
  expect(db.name).toMatch(/^tm_test_\d+_[0-9a-f]{10}$/);
});
