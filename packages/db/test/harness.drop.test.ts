import postgres from "postgres";
import { expect, inject, test } from "vitest";
import { createTestDatabase } from "../src/testing";

test("drop() removes the database from the server", async () => {
  const db = await createTestDatabase();
  const admin = postgres(inject("pgAdminUrl"), { max: 1, onnotice: () => {} });
  try {
    const before = await admin`select 1 from pg_database where datname = ${db.name}`;
    expect(before.length).toBe(1);
    await db.drop();
    const after = await admin`select 1 from pg_database where datname = ${db.name}`;
    expect(after.length).toBe(0);
  } finally {
    await admin.end();
  }
});

test("the app URL logs in as the non-superuser login role", async () => {
  const db = await createTestDatabase();
  const app = postgres(db.appUrl, { max: 1, onnotice: () => {} });
  try {
    const [me] = await app`select current_user as name, r.rolsuper, r.rolbypassrls
      from pg_roles r where r.rolname = current_user`;
    expect(me).toEqual({ name: "app_api", rolsuper: false, rolbypassrls: false });
  } finally {
    await app.end();
    await db.drop();
  }
});
