import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  metricsHandler,
  normalizeRoute,
  shutdownTelemetry,
  startTelemetry,
  type VitalsLimiter,
  vitalsHandler,
} from "../src/index";
import { parsePrometheus, sampleValue, withServer } from "./helpers";

const express = createRequire(import.meta.url)("express") as typeof import("express");
let limited = false;
const observed: Array<[string, number]> = [];
const limiter: VitalsLimiter = async () => (limited ? { retryAfter: 12.2 } : true);

function buildApp() {
  const app = express();
  app.get("/metrics", metricsHandler());
  app.post(
    "/api/vitals",
    vitalsHandler({ limiter, budgets: { observeVital: (name, value) => observed.push([name, value]) } }),
  );
  // A JSON body parser mounted before the handler must not break it.
  app.post("/parsed/vitals", express.json(), vitalsHandler());
  return app;
}

beforeAll(async () => {
  await startTelemetry({ env: {} });
});
afterAll(() => shutdownTelemetry());

const lcp = (over: Record<string, unknown> = {}) => ({
  name: "LCP",
  value: 1234.5,
  rating: "good",
  id: "v5-1700000000000-1234567890",
  navigationType: "navigate",
  route: "/projects/0b7e4a5c-1f7e-4c2a-9c1e-8a1f2b3c4d5e",
  ...over,
});

/** Total number of recorded Web Vitals samples across every histogram. */
async function vitalsCount(base: string): Promise<number> {
  const samples = parsePrometheus(await (await fetch(`${base}/metrics`)).text());
  return ["lcp", "inp", "cls", "fcp", "ttfb"].reduce(
    (sum, n) => sum + sampleValue(samples, `taskmaster_webvitals_${n}_count`),
    0,
  );
}

const post = (base: string, body: string, type = "text/plain;charset=UTF-8", url = "/api/vitals") =>
  fetch(`${base}${url}`, { method: "POST", body, headers: { "content-type": type } });

describe("POST /api/vitals", () => {
  it("records a valid sendBeacon batch in the histograms with route and rating, and feeds the budgets", async () => {
    await withServer(buildApp(), async (base) => {
      const batch = [lcp(), { ...lcp(), name: "CLS", value: 0.02, id: "v5-cls" }, lcp({ name: "INP", value: 180 })];
      observed.length = 0;
      const res = await post(base, JSON.stringify(batch));
      expect(res.status).toBe(204);
      const samples = parsePrometheus(await (await fetch(`${base}/metrics`)).text());
      expect(sampleValue(samples, "taskmaster_webvitals_lcp_count", { route: "/projects/:id", rating: "good" })).toBe(
        1,
      );
      expect(sampleValue(samples, "taskmaster_webvitals_lcp_sum", { route: "/projects/:id" })).toBe(1234.5);
      expect(sampleValue(samples, "taskmaster_webvitals_cls_bucket", { le: "0.025" })).toBe(1);
      expect(sampleValue(samples, "taskmaster_webvitals_inp_count")).toBe(1);
      expect(observed).toEqual([
        ["LCP", 1234.5],
        ["CLS", 0.02],
        ["INP", 180],
      ]);
    });
  });

  it("accepts a single metric sent as application/json, even after a JSON body parser", async () => {
    await withServer(buildApp(), async (base) => {
      const before = await vitalsCount(base);
      expect((await post(base, JSON.stringify(lcp()), "application/json", "/parsed/vitals")).status).toBe(204);
      expect(await vitalsCount(base)).toBe(before + 1);
    });
  });

  const rejected: Array<[string, string, number, string]> = [
    ["malformed JSON", "{not json", 400, "not valid JSON"],
    ["an unknown metric", JSON.stringify([lcp({ name: "FID" })]), 400, "does not match"],
    ["an unknown field (strict)", JSON.stringify([lcp({ entries: [] })]), 400, "does not match"],
    ["a negative value", JSON.stringify([lcp({ value: -1 })]), 400, "does not match"],
    ["a CLS above 10", JSON.stringify([lcp({ name: "CLS", value: 11 })]), 400, "does not match"],
    ["a route with a query string", JSON.stringify([lcp({ route: "/a?email=x@y" })]), 400, "does not match"],
    ["an empty batch", "[]", 400, "does not match"],
    ["more than 50 items", JSON.stringify(Array.from({ length: 51 }, () => lcp())), 400, "does not match"],
    ["a valid item next to an invalid one", JSON.stringify([lcp(), lcp({ rating: "great" })]), 400, "does not match"],
    ["a body over 16 KiB", JSON.stringify([lcp({ id: "x".repeat(17_000) })]), 413, "exceeds 16384 bytes"],
  ];
  it.each(rejected)("rejects %s and records nothing", async (_what, body, status, message) => {
    await withServer(buildApp(), async (base) => {
      const before = await vitalsCount(base);
      const res = await post(base, body);
      expect(res.status).toBe(status);
      const json = (await res.json()) as { message: string };
      expect(json.message).toContain(message);
      expect(await vitalsCount(base)).toBe(before);
    });
  });

  it("names the offending field in a 400", async () => {
    await withServer(buildApp(), async (base) => {
      const res = await post(base, JSON.stringify([lcp(), lcp({ name: "FID" })]));
      const body = (await res.json()) as { issues: Array<{ path: string }> };
      expect(body.issues.map((i) => i.path)).toContain("1.name");
    });
  });

  it("refuses other content types with 415", async () => {
    await withServer(buildApp(), async (base) => {
      expect((await post(base, "a=1", "application/x-www-form-urlencoded")).status).toBe(415);
    });
  });

  it("answers 429 with Retry-After when the limiter says no, without recording", async () => {
    await withServer(buildApp(), async (base) => {
      const before = await vitalsCount(base);
      limited = true;
      try {
        const res = await post(base, JSON.stringify([lcp()]));
        expect(res.status).toBe(429);
        expect(res.headers.get("retry-after")).toBe("13");
      } finally {
        limited = false;
      }
      expect(await vitalsCount(base)).toBe(before);
      const samples = parsePrometheus(await (await fetch(`${base}/metrics`)).text());
      expect(
        sampleValue(samples, "taskmaster_ratelimit_decisions_total", { policy: "vitals", outcome: "limited" }),
      ).toBeGreaterThanOrEqual(1);
    });
  });

  it("caps the number of distinct route labels a client can create", async () => {
    const app = express();
    app.get("/metrics", metricsHandler());
    app.post("/api/vitals", vitalsHandler({ maxRoutes: 2 }));
    await withServer(app, async (base) => {
      const batch = ["/a", "/b", "/c", "/d"].map((route, i) => lcp({ route, id: `id-${i}` }));
      expect((await post(base, JSON.stringify(batch))).status).toBe(204);
      const samples = parsePrometheus(await (await fetch(`${base}/metrics`)).text());
      expect(sampleValue(samples, "taskmaster_webvitals_lcp_count", { route: "(other)" })).toBe(2);
    });
  });
});

describe("normalizeRoute", () => {
  it("folds ids into :id and drops trailing slashes", () => {
    expect(normalizeRoute("/projects/0b7e4a5c-1f7e-4c2a-9c1e-8a1f2b3c4d5e/tasks/42/")).toBe("/projects/:id/tasks/:id");
    expect(normalizeRoute("/")).toBe("/");
    expect(normalizeRoute("/Settings")).toBe("/settings");
  });
});
