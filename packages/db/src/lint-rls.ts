import type { Sql } from "postgres";
import { API_LOGIN_ROLE } from "./urls";

export interface CheckRlsOptions {
  /** The role the API logs in as (default app_api). */
  loginRole?: string;
  /** Roles the API switches to per transaction (default app_user, app_service). */
  appRoles?: string[];
}

// The per-request context functions. A policy must call them as a scalar
// subquery, `(select app.current_user_id())`, or PostgreSQL evaluates them for
// every row instead of once per statement.
const CONTEXT_FUNCTION = /(?:\bapp\.)?\b(current_user_id|current_email|current_token_hash)\(\)/g;
// How pg_get_expr prints the wrapped form: `( SELECT app.current_user_id() AS current_user_id)`.
const WRAPPED_PREFIX = /\(\s*SELECT\s+$/i;

/** The context-function calls in a policy expression that are not wrapped in `(select ...)`. */
export function unwrappedContextCalls(expression: string | null): string[] {
  if (!expression) return [];
  const found: string[] = [];
  for (const match of expression.matchAll(CONTEXT_FUNCTION)) {
    const before = expression.slice(0, match.index);
    if (!WRAPPED_PREFIX.test(before)) found.push(`${match[1]}()`);
  }
  return found;
}

const SYSTEM_SCHEMAS = ["pg_catalog", "information_schema", "pg_toast"];

/**
 * Checks the connected database's catalog for RLS gaps and returns one line per
 * problem (empty: all good). Rules:
 * - every table outside the system schemas has RLS enabled AND forced;
 * - every app role holding a privilege on a table has a policy that applies to
 *   it; so a table without policies is fine only when no app role can touch it
 *   at all (deliberately unreachable, like schema_migrations);
 * - the login role holds no table privilege itself (it only switches roles);
 * - policies call the context functions only as scalar subqueries;
 * - SECURITY DEFINER functions pin search_path and belong to a role that bypasses RLS;
 * - the login role is not superuser/BYPASSRLS/CREATEROLE, cannot become a role
 *   that is, owns no object, and holds no table privilege of its own.
 */
export async function checkRls(sql: Sql, options: CheckRlsOptions = {}): Promise<string[]> {
  const loginRole = options.loginRole ?? API_LOGIN_ROLE;
  const appRoles = options.appRoles ?? ["app_user", "app_service"];
  const problems: string[] = [];

  const tables = await sql<{ name: string; enabled: boolean; forced: boolean }[]>`
    select format('%I.%I', n.nspname, c.relname) as name, c.relrowsecurity as enabled, c.relforcerowsecurity as forced
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p') and n.nspname <> all(${SYSTEM_SCHEMAS}) and n.nspname not like 'pg_temp%'
    order by 1`;
  for (const t of tables) {
    if (!t.enabled) problems.push(`table ${t.name}: row level security is not enabled`);
    if (!t.forced) problems.push(`table ${t.name}: row level security is not forced (FORCE ROW LEVEL SECURITY)`);
  }

  // Which roles hold which privilege on which table, and whether a policy applies to them.
  const access = await sql<{ table: string; role: string; privileges: string[]; policies: number }[]>`
    select format('%I.%I', n.nspname, c.relname) as table, r.rolname as role,
      array(select p from unnest(array['SELECT','INSERT','UPDATE','DELETE','TRUNCATE','REFERENCES','TRIGGER']) p
            where has_table_privilege(r.oid, c.oid, p)
               or (p in ('SELECT','INSERT','UPDATE','REFERENCES') and has_any_column_privilege(r.oid, c.oid, p))) as privileges,
      (select count(*)::int from pg_policy pol
        where pol.polrelid = c.oid and (0 = any(pol.polroles) or r.oid = any(pol.polroles))) as policies
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    cross join pg_roles r
    where c.relkind in ('r', 'p') and n.nspname <> all(${SYSTEM_SCHEMAS}) and n.nspname not like 'pg_temp%'
      and r.rolname = any(${[...appRoles, loginRole]})
    order by 1, 2`;
  for (const a of access) {
    if (a.privileges.length === 0) continue;
    if (a.role === loginRole) {
      problems.push(`table ${a.table}: login role ${loginRole} holds ${a.privileges.join(", ")} directly`);
    } else if (a.policies === 0) {
      problems.push(`table ${a.table}: role ${a.role} holds ${a.privileges.join(", ")} but no policy applies to it`);
    }
  }
  const policies = await sql<{ table: string; policy: string; qual: string | null; withCheck: string | null }[]>`
    select format('%I.%I', schemaname, tablename) as table, policyname as policy, qual, with_check as "withCheck"
    from pg_policies order by 1, 2`;
  for (const p of policies) {
    const calls = [...unwrappedContextCalls(p.qual), ...unwrappedContextCalls(p.withCheck)];
    for (const call of new Set(calls)) {
      problems.push(
        `policy ${p.policy} on ${p.table}: calls ${call} per row; wrap it as (select app.${call}) so it runs once`,
      );
    }
  }

  const definers = await sql<{ fn: string; owner: string; pinned: boolean; bypasses: boolean }[]>`
    select p.oid::regprocedure::text as fn, r.rolname as owner,
      coalesce(exists (select 1 from unnest(p.proconfig) c where c like 'search_path=%'), false) as pinned,
      (r.rolsuper or r.rolbypassrls) as bypasses
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace join pg_roles r on r.oid = p.proowner
    where p.prosecdef and n.nspname <> all(${SYSTEM_SCHEMAS})
    order by 1`;
  for (const d of definers) {
    if (!d.pinned) problems.push(`function ${d.fn}: SECURITY DEFINER without a fixed search_path`);
    if (!d.bypasses) {
      problems.push(
        `function ${d.fn}: SECURITY DEFINER owned by ${d.owner}, which does not bypass RLS (policies would recurse)`,
      );
    }
  }

  problems.push(...(await loginRoleProblems(sql, loginRole)));
  return problems;
}

async function loginRoleProblems(sql: Sql, role: string): Promise<string[]> {
  const problems: string[] = [];
  const [r] = await sql<{ rolsuper: boolean; rolbypassrls: boolean; rolcreaterole: boolean; oid: number }[]>`
    select oid::int, rolsuper, rolbypassrls, rolcreaterole from pg_roles where rolname = ${role}`;
  if (!r) return [`login role ${role}: does not exist`];
  if (r.rolsuper) problems.push(`login role ${role}: is a superuser`);
  if (r.rolbypassrls) problems.push(`login role ${role}: has BYPASSRLS`);
  if (r.rolcreaterole) problems.push(`login role ${role}: has CREATEROLE`);

  // Every role it can SET ROLE to, transitively: none may be privileged.
  const reachable = await sql<{ rolname: string; rolsuper: boolean; rolbypassrls: boolean; rolcreaterole: boolean }[]>`
    with recursive reach(oid) as (
      select roleid from pg_auth_members where member = ${r.oid}
      union
      select m.roleid from pg_auth_members m join reach on m.member = reach.oid
    )
    select g.rolname, g.rolsuper, g.rolbypassrls, g.rolcreaterole from reach join pg_roles g on g.oid = reach.oid`;
  for (const g of reachable) {
    const flags = [g.rolsuper && "superuser", g.rolbypassrls && "BYPASSRLS", g.rolcreaterole && "CREATEROLE"].filter(
      Boolean,
    );
    if (flags.length > 0) problems.push(`login role ${role}: can become ${g.rolname}, which has ${flags.join(", ")}`);
  }

  const owned = await sql<{ kind: string; name: string }[]>`
    select 'relation' as kind, c.oid::regclass::text as name from pg_class c where c.relowner = ${r.oid}
    union all
    select 'function', p.oid::regprocedure::text from pg_proc p where p.proowner = ${r.oid}
    union all
    select 'schema', n.nspname::text from pg_namespace n where n.nspowner = ${r.oid}
    union all
    select 'type', t.oid::regtype::text from pg_type t
      where t.typowner = ${r.oid} and t.typrelid = 0 and t.typelem = 0
    order by 1, 2`;
  for (const o of owned) problems.push(`login role ${role}: owns ${o.kind} ${o.name}`);
  return problems;
}

/**
 * For the API at start-up: throws, naming every problem, when the role this
 * connection logged in as could get around RLS (superuser, BYPASSRLS,
 * CREATEROLE, a privileged role it can become, or owning objects).
 */
export async function assertLoginRoleSafe(sql: Sql): Promise<void> {
  const [me] = await sql<{ role: string }[]>`select session_user as role`;
  if (!me) throw new Error("could not determine the database login role");
  const problems = await loginRoleProblems(sql, me.role);
  if (problems.length > 0) {
    throw new Error(`The database login role is not safe for RLS:\n- ${problems.join("\n- ")}`);
  }
}
