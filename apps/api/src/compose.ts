import { randomBytes } from "node:crypto";
import { assertLoginRoleSafe, createDatabase, ping } from "@taskmaster/db";
import {
  clientIp,
  createFieldCipher,
  createRateLimiters,
  generateKey,
  parseKeyring,
  RateLimitedError,
  rateLimitHeaders,
  rateLimitMiddleware,
} from "@taskmaster/security";
import { DEFAULT_PASSWORD_POLICY } from "@taskmaster/security/schemas";
import {
  accessLog,
  createBudgetMonitor,
  createDbObserver,
  createLogger,
  metricsHandler,
  recordRateLimitDecision,
  requestContextMiddleware,
  traceProcedure,
  vitalsHandler,
} from "@taskmaster/telemetry";
import { TRPCError } from "@trpc/server";
import { Redis } from "ioredis";
import { type AppHooks, createApp } from "./app";
import { type ApiConfig, cookieNames } from "./config";
import type { RequestContext } from "./context";
import type { ApiDeps, ApiLimits, DependencyCheck, Logger } from "./deps";

type AppLogger = ReturnType<typeof createLogger>;

import type { Env } from "./env";
import type { Lifecycle } from "./http/health";

export interface ComposedApi {
  app: ReturnType<typeof createApp>;
  deps: ApiDeps;
  lifecycle: Lifecycle;
  /** Closes the pool and Redis (telemetry is shut down by the server entry). */
  release: () => Promise<void>;
}

export function configFromEnv(env: Env, logger: Logger): { config: ApiConfig; keyringSpec: string } {
  const production = env.NODE_ENV === "production";
  // Outside production a missing secret gets a random one for this process only, loudly.
  let jwtSecret = env.JWT_SECRET;
  if (!jwtSecret) {
    jwtSecret = randomBytes(32).toString("base64url");
    logger.warn("JWT_SECRET is not set: using a random secret for this process (sessions end on restart)");
  }
  let keyringSpec = env.ENCRYPTION_KEYS;
  if (!keyringSpec) {
    keyringSpec = `dev:${generateKey()}`;
    logger.warn("ENCRYPTION_KEYS is not set: using a random key for this process (encrypted data is lost on restart)");
  }
  return {
    keyringSpec,
    config: {
      production,
      version: env.APP_VERSION,
      jwtSecret: new TextEncoder().encode(jwtSecret),
      accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
      refreshIdleTtlSeconds: env.REFRESH_IDLE_TTL_SECONDS,
      refreshAbsoluteTtlSeconds: env.REFRESH_ABSOLUTE_TTL_SECONDS,
      refreshReuseGraceSeconds: env.REFRESH_REUSE_GRACE_SECONDS,
      requireMfa: env.REQUIRE_MFA,
      passwordPolicy: { ...DEFAULT_PASSWORD_POLICY, minLength: env.PASSWORD_MIN_LENGTH },
      cookies: cookieNames(production),
      allowedOrigins: env.CORS_ORIGINS,
      trustedProxies: env.TRUSTED_PROXIES,
      webDist: env.WEB_DIST,
      metricsToken: env.METRICS_TOKEN,
      shutdownDrainMs: env.SHUTDOWN_DRAIN_MS,
      shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
      bodyLimitBytes: env.BODY_LIMIT_BYTES,
      diskPath: env.DISK_PATH,
      memoryDegradedBytes: env.HEALTH_MEMORY_DEGRADED_BYTES,
    },
  };
}

function limitsFrom(limiters: ReturnType<typeof createRateLimiters>): ApiLimits {
  const toTrpc = (err: unknown, ctx: RequestContext) => {
    if (!(err instanceof RateLimitedError)) return err;
    for (const [k, v] of Object.entries(rateLimitHeaders(err.decision))) ctx.res.setHeader(k, v);
    return new TRPCError({ code: "TOO_MANY_REQUESTS", message: err.message, cause: err });
  };
  const guard = async (ctx: RequestContext, run: () => Promise<unknown>) => {
    try {
      await run();
    } catch (err) {
      throw toTrpc(err, ctx);
    }
  };
  const emailKey = (ctx: RequestContext, email: string) => `${email.toLowerCase()}|${ctx.ip}`;
  return {
    api: (ctx, key) => guard(ctx, () => limiters.api.consume(key)),
    heavy: (ctx, key) => guard(ctx, () => limiters.heavy.consume(key)),
    signIn: {
      check: (ctx, email) =>
        guard(ctx, async () => {
          await limiters.authFailures.check(emailKey(ctx, email));
          await limiters.authDaily.check(ctx.ip);
        }),
      fail: (ctx, email) =>
        guard(ctx, async () => {
          await limiters.authDaily.consume(ctx.ip).catch(() => {});
          await limiters.authFailures.consume(emailKey(ctx, email));
        }),
      succeed: (ctx, email) => guard(ctx, () => limiters.authFailures.delete(emailKey(ctx, email))),
    },
  };
}

/** The composition root: real dependencies from the environment, wired into the app. */
export async function composeApi(env: Env, options: { logger?: AppLogger } = {}): Promise<ComposedApi> {
  const logger =
    options.logger ??
    createLogger({
      level: env.LOG_LEVEL,
      service: "taskmaster-api",
      version: env.APP_VERSION,
      ...(env.LOG_DIR ? { file: { dir: env.LOG_DIR, maxSize: "50m", maxFiles: "14d" } } : {}),
    });
  const { config, keyringSpec } = configFromEnv(env, logger);
  const db = createDatabase(env.DATABASE_URL, { max: env.DB_POOL_MAX, observer: createDbObserver() });
  try {
    await assertLoginRoleSafe(db.sql);
  } catch (err) {
    await db.close();
    throw err;
  }

  let redis: Redis | null = null;
  if (env.REDIS_URL) {
    redis = new Redis(env.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000 });
    let lastLogged = 0;
    // ioredis reconnects by itself; the limiter's insurance covers the gap. Log at most every 30 s.
    redis.on("error", (err: Error) => {
      if (Date.now() - lastLogged > 30_000) {
        lastLogged = Date.now();
        logger.warn("redis unavailable: rate limits fall back to in-process memory", { error: err.message });
      }
    });
  }
  const limiters = createRateLimiters({
    redis,
    keyPrefix: env.RATE_LIMIT_KEY_PREFIX,
    policies: {
      ...(env.RATE_LIMIT_API_POINTS || env.RATE_LIMIT_API_WINDOW_SECONDS
        ? {
            api: {
              ...(env.RATE_LIMIT_API_POINTS ? { points: env.RATE_LIMIT_API_POINTS } : {}),
              ...(env.RATE_LIMIT_API_WINDOW_SECONDS ? { durationSeconds: env.RATE_LIMIT_API_WINDOW_SECONDS } : {}),
            },
          }
        : {}),
      ...(env.RATE_LIMIT_AUTH_FAILURES ? { authFailures: { points: env.RATE_LIMIT_AUTH_FAILURES } } : {}),
    },
    onDecision: (d) => recordRateLimitDecision(d.policy, d.allowed ? "allowed" : "limited"),
  });
  // The global per-IP flood guard is coarser than the per-user API budget, with its own counters.
  const ipLimiters = createRateLimiters({
    redis,
    keyPrefix: `${env.RATE_LIMIT_KEY_PREFIX}:ip`,
    policies: { api: { points: env.RATE_LIMIT_IP_POINTS, durationSeconds: 15 * 60 } },
    onDecision: (d) => recordRateLimitDecision("ip", d.allowed ? "allowed" : "limited"),
  });

  const checks: DependencyCheck[] = [{ name: "database", critical: true, check: (timeoutMs) => ping(db, timeoutMs) }];
  if (redis) {
    const client = redis;
    checks.push({
      name: "redis",
      critical: false,
      check: async (timeoutMs) => {
        const started = performance.now();
        try {
          await Promise.race([
            client.ping(),
            new Promise((_, reject) =>
              setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs),
            ),
          ]);
          return { ok: true, latencyMs: performance.now() - started };
        } catch (err) {
          return { ok: false, latencyMs: performance.now() - started, error: (err as Error).message };
        }
      },
    });
  }

  const deps: ApiDeps = {
    config,
    db,
    cipher: createFieldCipher(parseKeyring(keyringSpec)),
    limits: limitsFrom(limiters),
    observe: { procedure: (info, run) => traceProcedure(info as Parameters<typeof traceProcedure>[0], run) },
    logger,
    checks,
  };
  const lifecycle: Lifecycle = { ready: true, startedAt: Date.now() };
  // SPEC §5 budgets: request p95, RSS (sampled by the monitor), Web Vitals from beacons.
  const budgets = createBudgetMonitor({ logger });
  const hooks: AppHooks = {
    before: [requestContextMiddleware(), accessLog(logger, { budgets })],
    globalRateLimit: rateLimitMiddleware(ipLimiters.api, {
      keyOf: (req) => ({ key: `ip:${clientIp(req, config.trustedProxies)}`, kind: "ip" }),
      // Slow-down starts at half of this guard's own budget, not of the per-user API budget.
      slowDown: { ...limiters.policies.slowDown, afterPoints: Math.max(1, Math.floor(env.RATE_LIMIT_IP_POINTS / 2)) },
      onError: (err) => logger.error("rate limiter failed; request let through", { error: err }),
    }),
    metrics: metricsHandler(),
    vitals: vitalsHandler({
      budgets,
      limiter: async (ip) => {
        try {
          await limiters.vitals.consume(ip);
          return true;
        } catch (err) {
          if (err instanceof RateLimitedError) return { retryAfter: err.retryAfterSeconds };
          throw err;
        }
      },
    }),
  };
  const app = createApp(deps, lifecycle, hooks);
  return {
    app,
    deps,
    lifecycle,
    release: async () => {
      budgets.stop();
      await db.close();
      if (redis) await redis.quit().catch(() => redis?.disconnect());
    },
  };
}
