import type { RequestHandler } from "express";
import { normalizeOrigins, originOf } from "./origins";

export interface CsrfGuardOptions {
  allowedOrigins: readonly string[];
  /** A header simple cross-site forms cannot send; the web client sets it on every request. */
  header?: string;
  /** Also guard requests without cookies (default false: bearer-token calls cannot be forged cross-site). */
  guardCookieless?: boolean;
}

export const CLIENT_HEADER = "x-taskmaster-client";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF defence for cookie-authenticated calls, on top of SameSite cookies:
 * a state-changing request (POST/PUT/PATCH/DELETE) carrying cookies must come
 * from an allowed or the same origin (Origin, or Referer when Origin is
 * absent) and carry the custom client header. Otherwise 403 `{ error }`.
 */
export function csrfGuard(options: CsrfGuardOptions): RequestHandler {
  const allowed = normalizeOrigins(options.allowedOrigins);
  const header = (options.header ?? CLIENT_HEADER).toLowerCase();
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    if (!options.guardCookieless && !req.headers.cookie) return next();
    const deny = (error: string) => {
      res.status(403).json({ error });
    };
    const origin = originOf(req.headers.origin) ?? originOf(req.headers.referer);
    if (!origin) return deny("Cross-site request refused: missing Origin");
    const sameOrigin = req.headers.host !== undefined && new URL(origin).host === req.headers.host;
    if (!sameOrigin && !allowed.has(origin)) return deny("Cross-site request refused: origin not allowed");
    const value = req.headers[header];
    if (typeof value !== "string" || value.trim() === "") {
      return deny(`Cross-site request refused: missing ${header} header`);
    }
    next();
  };
}
