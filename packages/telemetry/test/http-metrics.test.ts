import { createRequire } from "node:module";
import { PassThrough } from "node:stream";
import type { Express } from "express";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  accessLog,
  createLogger,
  metricsHandler,
  requestContextMiddleware,
  shutdownTelemetry,
  startTelemetry,
} from "../src/index";
import { parsePrometheus, promtool, sampleValue, skipWithoutPromtool, withServer } from "./helpers";

const express = createRequire(import.meta.url)("express") as typeof import("express");
const logStream = new PassThrough();
const lines: Record<string, unknown>[] = [];
logStream.on("data", (chunk: Buffer) => {
  for (const l of chunk.toString("utf8").split("\n").filter(Boolean)) lines.push(JSON.parse(l));
});

let app: Express;
beforeAll(async () => {
  await startTelemetry({ env: {} });
  const logger = createLogger({ service: "api", version: "1.2.3", level: "info", stream: logStream });
  app = express();
  app.use(accessLog(logger));
  app.use(requestContextMiddleware());
  app.get("/metrics", metricsHandler());
  app.get("/tasks/:id", (_req, res) => {
    res.json({ ok: true });
  });
  app.get("/private-metrics", metricsHandler({ token: "s3cret-token-value" }));
  const health = express.Router();
  health.get("/", (_req, res) => {
    res.json({ ok: true });
  });
  health.get("/live", (_req, res) => {
    res.json({ ok: true });
  });
  app.use("/health", health);
});
afterAll(() => shutdownTelemetry());

const scrape = async (base: string) => {
  const res = await fetch(`${base}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
};

describe("GET /metrics", () => {
  it("counts a request in http_server_request_duration_count for its route, method and status", async () => {
    await withServer(app, async (base) => {
      const labels = { http_route: "/tasks/:id", http_request_method: "GET", http_response_status_code: "200" };
      const before = sampleValue(parsePrometheus(await scrape(base)), "http_server_request_duration_count", labels);
      await fetch(`${base}/tasks/42?secret=query`);
      await fetch(`${base}/tasks/43`);
      // The access log records on 'finish', just after the client has the response.
      await new Promise((r) => setTimeout(r, 20));
      const after = parsePrometheus(await scrape(base));
      expect(sampleValue(after, "http_server_request_duration_count", labels)).toBe(before + 2);
      const le1 = sampleValue(after, "http_server_request_duration_bucket", { ...labels, le: "1" });
      expect(le1).toBe(before + 2);
    });
  });

  it("writes one access line per request with the route template, never the path or query", async () => {
    lines.length = 0;
    await withServer(app, async (base) => {
      await fetch(`${base}/tasks/99?token=abc`, { headers: { "user-agent": "curl/8.5.0", "x-request-id": "req-77" } });
      await new Promise((r) => setTimeout(r, 20));
    });
    const access = lines.filter((l) => l.message === "request");
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({
      method: "GET",
      route: "/tasks/:id",
      status: 200,
      user_agent_class: "cli",
      request_id: "req-77",
      service: "api",
      version: "1.2.3",
    });
    expect(access[0]?.duration_ms).toBeTypeOf("number");
    expect(JSON.stringify(access[0])).not.toContain("abc");
    expect(JSON.stringify(access[0])).not.toContain("/tasks/99");
  });

  it("names a mounted router's routes after the mount path, its root without a trailing slash", async () => {
    lines.length = 0;
    await withServer(app, async (base) => {
      await fetch(`${base}/health`);
      await fetch(`${base}/health/live`);
      await new Promise((r) => setTimeout(r, 20));
    });
    expect(lines.filter((l) => l.message === "request").map((l) => l.route)).toEqual(["/health", "/health/live"]);
  });

  it.skipIf(skipWithoutPromtool)("serves text that promtool check metrics accepts", async () => {
    const text = await withServer(app, async (base) => {
      await fetch(`${base}/tasks/1`);
      return scrape(base);
    });
    expect(text).toContain("# TYPE http_server_request_duration histogram");
    const result = promtool(["check", "metrics"], text);
    expect(result.output).toBe("");
    expect(result.status).toBe(0);
  });

  it("at LOG_LEVEL=warn writes access lines only for 5xx, yet still counts every request", async () => {
    const quietStream = new PassThrough();
    const quietLines: Record<string, unknown>[] = [];
    quietStream.on("data", (chunk: Buffer) => {
      for (const l of chunk.toString("utf8").split("\n").filter(Boolean)) quietLines.push(JSON.parse(l));
    });
    const logger = createLogger({ service: "api", version: "1.2.3", level: "warn", stream: quietStream });
    // winston would format a dropped record (redaction, JSON) before discarding it: not even called.
    const log = vi.spyOn(logger, "log");
    const quiet = express();
    quiet.use(accessLog(logger));
    quiet.get("/metrics", metricsHandler());
    quiet.get("/quiet/:status", (req, res) => {
      res.status(Number(req.params.status)).end();
    });
    await withServer(quiet, async (base) => {
      const labels = { http_route: "/quiet/:status", http_request_method: "GET" };
      const before = sampleValue(parsePrometheus(await scrape(base)), "http_server_request_duration_count", labels);
      await fetch(`${base}/quiet/200`);
      await fetch(`${base}/quiet/503`);
      await new Promise((r) => setTimeout(r, 20));
      expect(sampleValue(parsePrometheus(await scrape(base)), "http_server_request_duration_count", labels)).toBe(
        before + 2,
      );
    });
    expect(quietLines.map((l) => [l.level, l.status])).toEqual([["warn", 503]]);
    expect(log).toHaveBeenCalledTimes(1);
  });

  it("refuses /metrics without the bearer token when one is configured", async () => {
    await withServer(app, async (base) => {
      expect((await fetch(`${base}/private-metrics`)).status).toBe(401);
      const wrong = await fetch(`${base}/private-metrics`, { headers: { authorization: "Bearer nope" } });
      expect(wrong.status).toBe(401);
      const ok = await fetch(`${base}/private-metrics`, { headers: { authorization: "Bearer s3cret-token-value" } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain("process_memory_usage");
    });
  });
});
