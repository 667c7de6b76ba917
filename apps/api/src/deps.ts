import type { Database } from "@taskmaster/db";
import type { ApiConfig } from "./config";
import type { RequestContext } from "./context";

export interface Aad {
  table: string;
  column: string;
  rowId: string;
}

/** Field encryption (AES-256-GCM from the security package). */
export interface FieldCipher {
  encrypt(plaintext: string, aad: Aad): string;
  decrypt(ciphertext: string, aad: Aad): string;
}

/** Rate limits as the API uses them; each throws a RateLimited error carrying retryAfterSeconds. */
export interface ApiLimits {
  /** General API budget per user (or IP when anonymous). */
  api(ctx: RequestContext, key: string): Promise<void>;
  /** Expensive operations (sign-up, bulk changes). */
  heavy(ctx: RequestContext, key: string): Promise<void>;
  signIn: {
    /** Throws when this email+IP or this IP is currently blocked. */
    check(ctx: RequestContext, email: string): Promise<void>;
    /** Counts a failed attempt; throws once the limit is reached. */
    fail(ctx: RequestContext, email: string): Promise<void>;
    /** A successful sign-in forgets earlier failures for this email+IP. */
    succeed(ctx: RequestContext, email: string): Promise<void>;
  };
}

export interface ProcedureObserver {
  procedure<T>(info: { path: string; type: string; userId?: string | undefined }, run: () => Promise<T>): Promise<T>;
}

export interface Logger {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

export interface DependencyCheck {
  name: string;
  /** Resolves with latency when healthy; rejects (or times out) when not. */
  check(timeoutMs: number): Promise<{ ok: boolean; latencyMs: number; error?: string | undefined }>;
  /** Whether the API can serve without it (degraded) or not (unhealthy). */
  critical: boolean;
}

export interface ApiDeps {
  config: ApiConfig;
  db: Database;
  cipher: FieldCipher;
  limits: ApiLimits;
  observe: ProcedureObserver;
  logger: Logger;
  checks: DependencyCheck[];
}
