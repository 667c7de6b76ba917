import type { IncomingMessage } from "node:http";
import { describe, expect, test } from "vitest";
import {
  CLIENT_HEADER,
  clientIp,
  corsPolicy,
  csrfGuard,
  expectedSecurityHeaders,
  httpsRedirect,
  normalizeOrigins,
  requestId,
  securityHeaders,
  trustedProxies,
} from "../src/http";
import { rawRequest, serve } from "./http-helpers";

const APP_ORIGIN = "https://app.taskmaster.test";

describe("security headers", () => {
  const base = serve((app) => {
    app.use(securityHeaders());
    app.get("/", (_req, res) => {
      res.send("<!doctype html><title>x</title>");
    });
    app.get("/api/health", (_req, res) => {
      res.json({ status: "healthy" });
    });
  });

  test("every header has exactly the policy value, on HTML and JSON responses alike", async () => {
    const expected = {
      "content-security-policy":
        "default-src 'none';script-src 'self';style-src 'self';img-src 'self' data:;font-src 'self';" +
        "connect-src 'self';manifest-src 'self';base-uri 'none';form-action 'self';frame-ancestors 'none';object-src 'none'",
      "strict-transport-security": "max-age=31536000; includeSubDomains; preload",
      "x-frame-options": "DENY",
      "x-content-type-options": "nosniff",
      "referrer-policy": "strict-origin-when-cross-origin",
      "permissions-policy": "camera=(), microphone=(), geolocation=()",
      "cross-origin-opener-policy": "same-origin",
      "cross-origin-resource-policy": "same-origin",
      "origin-agent-cluster": "?1",
      "x-dns-prefetch-control": "off",
      "x-download-options": "noopen",
      "x-permitted-cross-domain-policies": "none",
      "x-xss-protection": "0",
    };
    expect(expectedSecurityHeaders()).toEqual(expected);
    for (const path of ["/", "/api/health"]) {
      const res = await rawRequest(`${await base}${path}`);
      for (const [name, value] of Object.entries(expected)) expect(res.headers[name], `${path} ${name}`).toBe(value);
      expect(res.headers["x-powered-by"]).toBeUndefined();
      expect(res.headers["cross-origin-embedder-policy"]).toBeUndefined();
      expect(res.headers["content-security-policy"]).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    }
  });

  test("extra connect-src origins and upgrade-insecure-requests (production) are opt-in", async () => {
    const url = await serve((app) => {
      app.use(securityHeaders({ connectSrc: ["https://otel.example.com"], upgradeInsecureRequests: true }));
      app.get("/", (_req, res) => {
        res.send("ok");
      });
    });
    const csp = String((await rawRequest(url)).headers["content-security-policy"]);
    expect(csp).toContain("connect-src 'self' https://otel.example.com;");
    expect(csp.endsWith(";upgrade-insecure-requests")).toBe(true);
    expect(() => securityHeaders({ connectSrc: ["*"] })).toThrow(/not an http/);
  });
});

describe("httpsRedirect", () => {
  const setup = (enabled: boolean, proxies: string[]) =>
    serve((app) => {
      app.use(httpsRedirect({ enabled, trustedProxies: proxies }));
      app.all("/{*rest}", (_req, res) => {
        res.send("served");
      });
    });
  const trusted = setup(true, ["loopback"]);
  const untrusted = setup(true, ["10.0.0.1"]);
  const disabled = setup(false, ["loopback"]);

  test("redirects plain HTTP via a trusted proxy with 301, keeping path and query", async () => {
    const res = await rawRequest(`${await trusted}/tasks/42?view=board&x=%20y`, {
      headers: { host: "tasks.example.com:8080", "x-forwarded-proto": "http" },
    });
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe("https://tasks.example.com/tasks/42?view=board&x=%20y");
  });

  test("uses 308 for non-GET so the method and body survive", async () => {
    const res = await rawRequest(`${await trusted}/trpc/tasks.create`, {
      method: "POST",
      headers: { host: "tasks.example.com", "x-forwarded-proto": "http" },
    });
    expect(res.status).toBe(308);
  });

  test("serves requests a trusted proxy says came over HTTPS", async () => {
    const res = await rawRequest(`${await trusted}/x`, { headers: { "x-forwarded-proto": "https" } });
    expect(res.status).toBe(200);
  });

  test("ignores X-Forwarded-Proto from a peer that is not a trusted proxy", async () => {
    const res = await rawRequest(`${await untrusted}/x?y=1`, {
      headers: { host: "tasks.example.com", "x-forwarded-proto": "https" },
    });
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe("https://tasks.example.com/x?y=1");
  });

  test("does nothing when disabled (development)", async () => {
    const res = await rawRequest(`${await disabled}/x`, { headers: { "x-forwarded-proto": "http" } });
    expect(res.status).toBe(200);
  });

  test("refuses a forged Host instead of redirecting to it", async () => {
    const res = await rawRequest(`${await trusted}/x`, {
      headers: { host: "evil.com/phish?", "x-forwarded-proto": "http" },
    });
    expect(res.status).toBe(400);
    expect(res.headers.location).toBeUndefined();
  });
});

describe("clientIp and trusted proxies", () => {
  const req = (remoteAddress: string, xff?: string) =>
    ({ socket: { remoteAddress }, headers: xff ? { "x-forwarded-for": xff } : {} }) as unknown as IncomingMessage;

  test("X-Forwarded-For is ignored unless the peer is a trusted proxy", () => {
    expect(clientIp(req("198.51.100.7", "1.2.3.4"), ["10.0.0.0/8"])).toBe("198.51.100.7");
    expect(clientIp(req("10.1.2.3", "1.2.3.4"), ["10.0.0.0/8"])).toBe("1.2.3.4");
  });

  test("a spoofed leftmost X-Forwarded-For entry does not win; trusted hops are skipped from the right", () => {
    expect(clientIp(req("10.0.0.2", "6.6.6.6, 203.0.113.9, 10.0.0.5"), ["10.0.0.0/8"])).toBe("203.0.113.9");
    expect(clientIp(req("::ffff:127.0.0.1", "garbage, 203.0.113.9"), ["loopback"])).toBe("203.0.113.9");
  });

  test("IPv4-mapped and IPv6 addresses match their ranges; bad entries are rejected", () => {
    const proxies = trustedProxies(["fd00::/8", "192.168.1.10"]);
    expect(proxies.has("fd12::1")).toBe(true);
    expect(proxies.has("::ffff:192.168.1.10")).toBe(true);
    expect(proxies.has("192.168.1.11")).toBe(false);
    expect(() => trustedProxies(["10.0.0.0/33"])).toThrow(/prefix length/);
    expect(() => trustedProxies(["proxy.internal"])).toThrow(/not an IP/);
  });
});

describe("CORS allow-list", () => {
  const base = serve((app) => {
    app.use(corsPolicy({ allowedOrigins: [APP_ORIGIN] }));
    app.all("/trpc/{*rest}", (_req, res) => {
      res.json({ ok: true });
    });
  });

  test("an allowed origin is echoed with credentials, never *", async () => {
    const res = await rawRequest(`${await base}/trpc/me`, { headers: { origin: APP_ORIGIN } });
    expect(res.headers["access-control-allow-origin"]).toBe(APP_ORIGIN);
    expect(res.headers["access-control-allow-credentials"]).toBe("true");
    expect(res.headers["access-control-expose-headers"]).toContain("retry-after");
    expect(res.headers.vary).toContain("Origin");
  });

  test("a preflight from an allowed origin is answered 204 with methods and headers", async () => {
    const res = await rawRequest(`${await base}/trpc/tasks.create`, {
      method: "OPTIONS",
      headers: {
        origin: APP_ORIGIN,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers["access-control-allow-methods"]).toContain("POST");
    expect(res.headers["access-control-allow-headers"]).toContain(CLIENT_HEADER);
    expect(res.headers["access-control-max-age"]).toBe("600");
  });

  test("a disallowed origin gets no CORS headers, and its preflight a 403", async () => {
    const simple = await rawRequest(`${await base}/trpc/me`, { headers: { origin: "https://evil.example" } });
    expect(simple.headers["access-control-allow-origin"]).toBeUndefined();
    expect(simple.headers["access-control-allow-credentials"]).toBeUndefined();
    const preflight = await rawRequest(`${await base}/trpc/me`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers["access-control-allow-origin"]).toBeUndefined();
  });

  test("wildcards and non-origins are refused in the allow-list", () => {
    expect(() => corsPolicy({ allowedOrigins: ["*"] })).toThrow(/wildcards/);
    expect(() => normalizeOrigins(["https://*.example.com"])).toThrow(/wildcards/);
    expect(() => normalizeOrigins(["https://app.example.com/path"])).toThrow(/scheme:\/\/host/);
    expect([...normalizeOrigins(["https://App.Example.com:443/"])]).toEqual(["https://app.example.com"]);
  });
});

describe("CSRF guard", () => {
  const base = serve((app) => {
    app.use(csrfGuard({ allowedOrigins: [APP_ORIGIN] }));
    app.all("/trpc/{*rest}", (_req, res) => {
      res.json({ ok: true });
    });
  });
  const post = async (headers: Record<string, string>) => {
    const res = await rawRequest(`${await base}/trpc/tasks.delete`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body: "id=1",
    });
    return { status: res.status, body: JSON.parse(res.body) as { error?: string } };
  };

  test("a cross-site form POST with the session cookie is refused", async () => {
    const res = await post({ cookie: "__Host-session=abc", origin: "https://evil.example" });
    expect(res).toEqual({ status: 403, body: { error: "Cross-site request refused: origin not allowed" } });
  });

  test("an allowed origin without the client header is refused (a plain form cannot add it)", async () => {
    const res = await post({ cookie: "__Host-session=abc", origin: APP_ORIGIN });
    expect(res).toEqual({
      status: 403,
      body: { error: `Cross-site request refused: missing ${CLIENT_HEADER} header` },
    });
  });

  test("a cookie request with neither Origin nor Referer is refused", async () => {
    expect((await post({ cookie: "s=1", [CLIENT_HEADER]: "web" })).status).toBe(403);
  });

  test("an allowed origin with the client header passes; Referer stands in for a missing Origin", async () => {
    expect(await post({ cookie: "s=1", origin: APP_ORIGIN, [CLIENT_HEADER]: "web" })).toEqual({
      status: 200,
      body: { ok: true },
    });
    expect((await post({ cookie: "s=1", referer: `${APP_ORIGIN}/projects/1`, [CLIENT_HEADER]: "web" })).status).toBe(
      200,
    );
  });

  test("same-origin requests pass; safe methods and cookieless calls are not checked", async () => {
    const url = new URL(await base);
    expect((await post({ cookie: "s=1", origin: `http://${url.host}`, [CLIENT_HEADER]: "web" })).status).toBe(200);
    expect(
      (await rawRequest(`${await base}/trpc/me`, { headers: { cookie: "s=1", origin: "https://evil.example" } }))
        .status,
    ).toBe(200);
    expect((await post({ origin: "https://evil.example" })).status).toBe(200);
  });
});

describe("requestId", () => {
  const base = serve((app) => {
    app.use(requestId());
    app.get("/", (req, res) => {
      res.json({ id: req.requestId, local: res.locals.requestId });
    });
  });

  test("keeps a sane incoming id and echoes it", async () => {
    const res = await rawRequest(`${await base}/`, { headers: { "x-request-id": "abc_DEF-12345678" } });
    expect(res.headers["x-request-id"]).toBe("abc_DEF-12345678");
    expect(JSON.parse(res.body)).toEqual({ id: "abc_DEF-12345678", local: "abc_DEF-12345678" });
  });

  test("replaces missing, short or unsafe ids with a UUID", async () => {
    for (const bad of [undefined, "short", "has spaces in it", "x".repeat(65), "<script>alert(1)</script>"]) {
      const headers: Record<string, string> = bad === undefined ? {} : { "x-request-id": bad };
      const res = await rawRequest(`${await base}/`, { headers });
      expect(res.headers["x-request-id"]).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    }
  });
});
