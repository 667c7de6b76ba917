import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { z } from "zod";
import { generateKey } from "../src/crypto";
import {
  booleanString,
  EnvError,
  keyringString,
  loadEnvOrExit,
  originList,
  parseEnv,
  port,
  proxyList,
  refuseDevDefaultsInProduction,
  secretString,
} from "../src/env";

const schema = z.object({
  PORT: port(3000),
  JWT_SECRET: secretString(32),
  ENCRYPTION_KEYS: keyringString,
  CORS_ORIGINS: originList,
  REQUIRE_MFA: booleanString(false),
  TRUSTED_PROXIES: proxyList.optional(),
});

function envError(fn: () => unknown): EnvError {
  try {
    fn();
  } catch (err) {
    if (err instanceof EnvError) return err;
    throw err;
  }
  throw new Error("expected an EnvError");
}

describe("parseEnv", () => {
  test("parses and converts valid variables, with defaults", () => {
    const key = generateKey();
    const env = parseEnv(schema, {
      JWT_SECRET: "x".repeat(32),
      ENCRYPTION_KEYS: `k1:${key}`,
      CORS_ORIGINS: "https://app.example.com, http://localhost:5173",
      TRUSTED_PROXIES: "loopback,10.0.0.0/8",
    });
    expect(env.PORT).toBe(3000);
    expect(env.REQUIRE_MFA).toBe(false);
    expect(env.ENCRYPTION_KEYS.activeKeyId).toBe("k1");
    expect(env.CORS_ORIGINS).toEqual(["https://app.example.com", "http://localhost:5173"]);
    expect(env.TRUSTED_PROXIES).toEqual(["loopback", "10.0.0.0/8"]);
  });

  test("lists every bad variable at once, by name, without secret values", () => {
    const shortSecret = "tiny-secret-value";
    const shortKey = Buffer.alloc(16, 7).toString("base64");
    const error = envError(() =>
      parseEnv(schema, {
        PORT: "99999",
        JWT_SECRET: shortSecret,
        ENCRYPTION_KEYS: `k1:${shortKey}`,
        CORS_ORIGINS: "*",
        REQUIRE_MFA: "maybe",
        TRUSTED_PROXIES: "proxy.local",
      }),
    );
    expect(error.issues.map((i) => i.name)).toEqual([
      "PORT",
      "JWT_SECRET",
      "ENCRYPTION_KEYS",
      "CORS_ORIGINS",
      "REQUIRE_MFA",
      "TRUSTED_PROXIES",
    ]);
    expect(error.message).toContain("JWT_SECRET: must be at least 32 bytes long");
    expect(error.message).toContain('ENCRYPTION_KEYS: Encryption key "k1" must decode to 32 bytes, got 16');
    expect(error.message).not.toContain(shortSecret);
    expect(error.message).not.toContain(shortKey);
  });

  test("production checks run alongside the schema and do not repeat what it already reported", () => {
    const error = envError(() =>
      parseEnv(
        schema,
        { NODE_ENV: "production", JWT_SECRET: "s", CORS_ORIGINS: "https://a.example" },
        {
          checks: [refuseDevDefaultsInProduction()],
        },
      ),
    );
    expect(error.issues).toEqual([
      { name: "JWT_SECRET", message: "must be at least 32 bytes long" },
      { name: "ENCRYPTION_KEYS", message: "is required but not set" },
    ]);
    const prodOnly = envError(() =>
      parseEnv(
        z.object({ NODE_ENV: z.string(), CORS_ORIGINS: z.string() }),
        { NODE_ENV: "production", CORS_ORIGINS: "*" },
        {
          checks: [refuseDevDefaultsInProduction()],
        },
      ),
    );
    expect(prodOnly.issues.map((i) => i.name)).toEqual(["ENCRYPTION_KEYS", "JWT_SECRET", "CORS_ORIGINS"]);
  });

  test("missing and empty variables are reported as not set", () => {
    const error = envError(() => parseEnv(schema, { JWT_SECRET: "", CORS_ORIGINS: "https://a.example" }));
    expect(error.issues).toEqual([
      { name: "JWT_SECRET", message: "is required but not set" },
      { name: "ENCRYPTION_KEYS", message: "is required but not set" },
    ]);
  });

  test("production refuses dev defaults: missing keys, short JWT secret, * CORS, leftover dev values", () => {
    const check = refuseDevDefaultsInProduction({ devDefaults: { DEMO_PASSWORD: "demo1234" } });
    const issues = check({
      NODE_ENV: "production",
      JWT_SECRET: "short",
      CORS_ORIGINS: "https://a.com,*",
      DEMO_PASSWORD: "demo1234",
    });
    expect(issues.map((i) => i.name)).toEqual(["ENCRYPTION_KEYS", "JWT_SECRET", "CORS_ORIGINS", "DEMO_PASSWORD"]);
    expect(JSON.stringify(issues)).not.toContain("demo1234");
    expect(check({ NODE_ENV: "development" })).toEqual([]);
  });

  test("loadEnvOrExit prints the problems and exits 1", () => {
    const printed: string[] = [];
    const exit = (code: number): never => {
      throw new Error(`exit ${code}`);
    };
    expect(() => loadEnvOrExit(schema, {}, { exit, log: (m) => printed.push(m) })).toThrow("exit 1");
    expect(printed[0]).toMatch(/JWT_SECRET: is required but not set/);
  });
});

describe("start-up in a real process", () => {
  const fixture = path.join(import.meta.dirname, "fixtures", "start-with-env.ts");
  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, ["--import", "tsx", fixture], {
      env: { PATH: process.env.PATH ?? "", ...env },
      encoding: "utf8",
      timeout: 20_000,
    });

  test("a missing secret in production exits non-zero naming it and printing no values", () => {
    const weakSecret = "only-sixteen-byt";
    const result = run({ NODE_ENV: "production", JWT_SECRET: weakSecret, CORS_ORIGINS: "https://app.example.com" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("ENCRYPTION_KEYS: is required but not set");
    expect(result.stderr.match(/ENCRYPTION_KEYS/g)).toHaveLength(1);
    expect(result.stderr).toContain("JWT_SECRET: must be at least 32 bytes");
    expect(result.stderr).not.toContain(weakSecret);
    expect(result.stdout).not.toContain("started");
  });

  test("the same program starts when the environment is complete", () => {
    const result = run({
      NODE_ENV: "production",
      JWT_SECRET: "y".repeat(48),
      ENCRYPTION_KEYS: `k7:${generateKey()}`,
      CORS_ORIGINS: "https://app.example.com",
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toBe("started on port 3000 with key k7\n");
  });
});
