import type { RequestHandler } from "express";
import { normalizeOrigins } from "./origins";

export interface CorsPolicyOptions {
  allowedOrigins: readonly string[];
  methods?: readonly string[];
  allowedHeaders?: readonly string[];
  exposedHeaders?: readonly string[];
  /** Seconds a browser may cache a preflight. */
  maxAgeSeconds?: number;
}

const DEFAULT_ALLOWED_HEADERS = ["content-type", "authorization", "x-taskmaster-client", "x-request-id", "trpc-accept"];
const DEFAULT_EXPOSED_HEADERS = [
  "x-request-id",
  "retry-after",
  "ratelimit",
  "ratelimit-policy",
  "ratelimit-limit",
  "ratelimit-remaining",
  "ratelimit-reset",
];

/**
 * CORS for an allow-list of origins, always with credentials: an allowed
 * origin is echoed back (never `*`), a disallowed one gets no CORS headers at
 * all (the browser then blocks the response) and its preflight a 403.
 */
export function corsPolicy(options: CorsPolicyOptions): RequestHandler {
  const allowed = normalizeOrigins(options.allowedOrigins);
  const methods = (options.methods ?? ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]).join(", ");
  const allowedHeaders = (options.allowedHeaders ?? DEFAULT_ALLOWED_HEADERS).join(", ");
  const exposed = (options.exposedHeaders ?? DEFAULT_EXPOSED_HEADERS).join(", ");
  const maxAge = String(options.maxAgeSeconds ?? 600);

  return (req, res, next) => {
    const origin = req.headers.origin;
    // Responses differ by Origin: caches must key on it.
    res.vary("Origin");
    const isPreflight = req.method === "OPTIONS" && req.headers["access-control-request-method"] !== undefined;
    if (!origin || !allowed.has(origin)) {
      if (isPreflight) {
        res.status(403).json({ error: "Origin not allowed" });
        return;
      }
      return next();
    }
    res.setHeader("Access-Control-Allow-Origin", origin);
    res.setHeader("Access-Control-Allow-Credentials", "true");
    if (!isPreflight) {
      res.setHeader("Access-Control-Expose-Headers", exposed);
      return next();
    }
    res.setHeader("Access-Control-Allow-Methods", methods);
    res.setHeader("Access-Control-Allow-Headers", allowedHeaders);
    res.setHeader("Access-Control-Max-Age", maxAge);
    res.status(204).end();
  };
}
