import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { context, trace } from "@opentelemetry/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getRequestId, requestContextMiddleware, shutdownTelemetry, startTelemetry } from "../src/index";

describe("request context while the SDK runs", () => {
  beforeAll(async () => {
    await startTelemetry({ env: {} });
  });
  afterAll(() => shutdownTelemetry());

  it("travels in the OpenTelemetry context with the span, into the response's listeners", async () => {
    const seen: Record<string, unknown> = {};
    const middleware = requestContextMiddleware();
    const server = createServer((req, res) => {
      // What instrumentation-http does: a span, and the request and response bound to its context.
      const span = trace.getTracer("test").startSpan("server");
      const spanContext = trace.setSpan(context.active(), span);
      context.with(spanContext, () => {
        context.bind(spanContext, req);
        context.bind(spanContext, res);
        middleware(req, res, () => {
          seen.inHandler = getRequestId();
          seen.spanInHandler = trace.getActiveSpan() === span;
          res.on("finish", () => {
            seen.inFinish = getRequestId();
            seen.spanInFinish = trace.getActiveSpan() === span;
            span.end();
          });
          setTimeout(() => res.end("ok"), 1);
        });
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, {
        headers: { "x-request-id": "req-42" },
      });
      expect(await res.text()).toBe("ok");
      await new Promise((r) => setTimeout(r, 20));
    } finally {
      server.close();
    }
    expect(seen).toEqual({ inHandler: "req-42", spanInHandler: true, inFinish: "req-42", spanInFinish: true });
    expect(getRequestId()).toBeUndefined();
  });
});
