/**
 * Environment validation helpers. Each app declares one zod schema; start-up
 * reports every bad variable at once and exits, and values of secrets never
 * reach the output.
 */
import { z } from "zod";
import { type Keyring, parseKeyring } from "./crypto/keyring";
import { normalizeOrigins } from "./http/origins";
import { trustedProxies } from "./http/proxies";
import { isSecretKey } from "./redact";

export type EnvSource = Record<string, string | undefined>;
export interface EnvIssue {
  name: string;
  message: string;
}
/** A check over the raw variables that needs more than one of them (e.g. production rules). */
export type EnvCheck = (source: EnvSource) => EnvIssue[];

export class EnvError extends Error {
  override readonly name = "EnvError";
  constructor(readonly issues: EnvIssue[]) {
    super(
      `Invalid environment (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n${issues
        .map((i) => `  - ${i.name}: ${i.message}`)
        .join("\n")}`,
    );
  }
}

// Remove the raw value from a message, in case a validator quoted it.
function scrub(message: string, value: string | undefined): string {
  return value && value.length >= 3 ? message.split(value).join("[REDACTED]") : message;
}

/**
 * Validates `source` (default process.env) against `schema`. Empty strings
 * count as unset. Throws EnvError listing every problem, by variable name,
 * never with a secret's value.
 */
export function parseEnv<S extends z.ZodType>(
  schema: S,
  source: EnvSource = process.env,
  options: { checks?: EnvCheck[] } = {},
): z.output<S> {
  const cleaned: EnvSource = {};
  for (const [k, v] of Object.entries(source)) if (v !== undefined && v !== "") cleaned[k] = v;

  const issues: EnvIssue[] = [];
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const name = issue.path.length > 0 ? String(issue.path[0]) : "(environment)";
      const unset = cleaned[name] === undefined;
      const message = unset && issue.code === "invalid_type" ? "is required but not set" : issue.message;
      issues.push({ name, message: scrub(message, cleaned[name]) });
    }
  }
  // A variable the schema already rejected is not reported again by the checks.
  const reported = new Set(issues.map((i) => i.name));
  for (const check of options.checks ?? []) {
    for (const issue of check(cleaned)) {
      if (!reported.has(issue.name)) issues.push({ ...issue, message: scrub(issue.message, cleaned[issue.name]) });
    }
  }
  // One line per variable+reason, in the order they were found.
  const unique = [...new Map(issues.map((i) => [`${i.name}\u0000${i.message}`, i])).values()];
  if (unique.length > 0) throw new EnvError(unique);
  return (result as { data: z.output<S> }).data;
}

/**
 * parseEnv for start-up: on failure prints the EnvError message to stderr
 * and exits with code 1 (a misconfigured service must not half-start).
 */
export function loadEnvOrExit<S extends z.ZodType>(
  schema: S,
  source: EnvSource = process.env,
  options: { checks?: EnvCheck[]; exit?: (code: number) => never; log?: (message: string) => void } = {},
): z.output<S> {
  try {
    return parseEnv(schema, source, options);
  } catch (err) {
    if (!(err instanceof EnvError)) throw err;
    (options.log ?? ((m: string) => process.stderr.write(`${m}\n`)))(err.message);
    return (options.exit ?? process.exit)(1);
  }
}

// ------------------------------------------------------------ field helpers

/** A secret of at least `minBytes` bytes (UTF-8). */
export function secretString(minBytes: number) {
  return z
    .string({ error: "is required but not set" })
    .refine((s) => Buffer.byteLength(s) >= minBytes, { error: `must be at least ${minBytes} bytes long` });
}

/** `ENCRYPTION_KEYS`: `id:base64key[,id:base64key...]`, parsed into a Keyring (first key active). */
export const keyringString = z.string({ error: "is required but not set" }).transform((spec, ctx): Keyring => {
  try {
    return parseKeyring(spec);
  } catch (err) {
    // KeyringError messages name key ids only, never key material.
    ctx.addIssue({ code: "custom", message: err instanceof Error ? err.message : "is not a valid keyring" });
    return z.NEVER;
  }
});

/** Comma-separated origins (`https://app.example.com,http://localhost:5173`); `*` is refused. */
export const originList = z.string({ error: "is required but not set" }).transform((value, ctx): string[] => {
  try {
    return [...normalizeOrigins(value.split(","))];
  } catch (err) {
    ctx.addIssue({ code: "custom", message: err instanceof Error ? err.message : "is not a list of origins" });
    return z.NEVER;
  }
});

/** Comma-separated IPs/CIDRs/`loopback` of trusted reverse proxies. */
export const proxyList = z.string().transform((value, ctx): string[] => {
  const list = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  try {
    trustedProxies(list);
    return list;
  } catch (err) {
    ctx.addIssue({ code: "custom", message: err instanceof Error ? err.message : "is not a proxy list" });
    return z.NEVER;
  }
});

const TRUE = new Set(["true", "1", "yes", "on"]);
const FALSE = new Set(["false", "0", "no", "off"]);

/** `true/false/1/0/yes/no/on/off` (any case) as a boolean; `defaultValue` when unset. */
export function booleanString(defaultValue?: boolean) {
  const parse = z.string().transform((value, ctx): boolean => {
    const v = value.trim().toLowerCase();
    if (TRUE.has(v)) return true;
    if (FALSE.has(v)) return false;
    ctx.addIssue({ code: "custom", message: "must be true or false" });
    return z.NEVER;
  });
  return defaultValue === undefined ? parse : parse.optional().transform((v) => v ?? defaultValue);
}

/** A TCP port 1-65535; `defaultValue` when unset. */
export function port(defaultValue?: number) {
  const parse = z
    .string()
    .regex(/^\d+$/, { error: "must be a port number" })
    .transform(Number)
    .refine((n) => n >= 1 && n <= 65_535, { error: "must be between 1 and 65535" });
  return defaultValue === undefined ? parse : parse.optional().transform((v) => v ?? defaultValue);
}

export const nodeEnv = z
  .enum(["development", "test", "production"], { error: "must be development, test or production" })
  .default("development");

// ------------------------------------------------------------ production rules

export interface ProductionRules {
  nodeEnv?: string;
  encryptionKeys?: string;
  jwtSecret?: string;
  corsOrigins?: string;
  /** Values shipped for development (e.g. in .env.example) that must never run in production. */
  devDefaults?: Record<string, string>;
  minJwtSecretBytes?: number;
}

/**
 * In production (NODE_ENV=production) refuses what is fine on a laptop:
 * no encryption keys, a JWT secret under 32 bytes, `*` in CORS origins, or
 * any variable still set to its development default. An EnvCheck for parseEnv.
 */
export function refuseDevDefaultsInProduction(rules: ProductionRules = {}): EnvCheck {
  const names = {
    nodeEnv: rules.nodeEnv ?? "NODE_ENV",
    keys: rules.encryptionKeys ?? "ENCRYPTION_KEYS",
    jwt: rules.jwtSecret ?? "JWT_SECRET",
    cors: rules.corsOrigins ?? "CORS_ORIGINS",
  };
  const minJwt = rules.minJwtSecretBytes ?? 32;
  return (env) => {
    if (env[names.nodeEnv] !== "production") return [];
    const issues: EnvIssue[] = [];
    if (!env[names.keys]) issues.push({ name: names.keys, message: "is required in production (no default key)" });
    const jwt = env[names.jwt];
    if (!jwt) issues.push({ name: names.jwt, message: "is required in production" });
    else if (Buffer.byteLength(jwt) < minJwt) {
      issues.push({ name: names.jwt, message: `must be at least ${minJwt} bytes in production` });
    }
    if (env[names.cors]?.split(",").some((o) => o.trim() === "*")) {
      issues.push({ name: names.cors, message: "must not contain * in production" });
    }
    for (const [name, devValue] of Object.entries(rules.devDefaults ?? {})) {
      if (env[name] === devValue) {
        issues.push({
          name,
          message: `is still set to its development default${isSecretKey(name) ? "" : ` (${devValue})`}`,
        });
      }
    }
    return issues;
  };
}
