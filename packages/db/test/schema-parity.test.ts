import { is, SQL } from "drizzle-orm";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import postgres from "postgres";
import { afterAll, beforeAll, expect, test } from "vitest";
import * as schema from "../src/schema";
import { createTestDatabase, type TestDatabase } from "../src/testing";

// The drizzle schema is what the API compiles against; the SQL migrations are
// what PostgreSQL runs. This file fails when the two drift apart.
let testDb: TestDatabase;
let admin: postgres.Sql;

const exported: unknown[] = Object.values(schema);
const tables = exported.filter((v): v is PgTable => is(v, PgTable));
const enums = exported.filter(
  (v): v is { enumName: string; enumValues: string[] } & ((...args: never[]) => unknown) =>
    typeof v === "function" && "enumName" in v && "enumValues" in v,
);

const indexedColumn = (c: { name: string; indexConfig?: { order?: string } }) =>
  `${c.name}${c.indexConfig?.order === "desc" ? " DESC" : ""}`;

beforeAll(async () => {
  testDb = await createTestDatabase();
  admin = postgres(testDb.adminUrl, { max: 1, onnotice: () => {} });
});

afterAll(async () => {
  await admin?.end();
  await testDb?.drop();
});

test("the migrations create exactly the drizzle tables (plus the migrator's own)", async () => {
  const rows = await admin<{ name: string }[]>`
    select tablename as name from pg_tables where schemaname = 'public' order by 1`;
  expect(rows.map((r) => r.name)).toEqual([...tables.map((t) => getTableConfig(t).name), "schema_migrations"].sort());
});

test("every enum has the same values in the same order", async () => {
  for (const e of enums) {
    const rows = await admin<{ label: string }[]>`
      select e.enumlabel as label from pg_enum e join pg_type t on t.oid = e.enumtypid
      where t.typname = ${e.enumName} order by e.enumsortorder`;
    expect(
      rows.map((r) => r.label),
      e.enumName,
    ).toEqual(e.enumValues);
  }
});

test.each(tables.map((t) => [getTableConfig(t).name, t] as const))(
  "columns of %s match: type, nullability, default",
  async (name, table) => {
    const config = getTableConfig(table);
    const rows = await admin<
      { name: string; type: string; notNull: boolean; hasDefault: boolean; generated: boolean }[]
    >`
    select a.attname as name, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as "notNull",
      (a.atthasdef and a.attgenerated = '') as "hasDefault", a.attgenerated <> '' as generated
    from pg_attribute a
    where a.attrelid = ${`public.${name}`}::regclass and a.attnum > 0 and not a.attisdropped
    order by a.attnum`;
    const expected = config.columns.map((c) => ({
      name: c.name,
      type: c.getSQLType(),
      notNull: c.notNull,
      hasDefault: c.hasDefault && !c.generated,
      generated: c.generated !== undefined,
    }));
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect([...rows].sort(byName)).toEqual([...expected].sort(byName));
  },
);

test.each(tables.map((t) => [getTableConfig(t).name, t] as const))(
  "indexes and keys of %s match",
  async (name, table) => {
    const config = getTableConfig(table);
    const expected = new Map<string, string | undefined>();
    for (const idx of config.indexes) {
      const cols = idx.config.columns.map((c) =>
        is(c, SQL) ? undefined : indexedColumn(c as { name: string; indexConfig?: { order?: string } }),
      );
      const method = idx.config.method ?? "btree";
      expected.set(
        idx.config.name as string,
        cols.includes(undefined) ? undefined : `USING ${method} (${cols.join(", ")})`,
      );
    }
    for (const pk of config.primaryKeys) {
      expected.set(pk.getName(), `USING btree (${pk.columns.map((c) => c.name).join(", ")})`);
    }
    const pkColumn = config.columns.find((c) => c.primary);
    if (pkColumn) expected.set(`${name}_pkey`, `USING btree (${pkColumn.name})`);
    for (const c of config.columns)
      if (c.isUnique && c.uniqueName) expected.set(c.uniqueName, `USING btree (${c.name})`);

    const rows = await admin<{ name: string; def: string }[]>`
    select indexname as name, indexdef as def from pg_indexes where schemaname = 'public' and tablename = ${name}`;
    expect(rows.map((r) => r.name).sort()).toEqual([...expected.keys()].sort());
    for (const r of rows) {
      const shape = expected.get(r.name);
      // pg quotes identifiers that are keywords ("position"); the shape is compared unquoted.
      if (shape) expect(r.def.replaceAll('"', ""), r.name).toContain(shape);
    }

    const fks = await admin<{ name: string; onDelete: string }[]>`
    select conname as name, case confdeltype when 'c' then 'cascade' when 'n' then 'set null'
      when 'r' then 'restrict' when 'd' then 'set default' else 'no action' end as "onDelete"
    from pg_constraint where conrelid = ${`public.${name}`}::regclass and contype = 'f' order by 1`;
    expect(fks).toEqual(
      config.foreignKeys
        .map((fk) => ({ name: fk.getName(), onDelete: fk.onDelete ?? "no action" }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    );
  },
);

test("every table has RLS enabled and forced", async () => {
  const rows = await admin<{ name: string }[]>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r' and not (c.relrowsecurity and c.relforcerowsecurity)`;
  expect(rows).toEqual([]);
});
