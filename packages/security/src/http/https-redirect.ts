import type { RequestHandler } from "express";
import { isSecureRequest, type TrustedProxies, toTrusted } from "./proxies";

export interface HttpsRedirectOptions {
  /** On in production only. */
  enabled: boolean;
  /** Proxies whose X-Forwarded-Proto is believed. Nobody else's is. */
  trustedProxies: TrustedProxies | readonly string[];
  /** Redirect to this host instead of the request's Host header (recommended in production). */
  canonicalHost?: string;
  /** HTTPS port if not 443. */
  httpsPort?: number;
}

const HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * Plain-HTTP requests get a 301 to the same path and query over HTTPS (308
 * for non-GET/HEAD so the method and body survive). X-Forwarded-Proto counts
 * only when the TCP peer is a trusted proxy; Express's `trust proxy` setting
 * is deliberately not consulted.
 */
export function httpsRedirect(options: HttpsRedirectOptions): RequestHandler {
  const trusted = toTrusted(options.trustedProxies);
  if (options.canonicalHost !== undefined && !HOST.test(options.canonicalHost)) {
    throw new Error(`httpsRedirect: canonicalHost "${options.canonicalHost}" is not a host name`);
  }
  return (req, res, next) => {
    if (!options.enabled || isSecureRequest(req, trusted)) return next();
    const host = options.canonicalHost ?? req.headers.host ?? "";
    // A forged Host must not turn this into an open redirect to another site's look-alike.
    if (!HOST.test(host)) {
      res.status(400).json({ error: "Invalid Host header" });
      return;
    }
    const hostname = host.replace(/:\d+$/, "");
    const port = options.httpsPort && options.httpsPort !== 443 ? `:${options.httpsPort}` : "";
    const status = req.method === "GET" || req.method === "HEAD" ? 301 : 308;
    res.redirect(status, `https://${hostname}${port}${req.originalUrl}`);
  };
}
