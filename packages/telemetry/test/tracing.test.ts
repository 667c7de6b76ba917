import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import express from "express";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createDbObserver,
  opaqueUserId,
  recordRateLimitDecision,
  shutdownTelemetry,
  startTelemetry,
  tracedLayer,
  traceHttpRequests,
  traceProcedure,
} from "../src/index";

const exporter = new InMemorySpanExporter();
const db = createDbObserver();

beforeAll(async () => {
  await startTelemetry({
    env: { OTEL_SERVICE_NAME: "telemetry-test" },
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
});
afterAll(() => shutdownTelemetry());
beforeEach(() => exporter.reset());

const byName = (spans: ReadableSpan[], name: string) => {
  const span = spans.find((s) => s.name === name);
  if (!span) throw new Error(`no span ${name} among ${spans.map((s) => s.name).join(", ")}`);
  return span;
};
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe("procedure and database spans", () => {
  it("nests trpc.tasks.list → db.transaction → select tasks under the HTTP and Express spans of the request", async () => {
    const app = express();
    app.get(
      "/trpc/:path",
      tracedLayer(
        "trpc",
        async (req: express.Request<{ path: string }>, res: express.Response) => {
          const rows = await traceProcedure({ path: req.params.path, type: "query", userId: "user-123" }, () =>
            db.transaction("user", () =>
              db.query('select "id", "title" from "tasks" where "project_id" = $1 limit $2', async () => [{ id: 1 }]),
            ),
          );
          res.json(rows);
        },
        "request_handler",
      ),
    );
    const server = createServer(traceHttpRequests(app)).listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/trpc/tasks.list`);
      expect(res.status).toBe(200);
    } finally {
      server.close();
    }
    // The HTTP server span ends after the response is flushed.
    await new Promise((r) => setTimeout(r, 50));
    const spans = exporter.getFinishedSpans();

    const http = spans.find((s) => s.kind === SpanKind.SERVER);
    const handler = spans.find((s) => s.name === "request handler - trpc");
    const procedure = byName(spans, "trpc.tasks.list");
    const tx = byName(spans, "db.transaction");
    const query = byName(spans, "select tasks");
    expect(http?.name).toBe("GET /trpc/:path");
    expect(handler && parentOf(handler)).toBe(http?.spanContext().spanId);
    expect(parentOf(procedure)).toBe(handler?.spanContext().spanId);
    expect(parentOf(tx)).toBe(procedure.spanContext().spanId);
    expect(parentOf(query)).toBe(tx.spanContext().spanId);
    expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(1);

    expect(procedure.attributes).toMatchObject({
      "rpc.system": "trpc",
      "rpc.method": "tasks.list",
      "taskmaster.trpc.type": "query",
      "taskmaster.user": opaqueUserId("user-123"),
    });
    expect(procedure.attributes["taskmaster.user"]).toMatch(/^[0-9a-f]{16}$/);
    expect(tx.attributes["taskmaster.db.context"]).toBe("user");
    expect(query.kind).toBe(SpanKind.CLIENT);
    expect(query.attributes).toMatchObject({
      "db.system.name": "postgresql",
      "db.operation.name": "select",
      "db.collection.name": "tasks",
      "db.query.text": 'select "id", "title" from "tasks" where "project_id" = $1 limit $2',
    });
  });

  it("marks a procedure that throws a TRPCError as ERROR with its code", async () => {
    const notFound = Object.assign(new Error("Task not found"), { code: "NOT_FOUND" });
    await expect(traceProcedure({ path: "tasks.get", type: "query" }, () => Promise.reject(notFound))).rejects.toBe(
      notFound,
    );
    const span = byName(exporter.getFinishedSpans(), "trpc.tasks.get");
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes["trpc.error_code"]).toBe("NOT_FOUND");
  });

  it("treats a tRPC middleware result { ok: false } as a failure with the error's code", async () => {
    const result = { ok: false as const, error: { code: "FORBIDDEN", message: "no access" } };
    await expect(traceProcedure({ path: "projects.delete", type: "mutation" }, async () => result)).resolves.toBe(
      result,
    );
    const span = byName(exporter.getFinishedSpans(), "trpc.projects.delete");
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes["trpc.error_code"]).toBe("FORBIDDEN");
  });

  it("reports an error without a tRPC code as INTERNAL_SERVER_ERROR and rolls the transaction span back", async () => {
    const boom = new Error("connection reset");
    await expect(
      traceProcedure({ path: "tasks.create", type: "mutation" }, () =>
        db.transaction("user", () => Promise.reject(boom)),
      ),
    ).rejects.toBe(boom);
    const spans = exporter.getFinishedSpans();
    expect(byName(spans, "trpc.tasks.create").attributes["trpc.error_code"]).toBe("INTERNAL_SERVER_ERROR");
    expect(byName(spans, "db.transaction").status.code).toBe(SpanStatusCode.ERROR);
  });

  it("never puts parameter values or inline literals on query spans", async () => {
    const email = "alice@example.com";
    await db.query(`select * from users where email = '${email}' and id = $1`, async () => [{ email }]);
    const span = byName(exporter.getFinishedSpans(), "select users");
    const everything = JSON.stringify({ attrs: span.attributes, events: span.events, name: span.name });
    expect(everything).not.toContain(email);
    expect(span.attributes["db.query.text"]).toBe("select * from users where email = ? and id = $1");
  });

  it("never puts the user id or email on a span, only a keyed hash", async () => {
    await traceProcedure({ path: "me.get", type: "query", userId: "bob@example.com" }, async () => 1);
    const span = byName(exporter.getFinishedSpans(), "trpc.me.get");
    expect(JSON.stringify(span.attributes)).not.toContain("bob@example.com");
    expect(opaqueUserId("bob@example.com")).not.toBe(opaqueUserId("carol@example.com"));
  });

  it("adds rate-limit decisions as events on the active span", async () => {
    await trace.getTracer("t").startActiveSpan("parent", async (span) => {
      recordRateLimitDecision("login", "limited");
      span.end();
    });
    const span = byName(exporter.getFinishedSpans(), "parent");
    expect(span.events.map((e) => [e.name, e.attributes])).toEqual([
      ["ratelimit.decision", { "taskmaster.ratelimit.policy": "login", "taskmaster.ratelimit.outcome": "limited" }],
    ]);
  });
});
