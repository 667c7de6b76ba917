import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";

const packageDir = path.resolve(import.meta.dirname, "..");

interface Received {
  path: string;
  contentType: string;
  body: Buffer;
}

/** A stand-in OTLP/HTTP collector: records every POST and answers 200. */
async function startReceiver() {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({
        path: req.url ?? "",
        contentType: req.headers["content-type"] ?? "",
        body: Buffer.concat(chunks),
      });
      res.writeHead(200, { "content-type": req.headers["content-type"] ?? "application/json" });
      res.end(req.headers["content-type"]?.includes("json") ? "{}" : "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { received, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

function runFixture(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--import", "./src/register.ts", "test/fixtures/otlp-app.ts"],
      { cwd: packageDir, env: { PATH: process.env.PATH, ...env }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, output }));
  });
}

describe("OTLP/HTTP export from the --import entry", () => {
  it("sends the request's traces (HTTP and Express spans) and the metrics as OTLP JSON", async () => {
    const receiver = await startReceiver();
    try {
      const { code, output } = await runFixture({
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
        OTEL_SERVICE_NAME: "otlp-fixture",
        OTEL_BSP_SCHEDULE_DELAY: "100",
        OTEL_METRIC_EXPORT_INTERVAL: "200",
      });
      expect(code, output).toBe(0);
      const traces = receiver.received.filter((r) => r.path === "/v1/traces");
      const metricPosts = receiver.received.filter((r) => r.path === "/v1/metrics");
      expect(traces.length).toBeGreaterThan(0);
      expect(metricPosts.length).toBeGreaterThan(0);

      const spans = traces.flatMap((t) =>
        JSON.parse(t.body.toString()).resourceSpans.flatMap((rs: { scopeSpans: Array<{ spans: unknown[] }> }) =>
          rs.scopeSpans.flatMap((ss) => ss.spans),
        ),
      ) as Array<{ name: string; traceId: string; spanId: string; parentSpanId?: string; kind: number }>;
      const names = spans.map((s) => s.name);
      // Context follows the request into callbacks of its body stream (the context manager's emitter binding).
      const afterBody = spans.find((s) => s.name === "fixture.after-body");
      const postServer = spans.find((s) => s.name === "POST /fixture/body");
      expect(postServer?.kind).toBe(2);
      expect(afterBody?.traceId).toBe(postServer?.traceId);
      // The server span is named after the Express route, and the traced handler is its child.
      expect(names).toContain("GET /fixture/:id");
      const getServer = spans.find((s) => s.name === "GET /fixture/:id");
      const handlers = spans.filter((s) => s.name === "request handler - fixture" && s.traceId === getServer?.traceId);
      expect(handlers).toHaveLength(1);
      expect(handlers[0]?.parentSpanId).toBe(getServer?.spanId);
      const resource = JSON.stringify(JSON.parse(traces[0]?.body.toString() ?? "{}").resourceSpans[0].resource);
      expect(resource).toContain("otlp-fixture");

      const metricNames = metricPosts.flatMap((m) =>
        JSON.parse(m.body.toString()).resourceMetrics.flatMap(
          (rm: { scopeMetrics: Array<{ metrics: Array<{ name: string }> }> }) =>
            rm.scopeMetrics.flatMap((sm) => sm.metrics.map((x) => x.name)),
        ),
      );
      expect(metricNames).toContain("taskmaster.budget.breaches");
      // Recorded once, by accessLog().
      const httpScopes = metricPosts.flatMap((m) =>
        JSON.parse(m.body.toString()).resourceMetrics.flatMap(
          (rm: { scopeMetrics: Array<{ scope: { name: string }; metrics: Array<{ name: string }> }> }) =>
            rm.scopeMetrics
              .filter((sm) => sm.metrics.some((x) => x.name === "http.server.request.duration"))
              .map((sm) => sm.scope.name),
        ),
      );
      expect(new Set(httpScopes)).toEqual(new Set(["@taskmaster/telemetry"]));
    } finally {
      receiver.close();
    }
  });

  it("uses OTLP JSON by default, and protobuf when OTEL_EXPORTER_OTLP_PROTOCOL says so", async () => {
    const receiver = await startReceiver();
    try {
      const byDefault = await runFixture({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
      expect(byDefault.code, byDefault.output).toBe(0);
      const defaultTraces = receiver.received.filter((r) => r.path === "/v1/traces");
      expect(defaultTraces.length).toBeGreaterThan(0);
      expect(new Set(defaultTraces.map((t) => t.contentType))).toEqual(new Set(["application/json"]));
      receiver.received.length = 0;

      const { code, output } = await runFixture({
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
      });
      expect(code, output).toBe(0);
      const traces = receiver.received.filter((r) => r.path === "/v1/traces");
      const metricPosts = receiver.received.filter((r) => r.path === "/v1/metrics");
      expect(traces[0]?.contentType).toBe("application/x-protobuf");
      // Protobuf carries strings as raw UTF-8.
      expect(traces.some((t) => t.body.includes("GET /fixture/:id"))).toBe(true);
      expect(metricPosts.some((m) => m.body.includes("taskmaster.budget.breaches"))).toBe(true);
    } finally {
      receiver.close();
    }
  });

  it("OTEL_SDK_DISABLED=true patches nothing and exports nothing, even with an endpoint set", async () => {
    const receiver = await startReceiver();
    try {
      const disabled = await runFixture({
        OTEL_SDK_DISABLED: "true",
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        FIXTURE_REPORT_PATCHES: "1",
      });
      expect(disabled.code, disabled.output).toBe(0);
      expect(JSON.parse(disabled.output)).toEqual({ listenerWrapped: false, ioredisPatched: false });
      expect(receiver.received).toEqual([]);
      // The same fixture with the SDK on: the check above can tell the difference.
      const enabled = await runFixture({ FIXTURE_REPORT_PATCHES: "1" });
      expect(enabled.code, enabled.output).toBe(0);
      expect(JSON.parse(enabled.output)).toEqual({ listenerWrapped: true, ioredisPatched: true });
    } finally {
      receiver.close();
    }
  });

  it("exports nothing and prints no errors when no endpoint is set", async () => {
    const { code, output } = await runFixture({});
    expect(code).toBe(0);
    expect(output).toBe("");
  });
});
