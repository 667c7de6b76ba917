import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { context, createContextKey } from "@opentelemetry/api";
import { rebindEmitter } from "./context-manager";
import { telemetryState } from "./state";

export interface RequestContext {
  requestId: string;
}

const REQUEST_CONTEXT_KEY = createContextKey("taskmaster.requestContext");
// Only used while the SDK is not running (OTEL_SDK_DISABLED, tests without telemetry).
const untraced = new AsyncLocalStorage<RequestContext>();

/**
 * Per-request values every log line of the request carries.
 *
 * While the SDK runs they travel in the OpenTelemetry context, next to the
 * span: a second AsyncLocalStorage would make Node (20) track every promise
 * of every request twice, measured at 15 KB of extra allocation per
 * tasks.list call. Without the SDK they use an AsyncLocalStorage of their own.
 */
export const requestContext = {
  getStore(): RequestContext | undefined {
    return telemetryState().handles
      ? (context.active().getValue(REQUEST_CONTEXT_KEY) as RequestContext | undefined)
      : untraced.getStore();
  },
  run<R>(store: RequestContext, fn: () => R): R {
    if (!telemetryState().handles) return untraced.run(store, fn);
    return context.with(context.active().setValue(REQUEST_CONTEXT_KEY, store), fn);
  },
};

export function getRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}

// A client-supplied id is only echoed into logs when it is short and plain.
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

type Res = ServerResponse & { locals?: Record<string, unknown> };

/** The id an earlier middleware chose (res.locals.requestId or the x-request-id response header), else the client's if safe, else a new UUID. */
export function resolveRequestId(req: IncomingMessage, res: Res): string {
  const candidates = [res.locals?.requestId, res.getHeader("x-request-id"), req.headers["x-request-id"]];
  for (const candidate of candidates) {
    if (typeof candidate === "string" && SAFE_ID.test(candidate)) return candidate;
  }
  return randomUUID();
}

/**
 * Express middleware: runs the rest of the request inside `requestContext`
 * with its request id, so logs written anywhere below it carry request_id.
 * Mount it after the security package's requestId() middleware.
 */
export function requestContextMiddleware() {
  return (req: IncomingMessage, res: Res, next: (err?: unknown) => void): void => {
    const requestId = resolveRequestId(req, res);
    if (!res.headersSent && !res.getHeader("x-request-id")) res.setHeader("x-request-id", requestId);
    if (res.locals && res.locals.requestId === undefined) res.locals.requestId = requestId;
    requestContext.run({ requestId }, () => {
      // traceHttpRequests() bound the request and response to the server span's context before this
      // middleware ran; their listeners ('finish', 'close', body callbacks) get the request id too.
      // (Without the SDK nothing bound them, and rebindEmitter leaves them alone.)
      const withRequestId = context.active();
      rebindEmitter(req, withRequestId);
      rebindEmitter(res, withRequestId);
      next();
    });
  };
}
