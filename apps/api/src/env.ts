import { z } from "zod";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");
const list = z.string().transform((v) =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean),
);
const seconds = z.coerce.number().int().positive();

/** Every variable the API reads. This is the only module of the API that touches process.env. */
export const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    HOST: z.string().default("0.0.0.0"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    APP_VERSION: z.string().default("0.1.0"),
    DATABASE_URL: z.string().url({ message: "must be a postgres:// URL for the app_api login role" }),
    DB_POOL_MAX: z.coerce.number().int().min(2).max(100).default(10),
    REDIS_URL: z.string().url().optional(),
    JWT_SECRET: z.string().min(32, { message: "must be at least 32 characters" }).optional(),
    ENCRYPTION_KEYS: z.string().optional(),
    ACCESS_TOKEN_TTL_SECONDS: seconds.default(600),
    REFRESH_IDLE_TTL_SECONDS: seconds.default(7 * 24 * 3600),
    REFRESH_ABSOLUTE_TTL_SECONDS: seconds.default(30 * 24 * 3600),
    REFRESH_REUSE_GRACE_SECONDS: z.coerce.number().int().min(0).max(120).default(10),
    REQUIRE_MFA: bool.default(false),
    PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8).max(128).default(8),
    CORS_ORIGINS: list.default([]),
    TRUSTED_PROXIES: list.default([]),
    WEB_DIST: z.string().optional(),
    METRICS_TOKEN: z.string().min(16).optional(),
    RATE_LIMIT_API_POINTS: z.coerce.number().int().positive().optional(),
    RATE_LIMIT_API_WINDOW_SECONDS: seconds.optional(),
    RATE_LIMIT_KEY_PREFIX: z
      .string()
      .regex(/^[\w:.-]{1,64}$/)
      .default("tm:rl"),
    RATE_LIMIT_IP_POINTS: z.coerce.number().int().positive().default(1000),
    RATE_LIMIT_AUTH_FAILURES: z.coerce.number().int().positive().optional(),
    SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).default(0),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(25_000),
    BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(100 * 1024),
    DISK_PATH: z.string().default("/"),
    // Health turns degraded near the container's memory limit; the 100 MB RSS budget is a
    // performance target tracked by the budget monitor and its alert, not a health condition.
    HEALTH_MEMORY_DEGRADED_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(450 * 1024 * 1024),
    LOG_LEVEL: z.enum(["error", "warn", "info", "http", "verbose", "debug", "silly"]).default("info"),
    LOG_DIR: z.string().optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== "production") return;
    // Production never runs on a development default.
    if (!env.JWT_SECRET) ctx.addIssue({ code: "custom", path: ["JWT_SECRET"], message: "is required in production" });
    if (!env.ENCRYPTION_KEYS) {
      ctx.addIssue({ code: "custom", path: ["ENCRYPTION_KEYS"], message: "is required in production" });
    }
    if (env.CORS_ORIGINS.includes("*")) {
      ctx.addIssue({ code: "custom", path: ["CORS_ORIGINS"], message: "must list origins, not *" });
    }
  });

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/** Parses the environment, listing every invalid variable at once (names and reasons, never values). */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = envSchema.safeParse(source);
  if (parsed.success) return parsed.data;
  throw new EnvError(
    parsed.error.issues.map(
      (i) =>
        `${i.path.join(".") || "(root)"}: ${i.code === "invalid_type" && i.input === undefined ? "is required" : i.message}`,
    ),
  );
}

export function readEnv(): Env {
  return parseEnv(process.env);
}
