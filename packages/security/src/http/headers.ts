import type { RequestHandler } from "express";
import helmet from "helmet";

export interface SecurityHeadersOptions {
  /** Extra origins the web app may fetch from (e.g. an OTLP collector); 'self' is always allowed. */
  connectSrc?: string[];
  /** Add `upgrade-insecure-requests` to the CSP. Production only: it would break http://localhost in development. */
  upgradeInsecureRequests?: boolean;
  /** Permissions-Policy value; default disables camera, microphone and geolocation. */
  permissionsPolicy?: string;
}

export const DEFAULT_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=()";

/**
 * CSP directives for the API and the built web app. Nothing is allowed by
 * default; a Vite build needs only same-origin scripts, styles, fonts and
 * fetches (no inline scripts, no eval), plus data: images for small icons.
 */
export function cspDirectives(options: SecurityHeadersOptions = {}): Record<string, string[]> {
  for (const src of options.connectSrc ?? []) {
    if (!/^(https?|wss?):\/\/[^\s;,'*]+$/.test(src))
      throw new Error(`connectSrc entry is not an http(s)/ws(s) origin: ${src}`);
  }
  const directives: Record<string, string[]> = {
    "default-src": ["'none'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'", ...(options.connectSrc ?? [])],
    "manifest-src": ["'self'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "object-src": ["'none'"],
  };
  if (options.upgradeInsecureRequests) directives["upgrade-insecure-requests"] = [];
  return directives;
}

/** The CSP header value for these options, as helmet writes it. */
export function contentSecurityPolicy(options: SecurityHeadersOptions = {}): string {
  return Object.entries(cspDirectives(options))
    .map(([name, values]) => [name, ...values].join(" "))
    .join(";");
}

/**
 * Every security header the API sends, by (lower-case) name: what tests of
 * the app can compare responses against.
 */
export function expectedSecurityHeaders(options: SecurityHeadersOptions = {}): Record<string, string> {
  return {
    "content-security-policy": contentSecurityPolicy(options),
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "origin-agent-cluster": "?1",
    "referrer-policy": "strict-origin-when-cross-origin",
    "strict-transport-security": "max-age=31536000; includeSubDomains; preload",
    "x-content-type-options": "nosniff",
    "x-dns-prefetch-control": "off",
    "x-download-options": "noopen",
    "x-frame-options": "DENY",
    "x-permitted-cross-domain-policies": "none",
    "x-xss-protection": "0",
    "permissions-policy": options.permissionsPolicy ?? DEFAULT_PERMISSIONS_POLICY,
  };
}

/**
 * helmet configured to SPEC §4 plus Permissions-Policy (which helmet does not
 * set). Also removes X-Powered-By; call `app.disable("x-powered-by")` too so
 * Express never adds it.
 */
export function securityHeaders(options: SecurityHeadersOptions = {}): RequestHandler {
  const directives: Record<string, string[]> = cspDirectives(options);
  const permissions = options.permissionsPolicy ?? DEFAULT_PERMISSIONS_POLICY;
  const applyHelmet = helmet({
    contentSecurityPolicy: { useDefaults: false, directives },
    crossOriginEmbedderPolicy: false,
    crossOriginOpenerPolicy: { policy: "same-origin" },
    crossOriginResourcePolicy: { policy: "same-origin" },
    originAgentCluster: true,
    referrerPolicy: { policy: "strict-origin-when-cross-origin" },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true, preload: true },
    xContentTypeOptions: true,
    xDnsPrefetchControl: { allow: false },
    xDownloadOptions: true,
    xFrameOptions: { action: "deny" },
    xPermittedCrossDomainPolicies: { permittedPolicies: "none" },
    xPoweredBy: true,
    // "0" disables the legacy XSS auditor, which itself enabled attacks.
    xXssProtection: true,
  });
  return (req, res, next) => {
    res.setHeader("Permissions-Policy", permissions);
    applyHelmet(req, res, next);
  };
}
