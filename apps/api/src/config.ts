/** Settings the API runs with, derived from the validated environment (env.ts) or built by tests. */
import type { PasswordPolicy } from "@taskmaster/security/schemas";

export interface ApiConfig {
  production: boolean;
  version: string;
  jwtSecret: Uint8Array;
  accessTokenTtlSeconds: number;
  refreshIdleTtlSeconds: number;
  refreshAbsoluteTtlSeconds: number;
  /** A rotated refresh token presented again within this window is a race between tabs, not theft. */
  refreshReuseGraceSeconds: number;
  requireMfa: boolean;
  passwordPolicy: PasswordPolicy;
  cookies: { access: string; refresh: string };
  allowedOrigins: string[];
  trustedProxies: string[];
  /** Built web app to serve (production); undefined in development, where Vite serves it. */
  webDist?: string | undefined;
  /** Bearer token protecting GET /metrics; undefined leaves it open (development). */
  metricsToken?: string | undefined;
  /** Delay between readiness going 503 and the server closing, so load balancers can drain. */
  shutdownDrainMs: number;
  shutdownTimeoutMs: number;
  bodyLimitBytes: number;
  /** Folder whose filesystem the disk health check measures. */
  diskPath: string;
  /** RSS above which /api/health reports memory as degraded. */
  memoryDegradedBytes: number;
}

export function cookieNames(production: boolean): ApiConfig["cookies"] {
  // __Host- cookies must be Secure, Path=/ and host-only: browsers enforce it, so only over HTTPS.
  return production ? { access: "__Host-tm_at", refresh: "__Host-tm_rt" } : { access: "tm_at", refresh: "tm_rt" };
}
