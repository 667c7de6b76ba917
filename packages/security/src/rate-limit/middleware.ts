import type { Request, RequestHandler } from "express";
import type { KeyKind, PolicyLimiter, RateLimitDecision } from "./limiters";
import { RateLimitedError } from "./limiters";
import { type SlowDownPolicy, slowDownDelayMs } from "./policies";

/**
 * Response headers for a decision: the current IETF draft fields
 * (draft-ietf-httpapi-ratelimit-headers: `RateLimit-Policy: "api";q=100;w=900`,
 * `RateLimit: "api";r=42;t=600`), the older `RateLimit-Limit/Remaining/Reset`
 * trio many clients still read, and `Retry-After` when limited.
 */
export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  const headers: Record<string, string> = {
    "RateLimit-Policy": `"${decision.policy}";q=${decision.limit};w=${decision.windowSeconds}`,
    RateLimit: `"${decision.policy}";r=${decision.remaining};t=${decision.resetSeconds}`,
    "RateLimit-Limit": String(decision.limit),
    "RateLimit-Remaining": String(decision.remaining),
    "RateLimit-Reset": String(decision.resetSeconds),
  };
  if (!decision.allowed) headers["Retry-After"] = String(decision.retryAfterSeconds);
  return headers;
}

/** The JSON body of a 429. */
export function rateLimitedBody(error: RateLimitedError): { error: string; retryAfter: number } {
  return { error: "Too many requests", retryAfter: error.retryAfterSeconds };
}

export interface RateLimitMiddlewareOptions {
  /** The key to count under and what it is; return null to let the request through uncounted. */
  keyOf: (req: Request) => { key: string; kind: KeyKind } | string | null;
  /** Requests that are never limited (health checks). */
  skip?: (req: Request) => boolean;
  /** Points a request costs (default 1). */
  pointsOf?: (req: Request) => number;
  /** Delay responses of clients past the slow-down threshold. */
  slowDown?: SlowDownPolicy;
  /** Unexpected limiter failures (not limits, not Redis outages, which insurance covers): the request goes through. */
  onError?: (err: unknown) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Express middleware for one policy: 429 with `Retry-After`, RateLimit
 * headers and `{ error, retryAfter }` when over the limit; RateLimit headers
 * on allowed responses too, and a bounded delay past the slow-down threshold.
 */
export function rateLimitMiddleware(limiter: PolicyLimiter, options: RateLimitMiddlewareOptions): RequestHandler {
  return async (req, res, next) => {
    if (options.skip?.(req)) return next();
    const keyed = options.keyOf(req);
    if (keyed === null) return next();
    const { key, kind } = typeof keyed === "string" ? { key: keyed, kind: "key" } : keyed;
    let decision: RateLimitDecision;
    try {
      decision = await limiter.consume(key, { points: options.pointsOf?.(req) ?? 1, keyKind: kind });
    } catch (err) {
      if (err instanceof RateLimitedError) {
        res.set(rateLimitHeaders(err.decision));
        res.status(429).json(rateLimitedBody(err));
        return;
      }
      // Failing open on a bug is safer for availability than a 500 on every request.
      options.onError?.(err);
      return next();
    }
    res.set(rateLimitHeaders(decision));
    const delay = options.slowDown ? slowDownDelayMs(decision.consumed, options.slowDown) : 0;
    if (delay > 0) await sleep(delay);
    next();
  };
}
