import {
  createTableRelationsHelpers,
  type ExtractTablesWithRelations,
  extractTablesRelationalConfig,
} from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { drizzle, PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { PostgresJsSession } from "drizzle-orm/postgres-js/session";
import postgres from "postgres";
import * as schema from "./schema";

/**
 * Hooks for tracing/metrics, implemented by the telemetry package. Each
 * method must call `run` exactly once and return its result.
 */
export interface DbObserver {
  transaction<T>(kind: "user" | "service", run: () => Promise<T>): Promise<T>;
  /** `sqlText` is the parameterised statement ($1, $2, ...); values are never passed. */
  query<T>(sqlText: string, run: () => Promise<T>): Promise<T>;
}

export interface Database {
  /**
   * The raw pool, logged in as the API role with no RLS context: it has no
   * privilege on any application table. For health pings and the RLS lint
   * only; application queries go through withUserContext/withServiceContext.
   */
  sql: postgres.Sql;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Pool size (default 10). */
  max?: number;
  /** Close idle connections after this many seconds (default 30). */
  idleTimeoutSeconds?: number;
  /** Give up connecting after this many seconds (default 10). */
  connectTimeoutSeconds?: number;
  observer?: DbObserver;
  /** PostgreSQL NOTICE messages (default: ignored). */
  onnotice?: (notice: postgres.Notice) => void;
}

/** drizzle bound to ONE transaction that already carries the RLS context. */
export type Tx = PostgresJsDatabase<typeof schema>;

export interface ServiceContext {
  userId?: string;
  email?: string;
  tokenHash?: string;
}

type Relational = NonNullable<
  ConstructorParameters<
    typeof PostgresJsSession<postgres.Sql, typeof schema, ExtractTablesWithRelations<typeof schema>>
  >[2]
>;

interface Internals {
  dialect: PgDialect;
  relational: Relational;
  observer: DbObserver | undefined;
}

// Per-pool state kept out of the public interface so nothing outside this
// module can reach a drizzle handle without a context.
const internals = new WeakMap<postgres.Sql, Internals>();

export function createDatabase(url: string, options: DatabaseOptions = {}): Database {
  const sql = postgres(url, {
    max: options.max ?? 10,
    idle_timeout: options.idleTimeoutSeconds ?? 30,
    connect_timeout: options.connectTimeoutSeconds ?? 10,
    onnotice: options.onnotice ?? (() => {}),
  });
  // drizzle() installs its type parsers on the pool's options (timestamps as
  // strings it maps itself); the handle itself is discarded.
  drizzle(sql, { schema });
  const tables = extractTablesRelationalConfig(schema, createTableRelationsHelpers);
  internals.set(sql, {
    dialect: new PgDialect(),
    relational: {
      fullSchema: schema,
      schema: tables.tables as ExtractTablesWithRelations<typeof schema>,
      tableNamesMap: tables.tableNamesMap,
    },
    observer: options.observer,
  });
  return { sql, close: () => sql.end({ timeout: 5 }) };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Settings are free text to PostgreSQL; a cap keeps garbage from reaching it.
const MAX_SETTING_LENGTH = 512;

function assertUuid(value: unknown, what: string): asserts value is string {
  if (typeof value !== "string" || !UUID.test(value)) {
    throw new TypeError(
      `${what} must be a uuid, got ${typeof value === "string" ? JSON.stringify(value) : typeof value}`,
    );
  }
}

function assertSetting(value: unknown, what: string): asserts value is string {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_SETTING_LENGTH) {
    throw new TypeError(`${what} must be a non-empty string of at most ${MAX_SETTING_LENGTH} characters`);
  }
}

/**
 * Runs `fn` in one transaction as `app_user` for `userId`. The role and the
 * user are set transaction-locally in the first statement, so they end with
 * the transaction (commit or rollback) and never leak to the next borrower of
 * the pooled connection. Statements: BEGIN, context, fn's queries, COMMIT.
 */
export function withUserContext<T>(
  db: Database,
  userId: string,
  fn: (tx: Tx) => Promise<T>,
  options: UserContextOptions = {},
): Promise<T> {
  const { sessionId } = options;
  try {
    assertUuid(userId, "userId");
    if (sessionId !== undefined) assertUuid(sessionId, "sessionId");
  } catch (err) {
    return Promise.reject(err);
  }
  return inTransaction(
    db,
    "user",
    (sql) =>
      sessionId === undefined
        ? sql`select set_config('role', 'app_user', true), set_config('app.user_id', ${userId}, true)`
        : // Same single statement, plus the session check: a revoked session fails here (SQLSTATE 28000).
          sql`select set_config('role', 'app_user', true), set_config('app.user_id', ${userId}, true),
              app.require_session(${sessionId}, ${userId})`,
    fn,
  );
}

export interface UserContextOptions {
  /** The session (family) the request's access token belongs to; when given, a revoked or expired session is refused. */
  sessionId?: string;
}

/** A query refused because the request's session was revoked or expired (see UserContextOptions.sessionId). */
export function isSessionRevoked(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; depth++) {
    if ((e as { code?: unknown }).code === "28000") return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Runs `fn` in one transaction as `app_service`, the role for sign-up, sign-in
 * and session refresh. Its policies only reach rows matching the given user
 * id, email (sign-up/sign-in) or refresh-token hash.
 */
export function withServiceContext<T>(db: Database, ctx: ServiceContext, fn: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    if (ctx.userId !== undefined) assertUuid(ctx.userId, "userId");
    if (ctx.email !== undefined) assertSetting(ctx.email, "email");
    if (ctx.tokenHash !== undefined) assertSetting(ctx.tokenHash, "tokenHash");
  } catch (err) {
    return Promise.reject(err);
  }
  const { userId = "", email = "", tokenHash = "" } = ctx;
  return inTransaction(
    db,
    "service",
    (sql) => sql`select set_config('role', 'app_service', true), set_config('app.user_id', ${userId}, true),
      set_config('app.email', ${email}, true), set_config('app.token_hash', ${tokenHash}, true)`,
    fn,
  );
}

function inTransaction<T>(
  db: Database,
  kind: "user" | "service",
  setContext: (sql: postgres.TransactionSql) => postgres.PendingQuery<postgres.Row[]>,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  const state = internals.get(db.sql);
  if (!state) throw new Error("withUserContext/withServiceContext need a Database from createDatabase()");
  const run = () =>
    db.sql.begin(async (txSql) => {
      await setContext(txSql);
      return fn(bindDrizzle(txSql, state));
    }) as Promise<T>;
  return state.observer ? state.observer.transaction(kind, run) : run();
}

function bindDrizzle(txSql: postgres.TransactionSql, state: Internals): Tx {
  const client = state.observer ? observeClient(txSql, state.observer) : preparedClient(txSql);
  // drizzle only calls unsafe/begin/savepoint on its client, all of which a transaction has.
  const session = new PostgresJsSession(client as unknown as postgres.Sql, state.dialect, state.relational, {});
  // What drizzle() does, minus re-deriving the relational config per request.
  const tx = new PostgresJsDatabase(state.dialect, session, state.relational) as Tx;
  Object.assign(tx, { $client: client });
  return tx;
}

/**
 * drizzle sends every statement through `unsafe()`, which postgres.js runs
 * unprepared unless told otherwise; Postgres then plans each RLS-guarded
 * query from scratch (planning measured 1.4 ms against 0.3 ms execution for a
 * task page). Parameterised statements are therefore sent as prepared
 * statements, which postgres.js caches per pooled connection, so a plan is
 * reused across requests and users (the user id is a setting, not a literal).
 */
function prepared(
  target: postgres.TransactionSql,
): (
  text: string,
  params?: postgres.ParameterOrJSON<never>[],
  opts?: postgres.UnsafeQueryOptions,
) => postgres.PendingQuery<postgres.Row[]> {
  // drizzle passes `{ prepare: false }` for every statement not built with .prepare(name), so the
  // flag must win over the caller's options, not the other way round.
  return (text, params, opts) =>
    target.unsafe(text, params, params && params.length > 0 ? { ...opts, prepare: true } : opts);
}

// drizzle's tx.transaction() calls client.begin(); inside a transaction that
// must be a SAVEPOINT, which is what postgres.js calls savepoint().
function preparedClient(txSql: postgres.TransactionSql): postgres.TransactionSql {
  return new Proxy(txSql, {
    get(target, prop, receiver) {
      if (prop === "unsafe") return prepared(target);
      if (prop === "begin")
        return (cb: (sql: postgres.TransactionSql) => unknown) => target.savepoint((sp) => cb(preparedClient(sp)));
      return Reflect.get(target, prop, receiver);
    },
  });
}

/**
 * The transaction's client with every `unsafe()` call (how drizzle sends all
 * of its statements) run through `observer.query`. Only the statement text is
 * handed over; parameters stay in postgres.js.
 */
function observeClient(txSql: postgres.TransactionSql, observer: DbObserver): postgres.TransactionSql {
  return new Proxy(txSql, {
    get(target, prop, receiver) {
      if (prop === "unsafe") {
        return (text: string, params?: postgres.ParameterOrJSON<never>[], opts?: postgres.UnsafeQueryOptions) =>
          observeQuery(prepared(target)(text, params, opts), text, observer);
      }
      if (prop === "begin" || prop === "savepoint") {
        return (cb: (sql: postgres.TransactionSql) => unknown) =>
          target.savepoint((sp) => cb(observeClient(sp, observer)));
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

// A postgres.js query is a lazy thenable: it is sent when first awaited. The
// proxy runs that first await inside observer.query, keeping the chainable
// modifiers (.values(), .raw(), ...) working.
function observeQuery<Q extends object>(query: Q, text: string, observer: DbObserver): Q {
  let result: Promise<unknown> | undefined;
  const settle = () => {
    result ??= observer.query(text, () => Promise.resolve(query));
    return result;
  };
  const proxy: Q = new Proxy(query, {
    get(target, prop) {
      if (prop === "then") {
        return (onFulfilled?: (v: unknown) => unknown, onRejected?: (e: unknown) => unknown) =>
          settle().then(onFulfilled, onRejected);
      }
      if (prop === "catch") return (onRejected?: (e: unknown) => unknown) => settle().catch(onRejected);
      if (prop === "finally") return (onFinally?: () => void) => settle().finally(onFinally);
      const value = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        const out = value.apply(target, args);
        // Modifiers return the query itself: keep returning the observed proxy.
        return out === target ? proxy : out;
      };
    },
  });
  return proxy;
}

export interface PingResult {
  ok: boolean;
  latencyMs: number;
  error?: string;
}

/** `select 1` on the raw pool with a deadline, for health checks. Never throws. */
export async function ping(db: Database, timeoutMs: number): Promise<PingResult> {
  const started = performance.now();
  const query = db.sql`select 1 as ok`;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`database did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([query, deadline]);
    return { ok: true, latencyMs: performance.now() - started };
  } catch (err) {
    query.cancel();
    return { ok: false, latencyMs: performance.now() - started, error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

function sqlState(err: unknown): string | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string") return code;
  // drizzle may wrap the driver's error.
  return sqlState((err as { cause?: unknown }).cause);
}

/** A write refused by a policy or a missing grant (42501): the API answers FORBIDDEN. */
export function isRlsViolation(err: unknown): boolean {
  return sqlState(err) === "42501";
}

/** A unique constraint (e.g. the email on sign-up) was hit (23505): the API answers CONFLICT. */
export function isUniqueViolation(err: unknown): boolean {
  return sqlState(err) === "23505";
}
