import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { freePort, startEmbeddedPostgres } from "../embedded";
import { migrate } from "../migrate";
import { deriveLoginPassword, setLoginPassword } from "../roles";
import { API_LOGIN_ROLE, withCredentials, withDatabase } from "../urls";

export interface TestDatabase {
  name: string;
  /** Superuser/owner URL of this database: for fixtures and assertions only. */
  adminUrl: string;
  /** The API's login role (app_api) on this database: what RLS tests must use. */
  appUrl: string;
  drop: () => Promise<void>;
}

export interface TestPostgres {
  /** Superuser URL of the server (its `postgres` database). */
  adminUrl: string;
  /** Stops the embedded server; nothing for a configured one. */
  stop: () => Promise<void>;
}

/**
 * The PostgreSQL server for tests and benchmarks: TEST_DATABASE_URL (or
 * DATABASE_URL) when set, else a throw-away embedded one on a free port.
 */
export async function testPostgres(): Promise<TestPostgres> {
  const configured = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (configured) return { adminUrl: configured, stop: async () => {} };
  const server = await startEmbeddedPostgres({
    dataDir: mkdtempSync(path.join(tmpdir(), "tm-pg-")),
    port: await freePort(),
    ephemeral: true,
  });
  return { adminUrl: server.adminUrl, stop: server.stop };
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(5).toString("hex")}`;
}

async function withAdmin<T>(adminUrl: string, fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** A fresh database, migrated, to clone test databases from. Returns its name. */
export async function createTemplateDatabase(adminUrl: string): Promise<string> {
  const name = uniqueName("tm_template");
  await withAdmin(adminUrl, (sql) => sql.unsafe(`create database ${quoteIdent(name)}`));
  await withAdmin(withDatabase(adminUrl, name), async (sql) => {
    await migrate(sql);
    const password = deriveLoginPassword(adminUrl);
    if (password) await setLoginPassword(sql, password);
  });
  return name;
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withAdmin(adminUrl, (sql) => sql.unsafe(`drop database if exists ${quoteIdent(name)} with (force)`));
}

/**
 * A uniquely named database cloned from the migrated template, so test files
 * running in parallel never see each other's rows. Call `drop()` afterwards.
 */
export async function createTestDatabase(adminUrl: string, template: string): Promise<TestDatabase> {
  const name = uniqueName("tm_test");
  await withAdmin(adminUrl, async (sql) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await sql.unsafe(`create database ${quoteIdent(name)} template ${quoteIdent(template)}`);
        return;
      } catch (err) {
        // Cloning needs the template to be idle for a moment; parallel clones can briefly collide.
        if (attempt >= 20 || !/being accessed by other users/.test((err as Error).message)) throw err;
        await new Promise((r) => setTimeout(r, 25 * attempt));
      }
    }
  });
  const dbAdminUrl = withDatabase(adminUrl, name);
  return {
    name,
    adminUrl: dbAdminUrl,
    appUrl: withCredentials(dbAdminUrl, API_LOGIN_ROLE, deriveLoginPassword(adminUrl)),
    drop: () => dropDatabase(adminUrl, name),
  };
}
