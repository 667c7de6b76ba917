import { randomUUID } from "node:crypto";
import { sql as dsql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createDatabase, type Database, isSessionRevoked, withUserContext } from "../src/context";
import { createTestDatabase, type TestDatabase } from "../src/testing";

let db: TestDatabase;
let admin: postgres.Sql;
let app: Database;
let userId: string;
const family = randomUUID();

beforeAll(async () => {
  db = await createTestDatabase();
  admin = postgres(db.adminUrl, { max: 1, onnotice: () => {} });
  const [u] =
    await admin`insert into users (email, display_name, password_hash) values ('s@example.com', 'S', 'x') returning id`;
  userId = String(u?.id);
  await admin`insert into sessions (family_id, user_id, token_hash, expires_at, idle_expires_at)
    values (${family}, ${userId}, 'h1', now() + interval '1 day', now() + interval '1 hour')`;
  app = createDatabase(db.appUrl, { max: 1 });
});
afterAll(async () => {
  await app?.close();
  await admin?.end();
  await db?.drop();
});

const whoAmI = (sessionId: string) =>
  withUserContext(app, userId, async (tx) => (await tx.execute(dsql`select app.current_user_id() as id`))[0]?.id, {
    sessionId,
  });

test("a live session passes the check inside the context statement", async () => {
  expect(await whoAmI(family)).toBe(userId);
});

test("a revoked, unknown or other user's session is refused with SQLSTATE 28000 before any query runs", async () => {
  const unknown = await whoAmI(randomUUID()).catch((e: unknown) => e);
  expect(isSessionRevoked(unknown)).toBe(true);
  const otherUser = await withUserContext(app, randomUUID(), async () => "ran", { sessionId: family }).catch(
    (e: unknown) => e,
  );
  expect(isSessionRevoked(otherUser)).toBe(true);
  await admin`update sessions set revoked = true where family_id = ${family}`;
  const revoked = await whoAmI(family).catch((e: unknown) => e);
  expect(isSessionRevoked(revoked)).toBe(true);
});

test("app_user still cannot read sessions directly", async () => {
  const err = await withUserContext(app, userId, (tx) => tx.execute(dsql`select * from sessions`)).catch(
    (e: unknown) => e,
  );
  expect((err as { cause?: { code?: string } }).cause?.code ?? (err as { code?: string }).code).toBe("42501");
});
