import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, expect, test } from "vitest";
import { assertLoginRoleSafe, checkRls, unwrappedContextCalls } from "../src/lint-rls";
import { createTestDatabase, type TestDatabase } from "../src/testing";
import { withCredentials } from "../src/urls";

let testDb: TestDatabase;
let admin: postgres.Sql;
let app: postgres.Sql;

beforeAll(async () => {
  testDb = await createTestDatabase();
  admin = postgres(testDb.adminUrl, { max: 1, onnotice: () => {} });
  app = postgres(testDb.appUrl, { max: 1, onnotice: () => {} });
});

afterAll(async () => {
  await app?.end();
  await admin?.end();
  await testDb?.drop();
});

test("the migrated database passes the lint, read as the login role itself", async () => {
  expect(await checkRls(app)).toEqual([]);
});

test("the API's login role passes the start-up check", async () => {
  await expect(assertLoginRoleSafe(app)).resolves.toBeUndefined();
});

test("a table created without RLS is reported by name", async () => {
  await admin`create table public.scratch_no_rls (id int primary key)`;
  try {
    const problems = await checkRls(admin);
    expect(problems).toContain("table public.scratch_no_rls: row level security is not enabled");
    expect(problems).toContain(
      "table public.scratch_no_rls: row level security is not forced (FORCE ROW LEVEL SECURITY)",
    );
  } finally {
    await admin`drop table public.scratch_no_rls`;
  }
});

test("a table with RLS that app_user may read but no policy covers is reported", async () => {
  await admin.unsafe(`create table public.scratch_no_policy (id int primary key);
    alter table public.scratch_no_policy enable row level security;
    alter table public.scratch_no_policy force row level security;
    grant select on public.scratch_no_policy to app_user;`);
  try {
    expect(await checkRls(admin)).toEqual([
      "table public.scratch_no_policy: role app_user holds SELECT but no policy applies to it",
    ]);
  } finally {
    await admin`drop table public.scratch_no_policy`;
  }
});

test("a policy calling the context function per row is reported", async () => {
  await admin.unsafe(`create table public.scratch_unwrapped (owner_id uuid);
    alter table public.scratch_unwrapped enable row level security;
    alter table public.scratch_unwrapped force row level security;
    grant select on public.scratch_unwrapped to app_user;
    create policy per_row on public.scratch_unwrapped for select to app_user using (owner_id = app.current_user_id());`);
  try {
    expect(await checkRls(admin)).toEqual([
      "policy per_row on public.scratch_unwrapped: calls current_user_id() per row; wrap it as (select app.current_user_id()) so it runs once",
    ]);
  } finally {
    await admin`drop table public.scratch_unwrapped`;
  }
});

test("unwrappedContextCalls tells wrapped from unwrapped calls in deparsed policy text", () => {
  expect(unwrappedContextCalls("(owner_id = ( SELECT app.current_user_id() AS current_user_id))")).toEqual([]);
  expect(
    unwrappedContextCalls("((lower(email) = app.current_email()) OR (id = ( SELECT app.current_user_id() AS x)))"),
  ).toEqual(["current_email()"]);
  expect(unwrappedContextCalls(null)).toEqual([]);
});

test("a login role that bypasses RLS or owns a table fails the lint and the start-up check", async () => {
  // Roles are cluster-wide: a uniquely named probe role keeps parallel test files unaffected.
  const role = `lint_probe_${randomBytes(4).toString("hex")}`;
  const password = randomBytes(12).toString("hex");
  await admin.unsafe(`create role ${role} login bypassrls password '${password}'`);
  await admin.unsafe(`create table public.${role}_owned (id int); alter table public.${role}_owned owner to ${role}`);
  const probe = postgres(withCredentials(testDb.adminUrl, role, password), { max: 1, onnotice: () => {} });
  try {
    const problems = await checkRls(admin, { loginRole: role });
    expect(problems).toContain(`login role ${role}: has BYPASSRLS`);
    expect(problems).toContain(`login role ${role}: owns relation ${role}_owned`);
    await expect(assertLoginRoleSafe(probe)).rejects.toThrow(/has BYPASSRLS[\s\S]*owns relation/);
  } finally {
    await probe.end();
    await admin.unsafe(`drop table public.${role}_owned; drop role ${role}`);
  }
});

test("a login role that can become a superuser is reported", async () => {
  const role = `lint_probe_${randomBytes(4).toString("hex")}`;
  await admin.unsafe(`create role ${role} login; grant postgres to ${role}`);
  try {
    expect(await checkRls(admin, { loginRole: role })).toContain(
      `login role ${role}: can become postgres, which has superuser, BYPASSRLS, CREATEROLE`,
    );
  } finally {
    await admin.unsafe(`drop role ${role}`);
  }
});
