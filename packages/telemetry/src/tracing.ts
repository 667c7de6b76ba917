import { createHash, createHmac } from "node:crypto";
import {
  type Attributes,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  type TracerProvider,
  trace,
} from "@opentelemetry/api";
import { redact } from "@taskmaster/security";
import { instruments, type RateLimitOutcome, recordRateLimitDecisionMetric } from "./metrics";
import { type SqlSummary, summarizeSql } from "./sql";
import { telemetryState } from "./state";

export const TRACER_NAME = "@taskmaster/telemetry";
let cachedTracer: { provider: TracerProvider; tracer: Tracer } | undefined;

/** This package's tracer from the provider registered now (getTracer builds a key and looks it up on every call). */
export function tracer(): Tracer {
  const provider = trace.getTracerProvider();
  if (cachedTracer?.provider !== provider) cachedTracer = { provider, tracer: provider.getTracer(TRACER_NAME) };
  return cachedTracer.tracer;
}

/** Structurally identical to `DbObserver` of @taskmaster/db. */
export interface DbObserver {
  transaction<T>(kind: "user" | "service", run: () => Promise<T>): Promise<T>;
  query<T>(sqlText: string, run: () => Promise<T>): Promise<T>;
}

export type ProcedureType = "query" | "mutation" | "subscription";

export interface ProcedureInfo {
  path: string;
  type: ProcedureType;
  /** The authenticated user's id; only an opaque hash of it reaches the span. */
  userId?: string;
}

/**
 * An opaque, stable id for a user on spans: HMAC-SHA256 with
 * TELEMETRY_USER_HASH_KEY when configured (unlinkable without the key), plain
 * SHA-256 otherwise; truncated to 16 hex characters. Never the raw id or email.
 */
// Every traced request hashes its user id; a small cache saves the HMAC for active users.
const opaqueIds = new Map<string, string>();
const OPAQUE_CACHE_SIZE = 1024;

export function opaqueUserId(userId: string): string {
  const cached = opaqueIds.get(userId);
  if (cached) return cached;
  const key = telemetryState().userHashKey;
  const digest = key ? createHmac("sha256", key).update(userId) : createHash("sha256").update(userId);
  const id = digest.digest("hex").slice(0, 16);
  if (opaqueIds.size >= OPAQUE_CACHE_SIZE) opaqueIds.clear();
  opaqueIds.set(userId, id);
  return id;
}

const seconds = (startNs: bigint) => Number(process.hrtime.bigint() - startNs) / 1e9;

function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[A-Z_]{2,64}$/.test(code) ? code : "INTERNAL_SERVER_ERROR";
}

function markError(span: Span, err: unknown, code: string): void {
  span.setAttribute("trpc.error_code", code);
  const message = err instanceof Error ? err.message : String(err);
  span.setStatus({ code: SpanStatusCode.ERROR, message: String(redact(message)) });
  // Only unexpected failures carry the exception (and its stack); client errors are routine.
  if (code === "INTERNAL_SERVER_ERROR" && err instanceof Error)
    span.recordException(redact(err) as { name: string; message: string; stack?: string });
}

/** tRPC middleware results report failures as `{ ok: false, error }` instead of throwing. */
function failedResult(value: unknown): { error: unknown } | undefined {
  if (value && typeof value === "object" && "ok" in value && value.ok === false && "error" in value) {
    return { error: value.error };
  }
  return undefined;
}

/**
 * Runs `fn` inside a span `trpc.<path>` and records taskmaster.trpc.duration;
 * on failure (a throw, or a tRPC middleware result with ok: false) the span is
 * ERROR with `trpc.error_code` and taskmaster.trpc.errors{path,code} counts it.
 * Wire it as a tRPC middleware: `({ path, type, ctx, next }) => traceProcedure({ path, type, userId: ctx.user?.id }, next)`.
 */
export function traceProcedure<T>(info: ProcedureInfo, fn: () => Promise<T>): Promise<T> {
  const attributes: Attributes = {
    "rpc.system": "trpc",
    "rpc.method": info.path,
    "taskmaster.trpc.type": info.type,
  };
  if (info.userId) attributes["taskmaster.user"] = opaqueUserId(info.userId);
  return tracer().startActiveSpan(`trpc.${info.path}`, { kind: SpanKind.INTERNAL, attributes }, (span) => {
    const start = process.hrtime.bigint();
    const finish = (failure: { error: unknown } | undefined) => {
      const m = instruments();
      m.trpcDuration.record(seconds(start), { path: info.path, type: info.type });
      if (failure) {
        const code = errorCode(failure.error);
        markError(span, failure.error, code);
        m.trpcErrors.add(1, { path: info.path, code });
      }
      span.end();
    };
    // then() rather than an async wrapper: two promises fewer per call, each tracked by async hooks.
    return settle(fn).then(
      (result) => {
        finish(failedResult(result));
        return result;
      },
      (err: unknown) => {
        finish({ error: err });
        throw err;
      },
    );
  });
}

/** fn's promise, or a rejected one if fn throws before returning it. */
function settle<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return fn();
  } catch (err) {
    return Promise.reject(err);
  }
}

/**
 * Spans and metrics for the data layer: `db.transaction` around each RLS
 * transaction, `{operation} {table}` for each statement (children of the
 * transaction and of the procedure through the active context). Statement
 * text is the parameterised SQL with any inline literal replaced by `?`.
 */
export function createDbObserver(): DbObserver {
  // Statements are parameterised, so a service has a few hundred distinct
  // texts: parse each once instead of on every call (bounded, reset when full).
  const summaries = new Map<string, SqlSummary>();
  const summaryOf = (sqlText: string) => {
    let summary = summaries.get(sqlText);
    if (!summary) {
      if (summaries.size >= 1000) summaries.clear();
      summary = summarizeSql(sqlText);
      summaries.set(sqlText, summary);
    }
    return summary;
  };
  return {
    transaction(kind, run) {
      return tracer().startActiveSpan(
        "db.transaction",
        { kind: SpanKind.INTERNAL, attributes: { "taskmaster.db.context": kind, "db.system.name": "postgresql" } },
        (span) => {
          const start = process.hrtime.bigint();
          const finish = (outcome: "commit" | "rollback") => {
            instruments().dbTransactionDuration.record(seconds(start), { kind, outcome });
            span.end();
          };
          return settle(run).then(
            (result) => {
              finish("commit");
              return result;
            },
            (err: unknown) => {
              span.setStatus({ code: SpanStatusCode.ERROR, message: "transaction rolled back" });
              span.setAttribute("error.type", errorType(err));
              finish("rollback");
              throw err;
            },
          );
        },
      );
    },
    query(sqlText, run) {
      const summary = summaryOf(sqlText);
      const attributes: Attributes = {
        "db.system.name": "postgresql",
        "db.operation.name": summary.operation,
        "db.query.text": summary.text,
      };
      if (summary.table) attributes["db.collection.name"] = summary.table;
      return tracer().startActiveSpan(summary.spanName, { kind: SpanKind.CLIENT, attributes }, (span) => {
        const start = process.hrtime.bigint();
        const metricAttrs: Attributes = { "db.system.name": "postgresql", "db.operation.name": summary.operation };
        if (summary.table) metricAttrs["db.collection.name"] = summary.table;
        const finish = () => {
          instruments().dbOperationDuration.record(seconds(start), metricAttrs);
          span.end();
        };
        return settle(run).then(
          (result) => {
            finish();
            return result;
          },
          (err: unknown) => {
            const type = errorType(err);
            metricAttrs["error.type"] = type;
            span.setAttribute("error.type", type);
            span.setStatus({ code: SpanStatusCode.ERROR, message: type });
            finish();
            throw err;
          },
        );
      });
    },
  };
}

// Postgres SQLSTATE (e.g. 23505) when present: low-cardinality and free of values, unlike messages.
function errorType(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  return err instanceof Error ? err.name : "Error";
}

/** Adds a `ratelimit.decision` event to the active span (no-op without one). */
export function rateLimitSpanEvent(policy: string, outcome: RateLimitOutcome): void {
  trace.getActiveSpan()?.addEvent("ratelimit.decision", {
    "taskmaster.ratelimit.policy": policy,
    "taskmaster.ratelimit.outcome": outcome,
  });
}

/** One call per decision: counts taskmaster.ratelimit.decisions{policy,outcome} and adds the span event. */
export function recordRateLimitDecision(policy: string, outcome: RateLimitOutcome): void {
  recordRateLimitDecisionMetric(policy, outcome);
  rateLimitSpanEvent(policy, outcome);
}
