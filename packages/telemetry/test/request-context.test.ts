import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { trace } from "@opentelemetry/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  getRequestId,
  requestContextMiddleware,
  shutdownTelemetry,
  startTelemetry,
  traceHttpRequests,
} from "../src/index";

describe("request context while the SDK runs", () => {
  beforeAll(async () => {
    await startTelemetry({ env: {} });
  });
  afterAll(() => shutdownTelemetry());

  it("travels in the OpenTelemetry context with the span, into the response's listeners", async () => {
    const seen: Record<string, unknown> = {};
    const middleware = requestContextMiddleware();
    let serverSpanId: string | undefined;
    const server = createServer(
      // The server span binds the request and response to its context; the middleware adds the id.
      traceHttpRequests((req, res) => {
        serverSpanId = trace.getActiveSpan()?.spanContext().spanId;
        middleware(req, res, () => {
          seen.inHandler = getRequestId();
          seen.spanInHandler = trace.getActiveSpan()?.spanContext().spanId === serverSpanId;
          res.on("finish", () => {
            seen.inFinish = getRequestId();
            seen.spanInFinish = trace.getActiveSpan()?.spanContext().spanId === serverSpanId;
          });
          setTimeout(() => res.end("ok"), 1);
        });
      }),
    );
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
    expect(serverSpanId).toMatch(/^[0-9a-f]{16}$/);
    expect(seen).toEqual({ inHandler: "req-42", spanInHandler: true, inFinish: "req-42", spanInFinish: true });
    expect(getRequestId()).toBeUndefined();
  });
});
