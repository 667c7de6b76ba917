import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  accessLog,
  createDbObserver,
  createLogger,
  getRequestId,
  requestContext,
  requestContextMiddleware,
  shutdownTelemetry,
  startTelemetry,
  traceHttpRequests,
  traceProcedure,
} from "../src/index";
import { withServer } from "./helpers";

const exporter = new InMemorySpanExporter();
beforeAll(async () => {
  await startTelemetry({
    env: {},
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
});
afterAll(() => shutdownTelemetry());

function captured() {
  const stream = new PassThrough();
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  stream.on("data", (chunk: Buffer) => {
    for (const l of chunk.toString("utf8").split("\n").filter(Boolean)) {
      raw.push(l);
      lines.push(JSON.parse(l));
    }
  });
  return { stream, lines, raw };
}

describe("createLogger", () => {
  it("stamps every line of a traced request with that request's trace id, span id and request id", async () => {
    const out = captured();
    const logger = createLogger({ service: "api", version: "1.0.0", level: "debug", stream: out.stream });
    const db = createDbObserver();
    const app = express();
    app.use(accessLog(logger));
    app.use((_req, res, next) => {
      // What the security package's requestId() middleware does before ours.
      res.setHeader("x-request-id", "rid-123");
      next();
    });
    app.use(requestContextMiddleware());
    app.get("/work", async (_req, res) => {
      logger.info("handler start");
      await traceProcedure({ path: "tasks.list", type: "query" }, async () => {
        logger.debug("inside procedure");
        await db.transaction("user", () => db.query("select 1", async () => logger.warn("inside transaction")));
      });
      await new Promise((r) => setTimeout(r, 5));
      logger.info("handler end");
      res.json({ ok: true });
    });
    await withServer(traceHttpRequests(app), async (base) => {
      expect((await fetch(`${base}/work`)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 30));
    });

    const serverSpan = exporter.getFinishedSpans().find((s) => s.name.startsWith("GET"));
    expect(serverSpan).toBeDefined();
    const traceId = serverSpan?.spanContext().traceId;
    expect(out.lines.map((l) => l.message)).toEqual([
      "handler start",
      "inside procedure",
      "inside transaction",
      "handler end",
      "request",
    ]);
    for (const line of out.lines) {
      expect(line).toMatchObject({ trace_id: traceId, request_id: "rid-123", service: "api", version: "1.0.0" });
      expect(line.span_id).toMatch(/^[0-9a-f]{16}$/);
      expect(Date.parse(String(line.timestamp))).not.toBeNaN();
    }
    // Lines inside the procedure point at the procedure's span, not the HTTP one.
    const procedureSpan = exporter.getFinishedSpans().find((s) => s.name === "trpc.tasks.list");
    expect(out.lines[1]?.span_id).toBe(procedureSpan?.spanContext().spanId);
  });

  it("prints neither a password nor a nested token", () => {
    const out = captured();
    const logger = createLogger({ service: "api", version: "1.0.0", stream: out.stream });
    logger.info("login attempt", { password: "x-secret-password", nested: { token: "y-secret-token" }, user: "u1" });
    logger.error("request failed", {
      err: new Error("upstream rejected eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTYifQ.c2lnbmF0dXJlLXZhbHVl"),
      headers: { authorization: "Bearer zzz-secret" },
    });
    const text = out.raw.join("\n");
    expect(text).not.toContain("x-secret-password");
    expect(text).not.toContain("y-secret-token");
    expect(text).not.toContain("zzz-secret");
    expect(text).not.toContain("c2lnbmF0dXJlLXZhbHVl");
    expect(out.lines[0]).toMatchObject({ password: "[REDACTED]", nested: { token: "[REDACTED]" }, user: "u1" });
    expect(out.lines[0]?.level).toBe("info");
  });

  it("honours the level: debug lines are dropped at info", () => {
    const out = captured();
    const logger = createLogger({ service: "api", version: "1", level: "info", stream: out.stream });
    logger.debug("hidden");
    logger.info("shown");
    expect(out.lines.map((l) => l.message)).toEqual(["shown"]);
  });

  it("carries the request id from requestContext outside any span", () => {
    const out = captured();
    const logger = createLogger({ service: "api", version: "1", stream: out.stream });
    requestContext.run({ requestId: "ctx-9" }, () => {
      expect(getRequestId()).toBe("ctx-9");
      logger.info("in context");
    });
    logger.info("outside");
    expect(out.lines[0]?.request_id).toBe("ctx-9");
    expect(out.lines[1]?.request_id).toBeUndefined();
    expect(out.lines[1]?.trace_id).toBeUndefined();
  });

  it("also writes redacted JSON lines to a rotating file when configured", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "telemetry-logs-"));
    try {
      const out = captured();
      const logger = createLogger({
        service: "api",
        version: "1",
        stream: out.stream,
        file: { dir, maxSize: "1m", maxFiles: 3 },
      });
      logger.info("to file", { apiKey: "k-secret" });
      await new Promise<void>((resolve) => {
        logger.on("finish", () => resolve());
        logger.end();
      });
      // The rotate transport opens its file stream asynchronously.
      await new Promise((r) => setTimeout(r, 100));
      const files = readdirSync(dir).filter((f) => f.endsWith(".log"));
      expect(files).toHaveLength(1);
      const content = readFileSync(path.join(dir, files[0] as string), "utf8");
      expect(JSON.parse(content.trim())).toMatchObject({ message: "to file", apiKey: "[REDACTED]" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
