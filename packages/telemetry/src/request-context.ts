import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

export interface RequestContext {
  requestId: string;
}

/** Per-request values every log line of the request carries. */
export const requestContext = new AsyncLocalStorage<RequestContext>();

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
    requestContext.run({ requestId }, () => next());
  };
}
