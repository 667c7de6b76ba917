import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { request } from "node:http";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "@taskmaster/db/testing";
import { expectedSecurityHeaders } from "@taskmaster/security";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestServer, type TestServer } from "../src/testing";
import { browserClient, codeOf, errorOf, strongPassword } from "./support/client";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
let db: TestDatabase;
const servers: TestServer[] = [];
const start = async (env: Record<string, string> = {}) => {
  const s = await startTestServer({ databaseUrl: db.appUrl, env });
  servers.push(s);
  return s;
};

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  for (const s of servers) await s.stop();
  await db?.drop();
});

describe("security headers", () => {
  test("/, /trpc/* and /api/health carry exactly the policy's headers and no X-Powered-By", async () => {
    const s = await start();
    const expected = expectedSecurityHeaders({ upgradeInsecureRequests: false });
    for (const p of ["/", "/trpc/projects.list", "/api/health", "/api/health/live"]) {
      const res = await fetch(`${s.url}${p}`);
      for (const [name, value] of Object.entries(expected))
        expect([p, name, res.headers.get(name)]).toEqual([p, name, value]);
      expect(res.headers.get("x-powered-by")).toBeNull();
      expect(res.headers.get("x-request-id")).toMatch(/^[\w-]{8,64}$/);
    }
    const csp = expected["content-security-policy"] ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  test("a cross-site form post with the victim's cookies is refused with 403", async () => {
    const s = await start({ CORS_ORIGINS: "https://app.example.com" });
    const victim = browserClient(s.url);
    await victim.client.auth.signUp.mutate({ email: "csrf@example.com", password: strongPassword, displayName: "V" });
    const cookie = [...victim.jar].map(([k, v]) => `${k}=${v}`).join("; ");
    const forged = await fetch(`${s.url}/trpc/projects.create`, {
      method: "POST",
      headers: { cookie, origin: "https://evil.example", "content-type": "text/plain" },
      body: JSON.stringify({ name: "forged" }),
    });
    expect(forged.status).toBe(403);
    expect((await victim.client.projects.list.query()).map((p) => p.name)).not.toContain("forged");
  });

  test("production redirects plain HTTP to HTTPS only when a trusted proxy says so", async () => {
    const s = await start({
      NODE_ENV: "production",
      TRUSTED_PROXIES: "127.0.0.1",
      CORS_ORIGINS: "https://app.example.com",
    });
    // fetch() may not set Host, so this request goes through node:http.
    const viaProxy = await new Promise<{ status?: number; location?: string }>((resolve, reject) => {
      const headers = { "x-forwarded-proto": "http", host: "app.example.com" };
      const req = request(`${s.url}/projects?x=1`, { headers }, (res) => {
        res.resume();
        resolve({ status: res.statusCode, location: res.headers.location });
      });
      req.on("error", reject);
      req.end();
    });
    expect(viaProxy).toEqual({ status: 301, location: "https://app.example.com/projects?x=1" });
    const secure = await fetch(`${s.url}/projects`, {
      headers: { "x-forwarded-proto": "https" },
      redirect: "manual",
    });
    expect([secure.status, secure.headers.get("location")]).toEqual([404, null]);
    // Health probes come over plain HTTP and must see the real status, never a redirect.
    const probe = await fetch(`${s.url}/api/health/live`, { redirect: "manual" });
    expect(probe.status).toBe(200);
    const scrape = await fetch(`${s.url}/metrics`, { redirect: "manual" });
    expect(scrape.status).not.toBe(301);
    const dev = await start();
    const devRes = await fetch(`${dev.url}/api/health/live`, {
      headers: { "x-forwarded-proto": "http" },
      redirect: "manual",
    });
    expect(devRes.status).toBe(200);
  });

  test("SQL injection strings are stored verbatim as data and never executed", async () => {
    const s = await start();
    const { client } = browserClient(s.url);
    await client.auth.signUp.mutate({ email: "sqli@example.com", password: strongPassword, displayName: "Q" });
    const p = await client.projects.create.mutate({ name: "x'); drop table tasks; --" });
    const t = await client.tasks.create.mutate({
      projectId: p.id,
      title: "1' or '1'='1",
      tags: ["'; delete from users; --"],
    });
    expect((await client.tasks.get.query({ id: t.id })).title).toBe("1' or '1'='1");
    expect((await client.tasks.list.query({ projectId: p.id, search: "' or 1=1 --" })).items).toHaveLength(1);
    const admin = postgres(db.adminUrl, { max: 1, onnotice: () => {} });
    try {
      const [row] = await admin`select count(*)::int as n from users`;
      expect(row?.n).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
  });

  test("a __proto__ payload is rejected before it reaches a procedure", async () => {
    const s = await start();
    const res = await fetch(`${s.url}/trpc/auth.signIn`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-taskmaster-client": "web", origin: s.url },
      body: '{"email":"a@b.co","password":"x","__proto__":{"admin":true}}',
    });
    expect(res.status).toBe(400);
  });
});

describe("rate limits through the API", () => {
  test("the 6th failed sign-in for one email+IP is refused with Retry-After; a success resets; other emails are unaffected", async () => {
    const s = await start({ REDIS_URL });
    const { client } = browserClient(s.url);
    await client.auth.signUp.mutate({ email: "brute@example.com", password: strongPassword, displayName: "B" });
    const attempt = () =>
      browserClient(s.url).client.auth.signIn.mutate({ email: "brute@example.com", password: "Wrong-pass-1!" });
    for (let i = 0; i < 4; i++) expect(await codeOf(attempt())).toBe("UNAUTHORIZED");
    // A success clears the failures: five more wrong attempts are needed again.
    await browserClient(s.url).client.auth.signIn.mutate({ email: "brute@example.com", password: strongPassword });
    for (let i = 0; i < 5; i++) expect(await codeOf(attempt())).toBe("UNAUTHORIZED");
    const limited = await errorOf(attempt());
    expect(limited.data?.code).toBe("TOO_MANY_REQUESTS");
    expect(limited.data?.retryAfter).toBeGreaterThan(0);
    // Even the right password is refused while locked out.
    expect(
      await codeOf(
        browserClient(s.url).client.auth.signIn.mutate({ email: "brute@example.com", password: strongPassword }),
      ),
    ).toBe("TOO_MANY_REQUESTS");
    const raw = await fetch(`${s.url}/trpc/auth.signIn`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-taskmaster-client": "web", origin: s.url },
      body: JSON.stringify({ email: "brute@example.com", password: "Wrong-pass-1!" }),
    });
    expect(raw.status).toBe(429);
    expect(Number(raw.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(raw.headers.get("ratelimit-policy")).toContain("authFailures");
    expect(
      await codeOf(
        browserClient(s.url).client.auth.signIn.mutate({ email: "other@example.com", password: "Wrong-pass-1!" }),
      ),
    ).toBe("UNAUTHORIZED");
  });

  test("the 101st API call of a user is refused, and two instances on one Redis share that limit", async () => {
    const prefix = `shared:${randomBytes(4).toString("hex")}`;
    // Two replicas of one deployment: same Redis, same key prefix, same token secret.
    const env = {
      REDIS_URL,
      RATE_LIMIT_API_POINTS: "100",
      RATE_LIMIT_KEY_PREFIX: prefix,
      JWT_SECRET: randomBytes(32).toString("hex"),
    };
    const a = await start(env);
    const b = await start(env);
    const onA = browserClient(a.url, { batch: false });
    await onA.client.auth.signUp.mutate({ email: "busy@example.com", password: strongPassword, displayName: "Busy" });
    const onB = browserClient(b.url, { batch: false });
    for (const [k, v] of onA.jar) onB.jar.set(k, v);
    for (let i = 0; i < 50; i++) await onA.client.projects.list.query();
    for (let i = 0; i < 50; i++) await onB.client.projects.list.query();
    const err = await errorOf(onA.client.projects.list.query());
    expect(err.data?.code).toBe("TOO_MANY_REQUESTS");
    expect(await codeOf(onB.client.projects.list.query())).toBe("TOO_MANY_REQUESTS");
  });

  test("with Redis unreachable, limits still apply from memory and nothing answers 500", async () => {
    const s = await start({ REDIS_URL: "redis://127.0.0.1:1", RATE_LIMIT_API_POINTS: "20" });
    const { client } = browserClient(s.url, { batch: false });
    await client.auth.signUp.mutate({ email: "offline@example.com", password: strongPassword, displayName: "O" });
    const codes: string[] = [];
    for (let i = 0; i < 22; i++) {
      codes.push(
        await client.projects.list.query().then(
          () => "OK",
          (e) => String(e.data?.code),
        ),
      );
    }
    expect(codes.slice(0, 20)).toEqual(Array(20).fill("OK"));
    expect(codes.slice(20)).toEqual(["TOO_MANY_REQUESTS", "TOO_MANY_REQUESTS"]);
    const health = await fetch(`${s.url}/api/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { services: { redis: { status: string } } }).services.redis.status).toBe(
      "degraded",
    );
  });

  test("the global per-IP limit answers 429 with the standard headers and JSON body, but never for health", async () => {
    const s = await start({ RATE_LIMIT_IP_POINTS: "5" });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await fetch(`${s.url}/trpc/projects.list`)).status);
    expect(statuses.slice(0, 5)).not.toContain(429);
    const res = await fetch(`${s.url}/trpc/projects.list`);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(res.headers.get("ratelimit")).toBeTruthy();
    expect(await res.json()).toMatchObject({ error: expect.any(String), retryAfter: expect.any(Number) });
    expect((await fetch(`${s.url}/api/health/live`)).status).toBe(200);
    expect((await fetch(`${s.url}/api/health`)).status).toBe(200);
  });
});

describe("environment", () => {
  test("production without secrets exits non-zero naming each missing variable, printing no values", () => {
    const out = spawnSync(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "../src/server.ts")], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: "production",
        DATABASE_URL: "postgres://app_api:hunter2-db-password@127.0.0.1:1/x",
        CORS_ORIGINS: "*",
        OTEL_SDK_DISABLED: "true",
      },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(out.status).not.toBe(0);
    const text = out.stdout + out.stderr;
    expect(text).toMatch(/JWT_SECRET: is required in production/);
    expect(text).toMatch(/ENCRYPTION_KEYS: is required in production/);
    expect(text).toMatch(/CORS_ORIGINS: must list origins/);
    expect(text).not.toContain("hunter2");
  });
});
