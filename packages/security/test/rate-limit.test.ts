import { describe, expect, test } from "vitest";
import {
  createRateLimiters,
  DEFAULT_POLICIES,
  type DecisionEvent,
  RateLimitedError,
  rateLimitHeaders,
  rateLimitMiddleware,
  resolvePolicies,
  slowDownDelayMs,
} from "../src/rate-limit";
import { serve } from "./http-helpers";
import { connectRedis, deadRedis, REDIS_URL, uniquePrefix } from "./redis-helpers";

const EMAIL = "Ada@Example.com";

async function rejection(promise: Promise<unknown>): Promise<RateLimitedError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof RateLimitedError) return err;
    throw err;
  }
  throw new Error("expected the request to be rate limited");
}

describe(`rate limiting on the real Redis (${REDIS_URL})`, () => {
  test("the 6th sign-in attempt after 5 failures for one email+IP is refused for the block time; another IP is not", async () => {
    const limiters = createRateLimiters({ redis: await connectRedis(), keyPrefix: uniquePrefix() });
    const { points, blockSeconds } = DEFAULT_POLICIES.authFailures;
    for (let i = 1; i <= points; i++) {
      await limiters.auth.check(EMAIL, "203.0.113.7");
      const d = await limiters.auth.recordFailure(EMAIL, "203.0.113.7");
      expect(d.remaining).toBe(points - i);
    }
    const refused = await rejection(limiters.auth.check(EMAIL, "203.0.113.7"));
    expect(refused.policy).toBe("authFailures");
    expect(refused.retryAfterSeconds).toBeGreaterThan(blockSeconds - 5);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(blockSeconds);
    // Same email, case and spacing aside, is the same account.
    await expect(limiters.auth.check(" ada@example.COM", "203.0.113.7")).rejects.toBeInstanceOf(RateLimitedError);
    await expect(limiters.auth.check(EMAIL, "198.51.100.9")).resolves.toBeUndefined();
  });

  test("a successful sign-in resets the email+IP failure counter", async () => {
    const limiters = createRateLimiters({ redis: await connectRedis(), keyPrefix: uniquePrefix() });
    const ip = "2001:db8::1";
    for (let i = 0; i < 4; i++) await limiters.auth.recordFailure(EMAIL, ip);
    await limiters.auth.recordSuccess(EMAIL, ip);
    for (let i = 0; i < 4; i++) {
      await limiters.auth.check(EMAIL, ip);
      await limiters.auth.recordFailure(EMAIL, ip);
    }
    await expect(limiters.auth.check(EMAIL, ip)).resolves.toBeUndefined();
    await limiters.auth.recordFailure(EMAIL, ip);
    await expect(limiters.auth.check(EMAIL, ip)).rejects.toBeInstanceOf(RateLimitedError);
  });

  test("the per-IP daily cap refuses an IP that fails across many emails", async () => {
    const limiters = createRateLimiters({
      redis: await connectRedis(),
      keyPrefix: uniquePrefix(),
      policies: { authDaily: { points: 7 } },
    });
    for (let i = 0; i < 7; i++) await limiters.auth.recordFailure(`user${i}@example.com`, "192.0.2.5");
    const refused = await rejection(limiters.auth.check("fresh@example.com", "192.0.2.5"));
    expect(refused.policy).toBe("authDaily");
  });

  test("the 101st api call in the window is refused with a retry time", async () => {
    const events: DecisionEvent[] = [];
    const limiters = createRateLimiters({
      redis: await connectRedis(),
      keyPrefix: uniquePrefix(),
      onDecision: (d) => events.push(d),
    });
    const limit = DEFAULT_POLICIES.api.points;
    for (let i = 1; i <= limit; i++) {
      const d = await limiters.api.consume("user-1", { keyKind: "user" });
      expect(d.remaining).toBe(limit - i);
    }
    const refused = await rejection(limiters.api.consume("user-1", { keyKind: "user" }));
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(DEFAULT_POLICIES.api.durationSeconds);
    expect(events.filter((e) => e.outcome === "allowed")).toHaveLength(limit);
    expect(events.at(-1)).toMatchObject({ policy: "api", keyKind: "user", outcome: "limited", insurance: false });
    expect(JSON.stringify(events)).not.toContain("user-1");
    await expect(limiters.api.consume("user-2")).resolves.toMatchObject({ allowed: true });
  });

  test("two API instances on one Redis share one limit", async () => {
    const prefix = uniquePrefix();
    const a = createRateLimiters({ redis: await connectRedis(), keyPrefix: prefix });
    const b = createRateLimiters({ redis: await connectRedis(), keyPrefix: prefix });
    const limit = DEFAULT_POLICIES.api.points;
    await Promise.all(
      Array.from({ length: limit }, (_, i) => (i % 2 === 0 ? a : b).api.consume("203.0.113.50", { keyKind: "ip" })),
    );
    await expect(a.api.consume("203.0.113.50")).rejects.toBeInstanceOf(RateLimitedError);
    await expect(b.api.consume("203.0.113.50")).rejects.toBeInstanceOf(RateLimitedError);
  });

  test("with Redis unreachable the insurance limiter still limits and nothing throws", async () => {
    const events: DecisionEvent[] = [];
    const limiters = createRateLimiters({
      redis: deadRedis(),
      keyPrefix: uniquePrefix(),
      onDecision: (d) => events.push(d),
    });
    const limit = DEFAULT_POLICIES.api.points;
    for (let i = 0; i < limit; i++) await limiters.api.consume("user-1", { keyKind: "user" });
    const refused = await rejection(limiters.api.consume("user-1", { keyKind: "user" }));
    expect(refused.decision.outcome).toBe("insurance_limited");
    expect(events.slice(0, limit).every((e) => e.outcome === "insurance_allowed")).toBe(true);
    for (let i = 0; i < DEFAULT_POLICIES.authFailures.points; i++)
      await limiters.auth.recordFailure(EMAIL, "192.0.2.1");
    await expect(limiters.auth.check(EMAIL, "192.0.2.1")).rejects.toBeInstanceOf(RateLimitedError);
  });

  test("when Redis goes away mid-run, insurance takes over without errors", async () => {
    const redis = await connectRedis();
    const events: DecisionEvent[] = [];
    const limiters = createRateLimiters({ redis, keyPrefix: uniquePrefix(), onDecision: (d) => events.push(d) });
    await limiters.vitals.consume("192.0.2.9");
    redis.disconnect();
    await expect(limiters.vitals.consume("192.0.2.9")).resolves.toMatchObject({ allowed: true, insurance: true });
    expect(events.map((e) => e.outcome)).toEqual(["allowed", "insurance_allowed"]);
  });

  test("without Redis, memory-only limiters enforce the same policies", async () => {
    const limiters = createRateLimiters({ policies: { heavy: { points: 2 } } });
    expect(limiters.store).toBe("memory");
    await limiters.heavy.consume("u");
    await limiters.heavy.consume("u");
    const refused = await rejection(limiters.heavy.consume("u"));
    expect(refused.decision.outcome).toBe("limited");
    expect(refused.limit).toBe(2);
  });
});

describe("rate-limit middleware", () => {
  const prefix = uniquePrefix();
  const base = (async () => {
    const limiters = createRateLimiters({
      redis: await connectRedis(),
      keyPrefix: prefix,
      policies: { api: { points: 3, durationSeconds: 60 } },
    });
    return serve((app) => {
      app.use(
        rateLimitMiddleware(limiters.api, {
          keyOf: (req) => ({ key: String(req.headers["x-test-client"] ?? req.ip), kind: "ip" }),
          skip: (req) => req.path.startsWith("/api/health"),
        }),
      );
      app.get("/api/health", (_req, res) => {
        res.json({ ok: true });
      });
      app.get("/thing", (_req, res) => {
        res.json({ ok: true });
      });
    });
  })();

  test("allowed responses carry the RateLimit headers; the 4th of 3 gets 429 with Retry-After and the JSON body", async () => {
    const url = `${await base}/thing`;
    const headers = { "x-test-client": "client-a" };
    const first = await fetch(url, { headers });
    expect(first.status).toBe(200);
    expect(first.headers.get("ratelimit-policy")).toBe('"api";q=3;w=60');
    expect(first.headers.get("ratelimit")).toMatch(/^"api";r=2;t=(59|60)$/);
    expect(first.headers.get("ratelimit-limit")).toBe("3");
    expect(first.headers.get("ratelimit-remaining")).toBe("2");
    expect(first.headers.get("retry-after")).toBeNull();
    await fetch(url, { headers });
    await fetch(url, { headers });
    const limited = await fetch(url, { headers });
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers.get("ratelimit")).toBe(`"api";r=0;t=${retryAfter}`);
    expect(limited.headers.get("ratelimit-remaining")).toBe("0");
    expect(await limited.json()).toEqual({ error: "Too many requests", retryAfter });
    expect((await fetch(url, { headers: { "x-test-client": "client-b" } })).status).toBe(200);
  });

  test("health checks are never limited", async () => {
    const url = `${await base}/api/health`;
    for (let i = 0; i < 6; i++) {
      const res = await fetch(url, { headers: { "x-test-client": "client-h" } });
      expect(res.status).toBe(200);
      expect(res.headers.get("ratelimit")).toBeNull();
    }
  });

  test("progressive slow-down delays clients past the threshold, bounded", async () => {
    const policy = { afterPoints: 2, stepMs: 150, maxDelayMs: 300 };
    expect([1, 2, 3, 4, 10].map((n) => slowDownDelayMs(n, policy))).toEqual([0, 0, 150, 300, 300]);
    const limiters = createRateLimiters({ keyPrefix: uniquePrefix() });
    const url = await serve((app) => {
      app.use(rateLimitMiddleware(limiters.api, { keyOf: () => "one-client", slowDown: policy }));
      app.get("/", (_req, res) => {
        res.send("ok");
      });
    });
    const timed = async () => {
      const start = performance.now();
      await (await fetch(url)).text();
      return performance.now() - start;
    };
    const fast = await timed();
    await timed();
    const slowed = await timed();
    expect(fast).toBeLessThan(140);
    expect(slowed).toBeGreaterThanOrEqual(145);
  });
});

describe("policies and headers", () => {
  test("defaults match SPEC §4 and overrides are validated", () => {
    expect(DEFAULT_POLICIES.api).toMatchObject({ points: 100, durationSeconds: 900 });
    expect(DEFAULT_POLICIES.authFailures).toMatchObject({ points: 5, durationSeconds: 900, blockSeconds: 900 });
    expect(DEFAULT_POLICIES.heavy).toMatchObject({ points: 10, durationSeconds: 3600 });
    expect(resolvePolicies({ api: { points: 500 } }).api).toMatchObject({ points: 500, durationSeconds: 900 });
    expect(() => resolvePolicies({ api: { points: 0 } })).toThrow(/api.points must be a positive integer/);
    expect(() => resolvePolicies({ vitals: { durationSeconds: 1.5 } })).toThrow(/vitals.durationSeconds/);
  });

  test("rateLimitHeaders formats the IETF draft fields and the legacy trio", () => {
    expect(
      rateLimitHeaders({
        policy: "api",
        keyKind: "user",
        outcome: "limited",
        allowed: false,
        insurance: false,
        limit: 100,
        remaining: 0,
        consumed: 101,
        windowSeconds: 900,
        resetSeconds: 42,
        retryAfterSeconds: 42,
      }),
    ).toEqual({
      "RateLimit-Policy": '"api";q=100;w=900',
      RateLimit: '"api";r=0;t=42',
      "RateLimit-Limit": "100",
      "RateLimit-Remaining": "0",
      "RateLimit-Reset": "42",
      "Retry-After": "42",
    });
  });
});
