import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Sql } from "postgres";

export const migrationsDir = fileURLToPath(new URL("../migrations", import.meta.url));

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function loadMigrations(dir = migrationsDir): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

// Any constant works; it only has to be the same for every migrator of this schema.
const MIGRATION_LOCK_KEY = 7_234_511_009;

/**
 * Applies pending migrations in order, each in its own transaction, recording
 * them in `public.schema_migrations`. Concurrent migrators serialise on an
 * advisory lock; an edited, already-applied migration is refused.
 * The connection must belong to the role that should own the tables.
 */
export async function migrate(
  sql: Sql,
  options: { dir?: string; log?: (line: string) => void } = {},
): Promise<string[]> {
  const { dir = migrationsDir, log = () => {} } = options;
  const migrations = loadMigrations(dir);
  const applied: string[] = [];
  await sql.reserve().then(async (conn) => {
    try {
      await conn`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
      await conn`create table if not exists public.schema_migrations (
        name text primary key,
        checksum text not null,
        applied_at timestamptz not null default now()
      )`;
      const done = new Map(
        (await conn<{ name: string; checksum: string }[]>`select name, checksum from public.schema_migrations`).map(
          (r) => [r.name, r.checksum],
        ),
      );
      for (const m of migrations) {
        const previous = done.get(m.name);
        if (previous !== undefined) {
          if (previous !== m.checksum) {
            throw new Error(`Migration ${m.name} was changed after it was applied; add a new migration instead.`);
          }
          continue;
        }
        await conn.unsafe("begin");
        try {
          await conn.unsafe(m.sql);
          await conn`insert into public.schema_migrations (name, checksum) values (${m.name}, ${m.checksum})`;
          await conn.unsafe("commit");
        } catch (err) {
          await conn.unsafe("rollback");
          throw new Error(`Migration ${m.name} failed: ${(err as Error).message}`, { cause: err });
        }
        applied.push(m.name);
        log(`applied ${m.name}`);
      }
    } finally {
      await conn`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.catch(() => {});
      conn.release();
    }
  });
  return applied;
}
