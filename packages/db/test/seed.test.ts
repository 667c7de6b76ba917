import argon2 from "argon2";
import postgres from "postgres";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createDatabase, withUserContext } from "../src/context";
import { projects, tasks } from "../src/schema";
import { DEMO_EMAIL, resolveDemoPassword, seedDemo, seedLarge } from "../src/seed";
import { createTestDatabase, type TestDatabase } from "../src/testing";

let testDb: TestDatabase;
let admin: postgres.Sql;

beforeAll(async () => {
  testDb = await createTestDatabase();
  admin = postgres(testDb.adminUrl, { max: 1, onnotice: () => {} });
});

afterAll(async () => {
  await admin?.end();
  await testDb?.drop();
});

test("the demo password defaults only outside production", () => {
  expect(resolveDemoPassword({ NODE_ENV: "development" })).toBe("Demo-password-1!");
  expect(resolveDemoPassword({ NODE_ENV: "production", DEMO_PASSWORD: "A-long-secret-9" })).toBe("A-long-secret-9");
  expect(() => resolveDemoPassword({ NODE_ENV: "production" })).toThrow(/production without DEMO_PASSWORD/);
  expect(() => resolveDemoPassword({ DEMO_PASSWORD: "short" })).toThrow(/at least 8/);
});

test("seedDemo creates the demo account once, with an argon2id hash and varied tasks visible to the demo user", async () => {
  const first = await seedDemo(admin, { password: "Demo-password-1!" });
  const second = await seedDemo(admin, { password: "Another-password-2!" });
  expect(first).toMatchObject({ email: DEMO_EMAIL, created: true, projects: 2, tasks: 30 });
  expect(second).toMatchObject({ userId: first.userId, created: false, projects: 2, tasks: 30 });

  const [user] = await admin<{ hash: string }[]>`select password_hash as hash from users where email = ${DEMO_EMAIL}`;
  expect(user?.hash.startsWith("$argon2id$")).toBe(true);
  // The re-run reset the password to the one it was given.
  expect(await argon2.verify(user?.hash ?? "", "Another-password-2!")).toBe(true);

  const db = createDatabase(testDb.appUrl, { max: 1 });
  try {
    const seen = await withUserContext(db, first.userId, async (tx) => ({
      projects: await tx.select().from(projects),
      tasks: await tx.select().from(tasks),
    }));
    expect(seen.projects).toHaveLength(2);
    expect(new Set(seen.tasks.map((t) => t.status))).toEqual(new Set(["todo", "in_progress", "done"]));
    expect(new Set(seen.tasks.map((t) => t.priority))).toEqual(new Set(["low", "medium", "high"]));
    expect(seen.tasks.some((t) => t.dueDate === null)).toBe(true);
    expect(seen.tasks.every((t) => (t.status === "done") === (t.completedAt !== null))).toBe(true);
  } finally {
    await db.close();
  }
});

test("seedLarge loads exact counts, gives the heavy user its share, and refuses to run twice with one prefix", async () => {
  const lines: string[] = [];
  const result = await seedLarge(admin, {
    users: 7,
    tasks: 2_003,
    heavyShare: 0.5,
    prefix: "t",
    password: "Seed-password-1!",
    log: (l) => lines.push(l),
  });
  expect(result).toMatchObject({
    users: 7,
    projects: 10 + 6 * 5,
    tasks: 2_003,
    heavyUserEmail: "t-0@seed.taskmaster.dev",
  });
  const [counts] = await admin<{ users: number; tasks: number; heavy: number; members: number }[]>`
    select (select count(*)::int from users where email like 't-%') as users,
           (select count(*)::int from tasks t join users u on u.id = t.creator_id where u.email like 't-%') as tasks,
           (select count(*)::int from tasks t join users u on u.id = t.creator_id where u.email = 't-0@seed.taskmaster.dev') as heavy,
           (select count(*)::int from project_members) as members`;
  expect(counts).toEqual({ users: 7, tasks: 2_003, heavy: 1_002, members: 7 });
  expect(lines.some((l) => l.startsWith("tasks: "))).toBe(true);
  await expect(seedLarge(admin, { users: 1, tasks: 1, prefix: "t", password: "Seed-password-1!" })).rejects.toThrow(
    /exist already/,
  );
  await expect(seedLarge(admin, { users: 0, tasks: 1, password: "x" })).rejects.toThrow(/positive integer/);
});

test("the README's `npm run db:seed -- --users N --tasks M` reaches the seed script's flags", async () => {
  const { execFile } = await import("node:child_process");
  const root = new URL("../../../", import.meta.url).pathname;
  const output = await new Promise<string>((resolve, reject) =>
    execFile(
      "npm",
      ["run", "--silent", "db:seed", "--", "--users", "2", "--tasks", "7", "--prefix", "readme"],
      { cwd: root, env: { ...process.env, DATABASE_URL: testDb.adminUrl }, timeout: 60_000 },
      (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
    ),
  );
  // Without the forwarding `--` npm took the flags as its own config and the script seeded the demo account.
  expect(output).toMatch(/seeded 2 users, \d+ projects, 7 tasks/);
  const [row] = await admin<{ n: number }[]>`select count(*)::int as n from users where email like 'readme-%'`;
  expect(row?.n).toBe(2);
}, 60_000);
