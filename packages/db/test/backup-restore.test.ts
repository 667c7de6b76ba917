import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql as dsql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { createDatabase, withUserContext } from "../src/context";
import { createTestDatabase, type TestDatabase } from "../src/testing";
import { withDatabase } from "../src/urls";

const root = path.resolve(import.meta.dirname, "../../..");
const scripts = path.join(root, "deploy/backup");

// pg_dump must be at least the server's major version; the embedded server (18)
// is newer than Debian's client (15), so locally this runs only against
// TEST_DATABASE_URL. CI always has a matching server, and there it must run.
function pgDumpMajor(): number {
  try {
    return Number(/(\d+)\./.exec(execFileSync("pg_dump", ["--version"], { encoding: "utf8" }))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

let source: TestDatabase;
let admin: postgres.Sql;
let serverMajor = 0;
const dir = mkdtempSync(path.join(tmpdir(), "tm-backup-"));
const targetName = `tm_restore_${process.pid}_${Date.now()}`;

beforeAll(async () => {
  source = await createTestDatabase();
  admin = postgres(source.adminUrl, { max: 1, onnotice: () => {} });
  serverMajor = Math.floor(Number((await admin`show server_version_num`)[0]?.server_version_num) / 10000);
});
afterAll(async () => {
  const server = postgres(inject("pgAdminUrl"), { max: 1, onnotice: () => {} });
  await server.unsafe(`drop database if exists "${targetName}" with (force)`).catch(() => {});
  await server.end();
  await admin?.end();
  await source?.drop();
  rmSync(dir, { recursive: true, force: true });
});

test("a backup restores into an empty database with data, RLS and grants intact", async (ctx) => {
  if (pgDumpMajor() < serverMajor) {
    if (process.env.CI) throw new Error(`pg_dump ${pgDumpMajor()} cannot dump PostgreSQL ${serverMajor}`);
    ctx.skip(`pg_dump ${pgDumpMajor()} is older than the server (${serverMajor}); set TEST_DATABASE_URL`);
  }
  const [ada] =
    await admin`insert into users (email, display_name, password_hash) values ('ada@example.com','Ada','x') returning id`;
  const [bob] =
    await admin`insert into users (email, display_name, password_hash) values ('bob@example.com','Bob','x') returning id`;
  const [p] = await admin`insert into projects (owner_id, name) values (${String(ada?.id)}, 'Backed up') returning id`;
  await admin`insert into tasks (project_id, creator_id, title, position)
    select ${String(p?.id)}, ${String(ada?.id)}, 'Task ' || g, g from generate_series(1, 250) g`;

  const backup = spawnSync("bash", [path.join(scripts, "backup.sh"), dir], {
    env: { ...process.env, MIGRATION_DATABASE_URL: source.adminUrl },
    encoding: "utf8",
  });
  expect(backup.stderr).toBe("");
  expect(backup.status).toBe(0);
  expect(readdirSync(dir).filter((f) => f.endsWith(".dump.sha256"))).toHaveLength(1);

  const server = postgres(inject("pgAdminUrl"), { max: 1, onnotice: () => {} });
  await server.unsafe(`create database "${targetName}"`);
  await server.end();
  const targetUrl = withDatabase(source.adminUrl, targetName);
  const restore = spawnSync("bash", [path.join(scripts, "restore.sh"), backup.stdout.trim()], {
    env: { ...process.env, TARGET_DATABASE_URL: targetUrl },
    encoding: "utf8",
  });
  expect(restore.stderr).not.toMatch(/error/i);
  expect(restore.stdout).toContain("RLS lint passed");
  expect(restore.status).toBe(0);

  // Restoring twice into the same database is refused rather than merged.
  const again = spawnSync("bash", [path.join(scripts, "restore.sh"), backup.stdout.trim()], {
    env: { ...process.env, TARGET_DATABASE_URL: targetUrl },
    encoding: "utf8",
  });
  expect(again.status).toBe(1);
  expect(again.stderr).toMatch(/not empty/);

  // Through the API's login role: Ada sees her 250 tasks, Bob sees none.
  const app = createDatabase(withDatabase(source.appUrl, targetName), { max: 1 });
  try {
    const count = (userId: string) =>
      withUserContext(app, userId, async (tx) =>
        Number((await tx.execute(dsql`select count(*) as n from tasks`))[0]?.n),
      );
    expect(await count(String(ada?.id))).toBe(250);
    expect(await count(String(bob?.id))).toBe(0);
  } finally {
    await app.close();
  }
});
