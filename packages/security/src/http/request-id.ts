import { randomUUID } from "node:crypto";
import type { Request, RequestHandler } from "express";

declare global {
  namespace Express {
    interface Request {
      /** Set by the requestId() middleware. */
      requestId?: string;
    }
  }
}

const SANE_ID = /^[A-Za-z0-9_-]{8,64}$/;
export const REQUEST_ID_HEADER = "X-Request-Id";

/**
 * Gives every request an id: a sane incoming X-Request-Id (8-64 chars of
 * [A-Za-z0-9_-], so it is safe in logs and headers) is kept, anything else is
 * replaced by a UUID. Stored on `req.requestId` and `res.locals.requestId`,
 * and echoed in the response header.
 */
export function requestId(): RequestHandler {
  return (req, res, next) => {
    const incoming = req.headers["x-request-id"];
    const id = typeof incoming === "string" && SANE_ID.test(incoming) ? incoming : randomUUID();
    req.requestId = id;
    res.locals.requestId = id;
    res.setHeader(REQUEST_ID_HEADER, id);
    next();
  };
}

export function getRequestId(req: Request): string | undefined {
  return req.requestId;
}
